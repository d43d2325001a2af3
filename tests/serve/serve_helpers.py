"""Helpers of the serve tests: a small council corpus, `plan-assistant serve` and `ingest` processes
on free loopback ports, and a tiny HTTP client that never raises for an HTTP status."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any


STARTUP_TIMEOUT_S = 180.0  # a loaded 2-core machine: import, then warm-up in the background
STOP_TIMEOUT_S = 30.0

RIVERSIDE = """# Riverside Borough Council Delivery Plan 2025-28

## Environment and Transport

The council will make the riverside safer to walk at night and greener to live beside.
Flood defences along the east bank will be renewed with the Environment Agency.

| Action | Lead | Due date |
|---|---|---|
| Install new riverside lighting on the towpath | Priya Natarajan | March 2026 |
| Renew the east bank flood defences | Tomasz Wierzbicki | December 2027 |
| Plant 500 street trees in the town centre | Aisha Okonkwo | October 2025 |
"""

# Added while a server runs (tests of ingest while serving).
MILLBROOK = """# Riverside Borough Council Libraries Plan 2025-28

## Libraries and Culture

| Action | Lead | Due date |
|---|---|---|
| Open the Millbrook library extension | Gareth Llewellyn | June 2026 |
| Extend Sunday opening at the central library | Rhiannon Pryce | September 2025 |
"""


def write_corpus(folder: Path, *docs: tuple[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any PLAN_ASSISTANT_* of the developer's, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAN_ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(extra)
    return env


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL if it does not stop in time."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 120.0) -> Reply:
    """GET a URL; JSON bodies are decoded, others returned as text. Never raises for an HTTP status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, hdrs = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        status, raw, hdrs = err.code, err.read(), dict(err.headers)
    text = raw.decode("utf-8", errors="replace")
    body: Any = json.loads(text) if hdrs.get("Content-Type", "").startswith("application/json") else text
    return Reply(status, body, hdrs)


@dataclass
class Served:
    """A running `plan-assistant serve` process."""

    url: str
    proc: subprocess.Popen[str]
    home: Path
    env: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None, **params: str) -> Reply:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return http_get(f"{self.url}{path}{query}", headers)


def start_serve(home: Path, corpus: Path, *args: str, **env_extra: str) -> Served:
    """Start `plan-assistant serve --port 0` and wait until /api/health answers with the index warm."""
    env = clean_env(PLAN_ASSISTANT_HOME=str(home), PLAN_ASSISTANT_CORPUS=str(corpus), **env_extra)
    log = open(home / "serve-test.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the ready line, printed once the port is open
    if "serving http://" not in line:
        stop_process(proc)
        raise AssertionError(f"serve did not start: {line!r}\n{(home / 'serve-test.log').read_text()[-3000:]}")
    url = line.split("serving ", 1)[1].split()[0]
    served = Served(url, proc, home, env)
    token = env_extra.get("PLAN_ASSISTANT_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        health = served.get("/api/health", headers)
        if health.status == 200 and health.body["status"] == "ok":
            return served
        time.sleep(0.5)
    stop_process(proc)
    raise AssertionError(f"serve never became healthy: {health.body}")


def ingest(home: Path, corpus: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    """`plan-assistant ingest` in its own process (as an operator would run it)."""
    env = clean_env(PLAN_ASSISTANT_HOME=str(home), PLAN_ASSISTANT_CORPUS=str(corpus), **env_extra)
    done = subprocess.run([sys.executable, "-m", "assistant", "ingest"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done
