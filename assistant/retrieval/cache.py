"""Values computed from the database alone, cached on disk until the next ingest swaps it.

A cold question pays for everything that is derived from the database on first use. The router's
lexicon (people, departments, every word and word pair of the documents) took 0.4 to 0.5 s to build
and 5 ms to unpickle (measured on the bundled corpus). Such values depend only on the database
file, so they are cached under ``settings.cache_dir / "derived"``, keyed by
``assistant.sql.connect.database_version`` (the file's inode, mtime and size, which every ingest
changes by swapping in a new file), the caller's ``salt`` (bump it when the value's type or the code
building it changes) and the Python version.

    lexicon = by_database_version(settings, "lexicon", self._load_lexicon,
                                  salt=module_salt("assistant.router.data", "assistant.router.understand"))

Pickle is used because the values are arbitrary Python objects; the files are written by this
user's own processes into this user's home, like the database itself. A file that cannot be read
is rebuilt. Writes are atomic (temporary file, then ``os.replace``), so concurrent processes at
worst build the same value twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from assistant.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
SUBDIR = "derived"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def module_salt(*modules: str) -> str:
    """A salt that changes whenever the source of any of these modules changes (without importing
    them), so that a value built by changed code is never read back."""
    import importlib.util

    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(name.encode() + b"\x00")
        try:
            digest.update(Path(origin).read_bytes() if origin else b"missing")
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:16]


def cache_path(settings: Settings, name: str, version: str, salt: str = "") -> Path:
    """The file holding ``name`` for one database version."""
    if not name or not set(name) <= _NAME_CHARS:
        raise ValueError(f"cache names are lower-case letters, digits, '-' and '_': {name!r}")
    tag = f"{sys.version_info[0]}.{sys.version_info[1]}\x00{salt}\x00{version}"
    digest = hashlib.sha256(tag.encode()).hexdigest()[:20]
    return settings.cache_dir / SUBDIR / f"{name}-{digest}.pickle"


def by_database_version(settings: Settings, name: str, build: Callable[[], T], salt: str = "") -> T:
    """``build()``'s value for the current database file: read from the cache when this database
    version has one, else built, saved (older versions of ``name`` are removed) and returned.
    Without a database, ``build`` runs uncached (it raises what it raises)."""
    from assistant.sql.connect import database_version

    version = database_version(settings)
    if version is None:
        return build()
    path = cache_path(settings, name, version, salt)
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign file: rebuild it
        log.warning("ignoring unreadable cache file %s: %s", path, exc)
    value = build()
    if database_version(settings) == version:  # not swapped while building
        _save(path, name, value)
    return value


def _save(path: Path, name: str, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("cannot cache %s in %s: %s", name, path.parent, exc)
