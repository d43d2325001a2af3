"""The hybrid retriever as a LangChain ``BaseRetriever``, for use in users' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.config import Settings
from assistant.models import Filters, Hit
from assistant.retrieval.search import Mode, Retriever


def hit_to_document(hit: Hit) -> Document:
    """A LangChain Document: the hit's text, with the citation (file, title, section, line span,
    quote) and the score, kind, table and row id as metadata."""
    meta: dict[str, Any] = {**hit.citation.to_dict(), "score": hit.score, "kind": hit.kind,
                            "table": hit.table, "row_id": hit.row_id}
    return Document(page_content=hit.text, metadata=meta, id=hit.metadata.get("id"))


class PlanRetriever(BaseRetriever):
    """``PlanRetriever.from_settings(Settings(), k=5).invoke("climate change")`` -> Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = 5
    mode: Mode = "hybrid"
    filters: Filters | None = None
    kind: str | None = None
    tables: list[str] | None = Field(default=None)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> PlanRetriever:
        return cls(retriever=Retriever(settings), **kwargs)

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, filters=self.filters, mode=self.mode,
                                     kind=self.kind, tables=self.tables)
        return [hit_to_document(h) for h in hits]
