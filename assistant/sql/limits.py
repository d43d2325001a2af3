"""The DuckDB configuration of every reader: hardened (ENVIRONMENT.md) and bounded.

Kept free of other imports so that the SQL worker process (``assistant.sql.worker``) starts fast.
"""

from __future__ import annotations

from typing import Any

HARDENED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def duckdb_config(memory_mb: int, threads: int) -> dict[str, Any]:
    """The hardened read-only configuration with DuckDB's own memory and thread limits.

    DuckDB refuses a second connection to the same file in one process with a different
    configuration, so every reader of a process must pass the same limits (they come from the
    same ``Settings``)."""
    return {**HARDENED_CONFIG, "memory_limit": f"{max(int(memory_mb), 64)}MB",
            "threads": max(int(threads), 1)}
