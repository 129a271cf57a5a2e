"""align on hand-made vectors: many-to-many links (restated, folded), headings, weak matches, the fast chain, long texts."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

import statediff
import statediff.engine.similarity as similarity_module
from fakes import FakeEmbedder
from invariants import assert_sound
from statediff.engine.align import DEFAULT_CONFIG, Alignment, align, heaviest_chain
from statediff.read.ingest import read_document


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v), dtype=np.float32)


def _reorganised() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Six old points in a new order; the seventh new sentence restates old point 0 in other words."""
    rng = np.random.default_rng(3)
    base = [_unit(rng.normal(size=32)) for _ in range(8)]
    old = [f"Old point {w} about topic {k}." for k, w in enumerate(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])]
    new = [f"New wording {w} regarding item {k}." for k, w in enumerate(["one", "two", "three", "four", "five", "six", "seven"])]
    order = [3, 0, 5, 1, 4, 2]
    new_vecs = np.array([base[k] for k in order] + [_unit(0.85 * base[0] + 0.53 * base[7])])
    return old, new, np.array(base[:6]), new_vecs


def test_an_old_point_restated_twice_is_linked_to_both_and_not_reported_added() -> None:
    old, new, old_vecs, new_vecs = _reorganised()
    found = align(old, new, old_vecs, new_vecs)
    by_new = {ch.new: ch for ch in found.changes if ch.new}
    assert by_new[(1,)].old == (0,) and by_new[(1,)].also_new == (6,)  # "also restated in new 7"
    restated = by_new[(6,)]
    assert restated.kind == "restated" and restated.old == () and restated.also_old == (0,)
    assert restated.closest is not None and restated.closest[0] == 0 and 0 < restated.closest[1] <= 1
    assert (0, 1) in found.links and (0, 6) in found.links
    assert not any(ch.kind == "added" for ch in found.changes)


def test_two_old_points_folded_into_one_new_sentence_are_not_reported_removed() -> None:
    old, new, old_vecs, new_vecs = _reorganised()
    found = align(new, old, new_vecs, old_vecs)  # the same text the other way round: two old sentences, one point
    folded = next(ch for ch in found.changes if ch.old == (6,))
    assert folded.kind == "folded" and folded.new == () and folded.also_new == (0,)
    assert not any(ch.kind == "removed" for ch in found.changes)
    keeper = next(ch for ch in found.changes if ch.new == (0,))
    assert keeper.old == (1,) and keeper.also_old == (6,)


def test_the_document_of_a_many_to_many_alignment_keeps_the_invariants(fake_embedder: FakeEmbedder) -> None:
    old, new, old_vecs, new_vecs = _reorganised()

    class Fixed:
        identity = "fixed"

        def encode(self, texts: list[str]) -> np.ndarray:
            table = dict(zip([*old, *new], [*old_vecs, *new_vecs], strict=True))
            return np.array([table[t] for t in texts])

    doc = statediff.compare(old, new, embedder=Fixed()).to_dict()
    assert_sound(doc)
    assert [0, 6] in doc["links"] and doc["summary"]["restated"] == 1


def test_an_added_or_removed_sentence_names_its_closest_counterpart() -> None:
    rng = np.random.default_rng(5)
    vecs = np.array([_unit(rng.normal(size=16)) for _ in range(4)])
    found = align(["Inflation remains elevated.", "Growth was solid."], ["Inflation remains elevated.", "A new thing."],
                  vecs[:2], np.array([vecs[0], vecs[3]]))
    kinds = {ch.kind: ch for ch in found.changes}
    assert kinds["added"].closest is not None and kinds["added"].closest[0] in (0, 1)
    assert kinds["removed"].closest is not None and kinds["removed"].closest[0] in (0, 1)
    assert kinds["unchanged"].closest is None


def test_a_heading_aligns_only_with_a_heading() -> None:
    v = _unit(np.arange(1, 9, dtype=np.float32))
    w = _unit(np.arange(8, 0, -1, dtype=np.float32))
    # Same vector for the heading and the sentence: without the rule they would be a pair.
    old = ["ECONOMIC SECURITY", "We will deepen trade ties."]
    new = ["Economic security is vital to us all.", "We will deepen trade ties."]
    found = align(old, new, np.array([v, w]), np.array([v, w]))
    assert (0, 0) not in found.links
    assert {ch.kind for ch in found.changes if 0 in ch.old} == {"removed"}


def test_a_pair_below_the_floor_is_a_weak_match() -> None:
    old, new, old_vecs, new_vecs = _reorganised()
    paired = [ch for ch in align(old, new, old_vecs, new_vecs).changes if ch.old and ch.new]
    assert paired and all(ch.weak == (ch.similarity is not None and ch.similarity < DEFAULT_CONFIG.weak) for ch in paired)
    strict = align(old, new, old_vecs, new_vecs, replace(DEFAULT_CONFIG, weak=0.99)).changes
    assert all(ch.weak for ch in strict if ch.old and ch.new and ch.kind != "unchanged")


def _brute_chain_weight(pairs: list[tuple[int, int]], weight: dict[tuple[int, int], float]) -> float:
    ordered = sorted(pairs)
    best = [weight[p] for p in ordered]
    for k, (i, j) in enumerate(ordered):
        for q in range(k):
            if ordered[q][0] < i and ordered[q][1] < j:
                best[k] = max(best[k], best[q] + weight[(i, j)])
    return max(best)


@pytest.mark.parametrize("seed", range(20))
def test_the_fast_heaviest_chain_is_the_heaviest(seed: int) -> None:
    rnd = random.Random(seed)
    pairs = list({(rnd.randrange(30), rnd.randrange(30)) for _ in range(60)})
    weight = {p: rnd.random() for p in pairs}
    chain = sorted(heaviest_chain(pairs, weight.__getitem__))
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in pairwise(chain))
    assert sum(weight[p] for p in chain) == pytest.approx(_brute_chain_weight(pairs, weight))


def _aligned(corpus: Path, fake_embedder: FakeEmbedder) -> Alignment:
    old = read_document(corpus / "us-japan-rok-trilateral" / "2023-08-18-spirit-of-camp-david-joint-statement.txt")
    new = read_document(corpus / "us-japan-rok-trilateral" / "2024-11-15-lima-joint-leaders-statement.txt")
    c = statediff.compare(old, new, embedder=fake_embedder)
    texts = [s.text for s in c.old_sentences], [s.text for s in c.new_sentences]
    vecs = fake_embedder.encode(texts[0]), fake_embedder.encode(texts[1])
    return align(*texts, *vecs)


def test_long_texts_score_only_nearest_neighbours_and_still_align_alike(
    corpus: Path, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_pair = _aligned(corpus, fake_embedder)
    monkeypatch.setattr(similarity_module, "DENSE_PAIRS", 0)  # as if the pair were long: candidates only
    candidates = _aligned(corpus, fake_embedder)
    assert candidates.links == every_pair.links


@pytest.mark.parametrize("seed", range(4))
def test_best_counterparts_are_those_of_a_walk_over_all_candidates_best_first(seed: int) -> None:
    """Scores.best (vectorised) against the walk it replaced: the first maximum, lowest index on ties, same key order."""
    rng = np.random.default_rng(seed)
    for _ in range(300):
        n, m = (int(x) for x in rng.integers(1, 12, 2))
        every = np.array([(i, j) for i in range(n) for j in range(m)], dtype=np.int64)
        pairs = every[rng.random(len(every)) < rng.uniform(0.2, 1.0)]
        pairs = pairs if len(pairs) else every[:1]
        values = (rng.integers(0, 4, len(pairs)) / 4).astype(np.float32)  # many ties
        sims = replace(similarity_module.similarity([], [], np.zeros((0, 4)), np.zeros((0, 4))), n=n, m=m, pairs=pairs,
                       dense=False)
        best_new, best_old = similarity_module.Scores(sims, 1.0, values).best()
        walk_new: dict[int, int] = {}
        walk_old: dict[int, int] = {}
        for k in sorted(range(len(pairs)), key=lambda k: (-values[k], pairs[k, 0], pairs[k, 1])):
            walk_new.setdefault(int(pairs[k, 0]), int(pairs[k, 1]))
            walk_old.setdefault(int(pairs[k, 1]), int(pairs[k, 0]))
        assert list(best_new.items()) == list(walk_new.items()) and list(best_old.items()) == list(walk_old.items())
