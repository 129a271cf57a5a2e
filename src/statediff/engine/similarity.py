"""How alike two sentences are: embedding cosine and tf-idf word overlap, for every old/new pair.

Embeddings see meaning and paraphrase but rate unrelated sentences on the same topic too high; words see
figures and names but miss paraphrase. Alignment weighs the two.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[0-9]+(?:[.,/-][0-9]+)*|\w+")
_STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "in", "is",
        "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "will",
        "with", "we", "our", "they", "them", "these", "those", "also", "not", "no",
    }
)


def tokens(text: str) -> list[str]:
    """Lower-cased words and numbers (``5-1/4`` stays one token) of a normalised sentence."""
    return _WORD.findall(text.lower())


def content(toks: list[str]) -> list[str]:
    """Tokens without the commonest function words (they say nothing about where a sentence came from)."""
    return [t for t in toks if t not in _STOP]


def coverage(long: list[str], parts: list[list[str]]) -> float:
    """Share of ``long``'s tokens found in ``parts`` (with multiplicity)."""
    if not long:
        return 0.0
    have = Counter(tok for part in parts for tok in part)
    need = Counter(long)
    return sum(min(c, have[t]) for t, c in need.items()) / sum(need.values())


def _tfidf(old: list[list[str]], new: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Unit tf-idf rows (sublinear tf; idf over both statements' sentences)."""
    docs = old + new
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for doc in docs:
        for tok in set(doc):
            df[tok] += 1
            vocab.setdefault(tok, len(vocab))
    idf = np.ones(max(len(vocab), 1), dtype=np.float32)
    for tok, k in vocab.items():
        idf[k] = math.log((1 + len(docs)) / (1 + df[tok])) + 1.0

    def matrix(group: list[list[str]]) -> np.ndarray:
        rows = np.zeros((len(group), max(len(vocab), 1)), dtype=np.float32)
        for r, doc in enumerate(group):
            for tok, c in Counter(doc).items():
                rows[r, vocab[tok]] = (1.0 + math.log(c)) * idf[vocab[tok]]
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(rows / norms, dtype=np.float32)

    return matrix(old), matrix(new)


@dataclass(frozen=True)
class Similarity:
    """The two similarity matrices (old x new, values in [0, 1]) that alignment weighs."""

    emb: np.ndarray
    """Cosine of the sentence embeddings, corrected for hubness (``local_scaling``)."""
    lex: np.ndarray
    """Cosine of the tf-idf word vectors."""

    def blend(self, embed_weight: float) -> np.ndarray:
        """``embed_weight`` of the embedding similarity plus the rest of the word similarity."""
        return np.asarray(embed_weight * self.emb + (1.0 - embed_weight) * self.lex, dtype=np.float32)


def similarity(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray) -> Similarity:
    """Both similarities of every old/new pair of normalised sentences, given their unit vectors."""
    if not old_texts or not new_texts:
        empty = np.zeros((len(old_texts), len(new_texts)), dtype=np.float32)
        return Similarity(empty, empty)
    cos = np.clip(np.asarray(old_vecs, dtype=np.float32) @ np.asarray(new_vecs, dtype=np.float32).T, 0.0, 1.0)
    a, b = _tfidf([tokens(t) for t in old_texts], [tokens(t) for t in new_texts])
    return Similarity(local_scaling(cos), np.clip(a @ b.T, 0.0, 1.0))


HUB_NEIGHBOURS = 4
"""How many nearest counterparts measure how "central" a sentence is."""
BACKGROUND = 0.3
"""Typical cosine of unrelated sentences of one statement; stands in for missing neighbours in short texts."""


def local_scaling(cos: np.ndarray) -> np.ndarray:
    """Cosine corrected for hubness (CSLS, Conneau et al. 2018): minus the mean of both sentences' nearest scores.

    A sentence on a statement's main theme is close to many others; its raw cosines overstate how alike
    it is to any one of them. Subtracting each side's mean similarity to its nearest counterparts, then
    adding 0.5 back, keeps the scale in [0, 1] with unrelated pairs near the bottom.
    """
    k = HUB_NEIGHBOURS

    def nearest(rows: np.ndarray) -> np.ndarray:
        top = np.sort(rows, axis=1)[:, -k:]
        missing = k - top.shape[1]
        return np.asarray((top.sum(axis=1) + missing * BACKGROUND) / k, dtype=np.float32)

    r_old = nearest(cos)[:, None]
    r_new = nearest(cos.T)[None, :]
    return np.asarray(np.clip(cos - 0.5 * (r_old + r_new) + 0.5, 0.0, 1.0), dtype=np.float32)
