"""Lineages: every sentence of a series belongs to one, its versions through the statements.

A statement's lineages come from its comparison with the previous statement (the report's ``Change``
records): a sentence linked one to one continues its old sentence's lineage; of a split, the new sentence
most like the old one continues it; of a merge, the new sentence continues the lineage of the old one most
like it. A pair the report shows whole (``rewritten``) whose meanings are also far apart is not linked. A
sentence left without a lineage (added, the rest of a split, or such a pair's new side) then looks further back: a
lineage this statement does not continue (absent from the previous statement, or dropped by this
comparison) whose latest version is the same text, or close in meaning *and* in words, takes it, so
language that returns after a gap stays one lineage. Anything else starts a
new lineage.

Lineage ids come from where the lineage began (statement file and first text), never from a counter, so an
id stays the same when statements are added after it and when the table is rebuilt from scratch: links to
``history.html#L…`` survive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from statediff.model import Change
from statediff.textnorm import normalize

if TYPE_CHECKING:
    import numpy as np

ALGORITHM = "2"
"""Bump when the rules below change, so stored lineages are rebuilt once."""

RETURN_COSINE = 0.86
"""Least embedding cosine for a sentence to rejoin a lineage that was absent from the previous statement."""
REWRITE_COSINE = 0.5
"""A pair the report shows whole (few shared words, ``Change.rewritten``) continues a lineage only at this cosine or
more: below it the two are different sentences that took the same place (FOMC 2007-09: "Future policy adjustments
will depend on the outlook..." -> "The Committee will continue to assess the effects of these and other
developments...", cosine 0.36), not versions of one."""
RETURN_WORDS = 0.6
"""...and least share of the shorter side's content words found in the other: meaning alone joins paraphrases of
a recurring theme that were never the same sentence."""


def fingerprint(texts: Sequence[str]) -> str:
    """Identity of a statement's segmentation: the stored lineage ids fit only this list of sentences."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Entry:
    """One statement of the series, with the lineage of each of its sentences."""

    stem: str
    """The statement's file name without ``.md``."""
    date: dt.date
    """Its date."""
    digest: str
    """SHA-256 of the statement file (the stored table is valid only for the same file)."""
    fingerprint: str
    """``fingerprint`` of its sentences."""
    lineages: tuple[str, ...]
    """Lineage id of each sentence, in reading order."""
    spans: tuple[tuple[int, int], ...] = ()
    """Where each sentence is in the statement's body (so a stored table needs no segmentation to be read)."""


@dataclass
class Table:
    """The lineages of one series, statement by statement (in date order), extended one statement at a time."""

    series: str
    entries: list[Entry] = field(default_factory=list)
    texts: list[tuple[str, ...]] = field(default_factory=list)
    """The sentences of each entry (original typography)."""
    occurrences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Lineage id -> (entry, sentence) of each version, oldest first."""
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    """Lineage id -> unit vector of its latest version (filled as needed)."""
    _norms: dict[str, str] = field(default_factory=dict, repr=False)

    def add(self, entry: Entry, texts: Sequence[str]) -> None:
        """Append a statement whose lineages are already decided."""
        k = len(self.entries)
        self.entries.append(entry)
        self.texts.append(tuple(texts))
        for j, lineage in enumerate(entry.lineages):
            self.occurrences.setdefault(lineage, []).append((k, j))

    def text_of(self, where: tuple[int, int]) -> str:
        """The sentence at (entry, sentence)."""
        return self.texts[where[0]][where[1]]

    def same(self, a: str, b: str) -> bool:
        """Whether two wordings are the same sentence once typography is normalised (cheap when they are identical)."""
        return a == b or self.norm(a) == self.norm(b)

    def norm(self, text: str) -> str:
        """``normalize(text)``, remembered: a series repeats most sentences many times."""
        found = self._norms.get(text)
        if found is None:
            found = self._norms[text] = normalize(text)
        return found

    def latest(self, lineage: str) -> tuple[int, int]:
        """Where the lineage was last seen."""
        return self.occurrences[lineage][-1]


def new_id(stem: str, text: str, taken: set[str]) -> str:
    """A lineage id from where it began: the statement and the sentence's normalised text (stable across rebuilds)."""
    base = "L" + hashlib.sha1(f"{stem}\0{normalize(text).lower()}".encode()).hexdigest()[:10]
    lineage, n = base, 1
    while lineage in taken:  # the same sentence twice in one statement
        n += 1
        lineage = f"{base}-{n}"
    return lineage


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def _word_share(a: str, b: str) -> float:
    """Share of the shorter sentence's content words that the other one has (with multiplicity)."""
    from statediff.engine.similarity import content, tokens

    ta, tb = content(tokens(normalize(a))), content(tokens(normalize(b)))
    if not ta or not tb:
        return 0.0
    short, other = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    pool: dict[str, int] = {}
    for t in other:
        pool[t] = pool.get(t, 0) + 1
    hit = 0
    for t in short:
        if pool.get(t, 0):
            pool[t] -= 1
            hit += 1
    return hit / len(short)


def extend(
    table: Table,
    stem: str,
    date: dt.date,
    digest: str,
    texts: Sequence[str],
    vectors: np.ndarray,
    changes: Sequence[Change] | None,
    spans: Sequence[tuple[int, int]] = (),
) -> Entry:
    """Add the next statement: its sentences ``texts`` with their unit ``vectors`` and, unless it is the first, the
    ``changes`` of its comparison with the previous statement (old = previous entry, new = this one); ``spans``
    are the sentences' places in the statement body, kept for reading the table back."""
    import numpy as np  # here, not at the top: reading a stored table (a warm `statediff report`) needs no numpy

    k = len(table.entries)
    ids: list[str | None] = [None] * len(texts)
    if k and changes is not None:
        prev = table.entries[k - 1].lineages
        for ch in changes:
            if not ch.old or not ch.new:
                continue
            if len(ch.old) == 1:
                # One to one, or a split: the new sentence most like the old one carries the lineage on.
                old_vec = table.vectors.get(prev[ch.old[0]])
                best = ch.new[0] if old_vec is None else max(ch.new, key=lambda j: _cos(vectors[j], old_vec))
                carried = prev[ch.old[0]]
            else:
                # A merge: the new sentence continues the lineage of the old sentence most like it.
                def closeness(i: int, j: int = ch.new[0]) -> float:
                    v = table.vectors.get(prev[i])
                    return -1.0 if v is None else _cos(vectors[j], v)

                best, carried = ch.new[0], prev[max(ch.old, key=closeness)]
            last_vec = table.vectors.get(carried)
            if ch.rewritten and last_vec is not None and _cos(vectors[best], last_vec) < REWRITE_COSINE:
                continue  # another sentence in the same place: left to the look-back, else a new lineage
            ids[best] = carried
    _look_back(table, texts, vectors, ids)
    taken = set(table.occurrences)
    final: list[str] = []
    for j, lineage in enumerate(ids):
        if lineage is None:
            lineage = new_id(stem, texts[j], taken)
        taken.add(lineage)
        final.append(lineage)
    entry = Entry(stem, date, digest, fingerprint(texts), tuple(final), tuple(spans))
    table.add(entry, texts)
    for j, lineage in enumerate(final):
        table.vectors[lineage] = np.asarray(vectors[j], dtype=np.float32)
    return entry


def _look_back(table: Table, texts: Sequence[str], vectors: np.ndarray, ids: list[str | None]) -> None:
    """Give each sentence still without a lineage the absent lineage it returns, if any (best pairs first)."""
    import numpy as np

    free = [j for j, lineage in enumerate(ids) if lineage is None]
    k = len(table.entries)
    if not free or k < 1:
        return
    used = {lineage for lineage in ids if lineage is not None}
    # Candidates: every lineage this statement does not continue. One the previous statement had and this one
    # dropped counts too: a statement reorganised around a sentence can leave the pair unlinked in the report.
    dormant = [lin for lin in table.occurrences if lin not in used and lin in table.vectors]
    if not dormant:
        return
    matrix = np.stack([table.vectors[lin] for lin in dormant])
    cos = np.asarray(vectors[free], dtype=np.float32) @ matrix.T
    norm_free = {j: table.norm(texts[j]) for j in free}
    candidates: list[tuple[float, int, int, int]] = []
    for a, j in enumerate(free):
        for hit in np.nonzero(cos[a] >= RETURN_COSINE - 1e-6)[0]:
            b = int(hit)
            lineage = dormant[b]
            last = table.latest(lineage)
            old_text = table.text_of(last)
            same = table.norm(old_text) == norm_free[j]
            if not same and _word_share(old_text, texts[j]) < RETURN_WORDS:
                continue
            # Identical text first, then the most similar; on a tie the lineage seen most recently.
            candidates.append((2.0 if same else float(cos[a, b]), last[0], j, b))
    for _, _, j, b in sorted(candidates, reverse=True):
        lineage = dormant[b]
        if ids[j] is None and lineage not in used:
            ids[j] = lineage
            used.add(lineage)
