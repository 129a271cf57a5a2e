"""The one function that runs the stages: compare(old, new) -> Comparison."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from statediff.engine.align import DEFAULT_CONFIG, AlignConfig, align
from statediff.engine.embed import Embedder, default_embedder
from statediff.engine.segment import lines_as_sentences, segment, sentences_from_list
from statediff.engine.wordcache import Pair, WordCache
from statediff.engine.worddiff import side_ops
from statediff.errors import StatediffError
from statediff.limits import MAX_SENTENCES_ENV, max_sentences
from statediff.model import Change, Comparison, Document, Sentence
from statediff.read.ingest import parse_text
from statediff.textnorm import normalize

Side = str | list[str] | Document


def _prepare(side: Side, segmented: bool, name: str) -> tuple[Document, tuple[Sentence, ...]]:
    if isinstance(side, list):
        for k, text in enumerate(side):
            if not isinstance(text, str):
                raise TypeError(f"{name} sentence {k} is {type(text).__name__}, not str")
            if not text.strip():
                # A blank "sentence" would show as an invisible added or removed change.
                raise ValueError(f"{name} sentence {k} is blank; pass only sentences with text")
        return Document(body="\n".join(side)), sentences_from_list(side)
    if not isinstance(side, str | Document):
        raise TypeError(f"{name} must be a str, a list of str or a Document, not {type(side).__name__}")
    doc = parse_text(side) if isinstance(side, str) else side
    label = doc.path or f"the {name} statement"
    # Bound the work before any slow stage: a hostile file may hold hundreds of thousands of sentences.
    limit = max_sentences()
    if len(_ENDS.findall(doc.body)) > 10 * limit:
        raise _too_many(label, None, limit)
    sentences = lines_as_sentences(doc.body) if segmented else segment(doc.body)
    if len(sentences) > limit:
        raise _too_many(label, len(sentences), limit)
    return doc, sentences


_ENDS = re.compile(r"[.!?\u3002\uff01\uff1f]|\n")


def _too_many(label: str, count: int | None, limit: int) -> StatediffError:
    found = f"{count:,} sentences" if count else "far more sentences"
    return StatediffError(f"{label}: {found}, more than the {limit:,} a comparison takes (the longest official "
                          f"statements have under 1,000); compare it in parts, or raise {MAX_SENTENCES_ENV}")


def _embed(embedder: Embedder, old: tuple[Sentence, ...], new: tuple[Sentence, ...]) -> tuple[np.ndarray, np.ndarray]:
    # Embed the normalised text: typography-only variants share one vector (and one cache entry).
    texts = [normalize(s.text) for s in (*old, *new)]
    if not texts:
        empty = np.zeros((0, 1), dtype=np.float32)
        return empty, empty
    vectors = embedder.encode(texts)
    return vectors[: len(old)], vectors[len(old) :]


def with_ops(changes: Sequence[Change], old: tuple[Sentence, ...], new: tuple[Sentence, ...]) -> tuple[Change, ...]:
    """The changes with their word-level operations filled in (word diffs from the on-disk cache where stored)."""
    done: list[Change] = []
    diffed: list[tuple[int, Pair]] = []  # the changes that need a word diff: where they are, and their texts
    for change in changes:
        old_texts = [old[i].text for i in change.old]
        new_texts = [new[j].text for j in change.new]
        if not new_texts:
            change = replace(change, ops=side_ops("-", old_texts))
        elif not old_texts:
            change = replace(change, ops=side_ops("+", new_texts))
        elif change.kind in ("unchanged",) or [normalize(t) for t in old_texts] == [normalize(t) for t in new_texts]:
            change = replace(change, ops=side_ops("=", new_texts))
        else:
            diffed.append((len(done), (tuple(old_texts), tuple(new_texts))))
        done.append(change)
    if diffed:
        found = _word_cache().ops([pair for _, pair in diffed])
        for (at, _), (ops, rewritten) in zip(diffed, found, strict=True):
            done[at] = replace(done[at], ops=ops, rewritten=rewritten)
    return tuple(done)


@lru_cache(maxsize=1)
def _word_cache() -> WordCache:
    return WordCache()


def compare(
    old: Side,
    new: Side,
    *,
    model: str | None = None,
    embedder: Embedder | None = None,
    segmented: bool = False,
    config: AlignConfig = DEFAULT_CONFIG,
) -> Comparison:
    """Compare two statements.

    Each side is a ``str`` (whole text, front matter allowed, segmented by statediff), a ``list[str]``
    (sentences used as given) or a ``Document`` (from ``ingest.read_document``). ``segmented`` treats
    string bodies as one sentence per line. ``model`` names any sentence-transformers model (a local
    folder); by default the packaged all-MiniLM-L6-v2 behind the on-disk vector cache. ``embedder``
    replaces the model entirely (tests use a small deterministic one).
    """
    old_doc, old_sentences = _prepare(old, segmented, "old")
    new_doc, new_sentences = _prepare(new, segmented, "new")
    embedder = embedder or default_embedder(model)
    old_vecs, new_vecs = _embed(embedder, old_sentences, new_sentences)
    found = align([s.text for s in old_sentences], [s.text for s in new_sentences], old_vecs, new_vecs, config)
    return Comparison(
        old=old_doc,
        new=new_doc,
        old_sentences=old_sentences,
        new_sentences=new_sentences,
        changes=with_ops(found.changes, old_sentences, new_sentences),
        model=embedder.identity,
        links=found.links,
        vectors=(old_vecs, new_vecs),
    )
