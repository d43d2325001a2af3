"""Load benchmark of `plan-assistant serve`: concurrent API clients, latency, errors, peak memory.

Starts a server on a free loopback port over the configured store (``PLAN_ASSISTANT_HOME``, and
``PLAN_ASSISTANT_CHROMA_URL`` if set), warms it, runs ``--clients`` clients that each ask
``--questions`` questions one after another (every second client inside a conversation), then opens
one browser session over the websocket, asks a question in it, and reads the peak memory (VmHWM)
of the server process, of each answer worker and of that session's app process. Linux only (/proc).

    .venv/bin/python -m assistant.serve.bench --clients 20 --questions 25
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from assistant.config import REPO_ROOT, Settings, get_settings

GOLD = REPO_ROOT / "eval" / "gold.jsonl"
READY_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 300.0
SESSION_PAINT_S = 120.0
SESSION_ANSWER_S = 240.0
QUIET_S = 3.0  # a browser session with no output for this long has finished painting


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def questions_from(gold: Path, settings: Settings, wanted: int) -> list[tuple[str, str | None]]:
    """(question, a text its answer must show or None) from a gold file (one JSON object a line),
    else questions made from the store's actions."""
    out: list[tuple[str, str | None]] = []
    if gold.exists():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if isinstance(item.get("question"), str):
                    must = item.get("must_contain") or [None]
                    out.append((item["question"], must[0]))
    if not out:
        from assistant.sql.connect import run_select

        _, rows = run_select(settings, "SELECT action, lead_raw FROM actions WHERE action IS NOT NULL LIMIT ?",
                             [wanted])
        out = [(f"Who leads {a}?", lead) for a, lead in rows] or [("What are the council's priorities?", None)]
    return out


def peak_kb(pid: int) -> int | None:
    """Peak resident memory (VmHWM) of a process in kB, or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def start_server(max_answers: int) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "PLAN_ASSISTANT_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", "0",
                             "--max-answers", str(max_answers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "serving http://" not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line.strip()}")
    return proc, line.split("serving ", 1)[1].split()[0]


async def wait_ready(http: aiohttp.ClientSession, url: str, warm_question: str, workers: int) -> dict[str, Any]:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        async with http.get(f"{url}/api/health") as r:
            health = await r.json()
        if r.status == 200 and health.get("status") == "ok":
            break
        await asyncio.sleep(0.5)
    else:
        raise SystemExit(f"the server never became healthy: {health}")
    # One question per worker, at once: every worker process is started and warm before timing.
    await asyncio.gather(*[ask(http, url, warm_question, None) for _ in range(workers)])
    return health


async def ask(http: aiohttp.ClientSession, url: str, question: str, conversation: str | None) -> tuple[int, Any]:
    params = {"q": question, **({"conversation": conversation} if conversation else {})}
    async with http.get(f"{url}/api/ask", params=params) as r:
        return r.status, await r.json()


async def client(http: aiohttp.ClientSession, url: str, questions: list[str], conversation: str | None,
                 result: LoadResult) -> None:
    for q in questions:
        t0 = time.perf_counter()
        try:
            status, body = await ask(http, url, q, conversation)
        except (aiohttp.ClientError, TimeoutError) as exc:
            result.errors.append(f"{type(exc).__name__}: {exc}")
            continue
        result.latencies_ms.append((time.perf_counter() - t0) * 1000)
        if status != 200 or "error" in body:
            result.errors.append(f"{status}: {body.get('error')}")


async def load(url: str, pool: list[str], clients: int, per_client: int) -> LoadResult:
    result = LoadResult()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=clients)) as http:
        plans = [[pool[(c * per_client + i) % len(pool)] for i in range(per_client)] for c in range(clients)]
        t0 = time.perf_counter()
        await asyncio.gather(*[client(http, url, plan, f"bench-{c}" if c % 2 else None, result)
                               for c, plan in enumerate(plans)])
        result.seconds = time.perf_counter() - t0
    return result


async def browser_session(url: str, question: str, expect: str | None, server_pid: int,
                          worker_pids: set[int]) -> tuple[int | None, float, bool]:
    """Open one session over the websocket, ask in it, wait for ``expect`` on its screen (or for
    SESSION_ANSWER_S), and return the app process's peak kB, the seconds taken and whether it showed."""
    from assistant.serve.browser import plain_text

    ws_url = url.replace("http://", "ws://") + "/ws?width=120&height=40"
    t0 = time.perf_counter()
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url) as ws:
        output: list[str] = []

        async def drain(limit: float, done: Any) -> bool:
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                try:
                    msg = await ws.receive(timeout=QUIET_S)
                except TimeoutError:
                    if done(quiet=True):
                        return True
                    continue
                if msg.type == aiohttp.WSMsgType.BINARY:
                    output.append(msg.data.decode("utf-8", errors="replace"))
                elif msg.type != aiohttp.WSMsgType.TEXT:
                    return False
                if done(quiet=False):
                    return True
            return False

        # Painted: some output, then a quiet spell (before the question box has focus nothing blinks).
        await drain(SESSION_PAINT_S, lambda quiet: quiet and sum(map(len, output)) > 500)
        start = len(output)
        await ws.send_str(json.dumps(["stdin", question + "\r"]))
        shown = await drain(SESSION_ANSWER_S, lambda quiet: bool(expect) and
                            expect in plain_text("".join(output[start:])))
        apps = [p for p in descendants(server_pid) if p not in worker_pids]
        peaks = [k for k in map(peak_kb, apps) if k]
        return (max(peaks) if peaks else None), time.perf_counter() - t0, shown


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=25, help="questions per client")
    parser.add_argument("--max-answers", type=int, default=None, help="server --max-answers (default: its own)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="questions from this gold file")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser-session memory figure")
    args = parser.parse_args(argv)
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)

    from assistant.serve.limits import MAX_CONCURRENT_ANSWERS

    settings = get_settings()
    if not settings.db_path.exists():
        raise SystemExit(f"no database at {settings.db_path}; run `plan-assistant ingest` first")
    workers = args.max_answers or MAX_CONCURRENT_ANSWERS
    pool = questions_from(args.gold, settings, args.clients * args.questions)
    proc, url = start_server(workers)
    try:
        questions = [q for q, _ in pool]
        probe = next(((q, e) for q, e in pool if e), pool[0])

        async def run() -> tuple[LoadResult, dict[str, Any], tuple[int | None, float, bool]]:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)) as http:
                await wait_ready(http, url, questions[0], workers)
                result = await load(url, questions, args.clients, args.questions)
                async with http.get(f"{url}/api/health") as r:
                    after = await r.json()
            session = (None, 0.0, False)
            if not args.no_browser:
                session = await browser_session(url, probe[0], probe[1], proc.pid, set(after["server"]["worker_pids"]))
            return result, after, session

        result, health, (session_kb, session_s, session_shown) = asyncio.run(run())
        server_kb = peak_kb(proc.pid)
        worker_kb = {pid: peak_kb(pid) for pid in health["server"]["worker_pids"]}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()

    lat = result.latencies_ms
    total = args.clients * args.questions
    print(f"store: {settings.home} · vectors: {health['index']['backend']} ({health['index']['location']}, "
          f"{health['index']['vectors']} vectors) · {health['documents']} documents, {health['rows_total']} rows")
    print(f"server: {url} · answer workers: {workers} (processes)")
    print(f"load: {args.clients} clients x {args.questions} questions = {total} requests "
          f"({len(pool)} distinct questions; every second client in a conversation)")
    print(f"  completed {len(lat)} in {result.seconds:.1f} s = {len(lat) / result.seconds:.1f} answers/s")
    if lat:
        print(f"  latency ms: p50 {statistics.median(lat):.0f} · p95 {percentile(lat, 0.95):.0f} · "
              f"max {max(lat):.0f} (as seen by a client, queueing included)")
    print(f"  errors: {len(result.errors)}" + (f" (first: {result.errors[0]})" if result.errors else ""))
    kb = [k for k in worker_kb.values() if k]
    print(f"peak memory (VmHWM): server process {server_kb / 1024:.0f} MB · answer workers "
          + ", ".join(f"{k / 1024:.0f} MB" for k in kb)
          + f" · server total {(server_kb + sum(kb)) / 1024:.0f} MB" if server_kb else "peak memory: unavailable")
    if not args.no_browser:
        shown = f"{session_kb / 1024:.0f} MB" if session_kb else "unavailable"
        state = "answered" if session_shown else "no expected answer text seen"
        print(f"one browser session (its app process, after asking {probe[0]!r}): {shown} · "
              f"{session_s:.1f} s from connect ({state})")
    return 0 if not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
