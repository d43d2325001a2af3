"""The ingest pipeline: files -> parsed documents -> DuckDB (atomic, incremental) -> optional index.

The database always mirrors the set of documents given (default: the corpus directory): new files
are added, changed files (by content hash) replaced, unchanged ones skipped, and documents no
longer present removed. The new database is built in a temporary file, the next index generation
is built from it beside the live one, and then both are swapped in (``os.replace`` of the file,
then the index pointer), so a failure or a ``kill -9`` halfway leaves the previous database and
index intact, and readers never see half an ingest.

One ingest at a time per home: the whole ingest holds ``assistant.locking.ingest_lock``; a second
one waits with a message (or refuses, ``wait=False``). Under the lock, the left-overs of a killed
ingest (``plan.duckdb.building-*``, index build directories) are removed first.

Every file that cannot be ingested is reported in ``problems`` (a name that is not UTF-8, a
dangling or looping symbolic link, a FIFO or device, an unreadable or unsupported file) and the
rest goes on; index problems are reported there too.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from assistant.locking import WaitFn
from assistant.config import Settings
from assistant.errors import IngestError, PlanAssistantError

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
SKIP_NAMES = {"manifest.json"}
#: A folder's read-me ("README.md", "readme.txt") describes the folder, not a council's plan: a folder
#: ingest reports it and leaves it out (named on the command line, it is ingested like any file).
READ_ME = re.compile(r"^read[-_ ]?me(?:\.[A-Za-z0-9]+)?$", re.IGNORECASE)
BUILD_SUFFIX = ".building-"


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did (see docs/CONTRACTS.md)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    documents: int = 0
    sections: int = 0
    tables: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    unclassified_tables: int = 0
    problems: tuple[tuple[str, str], ...] = ()
    index_stats: Any = None
    seconds: float = 0.0
    people: int = 0
    cleaned: tuple[str, ...] = ()  # left-over files of a killed ingest that were removed
    left_out: tuple[tuple[str, str], ...] = ()  # files of a folder deliberately not ingested, and why

    @property
    def ok(self) -> bool:
        return not self.problems


def _noop(stage: str, done: int, total: int) -> None:
    return None


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8 (kept by
    Python as surrogate escapes) are shown as ``\\xff``."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def _check_file(path: Path) -> str | None:
    """Why ``path`` cannot be ingested as a file, or None if it is a readable regular file (by
    name and type: the content is judged by the reader). Never opens it, so a FIFO cannot hang."""
    if display_path(path) != str(path):
        return "the file name is not valid UTF-8; rename the file to ingest it"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "broken symbolic link (its target does not exist)" if os.path.islink(path) \
            else "no such file or directory"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return f"{_kind(st.st_mode)}, not a regular file; skipped"
    return None


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]], list[tuple[str, str]]]:
    """Expand directories (non-recursive, sorted; hidden files, sub-directories and the manifest are
    left out); every entry that cannot be ingested becomes a problem, never an exception. Returns the
    files, the problems, and the files a folder holds that are deliberately left out (a read-me)."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    left_out: list[tuple[str, str]] = []
    for p in paths:
        p = Path(p)
        try:
            is_dir = p.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            try:
                entries = sorted(p.iterdir(), key=lambda e: os.fsencode(e.name))
            except OSError as exc:
                problems.append((display_path(p), f"cannot list the folder: {exc.strerror or exc}"))
                continue
            for f in entries:
                if f.name in SKIP_NAMES or f.name.startswith("."):
                    continue
                if READ_ME.match(f.name):
                    left_out.append((display_path(f), "a folder's read-me, not a plan document (name the file "
                                                      "itself to ingest it)"))
                    continue
                try:
                    if f.is_dir():
                        continue
                except OSError:
                    pass
                problem = _check_file(f)
                if problem:
                    problems.append((display_path(f), problem))
                else:
                    files.append(f)
            continue
        problem = _check_file(p)
        if problem:
            problems.append((display_path(p), problem))
        else:
            files.append(p)
    return files, problems, left_out


def parser_fingerprint() -> str:
    """A hash of the ingest code and schema: when it changes, every document is re-parsed."""
    import hashlib

    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted([*(root / "ingest").glob("*.py"), root / "sql" / "schema.py"]):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _fingerprint_file(settings: Settings) -> Path:
    return settings.db_path.with_name(settings.db_path.name + ".parser")


def _existing_hashes(settings: Settings) -> dict[str, str]:
    """doc_id -> content hash of the live database ({} when there is none, it is unreadable, or it
    was built by a different version of the parser/schema)."""
    if not settings.db_path.exists():
        return {}
    fp = _fingerprint_file(settings)
    if not fp.exists() or fp.read_text(encoding="utf-8").strip() != parser_fingerprint():
        log.info("parser or schema changed since the last ingest: rebuilding every document")
        return {}
    import duckdb

    from assistant.sql.connect import connect_readonly

    try:
        con = connect_readonly(settings)  # same config as other readers in this process
        try:
            return dict(con.execute("SELECT doc_id, content_hash FROM documents").fetchall())
        finally:
            con.close()
    except (duckdb.Error, PlanAssistantError) as exc:
        log.warning("existing database unreadable, rebuilding: %s", exc)
        return {}


def ingest_corpus(settings: Settings, paths: list[Path] | None = None, index: bool = True,
                  progress: ProgressFn | None = None, wait: bool = True,
                  on_wait: WaitFn | None = None) -> IngestReport:
    """Parse the documents into DuckDB (atomically, incrementally), index them if asked, and swap
    both in together. Holds the ingest lock of the home throughout: when another ingest runs, wait
    for it (``on_wait(message)`` is called once) or, with ``wait=False``, raise ``IngestBusy``."""
    from assistant.locking import ingest_lock

    settings.ensure_home()
    with ingest_lock(settings, wait=wait, on_wait=on_wait):
        cleaned = remove_leftovers(settings)
        return _ingest(settings, paths, index, progress or _noop, cleaned)


def remove_leftovers(settings: Settings) -> tuple[str, ...]:
    """Remove what killed ingests left behind: database build files (``plan.duckdb.building-*``
    and their ``.wal``), index build directories and snapshots of dead readers. Only call under
    the ingest lock: then no other ingest is building."""
    from assistant.retrieval import generations

    removed: list[str] = []
    live = settings.db_path
    if live.parent.is_dir():
        for f in live.parent.iterdir():
            if f.name.startswith(live.name + BUILD_SUFFIX) and f.is_file():
                _remove(f)
                removed.append(f.name)
        tmp_fp = _fingerprint_file(settings).with_suffix(".parser.tmp")
        if tmp_fp.exists():
            _remove(tmp_fp)
            removed.append(tmp_fp.name)
    current = generations.read_pointer(settings.chroma_dir)
    removed += [Path(p).name for p in generations.cleanup(settings.chroma_dir, {current.name} if current else set())
                if Path(p).name.startswith((generations.BUILD_PREFIX, "."))]
    if removed:
        log.info("removed left-overs of an interrupted ingest: %s", ", ".join(removed))
    return tuple(removed)


def _ingest(settings: Settings, paths: list[Path] | None, index: bool, progress: ProgressFn,
            cleaned: tuple[str, ...]) -> IngestReport:
    from assistant.ingest.document import load_manifest, meta_for, parse_document
    from assistant.ingest.readers import read_source

    t0 = time.perf_counter()
    roots = [Path(p) for p in paths] if paths else [settings.corpus]
    files, problems, left_out = collect_files(roots)
    old = _existing_hashes(settings)
    manifests: dict[Path, dict] = {}
    parsed = []
    skipped: list[str] = []
    seen: dict[str, Path] = {}
    for i, f in enumerate(files, start=1):
        progress("parse", i - 1, len(files))
        doc_id = f.stem
        label = display_path(f)
        if doc_id in seen:
            problems.append((label, f"same document name as {display_path(seen[doc_id].name)}; skipped"))
            continue
        try:
            source = read_source(f, progress=lambda done, total: progress("pages", done, total))
        except IngestError as exc:
            problems.append((label, str(exc)))
            continue
        except OSError as exc:
            problems.append((label, f"cannot read: {exc.strerror or exc}"))
            continue
        seen[doc_id] = f
        if source.note:
            problems.append((label, source.note))
        if old.get(doc_id) == source.content_hash:
            skipped.append(doc_id)
            continue
        manifest = manifests.setdefault(f.parent, load_manifest(f.parent))
        try:
            doc = parse_document(source, meta_for(source, manifest))
        except Exception as exc:  # a parser bug must not sink the other documents
            log.exception("parse failed for %s", label)
            problems.append((label, f"could not be parsed: {type(exc).__name__}: {exc}"))
            seen.pop(doc_id, None)
            continue
        problems.extend((label, w) for w in doc.warnings)
        parsed.append(doc)
    progress("parse", len(files), len(files))
    if not seen and problems:  # nothing readable (e.g. a mistyped path): leave the database alone
        removed: list[str] = []
        old = {}
    else:
        removed = sorted(d for d in old if d not in seen)
    added = [d.doc_id for d in parsed if d.doc_id not in old]
    updated = [d.doc_id for d in parsed if d.doc_id in old]
    tmp: Path | None = None
    if parsed or removed or (not settings.db_path.exists() and seen):
        tmp, counts = _build(settings, parsed, removed, progress, full=not old)
    elif settings.db_path.exists():
        from assistant.sql.connect import connect_readonly

        con = connect_readonly(settings)
        try:
            counts = _counts(con)
        finally:
            con.close()
    else:
        counts = {"documents": 0, "sections": 0, "tables": 0, "rows": {}, "unclassified": 0, "people": 0}
    stats = None
    pending = None
    try:
        if index and (tmp is not None or settings.db_path.exists()):
            from assistant.retrieval.index import build_index

            try:
                pending = build_index(settings, progress=progress, db_path=tmp)
            except PlanAssistantError:
                raise
            except Exception as exc:
                log.exception("index build failed")
                raise IngestError(f"indexing failed, previous database and index kept: "
                                  f"{type(exc).__name__}: {exc}") from exc
            stats = pending.stats
        if tmp is not None:
            _swap(settings, tmp)
            tmp = None
        if pending is not None:
            pending.publish()
    except BaseException:
        if pending is not None and tmp is not None:
            pending.discard()
        raise
    finally:
        if tmp is not None:
            _remove(tmp)
            _remove(Path(str(tmp) + ".wal"))
    if stats is not None:
        problems.extend(stats.problems)
    return IngestReport(tuple(added), tuple(updated), tuple(skipped), tuple(removed),
                        counts["documents"], counts["sections"], counts["tables"], counts["rows"],
                        counts["unclassified"], tuple(problems), stats, time.perf_counter() - t0,
                        counts["people"], cleaned, tuple(left_out))


def _build(settings: Settings, parsed: list, removed: list[str], progress: ProgressFn,
           full: bool = False) -> tuple[Path, dict[str, Any]]:
    """Copy the live DB (if any) to a build file and apply the changes; return the file (swap it in
    with ``_swap``) and its counts."""
    import duckdb

    from assistant.ingest.store import delete_document, recluster_people, write_document
    from assistant.sql.schema import create_all

    live = settings.db_path
    tmp = live.with_name(f"{live.name}{BUILD_SUFFIX}{os.getpid()}")
    _remove(tmp)
    try:
        if live.exists() and not full:
            shutil.copy2(live, tmp)
        con = duckdb.connect(str(tmp))
        try:
            create_all(con)
            con.execute("BEGIN TRANSACTION")
            for doc_id in removed:
                delete_document(con, doc_id)
            total = len(parsed)
            for i, doc in enumerate(parsed):
                progress("store", i, total)
                delete_document(con, doc.doc_id)
                write_document(con, doc)
            recluster_people(con)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            counts = _counts(con)
            progress("store", total, total)
        finally:
            con.close()
        return tmp, counts
    except Exception as exc:
        _remove(tmp)
        if isinstance(exc, IngestError):
            raise
        raise IngestError(f"ingest failed, previous database kept: {type(exc).__name__}: {exc}") from exc
    finally:
        _remove(Path(str(tmp) + ".wal"))


def _swap(settings: Settings, tmp: Path) -> None:
    """Make the built file the live database (atomic), and record the parser that built it."""
    os.replace(tmp, settings.db_path)
    fp = _fingerprint_file(settings)
    fp_tmp = fp.with_suffix(".parser.tmp")
    fp_tmp.write_text(parser_fingerprint(), encoding="utf-8")
    os.replace(fp_tmp, fp)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _counts(con) -> dict[str, Any]:
    """Row counts for the report, from an open connection."""
    from assistant.sql.schema import TYPED_TABLES

    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    rows = {t: one(f"SELECT count(*) FROM {t}") for t in (*TYPED_TABLES, "kpi_values")}
    return {"documents": one("SELECT count(*) FROM documents"), "sections": one("SELECT count(*) FROM sections"),
            "tables": one("SELECT count(*) FROM raw_tables"), "rows": rows,
            "unclassified": one("SELECT count(*) FROM raw_tables WHERE kind = 'unclassified'"),
            "people": one("SELECT count(*) FROM people")}
