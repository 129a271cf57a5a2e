"""The HTML report's view of a ``Comparison``: rows, sentence anchors, header facts, the "What changed" lists.

Everything here is plain data (str/int/lists); the template does all markup, so autoescaping covers every
piece of statement text. Nothing in this module builds HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from statediff.model import Change, Comparison, Document, Op, Sentence, SentenceHistory
from statediff.textnorm import normalize

from .notes import notes

Piece = tuple[str, str]
"""(tag, text): ``=`` plain, ``-`` shown as <del>, ``+`` shown as <ins>."""


def sentence_anchor(text: str) -> str:
    """A stable anchor id from the sentence's normalised text, so links survive into the next report."""
    return "s-" + hashlib.sha1(normalize(text).lower().encode("utf-8")).hexdigest()[:10]


def unique_anchors(sentences: tuple[Sentence, ...], prefix: str = "") -> list[str]:
    """One id per sentence: its text's anchor, with ``-2``, ``-3`` … on later repeats of the same text."""
    seen: dict[str, int] = {}
    out = []
    for s in sentences:
        base = prefix + sentence_anchor(s.text)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address, else None: a ``javascript:`` source must never become a link."""
    if not url:
        return None
    candidate = url.strip().split()[0] if url.strip() else ""
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(ch in candidate for ch in "<>\"'\\"):
        return candidate
    return None


@dataclass
class Side:
    """One statement in the header."""

    label: str
    title: str
    date: str | None
    issuers: list[str]
    source: str | None
    href: str | None
    host: str
    """The link's host name, shown as the link text (the whole address is in its title)."""
    source_rest: str
    """What follows the link in ``source`` (e.g. "(via …)"), shown as text."""
    sentences: int


@dataclass
class SentenceView:
    """One sentence inside a side-by-side cell."""

    id: str
    number: int
    pieces: list[Piece]


@dataclass
class Row:
    """One row of the report: a change (both sides), or the place a moved sentence left (``ghost``)."""

    id: str
    kind: str
    old: list[SentenceView] = field(default_factory=list)
    new: list[SentenceView] = field(default_factory=list)
    inline: list[Piece] = field(default_factory=list)
    changed: int = 0
    """Percentage of the words that changed (0 for unchanged, 100 for added/removed)."""
    rewritten: bool = False
    """The sides differ so much that they are shown whole (old struck, new inserted)."""
    ghost: bool = False
    link: str | None = None
    """For a moved row: the id of its ghost; for a ghost: the id of the moved row."""
    old_numbers: list[int] = field(default_factory=list)
    new_numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Secondary links, the closest counterpart of a one-sided sentence, a weak match (``notes.notes``)."""
    weak: bool = False
    history: SentenceHistory | None = None
    """The new sentence's past in its series, when the report was built in a statements folder."""


def _side(doc: Document, label: str, count: int) -> Side:
    raw = doc.meta.get("issuers")
    issuers = [raw] if isinstance(raw, str) else [str(x) for x in raw] if isinstance(raw, list | tuple) else []
    title = doc.title or (doc.path.rsplit("/", 1)[-1] if doc.path else f"{label} statement")
    href = safe_href(doc.source)
    rest = doc.source.strip()[len(href):].strip() if doc.source and href else ""
    host = urlsplit(href).netloc if href else ""
    return Side(label, title, doc.date.isoformat() if doc.date else None, [i for i in issuers if i.strip()],
                doc.source, href, host, rest, count)


def _side_pieces(ops: tuple[Op, ...], keep: str) -> list[Piece]:
    return [(op.tag, op.text) for op in ops if op.tag in ("=", keep)]


def _old_typography(pieces: list[Piece], old_text: str) -> list[Piece]:
    """The old side's pieces in the old statement's own typography.

    Kept (``=``) ops hold the new side's characters; a quote or dash that changed only in typography would
    otherwise show on the old side as the new one wrote it. The word diff pairs tokens one to one, so the
    old text's tokens, taken in order, replace each piece's; if the counts do not line up, pieces stay as given.
    """
    from statediff.engine.worddiff import _tokens  # the word diff's own tokenizer: the same token boundaries as the ops

    old_tokens = _tokens(old_text)
    out, pos = [], 0
    for tag, text in pieces:
        n = len(_tokens(text))
        out.append((tag, "".join(old_tokens[pos : pos + n])))
        pos += n
    return out if pos == len(old_tokens) and all(t for _, t in out) else pieces


def _split(pieces: list[Piece], lengths: list[int]) -> list[list[Piece]] | None:
    """Cut a side's pieces at sentence boundaries (sentences joined by one space), or None if they do not line up."""
    if sum(len(t) for _, t in pieces) != sum(lengths) + len(lengths) - 1:
        return None
    bounds, pos = [], 0
    for n in lengths[:-1]:
        pos += n + 1  # the joining space stays with the earlier sentence
        bounds.append(pos)
    out: list[list[Piece]] = [[] for _ in lengths]
    pos = 0
    for tag, text in pieces:
        while text:
            which = sum(1 for b in bounds if b <= pos)
            take = min(len(text), next((b for b in bounds if b > pos), pos + len(text)) - pos)
            out[which].append((tag, text[:take]))
            text, pos = text[take:], pos + take
    return out


def _sentences(
    indices: tuple[int, ...], pool: tuple[Sentence, ...], ids: list[str], pieces: list[Piece] | None
) -> list[SentenceView]:
    if pieces is None or len(indices) == 1:
        chunks: list[list[Piece]] | None = [pieces] if pieces is not None else None
    else:
        chunks = _split(pieces, [len(pool[k].text) for k in indices])
        if chunks is None:  # typography differs from the ops' text: keep the whole diff on the first sentence
            chunks = [pieces] + [[] for _ in indices[1:]]
    return [
        SentenceView(ids[k], k + 1, chunks[n] if chunks is not None else [("=", pool[k].text)])
        for n, k in enumerate(indices)
    ]


def _inline(ops: tuple[Op, ...]) -> list[Piece]:
    """Track-changes pieces; a deletion glued to the next word inserted gets a space, so "The|Job" never reads "TheJob"."""
    out: list[Piece] = []
    for op in ops:
        glued = out and out[-1][0] == "-" and out[-1][1][-1:] and not out[-1][1][-1:].isspace()
        if op.tag == "+" and glued and op.text[:1].isalnum():
            out.append(("=", " "))
        out.append((op.tag, op.text))
    return out


def changed_share(ops: tuple[Op, ...]) -> int:
    """Percentage of words (of the longer side) touched by ``-``/``+`` ops."""
    def words(tags: tuple[str, ...]) -> int:
        return sum(len(op.text.split()) for op in ops if op.tag in tags)

    total = max(words(("=", "-")), words(("=", "+")), 1)
    return round(100 * max(words(("-",)), words(("+",))) / total)


def _row(c: Comparison, n: int, ch: Change, old_ids: list[str], new_ids: list[str]) -> Row:
    row = Row(id=f"c{n}", kind=ch.kind, old_numbers=[i + 1 for i in ch.old], new_numbers=[j + 1 for j in ch.new],
              notes=notes(ch), weak=ch.weak, history=ch.history)
    if ch.kind in ("unchanged", "added", "removed", "restated", "folded"):
        row.old = _sentences(ch.old, c.old_sentences, old_ids, None)
        row.new = _sentences(ch.new, c.new_sentences, new_ids, None)
        tag = {"unchanged": "=", "added": "+", "removed": "-", "restated": "+", "folded": "-"}[ch.kind]
        texts = [c.new_sentences[j].text for j in ch.new] or [c.old_sentences[i].text for i in ch.old]
        row.inline = [(tag, " ".join(texts))]
        if tag != "=":
            row.old = [SentenceView(s.id, s.number, [("-", p[1]) for p in s.pieces]) for s in row.old]
            row.new = [SentenceView(s.id, s.number, [("+", p[1]) for p in s.pieces]) for s in row.new]
        row.changed = 0 if ch.kind == "unchanged" else 100
        return row
    old_text = " ".join(c.old_sentences[i].text for i in ch.old)
    row.old = _sentences(ch.old, c.old_sentences, old_ids, _old_typography(_side_pieces(ch.ops, "-"), old_text))
    row.new = _sentences(ch.new, c.new_sentences, new_ids, _side_pieces(ch.ops, "+"))
    row.inline = _inline(ch.ops)
    row.changed = changed_share(ch.ops)
    row.rewritten = ch.rewritten
    return row


def build_rows(c: Comparison) -> list[Row]:
    """Rows in the new statement's order; each moved sentence also leaves a ghost row where it stood."""
    old_ids = unique_anchors(c.old_sentences, "old-")
    new_ids = unique_anchors(c.new_sentences)
    rows = [_row(c, n, ch, old_ids, new_ids) for n, ch in enumerate(c.changes)]
    ghosts: dict[int, list[Row]] = {}
    for moved in [r for r in rows if r.kind == "moved"]:
        was = moved.old_numbers[0] - 1
        ghost = Row(id=f"{moved.id}-was", kind="moved", ghost=True, link=moved.id,
                    old_numbers=moved.old_numbers, new_numbers=moved.new_numbers)
        moved.link = ghost.id
        # The ghost goes where the old order puts it: before the first in-place row holding a later old sentence.
        at = next((k for k, r in enumerate(rows) if r.kind != "moved" and r.old_numbers and min(r.old_numbers) - 1 > was),
                  len(rows))
        ghosts.setdefault(at, []).append(ghost)
    out: list[Row] = []
    for k in range(len(rows) + 1):
        out += sorted(ghosts.get(k, []), key=lambda g: g.old_numbers[0])
        out += rows[k : k + 1]
    return out


@dataclass
class Summary:
    """The "What changed" lists, each item pointing at a row id."""

    added: list[dict[str, Any]]
    new_parts: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    reworded: list[dict[str, Any]]
    moved: list[dict[str, Any]]


def _excerpt(text: str, words: int = 18) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def build_summary(c: Comparison, rows: list[Row]) -> Summary:
    """New sentences (and new wording), dropped sentences, reworded ones (most changed first), moved ones."""
    by_id = {r.id: r for r in rows}
    added: list[dict[str, Any]] = []
    new_parts: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    reworded: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    for n, ch in enumerate(c.changes):
        row = by_id[f"c{n}"]
        new_text = " ".join(c.new_sentences[j].text for j in ch.new)
        if ch.kind == "added":
            added.append({"row": row.id, "text": new_text, "where": row.new_numbers, "notes": row.notes,
                          "returns": ch.history.returns_from if ch.history else None})
        elif ch.kind == "removed":
            removed.append({"row": row.id, "text": " ".join(c.old_sentences[i].text for i in ch.old), "where": row.old_numbers,
                            "notes": row.notes})
        elif ch.kind not in ("unchanged", "restated", "folded"):
            inserted = [op.text.strip() for op in ch.ops if op.tag == "+" and op.text.strip()]
            if inserted:
                new_parts.append({"row": row.id, "parts": inserted, "where": row.new_numbers})
            if ch.kind == "moved":
                moved.append({"row": row.id, "ghost": row.link, "text": _excerpt(new_text), "rewritten": ch.rewritten,
                              "old": row.old_numbers, "new": row.new_numbers, "changed": row.changed})
            else:
                reworded.append({"row": row.id, "kind": ch.kind, "text": _excerpt(new_text), "changed": row.changed,
                                 "rewritten": ch.rewritten, "similarity": ch.similarity or 0.0, "weak": ch.weak,
                                 "old": row.old_numbers, "new": row.new_numbers})
    # Most changed first: rewrites (shown whole) lead, the least similar first; then by share of words changed.
    # Weak matches go last: a pairing the aligner doubts is not "the most changed" sentence.
    reworded.sort(key=lambda item: (item["weak"], not item["rewritten"], -item["changed"], item["similarity"]))
    return Summary(added, new_parts, removed, reworded, moved)


def sides(c: Comparison) -> tuple[Side, Side]:
    """Header facts of both statements."""
    return _side(c.old, "Old", len(c.old_sentences)), _side(c.new, "New", len(c.new_sentences))
