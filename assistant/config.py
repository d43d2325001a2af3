"""Configuration from environment variables with the prefix ``PLAN_ASSISTANT_``.

``PLAN_ASSISTANT_HOME`` is where the DuckDB file, the Chroma store and caches live, so that
tests and users can keep several apart. Nothing is read at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus"


class Settings(BaseSettings):
    """All knobs of the assistant; every field can be set as PLAN_ASSISTANT_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="PLAN_ASSISTANT_", extra="ignore")

    home: Path = REPO_ROOT / ".plan-assistant"
    corpus: Path = BUNDLED_CORPUS
    llm: str | None = None  # e.g. "ollama:llama3" or "openai:gpt-4o-mini"; off by default
    max_question_chars: int = 2000
    sql_row_limit: int = 500
    sql_timeout_s: float = 5.0
    # Bounds of every SQL query (issue 14): DuckDB's memory_limit and threads for our connections;
    # a worker process running SQL from outside (`sql`, LLM text-to-SQL) is also capped at
    # memory_limit + sql_worker_headroom_mb of address space, and killed after sql_timeout_s.
    sql_memory_limit_mb: int = 1024
    sql_threads: int = 2
    sql_worker_headroom_mb: int = 1024  # Python + DuckDB's own mappings (about 840 MB measured)
    sql_max_chars: int = 20_000  # longer SQL text is refused before parsing
    # A second ingest waits this long for the one running to finish, then gives up with a message.
    ingest_lock_wait_s: float = 1800.0
    # A Chroma server (``chroma run``) for the vector index, e.g. "http://127.0.0.1:8001"; unset
    # means local files under ``chroma_dir``. DuckDB and BM25 stay under ``home`` either way.
    chroma_url: str | None = None
    # Embedding backend: "onnx-int8" (default: onnxruntime with int8 weights, about 2x faster),
    # "onnx" (float32: the reference's vectors exactly) or the PyTorch reference
    # "sentence-transformers". Why int8 is the default: assistant/retrieval/embeddings.py.
    embedder: str = "onnx-int8"
    # Where the ONNX export of the embedding model is cached (default: ~/.cache/plan-assistant/models).
    model_cache: Path | None = None

    @property
    def db_path(self) -> Path:
        """The live DuckDB file."""
        return self.home / "plan.duckdb"

    @property
    def chroma_dir(self) -> Path:
        """The persistent Chroma store."""
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        """Embedding cache and other derived files."""
        return self.home / "cache"

    def ensure_home(self) -> Path:
        """Create the home directory if needed and return it."""
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]


def relative_file(path: Path | str) -> str:
    """A path as shown in citations: relative to the repo when inside it (``corpus/x.txt``)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return p.as_posix()
