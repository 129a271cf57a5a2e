"""The Positions digest as plain data for the templates and one-line summaries for Markdown and text.

Nothing here builds markup: the HTML template escapes every piece, Markdown and text escape with their own rules.
"""

from __future__ import annotations

from typing import Any

from statediff.model import Comparison
from statediff.positions.digest import Edit, Item, Positions, TopicDigest, decisive_words, edit_rank
from statediff.positions.topics import OTHER

HEADINGS = {
    "new": "New", "dropped": "Dropped", "stronger": "Stronger", "weaker": "Weaker", "negation": "Negation flipped",
    "changed": "Changed", "figure": "Figures", "actor_added": "Actors appeared", "actor_removed": "Actors vanished",
}
LEAD_WORDS = 22
"""A quoted point in a short digest is cut after this many words (most statement sentences fit)."""
LEAD_MARK = {"new": "+", "dropped": "-", "stronger": "~ stronger:", "weaker": "~ weaker:",
             "negation": "~ negation flipped:", "changed": "~"}
"""How the short digests mark a quoted point."""
_COUNTED = ("new", "dropped", "stronger", "weaker", "negation", "changed")


def excerpt(text: str, words: int = 16) -> str:
    """The first ``words`` words, with an ellipsis when cut."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def panel(p: Positions) -> dict[str, Any]:
    """Per topic: its label, the items grouped by kind (each with its row id), and the editorial count."""
    topics = []
    for d in sorted(p.digest, key=lambda d: d.topic.label == OTHER):  # "Other" last; stable: report order
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in d.items:
            groups.setdefault(item.kind, []).append({
                "row": f"c{item.change}", "text": item.text if item.kind in ("figure", "actor_added", "actor_removed")
                else excerpt(item.text, 22), "words": list(item.words[:4]), "tilt": item.tilt,
                # A reworded point says what its wording changed from and to; the sentence is its tooltip.
                "edits": [{"old": e.old, "new": e.new} for e in item.edits],
                "sentence": excerpt(item.text, 60) if item.edits else "",
            })
        topics.append({"label": d.topic.label, "pinned": d.topic.pinned, "editorial": d.editorial,
                       "groups": [(HEADINGS[k], k, groups[k]) for k in HEADINGS if k in groups],
                       "id": f"sd-topic-{p.topics.index(d.topic)}"})
    return {"topics": topics, "kind": p.kind, "tilt": p.tilt,
            "editorial": sum(d.editorial for d in p.digest)}


def topic_summary(d: TopicDigest) -> tuple[str, list[str]]:
    """``(label, [phrases])`` for one topic: counts by kind, the figures, the actors, editorial changes."""
    counts = {k: sum(1 for i in d.items if i.kind == k) for k in _COUNTED}
    phrases = [f"{n} {k if k != 'negation' else 'negation flipped'}" for k, n in counts.items() if n]
    figures = [i.text for i in d.items if i.kind == "figure"]
    if figures:
        phrases.append("figures " + ", ".join(figures[:4]) + (" …" if len(figures) > 4 else ""))
    for kind, word in (("actor_added", "appeared"), ("actor_removed", "vanished")):
        names = [i.text for i in d.items if i.kind == kind]
        if names:
            phrases.append(f"{word}: " + ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
    if d.editorial:
        phrases.append(f"{d.editorial} editorial")
    return d.topic.label, phrases


def edit_line(item: Item, limit: int = 2, words: int = 10) -> str:
    """A reworded point's ``limit`` most telling edits as one line, the most telling first (the one holding a word
    that decided its stance or tilt, then a figure's): ``“old” → “new”; dropped “…”; added “…”``."""
    decisive = decisive_words(item.words)
    parts = []
    for e in sorted(item.edits, key=lambda e: -edit_rank(e, decisive))[:limit]:
        e = Edit(excerpt(e.old, words), excerpt(e.new, words))
        if e.old and e.new:
            parts.append(f"“{e.old}” → “{e.new}”")
        elif e.old:
            parts.append(f"dropped “{e.old}”")
        else:
            parts.append(f"added “{e.new}”")
    return "; ".join(parts)


def lead_lines(d: TopicDigest, limit: int = 3) -> list[tuple[str, str]]:
    """The topic's most telling points for a short digest, ``(kind, text)``: its new point that names most actors (the
    first of equals), its two most substantive reworded ones (stronger, weaker or negated before merely changed; what
    their wording changed, or the sentence), then likewise a dropped point."""
    out: list[tuple[str, str]] = []
    new = max((i for i in d.items if i.kind == "new"), key=lambda i: i.weight, default=None)
    if new is not None:
        out.append(("new", f"“{excerpt(new.text, LEAD_WORDS)}”"))
    reworded = [i for i in d.items if i.kind in ("stronger", "weaker", "negation", "changed")]
    # A point said more or less strongly first (what an analyst reads the digest for), then by weight; stable: equals
    # stay in report order.
    reworded.sort(key=lambda i: (i.kind == "changed", -i.weight))
    for item in reworded[:2]:
        line = edit_line(item) if item.edits else f"“{excerpt(item.text, LEAD_WORDS)}”"
        # Monetary policy: which way the rewording leans, as the HTML panel says beside it.
        out.append((item.kind, f"{line} ({item.tilt})" if item.tilt in ("hawkish", "dovish") else line))
    dropped = max((i for i in d.items if i.kind == "dropped"), key=lambda i: i.weight, default=None)
    if dropped is not None and len(out) < limit:
        out.append(("dropped", f"“{excerpt(dropped.text, LEAD_WORDS)}”"))
    return out[:limit]


def leading_topics(p: Positions, limit: int) -> list[TopicDigest]:
    """The ``limit`` topics a short digest shows: those with the most substantive points (stronger or weaker
    first, then new, dropped, reworded, figures, actors), in report order, with "Other" (no word names it) last."""
    def size(d: TopicDigest) -> float:
        # A change of stance says most; a heading ("Infrastructure") that came or went, an actor listed, least.
        worth = {"stronger": 2.0, "weaker": 2.0, "negation": 2.0, "changed": 1.0, "figure": 1.0,
                 "actor_added": 0.5, "actor_removed": 0.5}
        return sum(worth.get(i.kind, 1.0 if len(i.text.split()) > 4 else 0.0) for i in d.items)

    ranked = sorted(range(len(p.digest)), key=lambda n: (p.digest[n].topic.label == OTHER, -size(p.digest[n]), n))
    chosen = sorted(ranked[:limit], key=lambda n: (p.digest[n].topic.label == OTHER, n))
    return [p.digest[n] for n in chosen]


def tilt_line(p: Positions) -> str | None:
    """Monetary policy: ``hawkish 5 · dovish 1 · neutral 2`` over the substantive changes."""
    if not p.tilt:
        return None
    return " · ".join(f"{k} {p.tilt[k]}" for k in ("hawkish", "dovish", "neutral") if p.tilt.get(k))


def positions_for(c: Comparison, positions: Positions | None) -> Positions:
    """The given digest, or one computed with the shipped data files."""
    if positions is not None:
        return positions
    from statediff.positions.digest import analyse

    return analyse(c)
