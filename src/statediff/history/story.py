"""What a lineage table tells: the notes a report shows on its rows, and the life of one lineage.

Plain records only; ``history.views`` and the templates turn them into text, Markdown, JSON and HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from statediff.history.lineage import Table
from statediff.model import Comparison, Op, SentenceHistory, Version

MAX_EARLIER = 5
"""Earlier wordings a report row shows at most (the history command shows them all)."""

Marker = Callable[[str, str], Sequence[str]]
"""Position marks of a wording given the one before it (``""`` for a first wording): e.g. ``stronger (+condemn*)``,
``hawkish``, ``0 to 1/4 percent → 1/4 to 1/2 percent``; ``positions.digest.change_marks`` is one."""


def versions(table: Table, lineage: str, before: int) -> list[Version]:
    """The lineage's wordings in the entries before ``before``, oldest first (a wording that returns counts again)."""
    out: list[Version] = []
    for k, j in table.occurrences.get(lineage, []):
        if k >= before:
            break
        text = table.texts[k][j]
        date = table.entries[k].date.isoformat()
        if out and table.same(text, out[-1].text):
            out[-1] = replace(out[-1], until=date)
        else:
            out.append(Version(date, date, text))
    return out


def sentence_history(table: Table, k: int, j: int, kind: str) -> SentenceHistory | None:
    """The note for sentence ``j`` of entry ``k`` in the report that compares entry ``k - 1`` with it."""
    lineage = table.entries[k].lineages[j]
    occ = [o for o in table.occurrences.get(lineage, []) if o[0] < k]
    if not occ:
        return None
    first = table.entries[occ[0][0]].date.isoformat()
    now = table.texts[k][j]
    earlier = [v for v in reversed(versions(table, lineage, k)) if not table.same(v.text, now)]
    if kind != "added" and earlier and occ[-1][0] == k - 1 and earlier[0].until == table.entries[k - 1].date.isoformat():
        earlier = earlier[1:]  # the previous statement's wording is the report's own old side
    earlier = earlier[:MAX_EARLIER]
    if kind == "added":
        if occ[-1][0] == k - 1:
            # Its lineage was in this report's old statement, unpaired there (a reorganised text): not a return,
            # an earlier wording, which the note lists.
            return SentenceHistory(lineage, first, None, tuple(earlier))
        return SentenceHistory(lineage, first, table.entries[occ[-1][0]].date.isoformat(), tuple(earlier))
    return SentenceHistory(lineage, first, None, tuple(earlier))


def annotate(comparison: Comparison, table: Table, k: int) -> Comparison:
    """``comparison`` (entry ``k - 1`` -> entry ``k``) with a history note on every changed row whose sentence has a past."""
    changes = []
    for ch in comparison.changes:
        note = None
        if ch.new and ch.kind != "unchanged":
            note = sentence_history(table, k, ch.new[0], ch.kind)
        changes.append(replace(ch, history=note) if note else ch)
    return replace(comparison, changes=tuple(changes))


StepKind = Literal["first", "reworded", "gap", "returned", "dropped"]


@dataclass(frozen=True)
class Step:
    """One event in the life of a lineage."""

    kind: StepKind
    """``first`` appearance, ``reworded``, a ``gap`` (absent), ``returned`` after one, ``dropped`` for good."""
    date: str
    """ISO date of the statement where it happened (for a gap: the first statement without the sentence)."""
    stem: str
    """That statement's file name without ``.md``."""
    text: str
    """The sentence as of this step (for a gap or a drop: its last wording)."""
    ops: tuple[Op, ...] = ()
    """Word changes from the previous wording (reworded, or returned in other words)."""
    rewritten: bool = False
    """The wordings differ too much for word changes: shown whole."""
    until: str | None = None
    """For a gap: the last statement without the sentence."""
    absent: int = 0
    """For a gap: how many statements lacked it."""
    marks: tuple[str, ...] = ()
    """Position marks of this wording against the one before it, when a marker is given."""
    report: str | None = None
    """The comparison report where this step shows, relative to the reports folder."""


@dataclass(frozen=True)
class Story:
    """The life of one lineage."""

    series: str
    lineage: str
    text: str
    """Its latest wording."""
    first: str
    """ISO date of its first statement."""
    last: str
    """ISO date of the last statement it is in."""
    appearances: int
    """In how many statements it appears."""
    statements: int
    """How many statements the series has from its first appearance on."""
    current: bool
    """True when it is in the latest statement of the series."""
    steps: tuple[Step, ...]
    score: float = 0.0
    """How well it matched the query (higher is better)."""
    matched: str = ""
    """How it matched: ``words``, ``meaning``, ``anchor``."""


def _report(table: Table, k: int) -> str | None:
    if k == 0:
        return None
    return f"{table.series}/{table.entries[k - 1].stem}__{table.entries[k].stem}.html"


def story(table: Table, lineage: str, marker: Marker | None = None, *, score: float = 0.0, matched: str = "") -> Story:
    """Every event of ``lineage``: first appearance, each rewording with its word diff, gaps, return, drop."""
    from statediff.engine.worddiff import word_ops

    occ = table.occurrences[lineage]
    entries = table.entries

    def marks(previous: str, text: str) -> tuple[str, ...]:
        return tuple(marker(previous, text)) if marker else ()

    k0, j0 = occ[0]
    first_text = table.texts[k0][j0]
    steps = [Step("first", entries[k0].date.isoformat(), entries[k0].stem, first_text, marks=marks("", first_text),
                  report=_report(table, k0))]
    prev_k, prev_text = k0, first_text
    for k, j in occ[1:]:
        text = table.texts[k][j]
        changed = not table.same(text, prev_text)
        ops, rewritten = word_ops(prev_text, text) if changed else ((), False)
        if k > prev_k + 1:
            steps.append(Step("gap", entries[prev_k + 1].date.isoformat(), entries[prev_k + 1].stem, prev_text,
                              until=entries[k - 1].date.isoformat(), absent=k - prev_k - 1, report=_report(table, prev_k + 1)))
            steps.append(Step("returned", entries[k].date.isoformat(), entries[k].stem, text, ops, rewritten,
                              marks=marks(prev_text, text) if changed else (), report=_report(table, k)))
        elif changed:
            steps.append(Step("reworded", entries[k].date.isoformat(), entries[k].stem, text, ops, rewritten,
                              marks=marks(prev_text, text), report=_report(table, k)))
        prev_k, prev_text = k, text
    current = prev_k == len(entries) - 1
    if not current:
        steps.append(Step("dropped", entries[prev_k + 1].date.isoformat(), entries[prev_k + 1].stem, prev_text,
                          report=_report(table, prev_k + 1)))
    return Story(table.series, lineage, prev_text, entries[k0].date.isoformat(), entries[prev_k].date.isoformat(),
                 len(occ), len(entries) - k0, current, tuple(steps), score, matched)
