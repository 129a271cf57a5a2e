"""The plain records that flow between the pipeline stages.

read -> ``Document``; segment -> ``Sentence``; align -> ``Change`` (ops filled by worddiff);
compare -> ``Comparison``. Every output format reads only these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["unchanged", "modified", "moved", "added", "removed", "split", "merged", "restated", "folded"]
#: Every kind, in the order summaries list them. ``restated``: a new sentence that states again an old point
#: already shown with another new sentence; ``folded``: an old sentence whose point lives on only inside new
#: sentences shown with other old ones (neither is new or dropped).
KINDS: tuple[ChangeKind, ...] = ("unchanged", "modified", "moved", "added", "removed", "split", "merged", "restated", "folded")

OpTag = Literal["=", "-", "+"]


@dataclass(frozen=True)
class Op:
    """One word-diff operation inside a change."""

    tag: OpTag
    """``=`` kept, ``-`` only in the old sentence(s), ``+`` only in the new."""
    text: str
    """The text of this run (original typography; new side's for ``=``)."""


@dataclass(frozen=True)
class Document:
    """A statement as read from a file or string: metadata plus body text."""

    body: str
    """The statement text, paragraphs separated by blank lines."""
    title: str | None = None
    """Title from the front matter or header, if any."""
    date: dt.date | None = None
    """Date of the statement, if known."""
    source: str | None = None
    """Where it was published (usually a URL)."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """All front-matter fields as read (including the three above)."""
    path: str | None = None
    """The file it came from, if any."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a statement."""

    index: int
    """0-based position in the statement."""
    text: str
    """The sentence as written (original typography, whitespace collapsed)."""
    paragraph: int
    """0-based paragraph (or block: heading, list item) it belongs to."""
    start: int = 0
    """Character offset of the sentence in the body."""
    end: int = 0
    """Character offset just past the sentence in the body."""


@dataclass(frozen=True)
class Version:
    """An earlier wording of a sentence, in the statements of its series (``history``)."""

    since: str
    """ISO date of the first statement that had this wording."""
    until: str
    """ISO date of the last statement that had it."""
    text: str
    """The sentence in that wording."""


@dataclass(frozen=True)
class SentenceHistory:
    """What the series knows of a change's (first) new sentence: set only when a report is built in a statements folder."""

    lineage: str
    """Id of the sentence's lineage (its anchor on the series' history page)."""
    first_seen: str
    """ISO date of the lineage's first statement."""
    returns_from: str | None = None
    """For an added sentence whose lineage existed before: ISO date of the statement it was last seen in."""
    earlier: tuple[Version, ...] = ()
    """Earlier wordings, newest first (at most a few)."""


@dataclass(frozen=True)
class Change:
    """One entry of the edit script: how some old sentences became some new ones."""

    kind: ChangeKind
    """What happened."""
    old: tuple[int, ...]
    """Indices of the old sentences involved (empty for ``added``)."""
    new: tuple[int, ...]
    """Indices of the new sentences involved (empty for ``removed``)."""
    similarity: float | None = None
    """Similarity of the two sides in [0, 1]; ``None`` when one side is empty."""
    ops: tuple[Op, ...] = ()
    """Word-level operations; joining ``=``/``-`` gives the old text, ``=``/``+`` the new."""
    rewritten: bool = False
    """True when the sides differ so much that ops show them whole rather than word by word."""
    weak: bool = False
    """A weak match: the sides are linked, but less similar than the aligner's floor (check it, do not trust it)."""
    also_new: tuple[int, ...] = ()
    """New sentences outside this change that also restate this change's old sentences (secondary links)."""
    also_old: tuple[int, ...] = ()
    """Old sentences outside this change also folded into this change's new sentences (secondary links)."""
    closest: tuple[int, float] | None = None
    """For a change with one side empty: the closest sentence of the other statement (index) and its similarity;
    for ``restated``/``folded`` the sentence it restates or is folded into."""
    history: SentenceHistory | None = None
    """The new sentence's past in its series (optional: renderers show it when present)."""


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two statements."""

    old: Document
    """The earlier statement."""
    new: Document
    """The later statement."""
    old_sentences: tuple[Sentence, ...]
    """Sentences of the earlier statement."""
    new_sentences: tuple[Sentence, ...]
    """Sentences of the later statement."""
    changes: tuple[Change, ...]
    """The edit script, in reading order of the new statement."""
    model: str = ""
    """Identifier of the embedding model used."""
    links: tuple[tuple[int, int], ...] = ()
    """Every (old index, new index) link the aligner believes: those inside changes and the secondary ones."""
    vectors: Any = field(default=None, compare=False, hash=False, repr=False)
    """The sentence vectors as ``(old, new)`` arrays (unit rows), when the pipeline made them: topics reuse them."""

    def summary(self) -> dict[str, int]:
        """Count of changes by kind (every kind present, zero or not)."""
        counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def has_differences(self) -> bool:
        """True unless every change is ``unchanged``."""
        return any(c.kind != "unchanged" for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of schema ``statediff/comparison/2``."""
        return comparison_to_dict(self)


# The JSON document lives beside the records it serialises, so that the records import nothing above them.
SCHEMA = "statediff/comparison/2"
"""Version 2 added the top-level ``links``, the kinds ``restated`` and ``folded``, and per change ``weak``,
``also_old``, ``also_new`` and ``closest``."""


def _side(doc: Document, sentences: tuple[Sentence, ...]) -> dict[str, Any]:
    return {
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "source": doc.source,
        "sentences": [{"index": s.index, "text": s.text, "paragraph": s.paragraph} for s in sentences],
    }


def history_to_dict(h: SentenceHistory) -> dict[str, Any]:
    """A change's optional ``history`` member of the JSON document."""
    return {
        "lineage": h.lineage,
        "first_seen": h.first_seen,
        "returns_from": h.returns_from,
        "earlier": [{"since": v.since, "until": v.until, "text": v.text} for v in h.earlier],
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data."""
    return {
        "schema": SCHEMA,
        "old": _side(c.old, c.old_sentences),
        "new": _side(c.new, c.new_sentences),
        "changes": [
            {
                "kind": ch.kind,
                "old": list(ch.old),
                "new": list(ch.new),
                "similarity": ch.similarity,
                "weak": ch.weak,
                "also_old": list(ch.also_old),
                "also_new": list(ch.also_new),
                "closest": None if ch.closest is None else {"index": ch.closest[0], "similarity": ch.closest[1]},
                "ops": [[op.tag, op.text] for op in ch.ops],
                **({"history": history_to_dict(ch.history)} if ch.history else {}),
            }
            for ch in c.changes
        ],
        "links": [[i, j] for i, j in c.links],
        "summary": c.summary(),
    }
