"""Retrieval quality on a dev set: recall@1, recall@5 and MRR for BM25, dense and hybrid, side by side.

    python -m assistant.retrieval.evaluate [--dev eval/retrieval_dev.jsonl] [--home DIR] [--build]

Each dev line is ``{"id", "question", "file", "line_start", "line_end"}`` (optionally ``"also":
[[file, start, end], ...]`` for a fact stated in more than one place). A hit is relevant when it
comes from the same file and its line span overlaps a gold span.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from assistant.config import REPO_ROOT, Settings, get_settings
from assistant.errors import BadQuestion
from assistant.models import Hit

DEFAULT_DEV = REPO_ROOT / "eval" / "retrieval_dev.jsonl"
MODES = ("bm25", "dense", "hybrid")
DEPTH = 10


@dataclass(frozen=True)
class DevQuestion:
    id: str
    question: str
    spans: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class ModeScore:
    mode: str
    recall_at_1: float
    recall_at_5: float
    mrr: float
    ranks: tuple[int | None, ...]  # rank of the first relevant hit per question (None: not in top DEPTH)


def load_dev(path: Path) -> list[DevQuestion]:
    """Read and validate a dev set; a bad line is reported with its number."""
    out: list[DevQuestion] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            spans = [(d["file"], int(d["line_start"]), int(d["line_end"]))]
            spans += [(f, int(a), int(b)) for f, a, b in d.get("also", [])]
            out.append(DevQuestion(str(d.get("id", n)), d["question"], tuple(spans)))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadQuestion(f"{path}:{n}: not a dev question ({exc})") from exc
    return out


def is_relevant(hit: Hit, spans: Sequence[tuple[str, int, int]]) -> bool:
    c = hit.citation
    return any(c.file == f and c.line_start <= b and a <= c.line_end for f, a, b in spans)


def first_relevant(hits: Sequence[Hit], spans: Sequence[tuple[str, int, int]]) -> int | None:
    return next((i for i, h in enumerate(hits, start=1) if is_relevant(h, spans)), None)


def score_mode(retriever, questions: Sequence[DevQuestion], mode: str) -> ModeScore:  # noqa: ANN001
    ranks = tuple(first_relevant(retriever.search(q.question, k=DEPTH, mode=mode), q.spans) for q in questions)
    n = len(questions) or 1
    return ModeScore(mode,
                     recall_at_1=sum(r == 1 for r in ranks) / n,
                     recall_at_5=sum(r is not None and r <= 5 for r in ranks) / n,
                     mrr=sum(1 / r for r in ranks if r) / n,
                     ranks=ranks)


def evaluate(settings: Settings, questions: Sequence[DevQuestion], modes: Sequence[str] = MODES) -> list[ModeScore]:
    from assistant.retrieval.search import Retriever

    retriever = Retriever(settings).warm()
    return [score_mode(retriever, questions, m) for m in modes]


def format_table(scores: Sequence[ModeScore], n: int) -> str:
    lines = [f"retrieval dev set: {n} questions (MRR over the top {DEPTH})",
             f"{'metric':<10}" + "".join(f"{s.mode:>10}" for s in scores)]
    for label, attr in (("recall@1", "recall_at_1"), ("recall@5", "recall_at_5"), ("MRR", "mrr")):
        lines.append(f"{label:<10}" + "".join(f"{getattr(s, attr):>10.3f}" for s in scores))
    return "\n".join(lines)


def _build(home: Path) -> Settings:
    from assistant.pipeline import ingest_corpus

    settings = Settings(home=home)
    ingest_corpus(settings, index=True)
    return settings


@click.command()
@click.option("--dev", "dev_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULT_DEV, show_default=True, help="Dev set (JSON lines).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="PLAN_ASSISTANT_HOME to evaluate (default: the configured one).")
@click.option("--build", is_flag=True, help="Ingest and index the bundled corpus into a temporary home first.")
@click.option("--misses", is_flag=True, help="List the questions hybrid search misses in its top 5.")
def main(dev_path: Path, home: Path | None, build: bool, misses: bool) -> None:
    """Print recall@1, recall@5 and MRR for bm25, dense and hybrid search."""
    questions = load_dev(dev_path)
    with tempfile.TemporaryDirectory(prefix="plan-eval-") as tmp:
        if build:
            settings = _build(Path(tmp))
        else:
            settings = Settings(home=home) if home else get_settings()
        scores = evaluate(settings, questions)
    click.echo(format_table(scores, len(questions)))
    if misses:
        hybrid = next(s for s in scores if s.mode == "hybrid")
        for q, r in zip(questions, hybrid.ranks):
            if r is None or r > 5:
                click.echo(f"  miss {q.id} (rank {r}): {q.question}")


if __name__ == "__main__":
    main()
