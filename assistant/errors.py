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
