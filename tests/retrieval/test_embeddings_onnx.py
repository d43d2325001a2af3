"""The onnxruntime embedder against the sentence-transformers reference, and a question path without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.retrieval import onnx_export
from assistant.retrieval.embeddings import MODEL_ID, VectorCache, get_embedder, get_reference_embedder
from assistant.retrieval.model_cli import CHECK_SENTENCES, check_sentences
from assistant.retrieval.onnx_embedder import OnnxEmbedder
from assistant.retrieval.onnx_export import ensure_onnx_model

MIN_COSINE = 0.9999  # issue 11: the same vectors, sentence by sentence
# int8 weights (the onnx-int8 backend, the default) change vectors a little: measured mean 0.993,
# min 0.987 on the 200 sentences (one text per run); these bounds catch a broken quantisation, not
# that drift.
INT8_MEAN_COSINE = 0.98
INT8_MIN_COSINE = 0.95
TORCH_MODULES = ("torch", "transformers", "sentence_transformers")


def test_onnx_vectors_match_the_reference_on_200_corpus_sentences() -> None:
    texts = check_sentences()
    assert len(texts) == CHECK_SENTENCES == 200
    assert len(set(texts)) == len(texts)
    onnx = get_embedder(Settings(embedder="onnx"), role="bulk").embed_documents(texts)
    reference = get_reference_embedder().embed_documents(texts)
    assert onnx.shape == reference.shape == (200, 384)
    cosine = (onnx * reference).sum(axis=1)
    worst = int(np.argmin(cosine))
    assert cosine.min() >= MIN_COSINE, (float(cosine.min()), texts[worst])
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)


def test_int8_vectors_stay_close_to_the_reference() -> None:
    texts = check_sentences()
    int8 = get_embedder(Settings(embedder="onnx-int8"), role="bulk").embed_documents(texts)
    reference = get_reference_embedder().embed_documents(texts)
    cosine = (int8 * reference).sum(axis=1)
    assert cosine.mean() >= INT8_MEAN_COSINE and cosine.min() >= INT8_MIN_COSINE, (cosine.mean(), cosine.min())


def test_long_texts_are_truncated_like_the_reference() -> None:
    long_text = " ".join(["the council will review the corporate parenting strategy"] * 80)  # > 256 tokens
    onnx = get_embedder(Settings(embedder="onnx")).embed_query(long_text)
    reference = get_reference_embedder().embed_query(long_text)
    assert float(onnx @ reference) >= MIN_COSINE


def test_batches_sorted_by_length_keep_the_order_of_the_input() -> None:
    texts = ["Climate change", "Who leads the Channel Shift strategy in Commissioning, Communities and Policy?",
             "KPI", "Deliver the new Channel Shift strategy", "a", "Reduce the number of looked after children "
             "placed out of county by working with providers", "Budget 2020-21 £m"]
    embedder = OnnxEmbedder(ensure_onnx_model(), model_id=MODEL_ID, threads=1, batch_size=2)
    seen: list[int] = []
    together = embedder.embed_documents(texts, progress=seen.append)
    one_by_one = np.vstack([embedder.embed_query(t) for t in texts])
    assert np.allclose(together, one_by_one, atol=1e-5)
    assert seen == sorted(seen) and seen[-1] == len(texts)


def test_concurrent_runs_give_the_same_vectors_in_the_same_order() -> None:
    texts = check_sentences()[:60]
    model = ensure_onnx_model()
    one = OnnxEmbedder(model, model_id=MODEL_ID, threads=1, workers=1).embed_documents(texts)
    seen: list[int] = []
    two = OnnxEmbedder(model, model_id=MODEL_ID, threads=1, workers=2).embed_documents(texts, progress=seen.append)
    assert np.allclose(one, two, atol=1e-6)
    assert seen == sorted(seen) and seen[-1] == len(texts)


def test_an_int8_vector_does_not_depend_on_the_texts_embedded_with_it() -> None:
    """Dynamic int8 quantises a run's activations with one scale: batched, a text's vector moved
    with its neighbours (cosine 0.978 at worst); one text per run makes it the question's vector."""
    texts = check_sentences()[:40]
    embedder = get_embedder(Settings(embedder="onnx-int8"), role="bulk")
    assert isinstance(embedder, OnnxEmbedder) and embedder.batch_size == 1
    together = embedder.embed_documents(texts)
    alone = np.vstack([embedder.embed_documents([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-6)
    query = get_embedder(Settings(embedder="onnx-int8"), role="query")
    assert np.allclose(query.embed_query(texts[3]), together[3], atol=1e-6)


def test_the_question_path_never_imports_torch(built_settings: Settings) -> None:
    """A real `ask` in a fresh process, over an indexed corpus, that embeds the question with
    onnxruntime; torch, transformers and sentence-transformers are never imported, nor chromadb
    (questions read the index's own copy of the vectors)."""
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from assistant.cli import main\n"
        "result = CliRunner().invoke(main, ['ask', '--json', 'Who leads the Channel Shift strategy?'])\n"
        "print(json.dumps({'exit': result.exit_code, 'output': result.stdout,\n"
        "                  'modules': sorted(m.split('.')[0] for m in sys.modules)}))\n")
    env = {**os.environ, "PLAN_ASSISTANT_HOME": str(built_settings.home), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    env.pop("PLAN_ASSISTANT_EMBEDDER", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["exit"] == 0, report["output"]
    answer = json.loads(report["output"])
    assert answer["answer"] and not answer["abstained"]
    modules = set(report["modules"])
    assert "onnxruntime" in modules  # the question was embedded
    assert not modules & {*TORCH_MODULES, "chromadb"}, sorted(modules & {*TORCH_MODULES, "chromadb"})


def test_fingerprint_follows_the_model_files_and_is_memoised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights" * 100)
    (model / "config.json").write_text('{"hidden_size": 8}')
    cache = tmp_path / "cache"
    calls: list[int] = []
    real_hash = onnx_export._hash_files
    monkeypatch.setattr(onnx_export, "_hash_files", lambda files, d: calls.append(1) or real_hash(files, d))
    first = onnx_export.fingerprint(model, cache)
    assert onnx_export.fingerprint(model, cache) == first and len(calls) == 1  # read from stamps.json
    (model / "config.json").write_text('{"hidden_size": 16}')
    assert onnx_export.fingerprint(model, cache) != first and len(calls) == 2
    assert onnx_export.find_onnx_model(model, cache) is None  # never exported: nothing found, no torch


def test_a_model_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(onnx_export.ModelExportError, match="no model weights"):
        onnx_export.fingerprint(tmp_path, tmp_path / "cache")


def test_unknown_backend_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="PLAN_ASSISTANT_EMBEDDER"):
        get_embedder(Settings(embedder="word2vec"))


def test_vector_cache_reports_progress_and_skips_cached_texts(tmp_path: Path) -> None:
    class Fake:
        model_id = "fake"
        dimensions = 384

        def __init__(self) -> None:
            self.seen: list[str] = []

        def embed_documents(self, texts, progress=None):  # noqa: ANN001, ANN202
            self.seen.extend(texts)
            if progress:
                progress(len(texts))
            return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

        def embed_query(self, text):  # noqa: ANN001, ANN202
            return self.embed_documents([text])[0]

    fake = Fake()
    done: list[int] = []
    with VectorCache(tmp_path, model_id="fake") as cache:
        cache.embed(["alpha", "beta"], embedder=fake)
        _, stats = cache.embed(["alpha", "gamma", "beta"], embedder=fake, progress=done.append)
    assert fake.seen == ["alpha", "beta", "gamma"]
    assert (stats.hits, stats.misses) == (2, 1)
    assert done == [2, 3]


def test_model_command_shows_the_cached_export() -> None:
    from click.testing import CliRunner

    from assistant.cli import main

    result = CliRunner().invoke(main, ["model", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert Path(info["onnx"]).is_file() and info["onnx"].endswith(".opt.onnx")
    assert info["dimensions"] == 384 and info["max_seq_length"] == 256
    assert len(info["fingerprint"]) == 32
