"""Gold questions (DESIGN.md §6): loading and validation with exact, line-numbered messages.

Any JSONL file in the schema is accepted. Unknown extra fields are kept out of the way (ignored);
missing or mistyped fields are reported all at once, each with its line number, as a ``GoldError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import PlanAssistantError

KINDS: tuple[str, ...] = ("lead", "deadline", "kpi", "budget", "procurement", "count", "list", "text",
                          "unanswerable")
ROUTES: tuple[str, ...] = ("sql", "text", "either")
REQUIRED: tuple[str, ...] = ("id", "question", "kind", "route", "answer", "must_contain", "source_file",
                             "source_quote")
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

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def _str_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _check_record(rec: Any, lineno: int) -> tuple[GoldItem | None, list[str]]:
    """Validate one parsed JSON value; return the item or the problems found."""
    where = f"line {lineno}"
    if not isinstance(rec, dict):
        return None, [f"{where}: expected a JSON object, got {type(rec).__name__}"]
    missing = [f"'{f}'" for f in REQUIRED if f not in rec]
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
                    source_file=rec["source_file"], source_quote=rec["source_quote"], line=lineno)
    return item, []


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
        item, errs = _check_record(rec, lineno)
        problems.extend(errs)
        if item is None:
            continue
        if item.id in seen:
            problems.append(f"line {lineno}: duplicate id '{item.id}' (first on line {seen[item.id]})")
            continue
        seen[item.id] = lineno
        items.append(item)
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


def default_gold_path() -> Path:
    """The bundled gold set, ``eval/gold.jsonl``."""
    return Path(__file__).resolve().parent / "gold.jsonl"
