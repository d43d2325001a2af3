"""The ingest pipeline: files -> parsed documents -> DuckDB (atomic, incremental) -> optional index.

The database always mirrors the set of documents given (default: the corpus directory): new files
are added, changed files (by content hash) replaced, unchanged ones skipped, and documents no
longer present removed. The new database is built in a temporary file and swapped in with
``os.replace``, so a failure halfway leaves the previous database intact.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from assistant.config import Settings
from assistant.errors import IngestError, PlanAssistantError

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
SKIP_NAMES = {"manifest.json"}


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

    @property
    def ok(self) -> bool:
        return not self.problems


def _noop(stage: str, done: int, total: int) -> None:
    return None


def collect_files(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand directories (non-recursive, sorted); missing paths become problems."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for p in paths:
        if not p.exists():
            problems.append((str(p), "no such file or directory"))
        elif p.is_dir():
            files.extend(sorted(f for f in p.iterdir()
                                if f.is_file() and f.name not in SKIP_NAMES and not f.name.startswith(".")))
        else:
            files.append(p)
    return files, problems


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
                  progress: ProgressFn | None = None) -> IngestReport:
    """Parse the documents into DuckDB (atomically, incrementally), then index them if asked."""
    from assistant.ingest.document import load_manifest, meta_for, parse_document
    from assistant.ingest.readers import read_source

    progress = progress or _noop
    t0 = time.perf_counter()
    settings.ensure_home()
    roots = [Path(p) for p in paths] if paths else [settings.corpus]
    files, problems = collect_files(roots)
    old = _existing_hashes(settings)
    manifests: dict[Path, dict] = {}
    parsed = []
    skipped: list[str] = []
    seen: dict[str, Path] = {}
    for i, f in enumerate(files, start=1):
        progress("parse", i - 1, len(files))
        doc_id = f.stem
        if doc_id in seen:
            problems.append((str(f), f"same document name as {seen[doc_id].name}; skipped"))
            continue
        try:
            source = read_source(f, progress=lambda done, total: progress("pages", done, total))
        except IngestError as exc:
            problems.append((str(f), str(exc)))
            continue
        except OSError as exc:
            problems.append((str(f), f"cannot read: {exc.strerror or exc}"))
            continue
        seen[doc_id] = f
        if source.note:
            problems.append((str(f), source.note))
        if old.get(doc_id) == source.content_hash:
            skipped.append(doc_id)
            continue
        manifest = manifests.setdefault(f.parent, load_manifest(f.parent))
        try:
            doc = parse_document(source, meta_for(source, manifest))
        except Exception as exc:  # a parser bug must not sink the other documents
            log.exception("parse failed for %s", f)
            problems.append((str(f), f"could not be parsed: {type(exc).__name__}: {exc}"))
            seen.pop(doc_id, None)
            continue
        problems.extend((str(f), w) for w in doc.warnings)
        parsed.append(doc)
    progress("parse", len(files), len(files))
    if not seen and problems:  # nothing readable (e.g. a mistyped path): leave the database alone
        removed: list[str] = []
        old = {}
    else:
        removed = sorted(d for d in old if d not in seen)
    added = [d.doc_id for d in parsed if d.doc_id not in old]
    updated = [d.doc_id for d in parsed if d.doc_id in old]
    if parsed or removed or (not settings.db_path.exists() and seen):
        counts = _build(settings, parsed, removed, progress, full=not old)
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
    if index and settings.db_path.exists():
        from assistant.retrieval import sync_index

        stats = sync_index(settings, progress=progress)
    return IngestReport(tuple(added), tuple(updated), tuple(skipped), tuple(removed),
                        counts["documents"], counts["sections"], counts["tables"], counts["rows"],
                        counts["unclassified"], tuple(problems), stats, time.perf_counter() - t0,
                        counts["people"])


def _build(settings: Settings, parsed: list, removed: list[str], progress: ProgressFn,
           full: bool = False) -> dict[str, Any]:
    """Copy the live DB (if any) to a temp file, apply the changes, then swap it in."""
    import duckdb

    from assistant.ingest.store import delete_document, recluster_people, write_document
    from assistant.sql.schema import create_all

    live = settings.db_path
    tmp = live.with_name(f"{live.name}.building-{os.getpid()}")
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
        os.replace(tmp, live)
        _fingerprint_file(settings).write_text(parser_fingerprint(), encoding="utf-8")
        return counts
    except Exception as exc:
        _remove(tmp)
        if isinstance(exc, IngestError):
            raise
        raise IngestError(f"ingest failed, previous database kept: {type(exc).__name__}: {exc}") from exc
    finally:
        _remove(Path(str(tmp) + ".wal"))


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
