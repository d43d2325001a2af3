"""Retrieval: prose passages and typed table rows in Chroma + BM25, hybrid search, exact citations.

Public API (imported lazily, so that importing this package loads neither Chroma nor torch):
``sync_index(settings, progress=None) -> IndexStats``, ``Retriever(settings).search(...)``,
``PlanRetriever`` (a LangChain ``BaseRetriever``) and ``get_embedder()``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["IndexStats", "PlanRetriever", "Retriever", "get_embedder", "sync_index"]

_EXPORTS = {
    "IndexStats": "assistant.retrieval.index",
    "sync_index": "assistant.retrieval.index",
    "Retriever": "assistant.retrieval.search",
    "PlanRetriever": "assistant.retrieval.langchain",
    "get_embedder": "assistant.retrieval.embeddings",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.retrieval' has no attribute {name!r}")
    return getattr(import_module(module), name)
