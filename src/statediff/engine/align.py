"""Two sentence lists (+ their vectors) -> ``Change`` records.

Links between old and new sentences are found in stages, each linking only sentences still free unless it
says otherwise. The similarity is a blend of embedding cosine and tf-idf word overlap (``similarity.py``).

1. identical sentences (after typography normalisation), duplicates paired in order;
2. confident pairs anywhere, most similar first.
   How much of the text kept its order (the share covered by the heaviest in-order chain of links) then
   decides how readily the later stages match: in a lightly edited text a look-alike far away is usually a
   new sentence on the same theme, while in a reorganised statement moved, merged and paraphrased points
   are the rule. Every later threshold slides between its "ordered" and "reorganised" value with it;
2'. confident pairs again, at the threshold this text warrants, on a blend leaning more on meaning;
3. gaps between in-order links are aligned by dynamic programming at a lower threshold: a reworded
   sentence usually stays in place;
3'. runs: a candidate backed by nearby candidates going the same way is part of a moved passage;
4. neighbours of links (a paragraph moves as a whole, so the pair next to a link needs less);
   then moves that are not backed strongly enough for a text that kept its order are dropped;
5. split / merge onto adjacent sentences: a free sentence next to a link joins it when together the
   two cover clearly more of the other side's words, and its own words come from that side;
6. in a reorganised text, a free sentence joins its best counterpart even if that one is already
   linked (statements fold several points into one, or spread one over several), unless that
   counterpart was kept nearly as it was.

Links form groups (connected components: one-to-one, one-to-many or many-to-one, the several sentences
consecutive, at most ``MAX_GROUP``); each group becomes one ``Change``. Groups off the in-order chain are
``moved``. Changes are ordered by the new statement, with removed sentences where they stood.

Many-to-many (``finish``): links a group could not hold stay as secondary links, and in a reorganised text
mutual best pairs (on the hubness-corrected embedding similarity; in a text reorganised throughout also on a
meaning-leaning blend) are secondary links too. They are named on the changes of both sentences
(``also_new``/``also_old``); a sentence whose only links are secondary is ``restated`` (new) or ``folded``
(old), never ``added``/``removed``. One-sided changes carry their closest counterpart, and a pair below
``weak`` is flagged. A heading aligns only with a heading (``similarity.py`` scores such pairs 0).

Tuning: ``benchmarks/alignment.py`` scores the defaults on ../shared/eval (ArgRewrite essays and
hand-aligned statement pairs); the same settings serve both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from statediff.engine.similarity import Scores, Similarity, content, coverage, similarity, tokens
from statediff.model import Change, ChangeKind
from statediff.textnorm import normalize

Link = tuple[int, int]
MAX_GROUP = 6
"""Most sentences (both sides) one change may hold; weaker links that would grow a group further are dropped."""


@dataclass(frozen=True)
class AlignConfig:
    """Weights and thresholds of the stages above (blended similarities in [0, 1])."""

    embed_weight: float = 0.5
    """Weight of embedding cosine in the blend for a text that kept its order (the rest is word overlap)."""
    embed_weight_reorg: float = 0.5
    """The same for a reorganised text, where paraphrase is common."""
    confident: float = 0.7
    """Stage 2: a link anywhere, in a text that kept its order."""
    confident_reorg: float = 0.5
    """Stage 2': the same in a text reorganised throughout."""
    in_gap: float = 0.45
    """Stage 3: an in-order link between two links."""
    run_floor: float = 0.35
    """Stage 3': least similarity of a pair backed by a run of nearby pairs in the same order."""
    run_rank: int = 1
    """Stage 3': such a pair is among the two best counterparts of one of its sentences."""
    run_window: int = 3
    """Stage 3': how far (in sentences, on both sides) a supporting pair may be."""
    run_support: int = 1
    """Stage 3': how many supporting pairs a run needs."""
    neighbour: float = 0.5
    """Stage 4: a link next to an existing one, in the same direction."""
    move_strict: float = 0.9
    """Stage 4: similarity a move needs in a text that kept its order (down to ``confident_reorg`` when reorganised)."""
    split: float = 0.55
    """Stage 5: least similarity of the joining sentence to the other side."""
    split_gain: float = 0.25
    """Stage 5: how much more of the other side's content words the two cover together than one alone."""
    split_part: float = 0.5
    """Stage 5: share of the joining sentence's content words that come from the other side."""
    extra: float = 0.4
    """Stage 6: least similarity in a text reorganised throughout (none at all in an ordered one)."""
    extra_kept: float = 0.7
    """Stage 6: a counterpart already linked at this similarity or more was kept as it was; it takes no more."""
    keep_left: bool = True
    """Many-to-many: links the one-row change shapes cannot hold stay as secondary links."""
    restated: float = 0.625
    """Many-to-many: a mutual best pair of hubness-corrected embedding similarity at least this is linked."""
    restated_gate: float = 0.2
    """Many-to-many: ... only in a text at least this reorganised (1 - share kept in order by the changes)."""
    restated_blend: float = 0.45
    """Many-to-many, in a text reorganised throughout: a mutual best pair of the blend weighted by
    ``restated_blend_weight`` at least this is linked."""
    restated_blend_weight: float = 0.7
    """... that blend's weight of embedding similarity (the rest is word overlap)."""
    restated_blend_gate: float = 0.75
    """... only in a text at least this reorganised."""
    weak: float = 0.45
    """A change whose two sides are less similar than this is a weak match (flagged, not a confident rewording):
    on the gold sets, 44-74% of such pairs are right, against 69-96% just above it."""


DEFAULT_CONFIG = AlignConfig()


def heaviest_chain(pairs: Sequence[Link], weight: Callable[[Link], float]) -> set[Link]:
    """The subset of pairs increasing in both old and new order with the largest total weight.

    Pairs are taken in (old, new) order; a Fenwick tree over new indices gives, for each pair, the best chain
    ending at a smaller new index among pairs with a smaller old index: O(L log L), so long texts stay fast.
    Ties go to the pair earliest in that order (as the quadratic version this replaced did).
    """
    if not pairs:
        return set()
    ordered = sorted(set(pairs))
    size = max(j for _, j in ordered) + 2
    tree: list[tuple[float, int]] = [(0.0, 1)] * (size + 1)  # (best total, -position) of a prefix of new indices
    best = [0.0] * len(ordered)
    back = [-1] * len(ordered)
    k = 0
    while k < len(ordered):
        end = k
        while end < len(ordered) and ordered[end][0] == ordered[k][0]:
            end += 1
        for q in range(k, end):  # same old sentence: none may precede another, so query all before adding any
            j = ordered[q][1]
            w = weight(ordered[q])
            top, x = (0.0, 1), j  # best over new indices < j (tree position j covers index j - 1)
            while x > 0:
                top = max(top, tree[x])
                x -= x & -x
            best[q] = w
            if top[1] <= 0 and top[0] + w > w:
                best[q], back[q] = top[0] + w, -top[1]
        for q in range(k, end):
            x = ordered[q][1] + 1
            while x <= size:
                tree[x] = max(tree[x], (best[q], -q))
                x += x & -x
        k = end
    k = int(np.argmax(best))
    chain = set()
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return chain


def order_kept(links: Sequence[Link], n: int, m: int) -> float:
    """Share of the shorter text covered by the in-order chain of ``links``: 1 when nothing moved."""
    if not n or not m:
        return 1.0
    return min(len(heaviest_chain(links, lambda _: 1.0)) / min(n, m), 1.0)


def _gap_dp(rows: list[int], cols: list[int], sim: Scores, threshold: float) -> list[Link]:
    """Monotone one-to-one alignment of free rows and cols maximising the sum of (sim - threshold).

    Only pairs above the threshold add to the sum, so this is the heaviest in-order chain of those pairs
    (weighted by how far above it they are); a long text's gap holds only its candidate pairs.
    """
    gain = {(i, j): v - threshold for v, i, j in sim.within(rows, cols) if v > threshold}
    return sorted(heaviest_chain(list(gain), gain.__getitem__)) if gain else []


class _Links:
    """The links found so far, with which sentences are taken."""

    def __init__(self) -> None:
        self.all: list[Link] = []
        self.new_of: dict[int, int] = {}
        self.old_of: dict[int, int] = {}

    def free(self, i: int, j: int) -> bool:
        return i not in self.new_of and j not in self.old_of

    def add(self, i: int, j: int) -> None:
        self.all.append((i, j))
        self.new_of.setdefault(i, j)
        self.old_of.setdefault(j, i)

    def drop(self, pairs: set[Link]) -> None:
        self.all = [p for p in self.all if p not in pairs]
        self.new_of = {a: b for a, b in self.all}
        self.old_of = {b: a for a, b in self.all}

    def greedy(self, sim: Scores, threshold: float) -> None:
        """Link free pairs at or above ``threshold``, most similar first."""
        for value, i, j in sim.ranked():
            if value < threshold:
                break
            if self.free(i, j):
                self.add(i, j)


def _runs(sim: Scores, config: AlignConfig, links: _Links) -> None:
    """Stage 3': link free candidates backed by nearby pairs going the same way (a moved passage)."""
    rank_in_row, rank_in_col = sim.ranks()
    pairs = sim.sims.pairs
    candidates = [
        (int(pairs[k, 0]), int(pairs[k, 1]))
        for k in np.flatnonzero((sim.values >= config.run_floor) & (np.minimum(rank_in_row, rank_in_col) <= config.run_rank))
        if links.free(int(pairs[k, 0]), int(pairs[k, 1]))
    ]
    anchors = {*links.all, *candidates}
    w = config.run_window
    offsets = [(da, db) for da in range(-w, w + 1) for db in range(-w, w + 1) if da * db > 0]
    backed = [
        (sim[i, j], i, j)
        for i, j in candidates
        if sum(1 for da, db in offsets if (i + da, j + db) in anchors) >= config.run_support
    ]
    for _, i, j in sorted(backed, reverse=True):
        if links.free(i, j):
            links.add(i, j)


def _splits(old: list[list[str]], new: list[list[str]], sim: Scores, config: AlignConfig, links: _Links) -> None:
    """Stage 5: free sentences next to a link that carry the rest of the other side's words join it."""
    n, m = len(old), len(new)
    for i, j in list(links.all):
        for b in (j - 1, j + 1):
            if (
                0 <= b < m
                and b not in links.old_of
                and sim[i, b] >= config.split
                and coverage(old[i], [new[j], new[b]]) - coverage(old[i], [new[j]]) >= config.split_gain
                and coverage(new[b], [old[i]]) >= config.split_part
            ):
                links.add(i, b)
        for a in (i - 1, i + 1):
            if (
                0 <= a < n
                and a not in links.new_of
                and sim[a, j] >= config.split
                and coverage(new[j], [old[i], old[a]]) - coverage(new[j], [old[i]]) >= config.split_gain
                and coverage(old[a], [new[j]]) >= config.split_part
            ):
                links.add(a, j)


def link(
    old_texts: Sequence[str], new_texts: Sequence[str], sims: Similarity, config: AlignConfig = DEFAULT_CONFIG
) -> list[Link]:
    """All (old index, new index) links between two lists of normalised sentences."""
    n, m = len(old_texts), len(new_texts)
    links = _Links()
    if not n or not m:
        return []

    # 1. identical sentences, duplicates paired in order
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(new_texts):
        positions[t].append(j)
    used: Counter[str] = Counter()
    for i, t in enumerate(old_texts):
        if used[t] < len(positions[t]):
            links.add(i, positions[t][used[t]])
            used[t] += 1

    # 2. confident pairs anywhere; then how much order the text kept sets every later threshold
    sim = sims.blend(config.embed_weight)
    links.greedy(sim, config.confident)
    loose = 1.0 - order_kept(links.all, n, m)

    def sliding(ordered: float, reorganised: float) -> float:
        return ordered - loose * (ordered - reorganised)

    # 2'. the same at the threshold this text warrants, leaning more on meaning if it was reorganised
    sim = sims.blend(sliding(config.embed_weight, config.embed_weight_reorg))
    links.greedy(sim, sliding(config.confident, config.confident_reorg))

    # 3. in-order gaps
    chain = sorted(heaviest_chain(links.all, lambda p: float(sim[p])))
    fences = [(-1, -1), *chain, (n, m)]
    for (i0, j0), (i1, j1) in pairwise(fences):
        rows = [i for i in range(i0 + 1, i1) if i not in links.new_of]
        cols = [j for j in range(j0 + 1, j1) if j not in links.old_of]
        for i, j in _gap_dp(rows, cols, sim, config.in_gap):
            links.add(i, j)

    # 3'. runs of a moved passage
    _runs(sim, config, links)

    # 4. neighbours of links, until nothing changes
    changed = True
    while changed:
        changed = False
        for i, j in sorted(links.all):
            for step in (-1, 1):
                a, b = i + step, j + step
                if 0 <= a < n and 0 <= b < m and links.free(a, b) and sim[a, b] >= config.neighbour:
                    links.add(a, b)
                    changed = True
    # ... and a move needs more evidence in a text that otherwise kept its order
    in_place = heaviest_chain(links.all, lambda p: float(sim[p]))
    need = sliding(config.move_strict, config.confident_reorg)
    links.drop({p for p in links.all if p not in in_place and sim[p] < need and old_texts[p[0]] != new_texts[p[1]]})

    # 5. splits and merges onto adjacent sentences
    _splits([content(tokens(t)) for t in old_texts], [content(tokens(t)) for t in new_texts], sim, config, links)

    # 6. in a reorganised text, free sentences join their best counterpart even if it is linked
    extra = sliding(1.01, config.extra)
    kept_old: dict[int, float] = {}  # each linked sentence's strongest link so far
    kept_new: dict[int, float] = {}
    for a, b in links.all:
        kept_old[a] = max(kept_old.get(a, 0.0), float(sim[a, b]))
        kept_new[b] = max(kept_new.get(b, 0.0), float(sim[a, b]))
    best_new, best_old = sim.best()
    for j, i in sorted(best_old.items()):
        if j not in links.old_of and sim[i, j] >= extra and kept_old.get(i, 0.0) < config.extra_kept:
            links.add(i, j)
    for i, j in sorted(best_new.items()):
        if i not in links.new_of and sim[i, j] >= extra and kept_new.get(j, 0.0) < config.extra_kept:
            links.add(i, j)
    return sorted(set(links.all))


def _contiguous(indices: set[int]) -> bool:
    return max(indices) - min(indices) + 1 == len(indices)


def groups(links: Sequence[Link], sim: Scores) -> tuple[list[tuple[tuple[int, ...], tuple[int, ...]]], list[Link]]:
    """Connected components of the links, strongest links first, and the links left out of them.

    A component stays one-to-one, one-to-many (split) or many-to-one (merged), its several sentences are
    consecutive (so a change reads in place, in the new statement's order), and it holds at most
    ``MAX_GROUP`` sentences: a weaker link that would break any of these is left out (``align`` keeps it
    as a secondary link).
    """
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    olds: dict[tuple[int, int], set[int]] = {}
    news: dict[tuple[int, int], set[int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        if x not in parent:
            parent[x] = x
            olds[x], news[x] = ({x[1]}, set()) if x[0] == 0 else (set(), {x[1]})
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept: list[Link] = []
    left: list[Link] = []
    for i, j in sorted(links, key=lambda p: (-float(sim[p]), p)):
        a, b = find((0, i)), find((1, j))
        if a == b:
            kept.append((i, j))
            continue
        o, nw = olds[a] | olds[b], news[a] | news[b]
        if len(o) + len(nw) <= MAX_GROUP and (len(o) == 1 or len(nw) == 1) and _contiguous(o) and _contiguous(nw):
            parent[a] = b
            olds[b], news[b] = o, nw
            kept.append((i, j))
        else:
            left.append((i, j))
    members: defaultdict[tuple[int, int], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for i, j in kept:
        members[find((0, i))][0].add(i)
        members[find((1, j))][1].add(j)
    return [(tuple(sorted(o)), tuple(sorted(nw))) for o, nw in members.values()], sorted(left)


def _kind(olds: tuple[int, ...], news: tuple[int, ...], in_order: bool, same_text: bool) -> ChangeKind:
    if len(news) > 1:
        return "split"
    if len(olds) > 1:
        return "merged"
    if not in_order:
        return "moved"
    return "unchanged" if same_text else "modified"


@dataclass(frozen=True)
class Alignment:
    """What alignment found: the edit script and every link it believes."""

    changes: tuple[Change, ...]
    """One change per group of linked sentences (and per sentence linked only secondarily, or not at all),
    in the new statement's order."""
    links: tuple[Link, ...]
    """Every (old, new) link, sorted: those inside changes and the secondary ones (restatements elsewhere)."""


@dataclass(frozen=True)
class Prepared:
    """The similarity and primary links of two sentence lists: the part of alignment that does not depend on
    the many-to-many settings (benchmarks score several settings on one)."""

    old_norm: list[str]
    new_norm: list[str]
    sims: Similarity
    sim: Scores
    found: list[tuple[tuple[int, ...], tuple[int, ...]]]
    left: list[Link]


def prepare(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray,
            config: AlignConfig = DEFAULT_CONFIG) -> Prepared:
    """Stages 1-6 and the grouping into one-row changes."""
    old_norm = [normalize(t) for t in old_texts]
    new_norm = [normalize(t) for t in new_texts]
    sims = similarity(old_norm, new_norm, old_vecs, new_vecs)
    sim = sims.blend(config.embed_weight)
    found, left = groups(link(old_norm, new_norm, sims, config), sim)
    return Prepared(old_norm, new_norm, sims, sim, found, left)


def _secondary(p: Prepared, config: AlignConfig) -> set[Link]:
    """Many-to-many links beside the one-row changes: restatements anywhere, in a reorganised text.

    The links the change shapes could not hold, and (when the text did not keep its order) each mutual
    best pair of the hubness-corrected embedding similarity at ``restated`` or more; in a text reorganised
    throughout, also each mutual best pair of a meaning-leaning blend at ``restated_blend`` or more.
    """
    primary = {(i, j) for olds, news in p.found for i in olds for j in news}
    out = set(p.left) if config.keep_left else set()
    loose = 1.0 - order_kept(sorted(primary), p.sims.n, p.sims.m)
    for gate, weight, floor in ((config.restated_gate, 1.0, config.restated),
                                (config.restated_blend_gate, config.restated_blend_weight, config.restated_blend)):
        if loose >= gate:
            score = p.sims.blend(weight)
            best_new, best_old = score.best()
            out |= {(i, j) for i, j in best_new.items() if best_old.get(j) == i and score[i, j] >= floor}
    return out - primary


def finish(p: Prepared, config: AlignConfig = DEFAULT_CONFIG) -> Alignment:
    """The changes and links from the primary groups plus the secondary links ``config`` admits."""
    sim, old_norm, new_norm = p.sim, p.old_norm, p.new_norm
    n, m = p.sims.n, p.sims.m
    found = list(p.found)
    secondary = _secondary(p, config)
    # A secondary pair of two sentences linked nowhere else is a change of its own.
    in_found_old = {i for olds, _ in found for i in olds}
    in_found_new = {j for _, news in found for j in news}
    for i, j in sorted(secondary, key=lambda q: (-sim[q], q)):
        if i not in in_found_old and j not in in_found_new:
            found.append(((i,), (j,)))
            in_found_old.add(i)
            in_found_new.add(j)
    primary = {(i, j) for olds, news in found for i in olds for j in news}
    secondary -= primary
    also_new: defaultdict[int, list[int]] = defaultdict(list)  # old sentence -> new sentences it is also restated in
    also_old: defaultdict[int, list[int]] = defaultdict(list)
    for i, j in sorted(secondary):
        also_new[i].append(j)
        also_old[j].append(i)

    # In-order groups form the heaviest increasing chain (weighted by size); the rest moved.
    anchor = {g: (g[0][0], g[1][0]) for g in found}
    size = {anchor[g]: float(len(g[0]) + len(g[1])) for g in found}
    in_order = heaviest_chain(list(anchor.values()), lambda q: size[q])

    def outside(indices: tuple[int, ...], links: dict[int, list[int]], inside: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted({k for x in indices for k in links.get(x, ()) if k not in inside}))

    keyed: list[tuple[tuple[int, int, int], Change]] = []
    for olds, news in found:
        same = len(olds) == len(news) == 1 and old_norm[olds[0]] == new_norm[news[0]]
        kind = _kind(olds, news, anchor[(olds, news)] in in_order, same)
        score = round(min(max(1.0 if same else float(np.mean([sim[i, j] for i in olds for j in news])), 0.0), 1.0), 4)
        keyed.append(((news[0], 0, olds[0]), Change(
            kind, olds, news, score, weak=kind != "unchanged" and score < config.weak,
            also_old=outside(news, also_old, olds), also_new=outside(olds, also_new, news))))

    # Sentences on one side only: the counterpart a reader would check, and whether it restates one.
    best_new, best_old = sim.best()

    def closest(x: int, links: list[int], best: dict[int, int], old_side: bool) -> tuple[int, float] | None:
        options = links or ([best[x]] if x in best else [])
        if not options:
            return None
        score = {k: sim[(x, k) if old_side else (k, x)] for k in options}
        top = max(options, key=lambda k: (score[k], -k))
        return top, round(min(max(score[top], 0.0), 1.0), 4)

    # A removed (or folded) sentence stands right after the change holding the nearest earlier old sentence in place.
    holder = {i: c for _, c in keyed for i in c.old}
    for i in range(n):
        if i in holder:
            continue
        key = (-1, 1, i)
        for k in range(i - 1, -1, -1):
            c = holder.get(k)
            if c is not None and c.kind != "moved":
                key = (c.new[0], 1, i)
                break
        folded = also_new.get(i, [])
        keyed.append((key, Change("folded" if folded else "removed", (i,), (), None,
                                  closest=closest(i, folded, best_new, True), also_new=tuple(folded))))
    for j in range(m):
        if j not in in_found_new:
            restates = also_old.get(j, [])
            keyed.append(((j, 0, -1), Change("restated" if restates else "added", (), (j,), None,
                                             closest=closest(j, restates, best_old, False), also_old=tuple(restates))))
    keyed.sort(key=lambda kc: kc[0])
    return Alignment(tuple(c for _, c in keyed), tuple(sorted(primary | secondary)))


def align(old_texts: Sequence[str], new_texts: Sequence[str], old_vecs: np.ndarray, new_vecs: np.ndarray,
          config: AlignConfig = DEFAULT_CONFIG) -> Alignment:
    """The edit script between two sentence lists (compared after typography normalisation), and every link."""
    return finish(prepare(old_texts, new_texts, old_vecs, new_vecs, config), config)
