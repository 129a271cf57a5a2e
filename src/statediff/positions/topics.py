"""Topics: the changes of a comparison grouped by meaning, each labelled with its own distinctive words.

Every change (unchanged ones too, they give context) is one unit; its vector is the mean of its sentences'
vectors (the comparison's own, from the pipeline; tf-idf word vectors when it has none). Units are merged by
average-linkage clustering while they stay similar; sentences of one paragraph lean together, as statements put one
subject per paragraph. A label is the term (a named actor, a two-word phrase or a word) most frequent in the topic
and rare in the others. A series' ``topics.txt`` can pin sentences to a named topic and merge automatic ones into it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from statediff.errors import StatediffError
from statediff.model import Comparison
from statediff.positions.actors import Registry, defined_acronyms, find_actors, registry_for
from statediff.positions.lexicons import _read_lines

MERGE_AT = 0.42
"""Average cosine similarity (MiniLM scale) above which two groups of changes are one topic."""
SAME_PARAGRAPH = 0.12
"""Added to the similarity of two changes in the same paragraph of either statement."""
MAX_LABEL = 40
MAX_TERM = 28
"""Longer names ("Trilateral Technology Leaders Training Program") make poor labels; shorter terms are chosen."""

_GENERIC = frozenset(
    [
        "committee", "leaders", "leader", "countries", "country", "nations", "three", "together", "continue",
        "continued", "continues", "also", "including", "statement", "today", "year", "years", "will", "would",
        "shall", "must", "within", "further", "support", "important", "work", "working", "region", "regional",
        "efforts", "effort", "other", "recent", "recently", "remain", "remains", "well", "such", "both", "first",
        "meeting", "percent", "basis", "points", "information", "indicates", "indicators", "months", "decided",
        "decision", "members", "member", "voting", "action"
    ]
)
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
        "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these",
        "those", "their", "our", "we", "they", "he", "she", "his", "her", "which", "who", "whom", "whose", "also",
        "such", "than", "then", "so", "not", "no", "nor", "into", "over", "under", "about", "between", "through",
        "during", "while", "both", "each", "other", "more", "most", "all", "any", "some", "there", "here", "per",
        "upon", "after", "before", "since", "until", "within", "without", "across", "toward", "towards", "us", "them"
    ]
)
_PLACE = re.compile(r"(?<=[a-z,;] )(?:[A-Z][a-z]+ ){1,2}(?:Sea|Peninsula|Strait|Ocean|Basin|River|Islands|Asia|Pacific|East)\b")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Z]")


@dataclass(frozen=True)
class Topic:
    """One topic of a comparison."""

    label: str
    """A short name from the topic's own distinctive words (or the name a topics file gives it)."""
    changes: tuple[int, ...]
    """Indices into ``Comparison.changes``, in report order."""
    pinned: bool = False
    """True when a topics file named it."""


@dataclass(frozen=True)
class TopicRule:
    """One line of a topics file: sentences with any of ``phrases`` belong to ``label``."""

    label: str
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


def parse_topics(path: Path | str, text: str | None = None) -> list[TopicRule]:
    """The rules of a topics file: ``<label>: <word or phrase>, <word or phrase>, ...`` per line."""
    rules = []
    for number, line in _read_lines(path, text):
        where = f"{path}: line {number}"
        if ":" not in line:
            raise StatediffError(f"{where}: expected '<topic label>: <word or phrase>, ...', got {line[:60]!r}")
        label, _, rest = line.partition(":")
        label = " ".join(label.split())
        phrases = tuple(" ".join(p.split()) for p in rest.split(",") if p.strip())
        if not label or len(label) > MAX_LABEL:
            raise StatediffError(f"{where}: the topic label must be 1 to {MAX_LABEL} characters")
        if not phrases:
            raise StatediffError(f"{where}: topic {label!r} lists no words or phrases after ':'")
        alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        rules.append(TopicRule(label, phrases, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    return rules


def _unit_texts(c: Comparison) -> list[str]:
    return [" ".join([*(c.old_sentences[i].text for i in ch.old), *(c.new_sentences[j].text for j in ch.new)])
            for ch in c.changes]


def _unit_vectors(c: Comparison, texts: list[str]) -> np.ndarray:
    if c.vectors is not None and len(c.vectors[0]) == len(c.old_sentences) and len(c.vectors[1]) == len(c.new_sentences):
        old_vecs, new_vecs = (np.asarray(v, dtype=np.float32) for v in c.vectors)
        # Sum each change's sentence vectors in one pass (a mean has the same direction once normalised below).
        both = np.concatenate([old_vecs, new_vecs]) if len(old_vecs) + len(new_vecs) else np.zeros((0, 1), np.float32)
        which = [k for k, ch in enumerate(c.changes) for _ in (*ch.old, *ch.new)]
        rows = [i for ch in c.changes for i in (*ch.old, *(len(old_vecs) + j for j in ch.new))]
        out = np.zeros((len(c.changes), both.shape[1]), dtype=np.float32)
        np.add.at(out, which, both[rows])
    else:
        out = _tfidf(texts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def _tfidf(texts: list[str]) -> np.ndarray:
    docs = [Counter(w.lower() for w in _TOKEN.findall(t) if w.lower() not in _STOP) for t in texts]
    vocab = {w: k for k, w in enumerate(sorted(set().union(*docs)))} if docs else {}
    out = np.zeros((len(texts), max(len(vocab), 1)), dtype=np.float32)
    df = Counter(w for d in docs for w in d)
    for row, d in enumerate(docs):
        for w, n in d.items():
            out[row, vocab[w]] = n * math.log(1 + len(texts) / df[w])
    return out


def _cluster(vectors: np.ndarray, paragraphs: list[set[tuple[str, int]]], units: list[int]) -> list[list[int]]:
    """Average-linkage clustering of ``units`` (row numbers of ``vectors``).

    Each step merges the two live groups of highest average similarity (the first in row-major order on a tie),
    until none reaches ``MERGE_AT``. Each row's best partner is kept, so a step rescans only the merged row and
    rows whose best partner was merged: a scan of the whole matrix per step made 5,000-sentence statements take
    minutes. An average is computed when a row is scanned, ``total / (size * size)``, so no second n x n matrix.
    """
    if not units:
        return []
    n = len(units)
    # Float64 sums of pairwise similarities between groups; symmetric, as each update below keeps it.
    total = (vectors[units] @ vectors[units].T).astype(np.float64)
    members: dict[tuple[str, int], list[int]] = {}
    for row, u in enumerate(units):
        for key in paragraphs[u]:
            members.setdefault(key, []).append(row)
    same = np.zeros((n, n), dtype=bool)
    for rows in members.values():
        same[np.ix_(rows, rows)] = True
    total[same] += SAME_PARAGRAPH
    del same
    groups = [[k] for k in range(n)]
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)

    def linkage(k: int) -> np.ndarray:
        """Row ``k`` of the average linkage between live groups; retired groups and ``k`` itself are -inf."""
        row = np.where(alive, total[k, :] / (size[k] * size), -np.inf)
        row[k] = -np.inf
        return row

    best = np.zeros(n, dtype=np.int64)  # each row's first column of its highest average
    best_value = np.full(n, -np.inf)
    for k in range(n):
        scanned = linkage(k)
        best[k] = np.argmax(scanned)
        best_value[k] = scanned[best[k]]
    left = n
    while left > 1:
        i = int(np.argmax(best_value))
        j = int(best[i])
        if best_value[i] < MERGE_AT:
            break
        groups[i] += groups[j]
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        size[i] += size[j]
        alive[j] = False
        left -= 1
        best_value[j] = -np.inf
        linked = linkage(i)  # group i's new averages: its row, and (symmetric) its column in every other row
        best[i] = np.argmax(linked)
        best_value[i] = linked[best[i]]
        # A row whose best partner was i or j must look again; any other row only compares its best with i.
        stale = alive & ((best == i) | (best == j))
        stale[i] = False
        for other in np.flatnonzero(stale):
            scanned = linkage(int(other))
            best[other] = np.argmax(scanned)
            best_value[other] = scanned[best[other]]
        rest = alive & ~stale
        rest[i] = False
        gains = rest & ((linked > best_value) | ((linked == best_value) & (best > i)))
        best[gains] = i
        best_value[gains] = linked[gains]
    return [sorted(units[k] for k in groups[i]) for i in range(n) if alive[i]]


def _terms(text: str, registry: Registry, aliases: dict[str, str]) -> Counter[str]:
    """Candidate label terms of one sentence: named actors (doubled: names make the best labels), two-word phrases,
    words."""
    terms: Counter[str] = Counter()
    for mention in find_actors(text, registry, aliases).values():
        if len(mention.name) <= MAX_TERM:
            terms[mention.name] += 2
    for m in _PLACE.finditer(text):
        if len(m.group(0)) <= MAX_TERM and m.group(0) not in terms:
            terms[m.group(0)] += 2  # "South China Sea", "Korean Peninsula", "Taiwan Strait"
    low = [re.sub(r"[’']s$", "", w.lower()) for w in _TOKEN.findall(text)]
    usable = [w not in _STOP and w not in _GENERIC and len(w) >= 4 and not w.endswith("ly") for w in low]
    for k, w in enumerate(low):
        if not usable[k]:
            continue
        terms[w] += 1
        if k + 1 < len(low) and usable[k + 1]:
            terms[f"{w} {low[k + 1]}"] += 1
    return terms


def _labels(groups: list[list[int]], texts: list[str], taken: set[str], per_unit: list[Counter[str]]) -> list[str]:
    per_group = []
    for g in groups:
        merged: Counter[str] = Counter()
        for u in g:
            merged.update(per_unit[u])
        per_group.append(merged)
    df = Counter(term for counts in per_group for term in counts)
    labels = []
    for group, counts in zip(groups, per_group, strict=True):
        text = " ".join(texts[u] for u in group).lower()
        # The best-scoring term; ties go to the term the topic names first ("the invasion of Ukraine by Russia": Ukraine).
        scores = {t: counts[t] * math.log(1 + len(groups) / df[t]) * (1.5 if " " in t else 1) for t in counts}
        # Every tie broken by the term itself: the order of a Counter filled from sets follows the hash seed.
        ranked = sorted(scores, key=lambda t: (-scores[t], t))[:12]
        ranked.sort(key=lambda t: (-round(scores[t], 6), _first(text, t.lower()), t))
        label = next((t for t in ranked if t.lower() not in taken), None) or "other"
        taken.add(label.lower())
        labels.append(label[:MAX_LABEL])
    return labels


def _first(text: str, term: str) -> int:
    at = text.find(term)
    return at if at >= 0 else len(text)


def find_topics(c: Comparison, rules: Sequence[TopicRule] = (), registry: Registry | None = None,
                aliases: dict[str, str] | None = None) -> tuple[Topic, ...]:
    """The topics of ``c``, in the order their first change appears in the report."""
    registry = registry or registry_for()
    aliases = aliases if aliases is not None else defined_acronyms(*(s.text for s in (*c.old_sentences, *c.new_sentences)))
    texts = _unit_texts(c)
    per_unit = []
    for ch in c.changes:
        terms: Counter[str] = Counter()
        for text in [*(c.old_sentences[i].text for i in ch.old), *(c.new_sentences[j].text for j in ch.new)]:
            terms.update(_terms(text, registry, aliases))
        per_unit.append(terms)
    pinned: dict[str, list[int]] = {}
    free = []
    for k, text in enumerate(texts):
        rule = next((r for r in rules if r.pattern.search(text)), None)
        if rule:
            pinned.setdefault(rule.label, []).append(k)
        else:
            free.append(k)
    vectors = _unit_vectors(c, texts)
    paragraphs = [{("old", c.old_sentences[i].paragraph) for i in ch.old}
                  | {("new", c.new_sentences[j].paragraph) for j in ch.new} for ch in c.changes]
    groups = _cluster(vectors, paragraphs, free)
    labels = _labels(groups, texts, {label.lower() for label in pinned}, per_unit)
    topics = [Topic(label, tuple(units), True) for label, units in pinned.items()]
    for label, units in zip(labels, groups, strict=True):
        # A topics file names or merges automatic topics: one whose label it lists joins its topic.
        target = next((r.label for r in rules if label.lower() in {p.lower() for p in (r.label, *r.phrases)}), None)
        if target is not None:
            at = next((n for n, t in enumerate(topics) if t.label == target), None)
            merged = tuple(sorted((*topics[at].changes, *units))) if at is not None else tuple(units)
            if at is None:
                topics.append(Topic(target, merged, True))
            else:
                topics[at] = Topic(target, merged, True)
            continue
        topics.append(Topic(label, tuple(units), False))
    return tuple(sorted(topics, key=lambda t: min(t.changes)))
