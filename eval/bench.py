"""Whole-process benchmarks: ingest (corpus and synthetic N×), query latency per route, peak memory
and cold start from the command to the first answer. Figures only; nothing here asserts a speed.

Everything is built in temporary homes, so a benchmark never touches the user's database.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import PlanAssistantError
from eval.gold import default_gold_path, load_gold
from eval.metrics import percentile
from eval.runner import select

log = logging.getLogger(__name__)

NoteFn = Callable[[str], None]
COLD_START_QUESTION = "Who leads the Channel Shift strategy?"
COLD_START_TIMEOUT_S = 300


@dataclass(frozen=True)
class BenchOptions:
    """What to measure."""

    factor: int = 20
    synthetic: bool = True
    index_synthetic: bool = False
    queries: int = 60


@dataclass(frozen=True)
class IngestFigures:
    """One ingest run: total time, and the part spent indexing (chunking, embedding, Chroma, BM25)."""

    label: str
    files: int
    megabytes: float
    rows: int
    seconds: float
    indexed: bool
    index_seconds: float = 0.0
    embed_seconds: float = 0.0
    vectors_embedded: int = 0
    problems: int = 0

    @property
    def rows_per_s(self) -> float:
        """Typed rows per second of the whole ingest."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def parse_rows_per_s(self) -> float:
        """Typed rows per second of parsing and loading DuckDB (indexing excluded)."""
        parse = self.seconds - self.index_seconds
        return self.rows / parse if parse > 0 else 0.0


@dataclass(frozen=True)
class RouteLatency:
    """Query latency of one route."""

    route: str
    n: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class BenchResult:
    """All figures of one `plan-assistant bench` run."""

    started_at: str
    machine: dict[str, Any]
    ingest: tuple[IngestFigures, ...]
    warm_seconds: float | None
    latency: tuple[RouteLatency, ...]
    peak_rss_mb: float
    cold_start_peak_rss_mb: float | None
    cold_start_s: float | None
    cold_start_note: str
    problems: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ingest"] = [{**asdict(i), "rows_per_s": round(i.rows_per_s, 1),
                        "parse_rows_per_s": round(i.parse_rows_per_s, 1)} for i in self.ingest]
        return d


def _corpus_size(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".md", ".csv", ".pdf"))


def measure_ingest(label: str, corpus: Path, home: Path, index: bool) -> IngestFigures:
    """Ingest ``corpus`` into a fresh ``home`` and time it (embedding included when ``index``)."""
    from assistant.pipeline import ingest_corpus

    settings = Settings(home=home, corpus=corpus)
    t0 = time.perf_counter()
    report = ingest_corpus(settings, index=index)
    seconds = time.perf_counter() - t0
    rows = getattr(report, "rows", {}) or {}
    stats = getattr(report, "index_stats", None)
    files = _corpus_files(corpus)
    return IngestFigures(label=label, files=len(files), megabytes=round(_corpus_size(files), 3),
                         rows=int(sum(rows.values())) if isinstance(rows, dict) else int(rows),
                         seconds=round(seconds, 3), indexed=index,
                         index_seconds=round(float(getattr(stats, "seconds", 0.0) or 0.0), 3),
                         embed_seconds=round(float(getattr(stats, "embed_seconds", 0.0) or 0.0), 3),
                         vectors_embedded=int(getattr(stats, "embedded", 0) or 0),
                         problems=len(getattr(report, "problems", ()) or ()))


def measure_latency(settings: Settings, n: int) -> tuple[float, tuple[RouteLatency, ...]]:
    """Warm the assistant, then time ``n`` gold questions (spread over all kinds) by answer route."""
    from assistant.router import Assistant

    items = load_gold(default_gold_path())
    step = max(1, len(items) // n)
    chosen = select(items, every=step, limit=n)
    t0 = time.perf_counter()
    assistant = Assistant(settings)
    warm = getattr(assistant, "warm", None)
    if callable(warm):
        warm()
    warm_s = time.perf_counter() - t0
    by_route: dict[str, list[float]] = {}
    for item in chosen:
        start = time.perf_counter()
        answer = assistant.ask(item.question)
        by_route.setdefault(answer.route, []).append((time.perf_counter() - start) * 1000.0)
    all_ms = [x for xs in by_route.values() for x in xs]
    rows = [RouteLatency(r, len(xs), round(percentile(xs, 50), 2), round(percentile(xs, 95), 2))
            for r, xs in sorted(by_route.items())]
    rows.append(RouteLatency("all", len(all_ms), round(percentile(all_ms, 50), 2), round(percentile(all_ms, 95), 2)))
    return round(warm_s, 3), tuple(rows)


def _cli_path() -> list[str]:
    exe = Path(sys.executable).with_name("plan-assistant")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


def _vm_hwm_kb(pid: int) -> int | None:
    """Peak resident memory of a live process from /proc (Linux), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def measure_cold_start(home: Path, corpus: Path,
                       question: str = COLD_START_QUESTION) -> tuple[float | None, float | None, str]:
    """Seconds from launching `plan-assistant ask` in a new process to its exit with an answer, and
    that process's peak memory in MB (polled from /proc; None elsewhere)."""
    env = {**os.environ, "PLAN_ASSISTANT_HOME": str(home), "PLAN_ASSISTANT_CORPUS": str(corpus),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    peak_kb: int | None = None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen([*_cli_path(), "ask", question], env=env, stdout=out, stderr=err, text=True)
        except OSError as exc:
            return None, None, f"failed: {exc}"
        while proc.poll() is None:
            hwm = _vm_hwm_kb(proc.pid)
            peak_kb = max(peak_kb or 0, hwm or 0) or peak_kb
            if time.perf_counter() - t0 > COLD_START_TIMEOUT_S:
                proc.kill()
                proc.wait()
                return None, None, f"timed out after {COLD_START_TIMEOUT_S} s"
            time.sleep(0.02)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            err.seek(0)
            out.seek(0)
            tail = (err.read() or out.read()).strip().splitlines()[-1:] or ["no output"]
            return None, None, f"exit {proc.returncode}: {tail[0][:200]}"
    mb = round(peak_kb / 1024, 1) if peak_kb else None
    return round(seconds, 3), mb, f"`plan-assistant ask \"{question}\"`"


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024, 1)


def _step(problems: list[str], note: NoteFn, label: str, fn: Callable[[], Any]) -> Any:
    """Run one measurement; a failure becomes a reported problem, not a traceback."""
    note(label)
    try:
        return fn()
    except (PlanAssistantError, ImportError, OSError, ValueError) as exc:
        problems.append(f"{label}: {type(exc).__name__}: {exc}")
        log.warning("%s failed: %s", label, exc)
        return None


def run_bench(settings: Settings, options: BenchOptions = BenchOptions(), note: NoteFn = lambda _m: None) -> BenchResult:
    """Measure everything in temporary homes and return the figures."""
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    corpus = Path(settings.corpus)
    problems: list[str] = []
    ingests: list[IngestFigures] = []
    tmp = Path(tempfile.mkdtemp(prefix="plan-bench-"))
    try:
        home = tmp / "home"
        base = _step(problems, note, "ingest corpus (with index)",
                     lambda: measure_ingest("corpus", corpus, home, index=True))
        if base:
            ingests.append(base)
        if options.synthetic:
            def synthetic() -> IngestFigures:
                from assistant.ingest.synthetic import make_synthetic_corpus

                dst = tmp / f"synthetic-{options.factor}x"
                make_synthetic_corpus(corpus, dst, factor=options.factor)
                return measure_ingest(f"synthetic {options.factor}x", dst, tmp / "synth-home",
                                      index=options.index_synthetic)

            fig = _step(problems, note, f"ingest synthetic {options.factor}x corpus", synthetic)
            if fig:
                ingests.append(fig)
        warm_s, latency = None, ()
        if base is not None:
            got = _step(problems, note, "query latency",
                        lambda: measure_latency(Settings(home=home, corpus=corpus), options.queries))
            if got:
                warm_s, latency = got
        note("cold start")
        cold, cold_mb, cold_note = measure_cold_start(home, corpus) if base else (None, None, "skipped: no ingest")
        if cold is None:
            problems.append(f"cold start: {cold_note}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    return BenchResult(started_at=started, machine=machine, ingest=tuple(ingests), warm_seconds=warm_s,
                       latency=latency, peak_rss_mb=peak_rss_mb(),
                       cold_start_peak_rss_mb=cold_mb, cold_start_s=cold, cold_start_note=cold_note,
                       problems=tuple(problems))


def render_rows(result: BenchResult) -> list[tuple[str, str]]:
    """(measure, value) rows for the printed table."""
    rows: list[tuple[str, str]] = []
    for i in result.ingest:
        what = "ingest+index" if i.indexed else "ingest (no index)"
        rows.append((f"{what}: {i.label} ({i.files} files, {i.megabytes:.2f} MB, {i.rows} typed rows)",
                     f"{i.seconds:.1f} s, {i.rows_per_s:.0f} rows/s"))
        if i.indexed:
            rows.append((f"  of which parse + DuckDB: {i.label}",
                         f"{i.seconds - i.index_seconds:.1f} s, {i.parse_rows_per_s:.0f} rows/s"))
            rows.append((f"  of which index: {i.label} ({i.vectors_embedded} vectors embedded)",
                         f"{i.index_seconds:.1f} s (embedding {i.embed_seconds:.1f} s)"))
        if i.problems:
            rows.append((f"  ingest problems: {i.label}", str(i.problems)))
    if result.warm_seconds is not None:
        rows.append(("assistant load + warm", f"{result.warm_seconds:.2f} s"))
    for r in result.latency:
        rows.append((f"query latency, route {r.route} (n={r.n})", f"p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} ms"))
    rows.append(("peak memory (bench process: ingest + queries)", f"{result.peak_rss_mb:.0f} MB"))
    if result.cold_start_peak_rss_mb is not None:
        rows.append(("peak memory (cold-start `ask` process)", f"{result.cold_start_peak_rss_mb:.0f} MB"))
    rows.append(("cold start to first answer",
                 f"{result.cold_start_s:.2f} s" if result.cold_start_s is not None else result.cold_start_note))
    for p in result.problems:
        rows.append(("problem", p))
    return rows


def write_bench(result: BenchResult, out_dir: Path, json_path: Path | None = None) -> Path:
    """Save ``bench.json`` (and ``json_path``); add the figures to ``eval.json`` when it exists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = result.to_dict()
    text = json.dumps(payload, indent=2)
    path = out_dir / "bench.json"
    path.write_text(text, encoding="utf-8")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(text, encoding="utf-8")
    report = out_dir / "eval.json"
    if report.is_file():
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
            data["bench"] = payload
            report.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        except (OSError, json.JSONDecodeError) as exc:
            log.warning("could not add the bench figures to %s: %s", report, exc)
    return path
