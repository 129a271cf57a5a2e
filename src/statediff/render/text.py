"""Plain text for the terminal, in the new statement's reading order; ANSI colours when asked.

Without colour, word changes are marked wdiff-style: ``[-deleted-]`` and ``{+inserted+}``.
"""

from __future__ import annotations

import re

from statediff.model import Change, Comparison, Document, Op
from statediff.positions.digest import Positions

from .markdown import summary_line
from .notes import history_notes, notes
from .positions_view import LEAD_MARK, lead_lines, leading_topics, tilt_line, topic_summary

_RED, _GREEN, _DIM, _BOLD, _CYAN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[36m", "\x1b[0m"
_PREFIX = {"unchanged": " ", "modified": "~", "moved": "@", "added": "+", "removed": "-", "split": "<", "merged": ">",
           "restated": "^", "folded": "&"}


# Bidirectional overrides and isolates can make a terminal show text in a different order than it is.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _clean(text: str) -> str:
    """Control characters (escape sequences) and bidi overrides in statement text must not reach the terminal.

    Only those: no-break spaces and soft hyphens are ordinary statement typography (str.isprintable() calls
    them unprintable, which turned "Pre\u00adsident" into "Pre\ufffdsident").
    """
    return _UNSAFE.sub(_replacement, text)  # one regex pass: a loop per character was 30,000 steps per report


# The characters of Unicode category Cc (C0 and C1 controls), the bidi controls above, and the line separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "\u2028\u2029]")


def _replacement(found: re.Match[str]) -> str:
    return " " if found.group(0) in "\u2028\u2029" else "\ufffd"


def _ops(ops: tuple[Op, ...], color: bool) -> str:
    out = []
    for op in ops:
        text = _clean(op.text)
        if op.tag == "=":
            out.append(text)
        elif color:
            out.append(f"{_RED}\x1b[9m{text}{_RESET}" if op.tag == "-" else f"{_GREEN}\x1b[4m{text}{_RESET}")
        else:
            out.append(f"[-{text}-]" if op.tag == "-" else f"{{+{text}+}}")
    return "".join(out)


def _line(c: Comparison, ch: Change, color: bool) -> str:
    line = _body(c, ch, color)
    extra = notes(ch)
    if not extra:
        return line
    tail = f"  [{'; '.join(extra)}]"
    return line + (f"{_CYAN}{tail}{_RESET}" if color else tail)


def _body(c: Comparison, ch: Change, color: bool) -> str:
    where = ""
    if ch.kind == "moved":
        where = f"  (moved from old {ch.old[0] + 1})"
    elif ch.kind in ("split", "merged"):
        where = f"  ({ch.kind}: old {', '.join(str(i + 1) for i in ch.old)} → new {', '.join(str(j + 1) for j in ch.new)})"
    prefix = _PREFIX[ch.kind]
    if ch.kind in ("added", "restated"):
        body = _clean(" ".join(c.new_sentences[j].text for j in ch.new))
        return f"{_GREEN}{prefix} {body}{_RESET}" if color else f"{prefix} {body}"
    if ch.kind in ("removed", "folded"):
        body = _clean(" ".join(c.old_sentences[i].text for i in ch.old))
        return f"{_RED}{prefix} {body}{_RESET}" if color else f"{prefix} {body}"
    if ch.kind == "unchanged":
        body = _clean(c.new_sentences[ch.new[0]].text)
        return f"{_DIM}{prefix} {body}{_RESET}" if color else f"{prefix} {body}"
    body = _ops(ch.ops, color)
    tail = f"{_CYAN}{where}{_RESET}" if color and where else where
    return f"{_BOLD}{prefix}{_RESET} {body}{tail}" if color else f"{prefix} {body}{where}"


def _history(ch: Change, color: bool) -> str:
    """The lines a change's series history adds (only in reports built in a statements folder)."""
    body = "".join(f"\n    {lead}{_clean(text) if text else ''}" for lead, text in history_notes(ch))
    return f"{_DIM}{body}{_RESET}" if color and body else body


def _label(doc: Document, fallback: str) -> str:
    label = _clean(doc.title or doc.path or fallback)
    return f"{label} ({doc.date.isoformat()})" if doc.date else label


def _header(c: Comparison) -> str:
    """``---``/``+++`` lines with title and date; for two versions of one statement (same title), also the
    source and issuers if they changed: a reviewer must see those even when every sentence is the same."""
    lines = [f"--- {_label(c.old, 'old')}", f"+++ {_label(c.new, 'new')}"]
    for field in ("source", "issuers") if c.old.title == c.new.title else ():
        before, after = c.old.meta.get(field), c.new.meta.get(field)
        if before != after and (before or after):
            def shown(value: object) -> str:
                text = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "(none)")
                return _clean(text)

            lines.append(f"# {field}: {shown(before)} -> {shown(after)}")
    return "\n".join(lines) + "\n"


def positions_text(p: Positions, limit: int = 12) -> str:
    """The Positions digest: one line per topic (at most ``limit``) with up to two of its points under it, then a
    blank line."""
    if not p.digest:
        return ""
    lines = ["# Positions"]
    tilt = tilt_line(p)
    if tilt:
        lines.append(f"#   tilt: {tilt}")
    for d in leading_topics(p, limit):
        label, phrases = topic_summary(d)
        lines.append(_clean(f"#   {label}: {'; '.join(phrases)}"))
        # The topic's most telling points, one line each: the first new one, the most substantive rewording.
        lines += [_clean(f"#     {LEAD_MARK[kind]} {text}") for kind, text in lead_lines(d)]
    if len(p.digest) > limit:
        lines.append(f"#   … and {len(p.digest) - limit} more topics (fewer points each)")
    return "\n".join(lines) + "\n"


def _shown(changes: tuple[Change, ...], context: int | None) -> list[int | tuple[int, int]]:
    """Which changes to print: all, or each change with ``context`` unchanged sentences around it.

    A skipped run of unchanged sentences appears as (first, count), so the reader knows something is left out.
    """
    if context is None:
        return list(range(len(changes)))
    keep = [False] * len(changes)
    for i, ch in enumerate(changes):
        if ch.kind != "unchanged":
            for j in range(max(0, i - context), min(len(changes), i + context + 1)):
                keep[j] = True
    out: list[int | tuple[int, int]] = []
    i = 0
    while i < len(changes):
        if keep[i]:
            out.append(i)
            i += 1
            continue
        start = i
        while i < len(changes) and not keep[i]:
            i += 1
        out.append((start, i - start))
    return out


def render_text(c: Comparison, *, color: bool = False, context: int | None = None, positions: Positions | None = None) -> str:
    """The Positions digest (when given), every change on its own line (or only changes and ``context`` unchanged
    sentences around each), then the counts."""
    head = _header(c) + (positions_text(positions) if positions is not None else "")
    lines = []
    for item in _shown(c.changes, context):
        if isinstance(item, int):
            ch = c.changes[item]
            lines.append(_line(c, ch, color) + _history(ch, color))
        else:
            gap = f"  ... {item[1]} unchanged sentence{'' if item[1] == 1 else 's'}"
            lines.append(f"{_DIM}{gap}{_RESET}" if color else gap)
    return head + "\n".join(lines) + ("\n" if lines else "") + f"\n{summary_line(c)}\n"
