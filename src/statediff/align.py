"""Two sentence lists (+ their vectors) -> ``Change`` records.

How links are found (each stage only links sentences still free, except split/merge):

1. identical sentences (after typography normalisation), paired in order;
2. confident pairs anywhere in the text: greedy on a similarity that blends embedding cosine with
   tf-idf word overlap (embeddings alone rate unrelated sentences on the same topic too high; words alone
   miss paraphrase);
3. the in-order backbone of those pairs (heaviest increasing chain); gaps between backbone pairs are
   aligned by dynamic programming with a lower threshold, as a reworded sentence usually stays in place;
4. neighbours of linked pairs: sentences moved as a paragraph keep their order, so a pair next to a link
   needs less similarity;
5. split / merge: a free sentence next to a linked one joins that link when the old sentence's words are
   covered better by the two new sentences together than by one (and likewise for merges).

Links then form groups (connected components); each group becomes one ``Change``. Groups off the backbone
are ``moved``. Changes are ordered by the new statement, removed sentences where they stood.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import Change, ChangeKind
from .textnorm import normalize


@dataclass(frozen=True)
class AlignConfig:
    """Thresholds of the stages above; the defaults were tuned on both dev sets together."""

    embed_weight: float = 0.5
    """Weight of embedding cosine in the blended similarity (the rest is tf-idf word overlap)."""
    confident: float = 0.62
    """Blended similarity for a link anywhere in the text (stage 2)."""
    in_gap: float = 0.40
    """Blended similarity for an in-order link inside a backbone gap (stage 3)."""
    neighbour: float = 0.45
    """Blended similarity for a link next to an existing one (stage 4)."""
    split: float = 0.35
    """Blended similarity of each part for a split or merge (stage 5)."""
    split_gain: float = 0.15
    """How much more of the longer side's words the parts must cover together than alone."""


DEFAULT_CONFIG = AlignConfig()

_WORD = re.compile(r"[0-9]+(?:[.,/-][0-9]+)*|\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased words and numbers of a normalised sentence."""
    return _WORD.findall(text.lower())


def _tfidf(old: list[list[str]], new: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    docs = old + new
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for doc in docs:
        for tok in set(doc):
            df[tok] += 1
            vocab.setdefault(tok, len(vocab))
    n = len(docs)
    idf = np.zeros(max(len(vocab), 1), dtype=np.float32)
    for tok, k in vocab.items():
        idf[k] = math.log((1 + n) / (1 + df[tok])) + 1.0

    def matrix(group: list[list[str]]) -> np.ndarray:
        m = np.zeros((len(group), max(len(vocab), 1)), dtype=np.float32)
        for r, doc in enumerate(group):
            for tok, c in Counter(doc).items():
                m[r, vocab[tok]] = (1.0 + math.log(c)) * idf[vocab[tok]]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return m / norms

    return matrix(old), matrix(new)


def similarity(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray,
               embed_weight: float = DEFAULT_CONFIG.embed_weight) -> np.ndarray:
    """Blended similarity matrix (old x new) in [0, 1]."""
    if not old_texts or not new_texts:
        return np.zeros((len(old_texts), len(new_texts)), dtype=np.float32)
    emb = np.clip(np.asarray(old_vecs, dtype=np.float32) @ np.asarray(new_vecs, dtype=np.float32).T, 0.0, 1.0)
    a, b = _tfidf([tokens(t) for t in old_texts], [tokens(t) for t in new_texts])
    lex = np.clip(a @ b.T, 0.0, 1.0)
    return np.asarray(embed_weight * emb + (1.0 - embed_weight) * lex, dtype=np.float32)


def _heaviest_chain(pairs: list[tuple[int, int]], weight: dict[tuple[int, int], float]) -> set[tuple[int, int]]:
    """The increasing (in both old and new) subset of pairs with the largest total weight."""
    if not pairs:
        return set()
    ordered = sorted(pairs)
    best = [weight[p] for p in ordered]
    back = [-1] * len(ordered)
    for k, (i, j) in enumerate(ordered):
        for q in range(k):
            pi, pj = ordered[q]
            if pi < i and pj < j and best[q] + weight[(i, j)] > best[k]:
                best[k] = best[q] + weight[(i, j)]
                back[k] = q
    k = int(np.argmax(best))
    chain = set()
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return chain


def _gap_dp(rows: list[int], cols: list[int], sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Monotone one-to-one alignment of free rows and cols maximising the sum of (sim - threshold)."""
    if not rows or not cols:
        return []
    n, m = len(rows), len(cols)
    gain = sim[np.ix_(rows, cols)] - threshold
    score = np.zeros((n + 1, m + 1), dtype=np.float64)
    for a in range(1, n + 1):
        for b in range(1, m + 1):
            score[a, b] = max(score[a - 1, b], score[a, b - 1], score[a - 1, b - 1] + gain[a - 1, b - 1])
    out: list[tuple[int, int]] = []
    a, b = n, m
    while a > 0 and b > 0:
        if score[a, b] == score[a - 1, b]:
            a -= 1
        elif score[a, b] == score[a, b - 1]:
            b -= 1
        else:
            out.append((rows[a - 1], cols[b - 1]))
            a -= 1
            b -= 1
    return out[::-1]


def _coverage(long: list[str], parts: list[list[str]]) -> float:
    """Share of the long sentence's words found in the parts."""
    if not long:
        return 0.0
    have = Counter(tok for part in parts for tok in part)
    need = Counter(long)
    return sum(min(c, have[t]) for t, c in need.items()) / sum(need.values())


def link(old_texts: Sequence[str], new_texts: Sequence[str], sim: np.ndarray,
         config: AlignConfig = DEFAULT_CONFIG) -> list[tuple[int, int]]:
    """All (old, new) links between normalised sentences given their blended similarity matrix."""
    n, m = len(old_texts), len(new_texts)
    old_of: dict[int, int] = {}
    new_of: dict[int, int] = {}
    links: list[tuple[int, int]] = []

    def add(i: int, j: int) -> None:
        old_of[j] = i
        new_of[i] = j
        links.append((i, j))

    # 1. identical sentences, duplicates paired in order
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(new_texts):
        positions[t].append(j)
    seen: Counter[str] = Counter()
    for i, t in enumerate(old_texts):
        if seen[t] < len(positions[t]):
            add(i, positions[t][seen[t]])
            seen[t] += 1

    # 2. confident pairs anywhere, best first
    if n and m:
        flat = np.argsort(-sim, axis=None, kind="stable")
        for k in flat:
            i, j = divmod(int(k), m)
            if sim[i, j] < config.confident:
                break
            if i not in new_of and j not in old_of:
                add(i, j)

    # 3. backbone and in-order gap filling
    weight = {p: float(sim[p]) for p in links}
    backbone = sorted(_heaviest_chain(links, weight))
    fences = [(-1, -1), *backbone, (n, m)]
    for (i0, j0), (i1, j1) in zip(fences, fences[1:]):
        rows = [i for i in range(i0 + 1, i1) if i not in new_of]
        cols = [j for j in range(j0 + 1, j1) if j not in old_of]
        for i, j in _gap_dp(rows, cols, sim, config.in_gap):
            add(i, j)

    # 4. neighbours of links, until nothing changes
    changed = True
    while changed:
        changed = False
        for i, j in sorted(links):
            for di in (-1, 1):
                a, b = i + di, j + di
                if 0 <= a < n and 0 <= b < m and a not in new_of and b not in old_of and sim[a, b] >= config.neighbour:
                    add(a, b)
                    changed = True

    # 5. splits (one old -> several new) and merges, onto adjacent free sentences
    toks_old = [tokens(t) for t in old_texts]
    toks_new = [tokens(t) for t in new_texts]
    one_to_one = list(links)
    for i, j in one_to_one:
        for b in (j - 1, j + 1):
            if 0 <= b < m and b not in old_of and sim[i, b] >= config.split:
                alone = _coverage(toks_old[i], [toks_new[j]])
                both = _coverage(toks_old[i], [toks_new[j], toks_new[b]])
                if both - alone >= config.split_gain:
                    old_of[b] = i
                    links.append((i, b))
        for a in (i - 1, i + 1):
            if 0 <= a < n and a not in new_of and sim[a, j] >= config.split:
                alone = _coverage(toks_new[j], [toks_old[i]])
                both = _coverage(toks_new[j], [toks_old[i], toks_old[a]])
                if both - alone >= config.split_gain:
                    new_of[a] = j
                    links.append((a, j))
    return sorted(set(links))


def _groups(links: list[tuple[int, int]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Connected components of the link graph, as (old indices, new indices)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in links:
        parent[find(("o", i))] = find(("n", j))
    comps: defaultdict[tuple[str, int], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for node in list(parent):
        side, k = node
        comps[find(node)][0 if side == "o" else 1].add(k)
    return [(tuple(sorted(o)), tuple(sorted(nw))) for o, nw in comps.values()]


def align(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray,
          config: AlignConfig = DEFAULT_CONFIG) -> list[Change]:
    """The edit script between two sentence lists (texts are compared after normalisation)."""
    old_norm = [normalize(t) for t in old_texts]
    new_norm = [normalize(t) for t in new_texts]
    sim = similarity(old_norm, new_norm, old_vecs, new_vecs, config.embed_weight)
    groups = _groups(link(old_norm, new_norm, sim, config))

    # In-order groups form the heaviest increasing chain; the rest moved.
    anchor = {g: (g[0][0], g[1][0]) for g in groups}
    weight = {anchor[g]: float(len(g[0]) + len(g[1])) for g in groups}
    in_order = _heaviest_chain(list(anchor.values()), weight)

    changes: list[tuple[tuple[float, int, int], Change]] = []
    for olds, news in groups:
        group_sim = float(np.mean([sim[i, j] for i in olds for j in news]))
        kind: ChangeKind
        if len(olds) > 1 and len(news) > 1:
            kind = "modified"  # a many-to-many group: rare; shown as one rewrite
        elif len(news) > 1:
            kind = "split"
        elif len(olds) > 1:
            kind = "merged"
        elif anchor[(olds, news)] not in in_order:
            kind = "moved"
        elif old_norm[olds[0]] == new_norm[news[0]]:
            kind = "unchanged"
        else:
            kind = "modified"
        if kind in ("unchanged", "moved") and old_norm[olds[0]] == new_norm[news[0]]:
            group_sim = 1.0
        change = Change(kind, olds, news, round(min(max(group_sim, 0.0), 1.0), 4))
        changes.append(((news[0], 0, olds[0]), change))

    # Removed sentences stand after the change holding the nearest earlier in-order old sentence.
    linked_old = {i: c for _, c in changes for i in c.old}
    for i in range(len(old_texts)):
        if i in linked_old:
            continue
        key: tuple[float, int, int] = (-1, 1, i)
        for k in range(i - 1, -1, -1):
            c = linked_old.get(k)
            if c is not None and c.kind != "moved":
                key = (c.new[0], 1, i)
                break
        changes.append((key, Change("removed", (i,), (), None)))
    for j in range(len(new_texts)):
        if not any(j in c.new for _, c in changes):
            changes.append(((j, 0, -1), Change("added", (), (j,), None)))
    changes.sort(key=lambda kc: kc[0])
    return [c for _, c in changes]
