"""Long statements: the block-by-block candidates of similarity are the full computation's top-k, and the topics'
long-statement path (sparse word vectors, float32 clustering sums) agrees with the exact one."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

import statediff
import statediff.engine.similarity as similarity_module
import statediff.positions.topics as topics_module
from fakes import FakeEmbedder
from statediff.positions.actors import defined_acronyms, registry_for

WORDS = ["tariff", "export", "climate", "ocean", "vaccine", "border", "missile", "reactor", "grain", "budget",
         "drought", "harbour", "treaty", "wage", "fishery", "satellite", "pipeline", "refinery", "quota", "glacier",
         "subsidy", "cable", "vote", "rail"]


def _sentences(rng: random.Random, count: int, heading_every: int = 0) -> list[str]:
    out = []
    for k in range(count):
        if heading_every and k % heading_every == 0:
            out.append(f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}")  # a heading: short, no full stop
        else:
            out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize() + ".")
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


@pytest.mark.parametrize("seed", range(3))
def test_blocked_candidates_are_the_full_computations_nearest_neighbours(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    old, new = _sentences(rng, 230, heading_every=37), _sentences(rng, 170, heading_every=29)
    # Clustered vectors (sentences on a few themes), so the hubness radii and the top-k are not uniform noise.
    centres = nrng.normal(size=(6, 24))
    a = _unit(centres[nrng.integers(0, 6, len(old))] + nrng.normal(size=(len(old), 24)))
    b = _unit(centres[nrng.integers(0, 6, len(new))] + nrng.normal(size=(len(new), 24)))
    full = similarity_module.similarity(old, new, a, b)  # every pair scored: the reference
    assert full.dense
    monkeypatch.setattr(similarity_module, "DENSE_PAIRS", 0)
    monkeypatch.setattr(similarity_module, "_BLOCK", 64)  # four blocks of old sentences, the last one partial
    near = similarity_module.similarity(old, new, a, b)
    assert not near.dense
    np.testing.assert_allclose(near.r_old, full.r_old, atol=1e-6)
    np.testing.assert_allclose(near.r_new, full.r_new, atol=1e-6)
    w = similarity_module.CANDIDATE_WEIGHT
    blend = (w * full.emb + (1 - w) * full.lex).reshape(len(old), len(new))
    k = similarity_module.NEAREST
    expected = {(i, int(j)) for i in range(len(old)) for j in np.argsort(-blend[i], kind="stable")[:k]}
    expected |= {(int(i), j) for j in range(len(new)) for i in np.argsort(-blend[:, j], kind="stable")[:k]}
    found = {(int(i), int(j)) for i, j in near.pairs}
    # Headings score 0 against other sentences: ties at 0 may be broken either way; every pair that scores is the same.
    scoring = {p for p in expected if blend[p] > 0}
    assert scoring <= found
    assert len(found) == len(expected)
    at = near.pairs[:, 0] * len(new) + near.pairs[:, 1]
    np.testing.assert_allclose(near.emb, full.emb[at], atol=1e-6)
    np.testing.assert_allclose(near.lex, full.lex[at], atol=1e-6)


def _topic_statement(rng: random.Random, themes: int, per_theme: int) -> tuple[str, str, dict[str, int]]:
    """OLD and NEW bodies, one paragraph per theme, and each sentence's theme."""
    pools = [WORDS[k::themes] for k in range(themes)]
    theme_of: dict[str, int] = {}
    old_paras, new_paras = [], []
    for t, pool in enumerate(pools):
        sentences = []
        for _ in range(per_theme):
            s = " ".join(rng.choice(pool) for _ in range(rng.randint(6, 10))).capitalize() + "."
            theme_of[s] = t
            sentences.append(s)
        old_paras.append(" ".join(sentences))
        kept = [s for s in sentences if rng.random() > 0.2]
        extra = " ".join(rng.choice(pool) for _ in range(8)).capitalize() + "."
        theme_of[extra] = t
        new_paras.append(" ".join([*kept, extra]))
    return "\n\n".join(old_paras), "\n\n".join(new_paras), theme_of


def _vocabulary(c: statediff.Comparison) -> tuple[list[list[int]], topics_module._Vocabulary]:
    texts = [s.text for s in (*c.old_sentences, *c.new_sentences)]
    registry = registry_for()
    aliases = defined_acronyms(*texts)
    vocab = topics_module._vocabulary(texts, registry, aliases)
    vocab.parties = topics_module.parties(c, registry, aliases)
    offset = len(c.old_sentences)
    return [[*ch.old, *(offset + j for j in ch.new)] for ch in c.changes], vocab


def test_sparse_word_similarity_is_the_dense_one_and_exactly_symmetric() -> None:
    old, new, _ = _topic_statement(random.Random(5), themes=4, per_theme=12)
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    units, vocab = _vocabulary(c)
    dense = topics_module._lexical(units, vocab)
    sims = np.zeros((len(units), len(units)), dtype=np.float32)
    topics_module._add_lexical_sparse(sims, units, vocab, 1.0)
    assert dense.max() > 0.5  # the units share words: the comparison is not of two zero matrices
    np.testing.assert_allclose(sims, dense, atol=1e-6)
    assert np.array_equal(sims, sims.T)  # average_linkage works out averages from rows: it needs exact symmetry


def test_paragraph_pairs_are_exactly_the_changes_sharing_a_paragraph() -> None:
    old, new, _ = _topic_statement(random.Random(6), themes=5, per_theme=6)
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    paragraphs = 1 + max(s.paragraph for s in (*c.old_sentences, *c.new_sentences))
    member = np.zeros((len(c.changes), 2 * paragraphs))
    for k, ch in enumerate(c.changes):
        for i in ch.old:
            member[k, 2 * c.old_sentences[i].paragraph] = 1
        for j in ch.new:
            member[k, 2 * c.new_sentences[j].paragraph + 1] = 1
    expected = (member @ member.T) > 0
    affinity = topics_module._Affinity(np.zeros((len(c.changes), len(c.changes))), topics_module._together(c))
    everyone = list(range(len(c.changes)))
    # Each pair sharing a paragraph gets the bonus once, however many paragraphs they share; no other pair gets it.
    assert np.array_equal(affinity.block(everyone), expected * topics_module.SAME_PARAGRAPH)
    some = everyone[::3]
    assert np.array_equal(affinity.block(some), expected[np.ix_(some, some)] * topics_module.SAME_PARAGRAPH)


def test_long_statement_affinity_is_the_exact_one_to_float32_precision(monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, _ = _topic_statement(random.Random(8), themes=4, per_theme=12)
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    units, vocab = _vocabulary(c)
    texts = topics_module._unit_texts(c)
    exact = topics_module._affinity(c, texts, units, vocab)
    monkeypatch.setattr(topics_module, "LARGE", 1)
    large = topics_module._affinity(c, texts, units, vocab)
    assert (exact.dtype, large.dtype) == (np.float64, np.float32)
    np.testing.assert_allclose(large.base, exact.base, atol=1e-6)
    assert len(large.together) == len(exact.together)
    assert all(np.array_equal(a, b) for a, b in zip(large.together, exact.together, strict=True))
    everyone = list(range(len(units)))
    np.testing.assert_allclose(large.block(everyone), exact.block(everyone), atol=1e-6)


def test_long_statement_topics_path_groups_as_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, theme_of = _topic_statement(random.Random(7), themes=6, per_theme=10)
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    exact = topics_module.find_topics(c)
    taken: list[int] = []
    sparse_words = topics_module._add_lexical_sparse

    def spy(*args: Any) -> None:
        taken.append(1)
        sparse_words(*args)

    monkeypatch.setattr(topics_module, "_add_lexical_sparse", spy)
    monkeypatch.setattr(topics_module, "LARGE", 1)  # every comparison takes the long-statement path
    large = topics_module.find_topics(c)
    assert taken  # the path under test really ran
    assert large == exact
    # Sensible groups: each named topic's sentences come mostly from one theme of the generated statement.
    for topic in large:
        if topic.label == topics_module.OTHER:
            continue
        themes = [theme_of[s.text] for k in topic.changes for s in (
            *(c.old_sentences[i] for i in c.changes[k].old), *(c.new_sentences[j] for j in c.changes[k].new))]
        top = max(set(themes), key=themes.count)
        assert themes.count(top) >= 0.8 * len(themes), (topic.label, themes)
