"""One writer at a time: an inter-process lock around ingest (``fcntl.flock`` on ``home/ingest.lock``).

Two ingests into one home would both rebuild the database and the index; with Chroma that
corrupted the store (issue 14, F1). The lock is held for a whole ingest (database build, index
build, swap); a second ingest waits for it with a message, or refuses at once with
``wait=False``. The lock is re-entrant inside a process (``ingest_corpus`` holds it while it calls
``sync_index``, which takes it too), and threads of one process queue for it like processes do.
The kernel releases it when the holder dies, even by ``kill -9``.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.config import Settings
from assistant.errors import IngestBusy

log = logging.getLogger(__name__)

LOCK_NAME = "ingest.lock"
#: Seconds between two attempts to take a busy lock.
POLL_S = 0.2

WaitFn = Callable[[str], None]


class _Held:
    """The lock of one home as held by this process: a thread lock, the file and a depth."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.fd: int | None = None
        self.depth = 0


_HELD: dict[str, _Held] = {}
_HELD_LOCK = threading.Lock()


def lock_path(settings: Settings) -> Path:
    return settings.home / LOCK_NAME


def holder(settings: Settings) -> str:
    """Who holds the lock, as written by the holder ("pid 123 since 10:41:07"), or ''."""
    try:
        return lock_path(settings).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _log_wait(message: str) -> None:
    log.warning("%s", message)


@contextmanager
def ingest_lock(settings: Settings, wait: bool = True, timeout_s: float | None = None,
                on_wait: WaitFn | None = None) -> Iterator[None]:
    """Hold the ingest lock of ``settings.home`` for the ``with`` block.

    When another process holds it: with ``wait``, call ``on_wait(message)`` once and wait up to
    ``timeout_s`` (default ``settings.ingest_lock_wait_s``) before raising ``IngestBusy``;
    without ``wait``, raise ``IngestBusy`` at once.
    """
    settings.ensure_home()
    path = lock_path(settings)
    key = str(path.resolve())
    with _HELD_LOCK:
        held = _HELD.setdefault(key, _Held())
    limit = settings.ingest_lock_wait_s if timeout_s is None else timeout_s
    deadline = time.monotonic() + (limit if wait else 0.0)
    got = held.thread_lock.acquire(timeout=max(limit, 0.0)) if wait else held.thread_lock.acquire(blocking=False)
    if not got:
        raise IngestBusy(f"another ingest is running in this process for {settings.home}; try again later")
    try:
        if held.depth == 0:
            held.fd = _acquire_file(settings, path, wait, deadline, on_wait or _log_wait)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                fcntl.flock(held.fd, fcntl.LOCK_UN)
                os.close(held.fd)
                held.fd = None
    finally:
        held.thread_lock.release()


def _acquire_file(settings: Settings, path: Path, wait: bool, deadline: float, on_wait: WaitFn) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    told = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            who = holder(settings) or "another process"
            if not wait:
                raise IngestBusy(f"another ingest ({who}) is running in {settings.home}; "
                                 "try again when it has finished")
            if time.monotonic() >= deadline:
                raise IngestBusy(f"gave up waiting for another ingest ({who}) in {settings.home} after "
                                 f"{settings.ingest_lock_wait_s:g} s (PLAN_ASSISTANT_INGEST_LOCK_WAIT_S)")
            if not told:
                on_wait(f"another ingest ({who}) is running in {settings.home}; waiting for it to finish...")
                told = True
            time.sleep(POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}\n".encode(), 0)
        return fd
    except BaseException:
        os.close(fd)
        raise
