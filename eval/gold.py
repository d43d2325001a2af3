"""Gold questions (DESIGN.md §6): loading and validation with exact, line-numbered messages.

Any JSONL file in the schema is accepted. A line is either one question object or a dialogue
``{"id": ..., "turns": [question objects]}`` whose turns only make sense in order; dialogues are
flattened into ``GoldItem``s that carry the dialogue id and their 1-based turn number. A question may
carry ``op`` (one of ``OPS``; inferred from ``kind`` through ``KIND_OPS`` when absent) and ``style``
(a string or a list of strings, free text). An unanswerable question has nothing to quote: its
``source_file`` and ``source_quote`` may be null or absent (read as ""). Unknown extra fields are ignored; missing or mistyped
fields are reported all at once, each with its line number, as a ``GoldError``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.errors import PlanAssistantError

KINDS: tuple[str, ...] = ("lead", "deadline", "kpi", "budget", "procurement", "count", "list", "text",
                          "unanswerable")
ROUTES: tuple[str, ...] = ("sql", "text", "either")
REQUIRED: tuple[str, ...] = ("id", "question", "kind", "route", "answer", "must_contain", "source_file",
                             "source_quote")
SOURCE_FIELDS: tuple[str, ...] = ("source_file", "source_quote")  # may be null for an unanswerable question
# The operations a question asks for (issue 9 §7), reported as accuracy per operation.
OPS: tuple[str, ...] = ("lookup", "list", "count", "sum", "maxmin", "group-top", "compare", "text",
                        "unanswerable")
# The operation of a question that does not name one, from its kind (the only place this is decided).
KIND_OPS: dict[str, str] = {"lead": "lookup", "deadline": "lookup", "kpi": "lookup", "budget": "lookup",
                            "procurement": "lookup", "count": "count", "list": "list", "text": "text",
                            "unanswerable": "unanswerable"}
MAX_REPORTED = 20


class GoldError(PlanAssistantError):
    """A gold file that cannot be used: missing, unreadable or not in the schema."""


@dataclass(frozen=True)
class GoldItem:
    """One gold question."""

    id: str
    question: str
    kind: str
    route: str
    answer: str
    must_contain: tuple[str, ...]
    must_contain_any: tuple[str, ...]
    source_file: str
    source_quote: str
    line: int = 0  # line of the gold file it came from
    op: str = ""  # one of OPS: given, or inferred from the kind (KIND_OPS)
    style: tuple[str, ...] = ()  # free labels such as "terse", "rambling", "abbreviation"
    dialogue: str | None = None  # the dialogue id, for a turn of a dialogue
    turn: int = 0  # 1-based turn number in its dialogue; 0 for a single question
    gold_file: str = ""  # the file it was loaded from

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"

    @property
    def operation(self) -> str:
        """The operation asked for: ``op`` when given, else the kind's (``KIND_OPS``)."""
        return self.op or KIND_OPS.get(self.kind, self.kind)


def _str_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _styles(value: Any) -> tuple[str, ...] | None:
    """``style`` as a tuple: absent or null is (), a string is one label, a list of strings many."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return _str_list(value)


def _check_record(rec: Any, lineno: int, where: str | None = None,
                  required: tuple[str, ...] = REQUIRED) -> tuple[GoldItem | None, list[str]]:
    """Validate one parsed JSON question; return the item or the problems found."""
    where = where or f"line {lineno}"
    if not isinstance(rec, dict):
        return None, [f"{where}: expected a JSON object, got {type(rec).__name__}"]
    if rec.get("kind") == "unanswerable":  # nothing to quote: the source may be null or left out
        rec = {**rec, **{f: "" for f in SOURCE_FIELDS if rec.get(f) is None}}
    missing = [f"'{f}'" for f in required if f not in rec]
    if missing:
        return None, [f"{where}: missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}"]
    problems: list[str] = []
    for f in ("id", "question", "kind", "route", "answer", "source_file", "source_quote"):
        if not isinstance(rec[f], str):
            problems.append(f"{where}: field '{f}' must be a string")
    must = _str_list(rec["must_contain"])
    if must is None:
        problems.append(f"{where}: 'must_contain' must be a list of strings")
    any_raw = rec.get("must_contain_any", [])
    anys = _str_list(any_raw if any_raw is not None else [])
    if anys is None:
        problems.append(f"{where}: 'must_contain_any' must be a list of strings")
    styles = _styles(rec.get("style"))
    if styles is None:
        problems.append(f"{where}: 'style' must be a string or a list of strings")
    op = rec.get("op") or ""
    if not isinstance(op, str):
        problems.append(f"{where}: field 'op' must be a string")
    elif op and op not in OPS:
        problems.append(f"{where}: op '{op}' is not one of {', '.join(OPS)}")
    if problems:
        return None, problems
    if not rec["id"].strip():
        problems.append(f"{where}: 'id' is empty")
    if not rec["question"].strip():
        problems.append(f"{where}: 'question' is empty")
    if rec["kind"] not in KINDS:
        problems.append(f"{where}: kind '{rec['kind']}' is not one of {', '.join(KINDS)}")
    if rec["route"] not in ROUTES:
        problems.append(f"{where}: route '{rec['route']}' is not one of {', '.join(ROUTES)}")
    if any(not m.strip() for m in (*must, *anys)):  # type: ignore[misc]
        problems.append(f"{where}: empty string in must_contain / must_contain_any")
    if rec["kind"] != "unanswerable" and not must and not anys:
        problems.append(f"{where}: an answerable question needs must_contain or must_contain_any")
    if problems:
        return None, problems
    item = GoldItem(id=rec["id"], question=rec["question"], kind=rec["kind"], route=rec["route"],
                    answer=rec["answer"], must_contain=must, must_contain_any=anys,  # type: ignore[arg-type]
                    source_file=rec["source_file"], source_quote=rec["source_quote"], line=lineno,
                    op=op, style=styles)  # type: ignore[arg-type]
    return item, []


def _check_dialogue(rec: dict[str, Any], lineno: int) -> tuple[list[GoldItem], list[str]]:
    """Validate a dialogue line; its turns become items with the dialogue id and turn number.

    A turn without an ``id`` gets ``<dialogue id>#<turn>``; a turn without ``style`` takes the
    dialogue's ``style``."""
    where = f"line {lineno}"
    did, turns = rec.get("id"), rec["turns"]
    if not isinstance(did, str) or not did.strip():
        return [], [f"{where}: a dialogue needs a non-empty string 'id'"]
    if not isinstance(turns, list) or not turns:
        return [], [f"{where}: 'turns' must be a non-empty list of question objects"]
    items: list[GoldItem] = []
    problems: list[str] = []
    for n, turn in enumerate(turns, start=1):
        if isinstance(turn, dict):
            turn = {"id": f"{did}#{n}", **({"style": rec["style"]} if "style" in rec else {}), **turn}
        item, errs = _check_record(turn, lineno, where=f"{where} turn {n}")
        problems.extend(errs)
        if item is not None:
            items.append(replace(item, dialogue=did, turn=n))
    return items, problems


def _check_line(rec: Any, lineno: int) -> tuple[list[GoldItem], list[str]]:
    """One JSONL value: a dialogue (an object with ``turns``) or a single question."""
    if isinstance(rec, dict) and "turns" in rec:
        return _check_dialogue(rec, lineno)
    item, errs = _check_record(rec, lineno)
    return ([item] if item is not None else []), errs


def parse_gold(text: str, name: str = "gold file") -> list[GoldItem]:
    """Parse JSONL text into gold items, raising ``GoldError`` listing every problem."""
    items: list[GoldItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        found, errs = _check_line(rec, lineno)
        problems.extend(errs)
        for item in found:
            if item.id in seen:
                problems.append(f"line {lineno}: duplicate id '{item.id}' (first on line {seen[item.id]})")
                continue
            seen[item.id] = lineno
            items.append(replace(item, gold_file=name))
    if problems:
        shown = problems[:MAX_REPORTED]
        more = f"\n  ... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise GoldError(f"{name} has {len(problems)} problem(s):\n  " + "\n  ".join(shown) + more)
    if not items:
        raise GoldError(f"{name} contains no questions")
    return items


def load_gold(path: Path | str) -> list[GoldItem]:
    """Read and validate a gold JSONL file."""
    p = Path(path)
    if not p.is_file():
        raise GoldError(f"gold file not found: {p}")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file {p}: {exc}") from exc
    return parse_gold(text, name=str(p))


def load_golds(paths: Sequence[Path | str]) -> list[GoldItem]:
    """Several gold files, in order, as one list; an id used in two files is an error."""
    items: list[GoldItem] = []
    first: dict[str, str] = {}
    clashes: list[str] = []
    for path in paths:
        for item in load_gold(path):
            if item.id in first:
                clashes.append(f"id '{item.id}' of {item.gold_file} is also in {first[item.id]}")
                continue
            first[item.id] = item.gold_file
            items.append(item)
    if clashes:
        more = f"\n  ... and {len(clashes) - MAX_REPORTED} more" if len(clashes) > MAX_REPORTED else ""
        raise GoldError(f"{len(clashes)} duplicate id(s) across gold files:\n  "
                        + "\n  ".join(clashes[:MAX_REPORTED]) + more)
    return items


def default_gold_path() -> Path:
    """The bundled gold set, ``eval/gold.jsonl``."""
    return Path(__file__).resolve().parent / "gold.jsonl"
