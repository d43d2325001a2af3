"""The obvious alternatives, measured in the same run as the assistant.

- ``naive-rag``: a LangChain text splitter, the same bundled MiniLM embeddings, a Chroma top-k search
  (its own collection in a temporary directory, always with explicit vectors), answering with the
  top chunk as a typical offline demo does. It never abstains.
- ``bm25``: bm25s over the corpus lines (one passage per non-empty line), answering with the top
  passage, extractively. It never abstains either.

Both expose ``ask(question) -> Answer`` and ``retrieve(question, k) -> list[Hit]`` like the system
under test, with citations that carry exact line spans.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.config import Settings, relative_file
from assistant.errors import ConfigError
from assistant.models import Answer, Citation, Hit
from assistant.text import stemmer

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 150
QUOTE_CHARS = 300


class System(Protocol):
    """What the runner measures: the assistant and each baseline."""

    name: str

    def ask(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class Passage:
    """A piece of a corpus file with its exact line span."""

    file: str  # relative, as in citations
    title: str
    line_start: int
    line_end: int
    text: str

    def citation(self) -> Citation:
        return Citation(file=self.file, title=self.title, section="", line_start=self.line_start,
                        line_end=self.line_end, quote=self.text[:QUOTE_CHARS])


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The text files of the corpus, sorted; a clear error when there are none."""
    if not corpus_dir.is_dir():
        raise ConfigError(f"corpus directory not found: {corpus_dir}")
    files = sorted(p for p in corpus_dir.iterdir() if p.suffix.lower() in TEXT_SUFFIXES and p.is_file())
    if not files:
        raise ConfigError(f"no .txt or .md files in {corpus_dir}")
    return files


def line_passages(corpus_dir: Path) -> list[Passage]:
    """One passage per non-empty line of every corpus file."""
    out: list[Passage] = []
    for path in corpus_files(corpus_dir):
        rel = relative_file(path)
        for no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if len(line.strip()) >= 3:
                out.append(Passage(rel, path.stem, no, no, line.strip()))
    return out


def chunk_passages(corpus_dir: Path, chunk_size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[Passage]:
    """LangChain RecursiveCharacterTextSplitter chunks, mapped back to their line spans."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap,
                                              add_start_index=True)
    out: list[Passage] = []
    for path in corpus_files(corpus_dir):
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = relative_file(path)
        for doc in splitter.create_documents([text]):
            start = int(doc.metadata.get("start_index", text.find(doc.page_content)))
            first = text.count("\n", 0, max(start, 0)) + 1
            body = doc.page_content.rstrip("\n")
            out.append(Passage(rel, path.stem, first, first + body.count("\n"), doc.page_content))
    return out


def _answer(question: str, hits: Sequence[Hit], name: str) -> Answer:
    """An extractive answer: the top passage, cited."""
    if not hits:
        return Answer(question=question, route="text", answer="", abstained=False,
                      explanation=f"{name}: no passage retrieved")
    top = hits[0]
    return Answer(question=question, route="text", answer=top.text, abstained=False,
                  confidence=float(top.score), citations=(top.citation,),
                  explanation=f"{name}: top passage")


class NaiveRag:
    """Chunk, embed, Chroma top-k, answer with the top chunk."""

    name = "naive-rag"

    def __init__(self, settings: Settings, k: int = 5) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from assistant.retrieval.embeddings import VectorCache, get_embedder

        self.k = k
        self._embedder = get_embedder()
        self._tmp = tempfile.TemporaryDirectory(prefix="naive-rag-")
        self._client = chromadb.PersistentClient(path=self._tmp.name,
                                                 settings=ChromaSettings(anonymized_telemetry=False))
        self._col = self._client.create_collection(f"naive_rag_{uuid.uuid4().hex[:8]}", embedding_function=None,
                                                   metadata={"hnsw:space": "cosine"})
        self._passages = chunk_passages(Path(settings.corpus))
        with VectorCache(Path(settings.cache_dir)) as cache:  # same model, so vectors are shared
            vectors, _ = cache.embed([p.text for p in self._passages], self._embedder)
        ids = [str(i) for i in range(len(self._passages))]
        batch = max(1, min(self._client.get_max_batch_size(), 2000))
        for i in range(0, len(ids), batch):
            self._col.add(ids=ids[i:i + batch], embeddings=vectors[i:i + batch].tolist(),
                          documents=[p.text for p in self._passages[i:i + batch]])
        log.info("naive-rag: %d chunks indexed", len(self._passages))

    def retrieve(self, question: str, k: int | None = None) -> list[Hit]:
        vec = self._embedder.embed_query(question)
        res = self._col.query(query_embeddings=[vec.tolist()], n_results=k or self.k, include=["distances"])
        hits: list[Hit] = []
        for pid, dist in zip(res["ids"][0], res["distances"][0]):
            p = self._passages[int(pid)]
            hits.append(Hit(score=1.0 - float(dist), text=p.text, citation=p.citation()))
        return hits

    def ask(self, question: str) -> Answer:
        return _answer(question, self.retrieve(question), self.name)

    def close(self) -> None:
        self._tmp.cleanup()


class Bm25Baseline:
    """bm25s over corpus lines; the top line is the answer."""

    name = "bm25"

    def __init__(self, settings: Settings, k: int = 5) -> None:
        import bm25s

        self.k = k
        self._bm25s = bm25s
        self._stemmer = stemmer()
        self._passages = line_passages(Path(settings.corpus))
        tokens = bm25s.tokenize([p.text for p in self._passages], stopwords="en", stemmer=self._stemmer,
                                show_progress=False)
        self._index = bm25s.BM25()
        self._index.index(tokens, show_progress=False)

    def retrieve(self, question: str, k: int | None = None) -> list[Hit]:
        query = self._bm25s.tokenize([question], stopwords="en", stemmer=self._stemmer, return_ids=False,
                                     show_progress=False)
        if not query or not any(t in self._index.vocab_dict for t in query[0]):
            return []
        k = min(k or self.k, len(self._passages))
        docs, scores = self._index.retrieve(query, k=k, show_progress=False)
        return [Hit(score=float(s), text=self._passages[int(d)].text, citation=self._passages[int(d)].citation())
                for d, s in zip(docs[0], scores[0]) if float(s) > 0]

    def ask(self, question: str) -> Answer:
        return _answer(question, self.retrieve(question), self.name)

    def close(self) -> None:
        return None


BASELINES: dict[str, type] = {"naive-rag": NaiveRag, "bm25": Bm25Baseline}


def make_baseline(name: str, settings: Settings) -> System:
    """Build a baseline by name, with a clear error for unknown names."""
    cls = BASELINES.get(name)
    if cls is None:
        raise ConfigError(f"unknown baseline '{name}'; choose from {', '.join(BASELINES)}")
    return cls(settings)
