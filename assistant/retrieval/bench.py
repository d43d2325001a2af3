"""Retrieval benchmark: index build, no-change re-sync and warm query latency, on the bundled corpus
and on an N-times synthetic corpus.

    python -m assistant.retrieval.bench [--factor 20] [--queries 200] [--skip-synthetic]

Everything is built in temporary homes with a cold embedding cache, so the figures include real
embedding work. Query latency is measured in one warm process (model loaded, indexes open).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from assistant.config import BUNDLED_CORPUS, Settings
from assistant.retrieval.evaluate import DEFAULT_DEV, load_dev


@dataclass(frozen=True)
class BuildFigures:
    label: str
    documents: int
    chunks: int
    vectors: int
    ingest_s: float
    build_s: float
    embedded: int
    vectors_per_s: float
    resync_s: float
    resync_embedded: int
    resync_upserted: int


@dataclass(frozen=True)
class Latency:
    mode: str
    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float


def bench_queries(n: int) -> list[str]:
    """At least ``n`` realistic queries: the dev questions, then lower-case and typo'd variants."""
    base = [q.question for q in load_dev(DEFAULT_DEV)]
    variants = base + [q.lower() for q in base] + [q.upper() for q in base]
    while len(variants) < n:
        variants += base
    return variants[:max(n, 1)]


def build(label: str, settings: Settings) -> BuildFigures:
    """Ingest into DuckDB, then time a cold index build and a no-change re-sync."""
    from assistant.pipeline import ingest_corpus
    from assistant.retrieval.index import sync_index

    t0 = time.perf_counter()
    report = ingest_corpus(settings, index=False)
    ingest_s = time.perf_counter() - t0
    first = sync_index(settings)
    again = sync_index(settings)
    return BuildFigures(label, report.documents, first.chunks, first.vectors, ingest_s, first.seconds,
                        first.embedded, first.vectors_per_s, again.seconds, again.embedded, again.upserted)


def latency(settings: Settings, queries: Sequence[str], modes: Sequence[str] = ("hybrid", "bm25", "dense")
            ) -> list[Latency]:
    """Per-query wall time in a warm process."""
    from assistant.retrieval.search import Retriever

    retriever = Retriever(settings).warm()
    for q in queries[:5]:
        retriever.search(q)
    out = []
    for mode in modes:
        times = []
        for q in queries:
            t0 = time.perf_counter()
            retriever.search(q, k=5, mode=mode)  # type: ignore[arg-type]
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out.append(Latency(mode, len(times), statistics.median(times),
                           times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
                           statistics.fmean(times)))
    return out


def _print(fig: BuildFigures, lat: list[Latency]) -> None:
    click.echo(f"== {fig.label}: {fig.documents} documents, {fig.chunks} chunks, {fig.vectors} vectors")
    click.echo(f"   DuckDB ingest:          {fig.ingest_s:8.2f} s")
    click.echo(f"   index build (cold):     {fig.build_s:8.2f} s  ({fig.embedded} vectors embedded, "
               f"{fig.vectors_per_s:.1f} vectors/s while embedding)")
    click.echo(f"   re-sync, no change:     {fig.resync_s:8.2f} s  ({fig.resync_embedded} embedded, "
               f"{fig.resync_upserted} upserted)")
    for x in lat:
        click.echo(f"   query {x.mode:<7} n={x.n}: p50 {x.p50_ms:7.1f} ms   p95 {x.p95_ms:7.1f} ms   "
                   f"mean {x.mean_ms:7.1f} ms")


def _run(label: str, root: Path, corpus: Path, queries: Sequence[str], latency_only: bool) -> None:
    settings = Settings(home=root / "home", corpus=corpus)
    if latency_only:
        click.echo(f"== {label}: latency only, index in {settings.home}")
        for x in latency(settings, queries):
            click.echo(f"   query {x.mode:<7} n={x.n}: p50 {x.p50_ms:7.1f} ms   p95 {x.p95_ms:7.1f} ms   "
                       f"mean {x.mean_ms:7.1f} ms")
        return
    _print(build(label, settings), latency(settings, queries))


@click.command()
@click.option("--factor", type=click.IntRange(1, 100), default=20, show_default=True,
              help="Copies of the corpus in the synthetic run.")
@click.option("--queries", "n_queries", type=click.IntRange(1, 100000), default=300, show_default=True)
@click.option("--skip-synthetic", is_flag=True, help="Only benchmark the bundled corpus.")
@click.option("--skip-bundled", is_flag=True, help="Only benchmark the synthetic corpus.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the built homes here (default: temporary directories, removed afterwards).")
@click.option("--latency-only", is_flag=True, help="Only time queries on homes already built in --workdir.")
def main(factor: int, n_queries: int, skip_synthetic: bool, skip_bundled: bool, workdir: Path | None,
         latency_only: bool) -> None:
    """Print index build time, vectors/s, re-sync time and query latency."""
    if latency_only and workdir is None:
        raise click.UsageError("--latency-only needs the --workdir of an earlier run.")
    queries = bench_queries(n_queries)
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as tmp:
        base = workdir or Path(tmp)
        if not skip_bundled:
            _run("bundled corpus", base / "bundled", BUNDLED_CORPUS, queries, latency_only)
        if not skip_synthetic:
            corpus = base / "synthetic" / "corpus"
            if not latency_only:
                from assistant.ingest.synthetic import make_synthetic_corpus

                make_synthetic_corpus(BUNDLED_CORPUS, corpus, factor=factor)
            _run(f"synthetic corpus x{factor}", base / "synthetic", corpus, queries, latency_only)


if __name__ == "__main__":
    main()
