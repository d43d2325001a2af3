"""What the server reports about its store: /api/health and /api/documents (our own SQL only)."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from assistant.config import Settings
from assistant.sql.connect import database_version, run_select
from assistant.sql.schema import TYPED_TABLES

log = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ("doc_id", "title", "council", "period", "kind", "file", "n_lines", "ingested_at")


def _plain(value: Any) -> Any:
    """JSON values as they are; dates, timestamps and decimals as strings (as answers show them)."""
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def package_version() -> str:
    try:
        return version("plan-assistant")
    except PackageNotFoundError:
        return "unknown"


def documents(settings: Settings) -> list[dict[str, Any]]:
    """One object per ingested document."""
    cols, rows = run_select(settings, f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents ORDER BY doc_id",
                            limit=0)
    return [{c: _plain(v) for c, v in zip(cols, row)} for row in rows]


def row_counts(settings: Settings) -> dict[str, int]:
    """Rows per typed table."""
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TYPED_TABLES)
    _, rows = run_select(settings, sql, limit=0)
    return {str(t): int(n) for t, n in rows}


def index_info(settings: Settings, cache: dict[tuple[Any, ...], int] | None = None) -> dict[str, Any]:
    """Where the vectors live and how many there are (null with an error when unreadable).

    Opening the vector store can copy a snapshot of it, so the count is kept in ``cache`` per
    database and BM25 version (an ingest changes both)."""
    from assistant.retrieval import lexical

    info: dict[str, Any] = {
        "backend": "chroma-server" if settings.chroma_url else "local",
        "location": settings.chroma_url or str(settings.chroma_dir),
        "lexical_version": lexical.current_version(settings.home),
        "vectors": None,
    }
    key = (database_version(settings), info["lexical_version"], settings.chroma_url)
    if cache is not None and key in cache:
        info["vectors"] = cache[key]
        return info
    try:
        from assistant.retrieval.store import ChromaStore

        store = ChromaStore(settings.chroma_dir, create=False, url=settings.chroma_url)
        info["vectors"] = store.count()
        close = getattr(store, "close", None)
        if close is not None:
            close()
    except Exception as exc:  # a missing collection or an unreachable server is reported, not raised
        info["error"] = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    else:
        if cache is not None:
            cache.clear()
            cache[key] = info["vectors"]
    return info


def health(settings: Settings, cache: dict[tuple[Any, ...], int] | None = None) -> dict[str, Any]:
    """Documents, rows, index size and versions; ``status`` is "ok" only when all are readable."""
    out: dict[str, Any] = {"status": "ok", "version": package_version(),
                           "database_version": database_version(settings)}
    if out["database_version"] is None:
        out.update(status="not ingested", documents=0, rows={}, rows_total=0)
    else:
        out["documents"] = len(documents(settings))
        out["rows"] = row_counts(settings)
        out["rows_total"] = sum(out["rows"].values())
    out["index"] = index_info(settings, cache)
    if out["status"] == "ok" and (out["index"]["vectors"] is None or out["index"]["lexical_version"] is None):
        out["status"] = "index unavailable"
    return out
