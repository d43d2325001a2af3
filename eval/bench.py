"""Whole-process benchmarks: ingest (corpus and synthetic N×, with index), embedding speed, an
unchanged re-ingest, query latency per route (warm), cold start of `ask` from the command to the
answer (median of several runs, with its peak memory beside a bare `python -c "import duckdb,
numpy"`), and the TUI's time from launch to ready. Figures only; nothing here asserts a speed.

Everything is built in temporary homes, so a benchmark never touches the user's database. Child
processes are reaped with ``os.wait4``, whose resource usage gives their exact peak memory.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import shutil
import statistics
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
COLD_START_RUNS = 5  # cold `ask` runs; the median is reported (one run is too noisy on a shared machine)
BASELINE_CODE = "import duckdb, numpy"  # the floor a cold `ask` is compared with
TUI_SIZE = (100, 40)
# A headless TUI in a fresh process over the bench's home: prints "ready" once the app says it can
# answer (model_ready), or "error: ..." if warming up failed.
TUI_READY_CODE = """
import asyncio
async def main():
    from assistant.config import get_settings
    from tui.app import make_app
    from tui.backend import AssistantBackend
    from tui.history import History
    app = make_app(AssistantBackend(get_settings()), history=History(), show_timings=False)
    async with app.run_test(size=(%d, %d)) as pilot:
        while not app.model_ready:
            state = str(getattr(app.query_one("#status"), "model_state", ""))
            if state.startswith("error"):
                print("error: " + state, flush=True)
                return
            await pilot.pause(0.005)
        print("ready", flush=True)
asyncio.run(main())
""" % TUI_SIZE


@dataclass(frozen=True)
class BenchOptions:
    """What to measure."""

    factor: int = 20
    synthetic: bool = True
    index_synthetic: bool = True
    queries: int = 60
    cold_runs: int = COLD_START_RUNS
    tui: bool = True


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
    embed_cpu_seconds: float = 0.0  # CPU time of the embedding, all threads: the work, whatever the load
    cpus: int = 0  # the cores this process may run on
    load_before: float | None = None  # 1-minute load average when this ingest started

    @property
    def rows_per_s(self) -> float:
        """Typed rows per second of the whole ingest."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def vectors_per_s(self) -> float:
        """Vectors computed by the embedding model per second of embedding."""
        return self.vectors_embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0

    @property
    def vectors_per_cpu_s(self) -> float:
        """Vectors per CPU-second of embedding: times the cores, the speed on an idle machine."""
        return self.vectors_embedded / self.embed_cpu_seconds if self.embed_cpu_seconds > 0 else 0.0

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
    cold_start_runs: tuple[float, ...] = ()  # wall seconds of each cold `ask` (cold_start_s: their median)
    baseline_s: float | None = None  # `python -c "import duckdb, numpy"`: median wall seconds
    baseline_peak_rss_mb: float | None = None
    tui_ready_s: float | None = None  # launch of a headless TUI process to "ready to answer"
    reingest_s: float | None = None  # `plan-assistant ingest` again with nothing changed
    synthetic_latency: tuple[RouteLatency, ...] = ()  # warm query latency over the synthetic index
    embedder: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ingest"] = [{**asdict(i), "rows_per_s": round(i.rows_per_s, 1),
                        "parse_rows_per_s": round(i.parse_rows_per_s, 1),
                        "vectors_per_s": round(i.vectors_per_s, 1),
                        "vectors_per_cpu_s": round(i.vectors_per_cpu_s, 1)} for i in self.ingest]
        return d


def _corpus_size(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".md", ".csv", ".pdf"))


def measure_ingest(label: str, corpus: Path, home: Path, index: bool) -> IngestFigures:
    """Ingest ``corpus`` into a fresh ``home`` and time it (embedding included when ``index``)."""
    from assistant.pipeline import ingest_corpus

    settings = Settings(home=home, corpus=corpus)
    load_before = _load_average()
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
                         problems=len(getattr(report, "problems", ()) or ()),
                         embed_cpu_seconds=round(float(getattr(stats, "embed_cpu_seconds", 0.0) or 0.0), 3),
                         cpus=_cpus(), load_before=load_before)


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


def _child_env(home: Path, corpus: Path) -> dict[str, str]:
    return {**os.environ, "PLAN_ASSISTANT_HOME": str(home), "PLAN_ASSISTANT_CORPUS": str(corpus),
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


@dataclass(frozen=True)
class ProcessRun:
    """One child process: wall seconds from launch to exit, peak memory, exit code, last output line."""

    seconds: float
    peak_mb: float | None
    returncode: int
    tail: str = ""


def run_process(argv: list[str], env: dict[str, str], timeout_s: float = COLD_START_TIMEOUT_S) -> ProcessRun:
    """Run a command to its end through a small launcher process that times it and reaps it with
    ``os.wait4``. (A child's ``ru_maxrss`` starts from its parent's memory at fork, so the bench's
    own few hundred MB would show in every figure; the launcher's is about 10 MB.)"""
    with tempfile.TemporaryDirectory(prefix="plan-bench-run-") as tmp:
        report = Path(tmp) / "run.json"
        log_path = Path(tmp) / "output.txt"
        try:
            proc = subprocess.run([sys.executable, "-c", LAUNCHER_CODE, str(report), str(log_path), *argv], env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return ProcessRun(timeout_s, None, -9, f"timed out after {timeout_s:g} s")
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ProcessRun(0.0, None, proc.returncode or -1, "the launcher reported nothing")
        lines = [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    rss = int(data["maxrss"])
    peak_mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    return ProcessRun(float(data["seconds"]), round(peak_mb, 1), int(data["code"]),
                      lines[-1][:200] if lines else "no output")


# argv: report.json, output.txt, command...; times the command and writes its exit code, wall seconds
# and peak resident memory (ru_maxrss of the reaped child).
LAUNCHER_CODE = """
import json, os, subprocess, sys, time
report, output, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(output, "w") as out:
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
with open(report, "w") as fh:
    json.dump({"code": os.waitstatus_to_exitcode(status), "seconds": seconds, "maxrss": usage.ru_maxrss}, fh)
"""


@dataclass(frozen=True)
class ColdStart:
    """Cold `ask` runs and the bare-import baseline beside them."""

    runs: tuple[float, ...]
    peak_mb: float | None
    note: str
    baseline_s: float | None = None
    baseline_peak_mb: float | None = None

    @property
    def median_s(self) -> float | None:
        return round(statistics.median(self.runs), 3) if self.runs else None


def measure_cold_start(home: Path, corpus: Path, question: str = COLD_START_QUESTION,
                       runs: int = COLD_START_RUNS) -> ColdStart:
    """``runs`` launches of `plan-assistant ask` in new processes, launch to exit with an answer,
    with the largest peak memory; then as many runs of ``python -c "import duckdb, numpy"``."""
    env = _child_env(home, corpus)
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(max(1, runs)):
        run = run_process([*_cli_path(), "ask", question], env)
        if run.returncode != 0:
            return ColdStart((), None, f"exit {run.returncode}: {run.tail}")
        times.append(round(run.seconds, 3))
        if run.peak_mb is not None:
            peaks.append(run.peak_mb)
    base = [run_process([sys.executable, "-c", BASELINE_CODE], env) for _ in range(max(1, runs))]
    base_ok = [b for b in base if b.returncode == 0]
    base_peaks = [b.peak_mb for b in base_ok if b.peak_mb is not None]
    return ColdStart(tuple(times), max(peaks) if peaks else None, f"`plan-assistant ask \"{question}\"`",
                     round(statistics.median(b.seconds for b in base_ok), 3) if base_ok else None,
                     max(base_peaks) if base_peaks else None)


def measure_reingest(home: Path, corpus: Path) -> float:
    """Seconds of `plan-assistant ingest` in a new process when nothing changed since the last one."""
    run = run_process([*_cli_path(), "ingest"], _child_env(home, corpus))
    if run.returncode != 0:
        raise OSError(f"re-ingest failed (exit {run.returncode}): {run.tail}")
    return round(run.seconds, 3)


def measure_tui_ready(home: Path, corpus: Path, timeout_s: float = COLD_START_TIMEOUT_S) -> float:
    """Seconds from launching a headless TUI process to the app saying it is ready to answer."""
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", TUI_READY_CODE], env=_child_env(home, corpus),
                                stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            line = _read_line(proc, timeout_s)
            seconds = time.perf_counter() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if line != "ready":
            err.seek(0)
            tail = (line or err.read().strip().splitlines()[-1:] or ["no output"])
            raise OSError(f"the TUI did not get ready: {tail if isinstance(tail, str) else tail[0]}")
    return round(seconds, 3)


def _read_line(proc: subprocess.Popen, timeout_s: float) -> str:
    """The child's first stdout line (empty at exit or timeout)."""
    import select

    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    return proc.stdout.readline().strip() if ready else ""


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
        reingest = None
        if base is not None:
            reingest = _step(problems, note, "unchanged re-ingest", lambda: measure_reingest(home, corpus))
        warm_s, latency = None, ()
        if base is not None:
            got = _step(problems, note, "query latency",
                        lambda: measure_latency(Settings(home=home, corpus=corpus), options.queries))
            if got:
                warm_s, latency = got
        cold = ColdStart((), None, "skipped: no ingest")
        if base is not None:
            note("cold start")
            cold = measure_cold_start(home, corpus, runs=options.cold_runs)
        if cold.median_s is None:
            problems.append(f"cold start: {cold.note}")
        tui_s = None
        if base is not None and options.tui:
            tui_s = _step(problems, note, "TUI time to ready", lambda: measure_tui_ready(home, corpus))
        synthetic_latency: tuple[RouteLatency, ...] = ()
        if options.synthetic:
            synth_home = tmp / "synth-home"
            dst = tmp / f"synthetic-{options.factor}x"

            def synthetic() -> IngestFigures:
                from assistant.ingest.synthetic import make_synthetic_corpus

                make_synthetic_corpus(corpus, dst, factor=options.factor)
                return measure_ingest(f"synthetic {options.factor}x", dst, synth_home, index=options.index_synthetic)

            fig = _step(problems, note, f"ingest synthetic {options.factor}x corpus", synthetic)
            if fig:
                ingests.append(fig)
                if fig.indexed:
                    got = _step(problems, note, f"query latency, synthetic {options.factor}x",
                                lambda: measure_latency(Settings(home=synth_home, corpus=dst), options.queries))
                    if got:
                        synthetic_latency = got[1]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
               "load_average_1m": _load_average()}
    return BenchResult(started_at=started, machine=machine, ingest=tuple(ingests), warm_seconds=warm_s,
                       latency=latency, peak_rss_mb=peak_rss_mb(),
                       cold_start_peak_rss_mb=cold.peak_mb, cold_start_s=cold.median_s, cold_start_note=cold.note,
                       problems=tuple(problems), cold_start_runs=cold.runs, baseline_s=cold.baseline_s,
                       baseline_peak_rss_mb=cold.baseline_peak_mb, tui_ready_s=tui_s, reingest_s=reingest,
                       synthetic_latency=synthetic_latency, embedder=_embedder_name(settings))


def _load_average() -> float | None:
    """The 1-minute load average at the end (other processes slow every figure down)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def _cpus() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 0


def _embedder_name(settings: Settings) -> str:
    try:
        from assistant.retrieval.embeddings import backend_name

        return backend_name(settings)
    except PlanAssistantError:
        return str(settings.embedder)


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
            if i.vectors_embedded:
                rows.append((f"  embedding speed: {i.label}", f"{i.vectors_per_s:.0f} vectors/s"))
                if i.embed_cpu_seconds > 0:
                    idle = f" (at most {i.vectors_per_cpu_s * i.cpus:.0f}/s on {i.cpus} idle cores)" if i.cpus else ""
                    rows.append((f"  embedding work: {i.label}", f"{i.vectors_per_cpu_s:.0f} vectors per CPU-second{idle}"))
            if i.load_before is not None:
                rows.append((f"  load average when it started: {i.label}", f"{i.load_before:.2f}"))
        if i.problems:
            rows.append((f"  ingest problems: {i.label}", str(i.problems)))
    if result.reingest_s is not None:
        rows.append(("unchanged re-ingest (`plan-assistant ingest`)", f"{result.reingest_s:.2f} s"))
    if result.warm_seconds is not None:
        rows.append(("assistant load + warm", f"{result.warm_seconds:.2f} s"))
    for r in result.latency:
        rows.append((f"query latency, route {r.route} (n={r.n})", f"p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} ms"))
    synthetic = next((i.label for i in result.ingest if i.label.startswith("synthetic")), "synthetic")
    for r in result.synthetic_latency:
        rows.append((f"query latency, {synthetic}, route {r.route} (n={r.n})",
                     f"p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} ms"))
    rows.append(("peak memory (bench process: ingest + queries)", f"{result.peak_rss_mb:.0f} MB"))
    if result.cold_start_peak_rss_mb is not None:
        rows.append(("peak memory (cold-start `ask` process)", f"{result.cold_start_peak_rss_mb:.0f} MB"))
    rows.append(("cold start to first answer",
                 f"{result.cold_start_s:.2f} s" if result.cold_start_s is not None else result.cold_start_note))
    if result.cold_start_runs:
        rows.append((f"  cold `ask` runs (n={len(result.cold_start_runs)}, median above)",
                     ", ".join(f"{s:.2f}" for s in result.cold_start_runs) + " s"))
    if result.baseline_s is not None:
        ratio = (f", ask is {result.cold_start_s / result.baseline_s:.1f}x the time"
                 if result.cold_start_s and result.baseline_s else "")
        memory = (f", {result.baseline_peak_rss_mb:.0f} MB" if result.baseline_peak_rss_mb is not None else "")
        mem_ratio = (f" and {result.cold_start_peak_rss_mb / result.baseline_peak_rss_mb:.1f}x the memory"
                     if result.cold_start_peak_rss_mb and result.baseline_peak_rss_mb else "")
        rows.append((f"  beside `python -c \"{BASELINE_CODE}\"` (median)",
                     f"{result.baseline_s:.2f} s{memory}{ratio}{mem_ratio}"))
    if result.tui_ready_s is not None:
        rows.append(("TUI launch to ready to answer (headless)", f"{result.tui_ready_s:.2f} s"))
    if result.embedder:
        rows.append(("embedding backend", result.embedder))
    load = result.machine.get("load_average_1m")
    if load is not None:
        rows.append(("machine load average (1 min, at the end)", f"{load:.2f} on {result.machine.get('cpus')} CPUs"))
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
