"""Reports of an eval run: Markdown (with failures to act on), JSON and a PNG chart per kind."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.gold import KINDS
from eval.metrics import ItemResult, Rate, Summary
from eval.runner import EvalRun

log = logging.getLogger(__name__)

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
ANSWER_CHARS = 200  # of each failed answer shown in the report: enough to see what was said
CONTEXT_CHARS = 80  # of each earlier turn shown before a failed dialogue turn


@dataclass(frozen=True)
class ReportPaths:
    """Where the three reports were written."""

    markdown: Path
    json: Path
    chart: Path | None


def pct(r: Rate | None) -> str:
    """'83.3% (25/30)' or 'n/a'."""
    if r is None or r.value is None:
        return "n/a"
    return f"{100 * r.value:.1f}% ({r.hits}/{r.total})"


def ms(x: float | None) -> str:
    if x is None or x != x:
        return "n/a"
    return f"{x:.1f} ms" if x < 10 else f"{x:.0f} ms"


def ratio(ours: Rate, other: Rate) -> str:
    """How many times the baseline's accuracy ours is."""
    if ours.value is None or other.value is None:
        return "n/a"
    if other.value == 0:
        return "∞" if ours.value > 0 else "n/a"
    return f"{ours.value / other.value:.2f}×"


def kinds_of(run: EvalRun) -> list[str]:
    present = {k for s in run.summaries.values() for k in s.per_kind}
    return [k for k in KINDS if k in present]


def headline_table(run: EvalRun) -> list[str]:
    """Accuracy of each system, with the ratio of ours to it."""
    primary = run.summaries[run.primary]
    lines = [f"| system | accuracy | {run.primary} ÷ system |", "|---|---|---|"]
    for name, s in run.summaries.items():
        lines.append(f"| {name} | {pct(s.accuracy)} | {'—' if name == run.primary else ratio(primary.accuracy, s.accuracy)} |")
    return lines


def per_kind_table(run: EvalRun) -> list[str]:
    names = list(run.summaries)
    lines = ["| kind | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for kind in kinds_of(run):
        n = next((s.per_kind[kind].total for s in run.summaries.values() if kind in s.per_kind), 0)
        cells = [pct(run.summaries[name].per_kind.get(kind)) for name in names]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + str(run.n_questions) + " | " +
                 " | ".join(pct(run.summaries[n].accuracy) for n in names) + " |")
    return lines


def _rate_table(run: EvalRun, label: str, rates: Callable[[Summary], dict[Any, Rate]]) -> list[str]:
    """One row per key of ``rates`` (in the primary system's order), one column per system."""
    names = list(run.summaries)
    keys = list(rates(run.summaries[run.primary]))
    lines = [f"| {label} | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for key in keys:
        n = rates(run.summaries[run.primary])[key].total
        lines.append(f"| {key} | {n} | " + " | ".join(pct(rates(run.summaries[name]).get(key)) for name in names)
                     + " |")
    return lines


def per_op_table(run: EvalRun) -> list[str]:
    """Accuracy per operation asked for (lookup, list, count, sum, maxmin, group-top, compare, ...)."""
    return _rate_table(run, "operation", lambda s: s.per_op)


def per_style_table(run: EvalRun) -> list[str]:
    """Accuracy per style label (a question with two labels counts in both rows); empty without styles."""
    if not run.summaries[run.primary].per_style:
        return []
    return _rate_table(run, "style", lambda s: s.per_style)


def per_gold_file_table(run: EvalRun) -> list[str]:
    """Accuracy per gold file; empty for a run over one file."""
    if len(run.summaries[run.primary].per_gold_file) < 2:
        return []
    return _rate_table(run, "gold file", lambda s: s.per_gold_file)


def conversation_table(run: EvalRun) -> list[str]:
    """Single questions, dialogue turns (all and per turn number) and whole dialogues; empty without
    dialogues."""
    primary = run.summaries[run.primary]
    if not primary.turn_accuracy.total:
        return []
    names = list(run.summaries)
    rows: list[tuple[str, Callable[[Summary], Rate | None]]] = [
        ("single questions", lambda s: s.single_accuracy),
        ("conversation turns (all)", lambda s: s.turn_accuracy)]
    rows += [(f"turn {t}", lambda s, t=t: s.per_turn.get(t)) for t in primary.per_turn]
    rows.append(("dialogues with every turn correct", lambda s: s.dialogue_accuracy))
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(pct(fn(run.summaries[n])) for n in names) + " |")
    return lines


def per_document_table(run: EvalRun) -> list[str]:
    """Accuracy by the gold question's source document (answerable and unanswerable alike)."""
    names = list(run.summaries)
    docs = sorted({Path(r.source_file).name for res in run.results.values() for r in res if r.source_file})
    lines = ["| document | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for doc in docs:
        cells = []
        for name in names:
            res = [r for r in run.results[name] if Path(r.source_file).name == doc]
            cells.append(pct(Rate(sum(r.correct for r in res), len(res))))
        n = sum(1 for r in run.results[names[0]] if Path(r.source_file).name == doc)
        lines.append(f"| {doc} | {n} | " + " | ".join(cells) + " |")
    return lines


def metrics_table(run: EvalRun) -> list[str]:
    names = list(run.summaries)
    rows: list[tuple[str, Any]] = [
        ("route accuracy", lambda s: pct(s.route_accuracy)),
        ("abstention precision", lambda s: pct(s.abstention_precision)),
        ("abstention recall", lambda s: pct(s.abstention_recall)),
        ("confident wrong answers", lambda s: f"{s.confident_wrong} ({s.confident_wrong_unanswerable} on "
                                              "unanswerable questions)"),
        ("citation accuracy", lambda s: pct(s.citation_accuracy)),
        ("grounded accuracy (correct + cited)", lambda s: pct(s.grounded_accuracy)),
        ("retrieval recall@5 (text)", lambda s: pct(s.recall_at_5)),
        ("warm latency p50", lambda s: ms(s.latency_p50_ms)),
        ("warm latency p95", lambda s: ms(s.latency_p95_ms)),
        ("errors", lambda s: str(s.errors)),
        ("setup", lambda s: f"{run.setup_seconds.get(s.system, 0):.1f} s"),
    ]
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(fn(run.summaries[n]) for n in names) + " |")
    return lines


def breakdown_table(results: tuple[ItemResult, ...]) -> list[str]:
    """Failures per kind, split by what went wrong, to point at the stage to fix."""
    lines = ["| kind | failed | abstained wrongly | answered (wrong facts) | wrong route | error |",
             "|---|---|---|---|---|---|"]
    for kind in [k for k in KINDS if any(r.kind == k for r in results)]:
        bad = [r for r in results if r.kind == kind and not r.correct]
        if not bad:
            continue
        lines.append(f"| {kind} | {len(bad)} | {sum(r.abstained for r in bad)} | "
                     f"{sum(1 for r in bad if not r.abstained and r.error is None)} | "
                     f"{sum(1 for r in bad if r.route_ok is False)} | {sum(1 for r in bad if r.error)} |")
    return lines


def _clip(text: str, n: int = ANSWER_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def failure_lines(results: tuple[ItemResult, ...]) -> list[str]:
    """Each wrong answer: question (after the earlier turns of its dialogue), expected facts, what was
    missing, the answer given (first ``ANSWER_CHARS`` characters)."""
    earlier: dict[tuple[str, str], list[str]] = {}
    lines: list[str] = []
    for r in results:
        key = (r.gold_file, r.dialogue or "")
        before = list(earlier.get(key, [])) if r.dialogue is not None else []
        if r.dialogue is not None:
            earlier.setdefault(key, []).append(r.question)
        if r.correct:
            continue
        expected = "abstain (not in the documents)" if r.kind == "unanswerable" else "; ".join(r.expected_facts)
        given = f"ERROR {r.error}" if r.error else ("(abstained) " if r.abstained else "") + _clip(r.answer)
        where = f", dialogue {r.dialogue} turn {r.turn}" if r.dialogue is not None else ""
        lines.append(f"- **{r.id}** [{r.kind}, op {r.op or '?'}, route {r.route}{where}] {r.question}")
        if before:
            lines.append("  - after: " + " → ".join(_clip(q, CONTEXT_CHARS) for q in before))
        lines.append(f"  - expected: {expected}" + (f" — missing: {'; '.join(r.missing)}" if r.missing else ""))
        lines.append(f"  - answer: {given or '(empty)'}")
        if r.explanation:
            lines.append(f"  - how: {_clip(r.explanation, 200)}")
    return lines or ["(none)"]


def render_markdown(run: EvalRun, chart: Path | None) -> str:
    """The Markdown report."""
    parts = [f"# Plan Assistant evaluation — {run.started_at}", "",
             f"Gold file: `{run.gold}` — {run.n_questions} questions"
             + (f" ({run.n_dialogues} dialogues, every turn counted)" if run.n_dialogues else "")
             + f". Systems: {', '.join(run.systems)}.", "",
             "## Accuracy", "", *headline_table(run), "", "## Accuracy per kind", "", *per_kind_table(run), "",
             "## Accuracy per operation", "", *per_op_table(run), ""]
    for title, table in (("Conversations", conversation_table(run)), ("Accuracy per style", per_style_table(run)),
                         ("Accuracy per gold file", per_gold_file_table(run))):
        if table:
            parts += [f"## {title}", "", *table, ""]
    parts += ["## Accuracy per source document", "", *per_document_table(run), "",
              "## Other metrics", "", *metrics_table(run), ""]
    if chart is not None:
        parts += [f"![accuracy per kind]({chart.name})", ""]
    if run.unlocated:
        parts += [f"Quotes not found in their source ({len(run.unlocated)}; citation and recall not checked): "
                  + ", ".join(run.unlocated), ""]
    parts += [f"## Failure breakdown of {run.primary}", "", *breakdown_table(run.results[run.primary]), "",
              f"## Failures of {run.primary}", "", *failure_lines(run.results[run.primary]), ""]
    return "\n".join(parts)


def to_json(run: EvalRun) -> dict[str, Any]:
    """The JSON report: summaries plus every item result."""
    primary = run.summaries[run.primary]
    return {
        "gold": run.gold, "n_questions": run.n_questions, "n_dialogues": run.n_dialogues,
        "started_at": run.started_at,
        "systems": list(run.systems), "primary": run.primary, "setup_seconds": run.setup_seconds,
        "unlocated_quotes": list(run.unlocated),
        "summaries": {n: s.to_dict() for n, s in run.summaries.items()},
        "ratios": {n: ratio(primary.accuracy, s.accuracy) for n, s in run.summaries.items() if n != run.primary},
        "results": {n: [r.to_dict() for r in res] for n, res in run.results.items()},
    }


def render_chart(run: EvalRun, path: Path) -> Path:
    """Grouped bars of accuracy per kind, one colour per system (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = kinds_of(run) + ["all"]
    names = list(run.summaries)
    width = 0.8 / max(1, len(names))
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(kinds)), 4.5))
    for i, name in enumerate(names):
        s: Summary = run.summaries[name]
        vals = [100 * ((s.per_kind.get(k).value or 0) if k != "all" else (s.accuracy.value or 0))
                if (k == "all" or k in s.per_kind) else 0 for k in kinds]
        xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(kinds))]
        ax.bar(xs, vals, width, label=name)
    ax.set_xticks(range(len(kinds)))
    ax.set_xticklabels(kinds, rotation=20)
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(f"Accuracy per kind ({run.n_questions} questions)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_reports(run: EvalRun, out_dir: Path = REPORTS_DIR, json_path: Path | None = None,
                  stem: str = "eval") -> ReportPaths:
    """Write ``<stem>.md``, ``<stem>.json`` and ``<stem>.png`` under ``out_dir`` (and the JSON to
    ``json_path`` too when given)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    chart: Path | None
    try:
        chart = render_chart(run, out_dir / f"{stem}.png")
    except Exception as exc:  # noqa: BLE001 - a missing chart must not lose the report
        log.warning("could not draw the chart: %s", exc)
        chart = None
    md = out_dir / f"{stem}.md"
    md.write_text(render_markdown(run, chart), encoding="utf-8")
    payload = json.dumps(to_json(run), indent=2, ensure_ascii=False)
    js = out_dir / f"{stem}.json"
    js.write_text(payload, encoding="utf-8")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(payload, encoding="utf-8")
    return ReportPaths(md, js, chart)
