"""Fusing the BM25 and dense rankings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60
BM25_WEIGHT = 0.3


def weighted_sum(candidates: Sequence[str], bm25_share: Mapping[str, float], cosine: Mapping[str, float],
                 bm25_weight: float = BM25_WEIGHT) -> list[tuple[str, float]]:
    """Hybrid score ``w * bm25_share + (1 - w) * cosine`` for every candidate, best first.

    ``bm25_share`` is a chunk's BM25 score over the best score attainable for the query (how much of
    the query it matches, 0..1) and ``cosine`` its similarity to the query, so both scales are
    absolute: a ranking with nothing good in it cannot lift its best, weak candidates to the top, as
    min-max normalisation or rank fusion would, and the fused score means the same across queries
    (callers can abstain below a threshold). A candidate missing a score counts 0 for it.
    """
    fused = [(c, bm25_weight * bm25_share.get(c, 0.0) + (1 - bm25_weight) * cosine.get(c, 0.0))
             for c in dict.fromkeys(candidates)]
    return sorted(fused, key=lambda x: -x[1])


def rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None,
        k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion (the rank-only alternative): score(id) = sum_w w / (k + rank),
    normalised so that an id ranked first everywhere scores 1.0."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is required")
    best = sum(w / (k + 1) for w in weights) or 1.0
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(((i, s / best) for i, s in scores.items()), key=lambda x: -x[1])
