"""One small error hierarchy; the CLI turns each into a friendly one-line message."""

from __future__ import annotations


class PlanAssistantError(Exception):
    """Base class of every error the user should see as a message, not a traceback."""

    exit_code = 1


class ConfigError(PlanAssistantError):
    """The configuration is invalid (bad env variable, missing directory...)."""


class NotIngestedError(PlanAssistantError):
    """The database or index does not exist yet; run `plan-assistant ingest`."""


class IngestError(PlanAssistantError):
    """A document could not be read or parsed."""


class QueryRefused(PlanAssistantError):
    """SQL that is not a single read-only SELECT over allowed tables."""


class BadQuestion(PlanAssistantError):
    """An empty, oversized or otherwise unusable question or query."""


class QueryLimitExceeded(QueryRefused):
    """A query was stopped by a limit (time or memory) while running, as opposed to refused by the
    guard before it ran. A subclass of ``QueryRefused`` so that callers falling back on a refused
    query also fall back on a stopped one."""


class QueryTimeout(QueryLimitExceeded):
    """A query ran longer than ``Settings.sql_timeout_s`` and was stopped."""


class QueryMemoryExceeded(QueryLimitExceeded):
    """A query needed more memory than ``Settings.sql_memory_limit_mb`` allows."""


class IngestBusy(PlanAssistantError):
    """Another ingest holds the ingest lock of this home (and did not finish in time)."""
