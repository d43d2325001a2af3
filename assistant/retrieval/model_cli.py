"""`plan-assistant model`: export the embedding model to ONNX (once), show where it is, check it.

Ingest exports the model by itself the first time it needs it; this command does it ahead of time
(for example while building a machine image) and reports what the question path will load.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from assistant.config import REPO_ROOT, get_settings

CHECK_SENTENCES = 200  # corpus sentences embedded both ways by --check
MIN_WORDS = 4  # a line shorter than this is a heading or a cell, not a sentence


@click.command("model")
@click.option("--force", is_flag=True, help="Export again even if the cached file exists.")
@click.option("--int8", "int8", is_flag=True, help="Also write the int8-quantised variant.")
@click.option("--check", is_flag=True,
              help=f"Embed {CHECK_SENTENCES} corpus sentences with onnxruntime and with the PyTorch "
                   "reference, and print their agreement (imports torch).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def model(force: bool, int8: bool, check: bool, as_json: bool) -> None:
    """Export the embedding model to ONNX once (cached by the model files' hash) and show it."""
    for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1")):
        os.environ.setdefault(key, value)
    from assistant.retrieval.embeddings import backend_name, bulk_threads, model_cache_root
    from assistant.retrieval.onnx_export import bundled_model_dir, ensure_onnx_model

    settings = get_settings()
    root = model_cache_root(settings)
    t0 = time.perf_counter()
    fp32 = ensure_onnx_model(cache_root=root, force=force)
    quantised = ensure_onnx_model(cache_root=root, quantized=True) if int8 or settings.embedder == "onnx-int8" else None
    info = {"backend": backend_name(settings), "model_dir": str(bundled_model_dir()), "cache": str(root),
            "fingerprint": fp32.fingerprint, "onnx": str(fp32.path),
            "onnx_mb": round(_size(fp32.path) / 1e6, 1),
            "onnx_int8": str(quantised.path) if quantised else None,
            "max_seq_length": fp32.max_seq_length, "dimensions": fp32.dimensions,
            "bulk_threads": bulk_threads(), "seconds": round(time.perf_counter() - t0, 2)}
    if check:
        info["check"] = _check(quantised is not None and settings.embedder == "onnx-int8")
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if key == "check":
            for k, v in value.items():
                click.echo(f"  {k:<22} {v}")
        elif value is not None:
            click.echo(f"{key:<16} {value}")


def _size(model_file: Path) -> int:
    """Bytes of a model file and of its external weights file, if any."""
    data = model_file.with_name(model_file.name + ".data")
    return model_file.stat().st_size + (data.stat().st_size if data.is_file() else 0)


def check_sentences(limit: int = CHECK_SENTENCES) -> list[str]:
    """Up to ``limit`` distinct lines of the bundled corpus with at least MIN_WORDS words, spread
    evenly over its files (deterministic)."""
    files = sorted((REPO_ROOT / "corpus").glob("*.txt"))
    per_file = [[line.strip() for line in f.read_text(encoding="utf-8").splitlines()
                 if len(line.split()) >= MIN_WORDS] for f in files]
    pools = [list(dict.fromkeys(lines)) for lines in per_file if lines]
    out: list[str] = []
    share = -(-limit // max(1, len(pools)))
    for lines in pools:
        step = max(1, len(lines) // share)
        out.extend(lines[::step][:share])
    return out[:limit]


def _check(quantized: bool) -> dict[str, object]:
    """Agreement and speed of the ONNX backend against the PyTorch reference."""
    from assistant.retrieval.embeddings import MODEL_IDS, bulk_threads, get_reference_embedder
    from assistant.retrieval.onnx_embedder import OnnxEmbedder
    from assistant.retrieval.onnx_export import ensure_onnx_model

    texts = check_sentences()
    onnx = OnnxEmbedder(ensure_onnx_model(quantized=quantized),
                        model_id=MODEL_IDS["onnx-int8" if quantized else "onnx"], workers=bulk_threads())
    reference = get_reference_embedder()
    t0 = time.perf_counter()
    a = onnx.embed_documents(texts)
    onnx_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = reference.embed_documents(texts)
    ref_s = time.perf_counter() - t0
    cos = (a * b).sum(axis=1)
    return {"sentences": len(texts), "min_cosine": round(float(cos.min()), 6),
            "mean_cosine": round(float(cos.mean()), 6),
            "onnx_vectors_per_s": round(len(texts) / onnx_s, 1),
            "reference_vectors_per_s": round(len(texts) / ref_s, 1)}
