"""Index generations: the vector index follows the database's atomic swap.

An ingest never writes the index that readers use. It builds a new *generation* beside it (a
directory ``chroma/<name>/`` for local files, a collection ``plan_assistant_chunks-<name>`` in a
Chroma server), starting from a copy of the current one so that only changed chunks are
embedded, and then switches the small pointer file ``chroma/CURRENT`` atomically (write a temporary
file, ``os.replace``), right after the database file. Readers resolve the pointer when they open
the index and reopen it when the BM25 version they loaded is replaced (see ``search.Retriever``),
so an open session moves to the new data between two questions.

Chroma's local client writes to its SQLite file whenever it opens it (even only to read), so a
reader never opens a published generation: it copies it into a private snapshot
(``chroma/.readers/<pid>-<n>/``) and opens that. Published generations are therefore never written
after they are published, which also makes them safe to copy for the next build.

Left-overs of a killed ingest (``.build-*`` directories) or of killed readers (snapshots of dead
processes) are removed by the next ingest, which holds the ingest lock (``assistant.locking``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

POINTER = "CURRENT"
BUILD_PREFIX = ".build-"
READERS_DIR = ".readers"
#: Attempts to copy the current generation when a concurrent ingest replaces it mid-copy.
SNAPSHOT_ATTEMPTS = 5
_COUNTER = itertools.count(1)


@dataclass(frozen=True)
class Generation:
    """What ``chroma/CURRENT`` says: the live generation and what it was built from."""

    name: str
    digest: str = ""  # sha256 of every vector entry's id and fingerprint (see index.entries_digest)
    bm25: str = ""  # the BM25 version published with it (lexical.current_version)
    vectors: int = 0
    model: str = ""  # the embedding model of its vectors (VectorCache.model_id)


def new_name() -> str:
    """A fresh generation name that sorts by creation time."""
    return f"g{time.time_ns()}"


def read_pointer(chroma_dir: Path) -> Generation | None:
    """The published generation, or None (nothing published yet, or an unreadable pointer)."""
    try:
        data = json.loads((chroma_dir / POINTER).read_text(encoding="utf-8"))
        return Generation(**{k: data[k] for k in ("name", "digest", "bm25", "vectors", "model") if k in data})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_pointer(chroma_dir: Path, generation: Generation) -> None:
    """Switch readers to ``generation``: write a temporary file, flush it, then ``os.replace``."""
    chroma_dir.mkdir(parents=True, exist_ok=True)
    tmp = chroma_dir / f".{POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(asdict(generation), fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, chroma_dir / POINTER)


def generation_dir(chroma_dir: Path, name: str) -> Path:
    return chroma_dir / name


def build_dir(chroma_dir: Path, name: str) -> Path:
    return chroma_dir / f"{BUILD_PREFIX}{os.getpid()}-{name}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def snapshot(chroma_dir: Path, name: str | None = None) -> tuple[str, Path]:
    """A private copy of the published generation (``name``, default the current one) for one
    reader: (generation name, snapshot directory). Raises ``FileNotFoundError`` when there is none."""
    readers = chroma_dir / READERS_DIR
    readers.mkdir(parents=True, exist_ok=True)
    remove_stale_snapshots(chroma_dir)
    last: Exception | None = None
    for _ in range(SNAPSHOT_ATTEMPTS):
        current = name or (read_pointer(chroma_dir) or Generation("")).name
        source = generation_dir(chroma_dir, current) if current else None
        if source is None or not source.is_dir():
            last = FileNotFoundError(f"no published index generation in {chroma_dir}")
            if name:
                break
            time.sleep(0.05)
            continue
        target = readers / f"{os.getpid()}-{next(_COUNTER)}-{current}"
        try:
            shutil.copytree(source, target)
            return current, target
        except (OSError, shutil.Error) as exc:  # replaced and removed by an ingest while copying
            last = exc
            shutil.rmtree(target, ignore_errors=True)
            if name:
                break
    raise FileNotFoundError(f"cannot open the index in {chroma_dir}: {last}")


def remove_stale_snapshots(chroma_dir: Path) -> list[str]:
    """Remove reader snapshots whose process is gone (killed sessions)."""
    removed: list[str] = []
    readers = chroma_dir / READERS_DIR
    if not readers.is_dir():
        return removed
    for entry in readers.iterdir():
        pid_text = entry.name.split("-", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(str(entry))
    return removed


def cleanup(chroma_dir: Path, keep: set[str]) -> list[str]:
    """Remove what no reader or builder can still need; call under the ingest lock.

    Build directories (a killed ingest's, as the lock says no build is running), generations not
    in ``keep``, files of the old single-store layout, and snapshots of dead readers."""
    removed = remove_stale_snapshots(chroma_dir)
    if not chroma_dir.is_dir():
        return removed
    for entry in chroma_dir.iterdir():
        if entry.name in (POINTER, READERS_DIR) or entry.name in keep:
            continue
        if entry.name.startswith(f".{POINTER}.") and entry.name.endswith(".tmp"):
            pid_text = entry.name.split(".")[2]
            if pid_text.isdigit() and _pid_alive(int(pid_text)):
                continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(str(entry))
    if removed:
        log.info("removed %d left-over index files or directories", len(removed))
    return removed
