"""Plan Assistant core: ingestion, SQL store, retrieval and the router. Never imports textual."""

from __future__ import annotations

__all__ = ["Answer", "Citation", "Filters", "Hit", "Settings", "get_settings"]

from assistant.config import Settings, get_settings
from assistant.models import Answer, Citation, Filters, Hit
