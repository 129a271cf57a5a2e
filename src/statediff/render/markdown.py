"""GitHub-flavoured Markdown: summary, then the changes (``~~deleted~~`` and ``**inserted**`` words).

Statement text is untrusted: every piece is escaped so it cannot open HTML, start a list or table, mention
people or break out of the formatting around it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from statediff.model import KINDS, Change, Comparison, Document, Op
from statediff.positions.digest import Positions, TopicDigest
from statediff.textnorm import without_controls

from .notes import history_notes, notes
from .positions_view import HEADINGS, lead_lines, leading_topics, tilt_line, topic_summary
from .report_model import changed_share

# Characters Markdown reads as syntax wherever they stand (code, emphasis, links, HTML, GFM tables,
# strikethrough, GitHub's $math$). Periods, hyphens, parentheses and the like only matter at the start of a line.
_MD_ALWAYS = re.compile(r"([\\`*\[\]<|~$])")
# "_" emphasises only at a word boundary (snake_case stays as is); "&" only where it would spell an entity.
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a line: a list item ("- ", "+ ", "1. ", "2) "), a heading ("# "), a quote (">") or a rule ("---").
_MD_LINE_START = re.compile(r"\A(\s*)(?:([-+]|#{1,6})(?=\s|\Z)|(\d{1,9})([.)])(?=\s|\Z)|(>)|(-)(?=(?:\s*-){2,}\s*\Z))")
_ISSUE_REF = re.compile(r"#(?=\d)")
_TAGS = {"-": ("~~", "<del>", "</del>"), "+": ("**", "<ins>", "</ins>")}


def _escape_line_start(match: re.Match[str]) -> str:
    space, marker, digits, delimiter, quote, rule = match.groups()
    if digits:
        return f"{space}{digits}\\{delimiter}"
    return f"{space}\\{marker or quote or rule}"


def md_escape(text: str) -> str:
    """Text safe to place inside Markdown, escaping only what Markdown would read as syntax.

    ``U.S.`` and ``Indo-Pacific`` stay as written; ``*``, backticks, brackets, ``<``, ``|``, ``~`` and ``$`` are
    escaped everywhere, list, heading, quote and rule markers at the start; ``@`` mentions and ``#123`` issue
    links are defused; line breaks become spaces.
    """
    text = without_controls(re.sub(r"\s+", " ", text))  # review.md is also read with cat: no escape sequences
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    text = _MD_LINE_START.sub(_escape_line_start, text, count=1)
    # A zero-width joiner after @ stops GitHub from notifying anyone named in a statement, and after # before a
    # digit from linking (and cross-referencing) an issue of the repository, e.g. "Resolution #2231".
    return _ISSUE_REF.sub("#\u200d", text.replace("@", "@\u200d"))


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _flanks(before: str, core: str, after: str) -> bool:
    """Whether ``**``/``~~`` around ``core`` open and close, by CommonMark's flanking rules."""
    opens = not _punct(core[0]) or before.isspace() or _punct(before)
    closes = not _punct(core[-1]) or after.isspace() or _punct(after)
    return opens and closes


def _wrap(tag: str, text: str, before: str, after: str) -> str:
    """``~~x~~``/``**x**`` around text, outer spaces kept outside so the emphasis renders.

    Where the markers would not render (punctuation inside touching a letter outside, as in ``2023**.**``),
    GitHub's <del>/<ins> tags say the same thing.
    """
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    marker, open_tag, close_tag = _TAGS[tag]
    if _flanks(lead[-1:] or before, core, trail[:1] or after):
        return f"{lead}{marker}{md_escape(core)}{marker}{trail}"
    return f"{lead}{open_tag}{md_escape(core)}{close_tag}{trail}"


def ops_markdown(ops: tuple[Op, ...]) -> str:
    """Word operations as Markdown: deletions struck through, insertions bold."""
    out: list[str] = []
    for k, op in enumerate(ops):
        if op.tag == "=":
            out.append(md_escape(op.text) if op.text.strip() else op.text)
            continue
        before = out[-1][-1:] if out and out[-1] else " "
        nxt = ops[k + 1] if k + 1 < len(ops) else None
        after = " " if nxt is None else ("*" if nxt.tag != "=" and nxt.text[:1].strip() else nxt.text[:1] or " ")
        glued = k and ops[k - 1].tag == "-" and ops[k - 1].text[-1:] and not ops[k - 1].text[-1:].isspace()
        if op.tag == "+" and glued and op.text[:1].isalnum():
            out.append(" ")  # a replaced word or sentence: "~~old~~ **new**" reads as two, never "oldnew"
            before = " "
        out.append(_wrap(op.tag, op.text, before, after))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def doc_label(doc: Document) -> str:
    """``Title (YYYY-MM-DD)`` of a side, escaped."""
    title = md_escape(doc.title) if doc.title else (md_escape(doc.path) if doc.path else "untitled")
    return f"{title} ({doc.date.isoformat()})" if doc.date else title


def summary_line(c: Comparison) -> str:
    """Counts by kind, non-zero ones only, e.g. ``3 added · 1 removed``."""
    counts = c.summary()
    parts = [f"{counts[k]} {k}" for k in KINDS if counts[k] and k != "unchanged"]
    parts.append(f"{counts['unchanged']} unchanged")
    return " · ".join(parts)


def _quote(c: Comparison, change: Change) -> str:
    if change.kind in ("added", "restated"):
        return "**" + md_escape(" ".join(c.new_sentences[j].text for j in change.new)) + "**"
    if change.kind in ("removed", "folded"):
        return "~~" + md_escape(" ".join(c.old_sentences[i].text for i in change.old)) + "~~"
    return ops_markdown(change.ops)


def _history_md(ch: Change) -> list[str]:
    """Sub-items from the change's series history, when the report was built in a statements folder."""
    return [f"  - {lead}{md_escape(text) if text else ''}" for lead, text in history_notes(ch)]


_HEADINGS = {
    "added": "New sentences",
    "removed": "Dropped sentences",
    "modified": "Reworded sentences",
    "moved": "Moved sentences",
    "split": "Split sentences",
    "merged": "Merged sentences",
    "restated": "Restated elsewhere too",
    "folded": "Folded into other sentences",
}


def topic_markdown(d: TopicDigest, escape: Callable[[str], str] = md_escape) -> str:
    """One topic of the digest: a bullet with its counts, figures and actors, and its most telling points (a new one,
    the most substantive rewording: what its wording changed) as nested bullets; statement text through ``escape``."""
    label, phrases = topic_summary(d)
    lines = [f"- **{escape(label)}**: {escape('; '.join(phrases))}"]
    lines += [f"  - _{HEADINGS[kind].lower()}_: {escape(text)}" for kind, text in lead_lines(d)]
    return "\n".join(lines)


def positions_markdown(p: Positions, heading: str | None = "### Positions", limit: int = 12) -> list[str]:
    """The Positions digest, one bullet per topic (at most ``limit``), every piece of statement text escaped."""
    if not p.digest:
        return []
    lines = [heading, ""] if heading else []
    tilt = tilt_line(p)
    if tilt:
        lines += [f"Monetary-policy tilt of the changes: {tilt}", ""]
    lines += [topic_markdown(d) for d in leading_topics(p, limit)]
    if len(p.digest) > limit:
        lines.append(f"- … and {len(p.digest) - limit} more topics (fewer points each)")
    return [*lines, ""]


def render_markdown(c: Comparison, heading_level: int = 2, positions: Positions | None = None) -> str:
    """The whole comparison as Markdown (the Positions digest first, when given)."""
    h = "#" * heading_level
    lines = [f"{h} {doc_label(c.old)} → {doc_label(c.new)}", "", f"**{summary_line(c)}**", ""]
    if positions is not None:
        lines += positions_markdown(positions, f"{h}# Positions")
    for kind in ("added", "removed", "modified", "moved", "split", "merged", "restated", "folded"):
        picked = [ch for ch in c.changes if ch.kind == kind]
        if kind == "modified":  # most changed first, as in the HTML report; weak matches after (not a rewording)
            picked.sort(key=lambda ch: (ch.weak, not ch.rewritten, -changed_share(ch.ops), ch.similarity or 0.0))
        if not picked:
            continue
        lines += [f"{h}# {_HEADINGS[kind]} ({len(picked)})", ""]
        for ch in picked:
            where = ""
            if ch.old and ch.new:
                where = f" (old {', '.join(str(i + 1) for i in ch.old)} → new {', '.join(str(j + 1) for j in ch.new)})"
            elif ch.new:
                where = f" (new {ch.new[0] + 1})"
            else:
                where = f" (old {ch.old[0] + 1})"
            extra = notes(ch)
            lines.append(f"- {_quote(c, ch)}{where}" + (f" — {md_escape('; '.join(extra))}" if extra else ""))
            lines += _history_md(ch)
        lines.append("")
    if not c.has_differences:
        lines += ["No differences.", ""]
    return "\n".join(lines)
