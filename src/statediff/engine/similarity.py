"""How alike two sentences are: embedding cosine and tf-idf word overlap, for the old/new pairs worth scoring.

Embeddings see meaning and paraphrase but rate unrelated sentences on the same topic too high; words see
figures and names but miss paraphrase. Alignment weighs the two.

Short statements (up to ``DENSE_PAIRS`` pairs) score every pair. Long ones score, in blocks of old sentences,
each sentence's ``NEAREST`` best counterparts on either side (one matrix product per block): the candidates.
Any other pair a later stage asks about (a neighbour of a link, say) is scored on demand, so time and memory
grow with the text, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from statediff.engine.segment import is_heading

_WORD = re.compile(r"[0-9]+(?:[.,/-][0-9]+)*|\w+")
_STOP = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "in", "is",
        "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "will",
        "with", "we", "our", "they", "them", "these", "those", "also", "not", "no",
    }
)

DENSE_PAIRS = 250_000
"""Up to this many old x new pairs, every pair is scored (exact); above it, only nearest neighbours."""
NEAREST = 10
"""Candidates per sentence (best counterparts by the blend) in a long text."""
_BLOCK = 256
"""Old sentences scored per matrix product in a long text (bounds memory to a block x new matrix)."""
CANDIDATE_WEIGHT = 0.5
"""Embedding weight of the blend that picks a long text's candidates (alignment's default blend)."""

Link = tuple[int, int]


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


def _tfidf_rows(old: list[list[str]], new: list[list[str]]) -> tuple[list[dict[int, float]], list[dict[int, float]], int]:
    """Unit tf-idf rows as {word id: weight} (sublinear tf; idf over both statements' sentences), and the vocabulary size."""
    docs = old + new
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for doc in docs:
        for tok in set(doc):
            df[tok] += 1
            vocab.setdefault(tok, len(vocab))
    idf = {tok: math.log((1 + len(docs)) / (1 + df[tok])) + 1.0 for tok in vocab}

    def row(doc: list[str]) -> dict[int, float]:
        weights = {vocab[tok]: (1.0 + math.log(c)) * idf[tok] for tok, c in Counter(doc).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {k: w / norm for k, w in weights.items()}

    return [row(d) for d in old], [row(d) for d in new], len(vocab)


def _dense(rows: list[dict[int, float]], width: int) -> np.ndarray:
    out = np.zeros((len(rows), max(width, 1)), dtype=np.float32)
    for r, row in enumerate(rows):
        for k, w in row.items():
            out[r, k] = w
    return out


HUB_NEIGHBOURS = 4
"""How many nearest counterparts measure how "central" a sentence is."""
BACKGROUND = 0.3
"""Typical cosine of unrelated sentences of one statement; stands in for missing neighbours in short texts."""


def _radius(top: np.ndarray) -> np.ndarray:
    """Mean of each row's ``HUB_NEIGHBOURS`` best scores (``top`` holds at most that many per row)."""
    missing = HUB_NEIGHBOURS - top.shape[1]
    return np.asarray((top.sum(axis=1) + missing * BACKGROUND) / HUB_NEIGHBOURS, dtype=np.float32)


def local_scaling(cos: np.ndarray) -> np.ndarray:
    """Cosine corrected for hubness (CSLS, Conneau et al. 2018): minus the mean of both sentences' nearest scores.

    A sentence on a statement's main theme is close to many others; its raw cosines overstate how alike
    it is to any one of them. Subtracting each side's mean similarity to its nearest counterparts, then
    adding 0.5 back, keeps the scale in [0, 1] with unrelated pairs near the bottom.
    """
    k = HUB_NEIGHBOURS
    r_old = _radius(np.sort(cos, axis=1)[:, -k:])[:, None]
    r_new = _radius(np.sort(cos.T, axis=1)[:, -k:])[None, :]
    return np.asarray(np.clip(cos - 0.5 * (r_old + r_new) + 0.5, 0.0, 1.0), dtype=np.float32)


@dataclass(frozen=True)
class Similarity:
    """Embedding and word similarity (values in [0, 1]) of the candidate old/new pairs, and of any other on demand."""

    n: int
    """Old sentences."""
    m: int
    """New sentences."""
    pairs: np.ndarray
    """Candidate pairs, shape (C, 2): every pair (row-major) for a short text, nearest neighbours for a long one."""
    emb: np.ndarray
    """Cosine of the sentence embeddings at each candidate, corrected for hubness (``local_scaling``)."""
    lex: np.ndarray
    """Cosine of the tf-idf word vectors at each candidate."""
    dense: bool
    """True when every pair is a candidate (``pairs`` is then row-major, so pair (i, j) sits at i * m + j)."""
    old_vecs: np.ndarray = field(repr=False)
    new_vecs: np.ndarray = field(repr=False)
    r_old: np.ndarray = field(repr=False)
    """Each old sentence's hubness radius (mean cosine to its nearest new sentences)."""
    r_new: np.ndarray = field(repr=False)
    old_words: list[dict[int, float]] = field(repr=False)
    new_words: list[dict[int, float]] = field(repr=False)
    old_heading: np.ndarray = field(repr=False)
    """Which old sentences are headings: a heading aligns only with a heading (both similarities 0 otherwise)."""
    new_heading: np.ndarray = field(repr=False)

    def pair(self, i: int, j: int) -> tuple[float, float]:
        """(embedding, word) similarity of one pair, computed directly."""
        if self.old_heading[i] != self.new_heading[j]:
            return 0.0, 0.0
        cos = min(max(float(self.old_vecs[i] @ self.new_vecs[j]), 0.0), 1.0)
        emb = min(max(cos - 0.5 * (float(self.r_old[i]) + float(self.r_new[j])) + 0.5, 0.0), 1.0)
        a, b = self.old_words[i], self.new_words[j]
        if len(a) > len(b):
            a, b = b, a
        lex = min(max(sum(w * b.get(k, 0.0) for k, w in a.items()), 0.0), 1.0)
        return emb, lex

    def blend(self, embed_weight: float) -> Scores:
        """``embed_weight`` of the embedding similarity plus the rest of the word similarity."""
        values = np.asarray(embed_weight * self.emb + (1.0 - embed_weight) * self.lex, dtype=np.float32)
        return Scores(self, embed_weight, values)


class Scores:
    """One blend of the two similarities: candidate values, with any other pair scored on demand."""

    def __init__(self, sims: Similarity, embed_weight: float, values: np.ndarray) -> None:
        self.sims = sims
        self.embed_weight = embed_weight
        self.values = values
        self._index: dict[Link, int] | None = None
        self._extra: dict[Link, float] = {}

    @property
    def shape(self) -> tuple[int, int]:
        return self.sims.n, self.sims.m

    def _position(self, i: int, j: int) -> int | None:
        if self.sims.dense:
            return i * self.sims.m + j
        if self._index is None:
            self._index = {(int(a), int(b)): k for k, (a, b) in enumerate(self.sims.pairs)}
        return self._index.get((i, j))

    def __getitem__(self, link: Link) -> float:
        i, j = link
        k = self._position(i, j)
        if k is not None:
            return float(self.values[k])
        if link not in self._extra:
            emb, lex = self.sims.pair(i, j)
            self._extra[link] = float(np.float32(self.embed_weight * emb + (1.0 - self.embed_weight) * lex))
        return self._extra[link]

    def ranked(self) -> Iterator[tuple[float, int, int]]:
        """Candidates, most similar first (ties in row-major order)."""
        order = np.argsort(-self.values, kind="stable")
        pairs, values = self.sims.pairs, self.values
        for k in order:
            yield float(values[k]), int(pairs[k, 0]), int(pairs[k, 1])

    def ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's rank (0 = best) among its old sentence's candidates, and among its new sentence's."""
        pairs, values = self.sims.pairs, self.values
        by_row = np.zeros(len(values), dtype=np.int64)
        by_col = np.zeros(len(values), dtype=np.int64)
        for side, out in ((0, by_row), (1, by_col)):
            order = np.lexsort((-values, pairs[:, side]))  # by sentence, best first; stable, as argsort of the matrix
            keys = pairs[order, side]
            starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
            first = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
            out[order] = np.arange(len(keys)) - first
        return by_row, by_col

    def best(self) -> tuple[dict[int, int], dict[int, int]]:
        """Each old sentence's best new candidate, and each new sentence's best old one (lowest index on ties)."""
        return self._firsts(0), self._firsts(1)

    def _firsts(self, side: int) -> dict[int, int]:
        """Each sentence of ``side``'s best counterpart, keys in the order of a walk over all candidates best first
        (ties in row-major order), the order the dict had when it was filled by that walk in Python (16,000 steps
        for a G7 pair)."""
        pairs, values = self.sims.pairs, self.values
        if not len(values):
            return {}
        order = np.lexsort((pairs[:, 1 - side], -values, pairs[:, side]))  # by sentence, best first, lowest index
        keys = pairs[order, side]
        heads = order[np.r_[True, keys[1:] != keys[:-1]]]
        heads = heads[np.lexsort((pairs[heads, 1], pairs[heads, 0], -values[heads]))]
        return dict(zip(pairs[heads, side].tolist(), pairs[heads, 1 - side].tolist(), strict=True))

    def within(self, rows: Sequence[int], cols: Sequence[int]) -> Iterator[tuple[float, int, int]]:
        """Candidates with the old sentence in ``rows`` and the new one in ``cols``."""
        if not rows or not cols:
            return
        if self.sims.dense:
            block = self.values.reshape(self.shape)[np.ix_(list(rows), list(cols))]
            for a, i in enumerate(rows):
                for b, j in enumerate(cols):
                    yield float(block[a, b]), i, j
            return
        pairs = self.sims.pairs
        mask = np.isin(pairs[:, 0], rows) & np.isin(pairs[:, 1], cols)
        for k in np.flatnonzero(mask):
            yield float(self.values[k]), int(pairs[k, 0]), int(pairs[k, 1])


def similarity(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray) -> Similarity:
    """Both similarities of the candidate old/new pairs of normalised sentences, given their unit vectors."""
    n, m = len(old_texts), len(new_texts)
    a = np.asarray(old_vecs, dtype=np.float32).reshape(n, -1) if n else np.zeros((0, 1), dtype=np.float32)
    b = np.asarray(new_vecs, dtype=np.float32).reshape(m, -1) if m else np.zeros((0, 1), dtype=np.float32)
    old_words, new_words, width = _tfidf_rows([tokens(t) for t in old_texts], [tokens(t) for t in new_texts])
    heads = np.array([is_heading(t) for t in old_texts], dtype=bool), np.array([is_heading(t) for t in new_texts], dtype=bool)
    empty = np.zeros(0, dtype=np.float32)
    if not n or not m:
        return Similarity(n, m, np.zeros((0, 2), dtype=np.int64), empty, empty, True, a, b, empty, empty, old_words, new_words,
                          *heads)
    if n * m <= DENSE_PAIRS:
        cos = np.clip(a @ b.T, 0.0, 1.0)
        k = HUB_NEIGHBOURS
        r_old = _radius(np.sort(cos, axis=1)[:, -k:])
        r_new = _radius(np.sort(cos.T, axis=1)[:, -k:])
        lex = np.clip(_dense(old_words, width) @ _dense(new_words, width).T, 0.0, 1.0)
        rows, cols = np.divmod(np.arange(n * m, dtype=np.int64), m)
        apart = (heads[0][:, None] != heads[1][None, :]).ravel()
        emb, lex = local_scaling(cos).ravel(), lex.ravel()
        emb[apart] = 0.0
        lex[apart] = 0.0
        return Similarity(n, m, np.stack([rows, cols], axis=1), emb, lex, True, a, b, r_old, r_new, old_words, new_words, *heads)
    return _nearest(n, m, a, b, old_words, new_words, heads)


def _largest(values: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` largest values of each row (unordered; all of them when a row has fewer)."""
    if values.shape[1] <= k:
        return values
    return np.partition(values, values.shape[1] - k, axis=1)[:, -k:]


def _nearest(n: int, m: int, a: np.ndarray, b: np.ndarray, old_words: list[dict[int, float]],
             new_words: list[dict[int, float]], heads: tuple[np.ndarray, np.ndarray]) -> Similarity:
    """Candidates of a long text: each sentence's ``NEAREST`` best counterparts by the blend, block by block."""
    k = HUB_NEIGHBOURS
    # Pass 1: hubness radii (each side's k nearest cosines), keeping only a running top-k per new sentence
    # (new sentences as rows, so every partition runs along contiguous memory).
    r_old = np.zeros(n, dtype=np.float32)
    col_top = np.zeros((m, 0), dtype=np.float32)
    for start in range(0, n, _BLOCK):
        cos = np.clip(b @ a[start : start + _BLOCK].T, 0.0, 1.0)  # new x block
        r_old[start : start + cos.shape[1]] = _radius(_largest(cos.T, k))
        col_top = _largest(np.concatenate([col_top, cos], axis=1), k)
    r_new = _radius(col_top)

    # Word vectors as sparse matrices (scipy, imported only for a long text): a block's word similarity is one product.
    from scipy import sparse

    width = 1 + max((k for row in old_words + new_words for k in row), default=0)

    def matrix(rows: list[dict[int, float]]) -> sparse.csr_matrix:
        indptr = np.cumsum([0] + [len(row) for row in rows])
        indices = np.fromiter((k for row in rows for k in row), dtype=np.int64, count=int(indptr[-1]))
        data = np.fromiter((w for row in rows for w in row.values()), dtype=np.float32, count=int(indptr[-1]))
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))

    old_m, new_m = matrix(old_words), matrix(new_words)
    old_t = old_m.T.tocsc()  # columns sliced per block

    # Pass 2: the blend per block; each old sentence's best, and a running best per new sentence.
    found: list[np.ndarray] = []
    col_best = np.zeros((m, 0), dtype=np.float32)
    col_rows = np.zeros((m, 0), dtype=np.int64)
    w_emb = CANDIDATE_WEIGHT
    for start in range(0, n, _BLOCK):
        stop = min(start + _BLOCK, n)
        blend = b @ a[start:stop].T  # new x block, built in place: the embedding part, hubness-corrected, then words
        np.clip(blend, 0.0, 1.0, out=blend)
        blend -= 0.5 * (r_new[:, None] + r_old[None, start:stop]) - 0.5
        np.clip(blend, 0.0, 1.0, out=blend)
        blend *= w_emb
        blend += (1.0 - w_emb) * np.clip((new_m @ old_t[:, start:stop]).toarray(), 0.0, 1.0)
        if heads[0][start:stop].any() or heads[1].any():
            blend[heads[1][:, None] != heads[0][None, start:stop]] = 0.0
        rows = np.arange(start, stop)
        by_old = np.ascontiguousarray(blend.T)
        if m > NEAREST:
            top_rows = np.argpartition(-by_old, NEAREST - 1, axis=1)[:, :NEAREST]
        else:
            top_rows = np.tile(np.arange(m), (len(rows), 1))
        found.append((rows[:, None] * m + top_rows).ravel())
        both = np.concatenate([col_best, blend], axis=1)
        both_rows = np.concatenate([col_rows, np.broadcast_to(rows[None, :], blend.shape)], axis=1)
        if both.shape[1] > NEAREST:
            keep = np.argpartition(-both, NEAREST - 1, axis=1)[:, :NEAREST]
            col_best = np.take_along_axis(both, keep, axis=1)
            col_rows = np.take_along_axis(both_rows, keep, axis=1)
        else:
            col_best, col_rows = both, np.ascontiguousarray(both_rows)
    found.append((col_rows * m + np.arange(m)[:, None]).ravel())
    keys = np.unique(np.concatenate(found).astype(np.int64))
    pairs = np.stack(np.divmod(keys, m), axis=1)
    emb_c = np.clip(np.clip(np.einsum("ij,ij->i", a[pairs[:, 0]], b[pairs[:, 1]]), 0.0, 1.0)
                    - 0.5 * (r_old[pairs[:, 0]] + r_new[pairs[:, 1]]) + 0.5, 0.0, 1.0)
    emb_c[heads[0][pairs[:, 0]] != heads[1][pairs[:, 1]]] = 0.0
    lex_c = np.clip(np.asarray(old_m[pairs[:, 0]].multiply(new_m[pairs[:, 1]]).sum(axis=1)).ravel(), 0.0, 1.0)
    lex_c[heads[0][pairs[:, 0]] != heads[1][pairs[:, 1]]] = 0.0
    return Similarity(n, m, pairs, emb_c.astype(np.float32), lex_c.astype(np.float32), False, a, b, r_old, r_new,
                      old_words, new_words, *heads)
