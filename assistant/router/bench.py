"""Router benchmark: accuracy per kind, route accuracy, abstention and warm latency over a gold file.

    python -m assistant.router.bench [--gold FILE] [--home DIR] [--repeat N] [--show-wrong]

The gold file follows DESIGN.md §6 (one JSON object per line). Without --gold, the eval suite's
`eval/gold.jsonl` is used if present, else the router's own `tests/router/questions.jsonl`.
Latency is measured in one warm process (the model and index loaded first).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import REPO_ROOT, Settings
from assistant.models import Answer


@dataclass(frozen=True)
class Scored:
    gold: dict[str, Any]
    answer: Answer
    correct: bool
    route_ok: bool
    ms: float


def default_gold() -> Path:
    for path in (REPO_ROOT / "eval" / "gold.jsonl", REPO_ROOT / "tests" / "router" / "questions.jsonl"):
        if path.exists():
            return path
    raise SystemExit("No gold file found; pass --gold FILE.")


def load_gold(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc.msg})") from exc
    return items


def is_correct(gold: dict[str, Any], answer: Answer) -> bool:
    """DESIGN.md §6: every must_contain string, or any must_contain_any one; unanswerable = abstained."""
    if gold.get("kind") == "unanswerable":
        return answer.abstained
    if answer.abstained:
        return False
    text = answer.answer.lower()
    must = [s.lower() for s in gold.get("must_contain") or []]
    any_of = [s.lower() for s in gold.get("must_contain_any") or []]
    ok_all = all(s in text for s in must) if must else False
    ok_any = any(s in text for s in any_of) if any_of else False
    if must and any_of:
        return ok_all or ok_any
    return ok_all or ok_any


def route_ok(gold: dict[str, Any], answer: Answer) -> bool:
    want = gold.get("route", "either")
    if gold.get("kind") == "unanswerable":
        return answer.route == "none" or want in (answer.route, "either")
    return want == "either" or want == answer.route


def score(assistant: Any, gold: list[dict[str, Any]]) -> list[Scored]:
    out = []
    for item in gold:
        t0 = time.perf_counter()
        answer = assistant.ask(item["question"])
        ms = (time.perf_counter() - t0) * 1000
        out.append(Scored(item, answer, is_correct(item, answer), route_ok(item, answer), ms))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(results: list[Scored], latencies: list[float]) -> str:
    by_kind: dict[str, list[Scored]] = defaultdict(list)
    for r in results:
        by_kind[r.gold.get("kind", "?")].append(r)
    lines = [f"{'kind':<14}{'n':>5}{'correct':>9}{'acc':>8}"]
    for kind in sorted(by_kind):
        rs = by_kind[kind]
        c = sum(r.correct for r in rs)
        lines.append(f"{kind:<14}{len(rs):>5}{c:>9}{c / len(rs):>8.1%}")
    n = len(results)
    correct = sum(r.correct for r in results)
    routes = sum(r.route_ok for r in results)
    unans = [r for r in results if r.gold.get("kind") == "unanswerable"]
    ans = [r for r in results if r.gold.get("kind") != "unanswerable"]
    cited = [r for r in results if r.answer.route == "sql"]
    lines += [
        f"{'overall':<14}{n:>5}{correct:>9}{correct / max(n, 1):>8.1%}",
        f"route accuracy: {routes}/{n} = {routes / max(n, 1):.1%}",
        f"unanswerable abstained: {sum(r.answer.abstained for r in unans)}/{len(unans)} = "
        f"{sum(r.answer.abstained for r in unans) / max(len(unans), 1):.1%}",
        f"answerable abstained: {sum(r.answer.abstained for r in ans)}/{len(ans)} = "
        f"{sum(r.answer.abstained for r in ans) / max(len(ans), 1):.1%}",
        f"SQL answers with citations: {sum(bool(r.answer.citations) for r in cited)}/{len(cited)}",
        f"latency over {len(latencies)} warm questions: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies, default=0):.1f} ms, "
        f"mean {statistics.fmean(latencies) if latencies else 0:.1f} ms",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.router.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=None)
    parser.add_argument("--home", type=Path, default=None, help="PLAN_ASSISTANT_HOME to use (built if missing)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes over the questions")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    logging.basicConfig(level=logging.WARNING)
    from assistant.router.assistant import Assistant

    settings = Settings(home=args.home) if args.home else Settings()
    if not settings.db_path.exists():
        from assistant.pipeline import ingest_corpus

        ingest_corpus(settings, index=True)
    gold = load_gold(args.gold or default_gold())
    t0 = time.perf_counter()
    assistant = Assistant(settings).warm()
    print(f"warm-up: {(time.perf_counter() - t0) * 1000:.0f} ms; {len(gold)} questions from {args.gold or default_gold()}")
    results = score(assistant, gold)
    latencies = [r.ms for r in results]
    for _ in range(max(args.repeat, 1) - 1):
        latencies += [r.ms for r in score(assistant, gold)]
    print(report(results, latencies))
    if args.show_wrong:
        for r in results:
            if not r.correct or not r.route_ok:
                print(f"\n[{r.gold.get('id')}] {r.gold.get('kind')} route={r.answer.route} want={r.gold.get('route')}"
                      f" conf={r.answer.confidence:.2f}\nQ: {r.gold['question']}\nA: {r.answer.answer[:400]}\n"
                      f"want: {r.gold.get('must_contain')} {r.gold.get('must_contain_any') or ''}\n{r.answer.explanation}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
