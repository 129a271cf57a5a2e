"""The review for a terminal: one header line per changed statement, then its comparison as ``compare`` prints it."""

from __future__ import annotations

from statediff.gitreview.review import Review, ReviewItem
from statediff.render.markdown import summary_line
from statediff.render.text import render_text

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _plain(text: str) -> str:
    # Titles and paths are untrusted: no terminal control characters.
    return "".join(ch if ch.isprintable() or ch == " " else "\ufffd" for ch in text)


def _header(item: ReviewItem) -> str:
    where = f"{item.old_path} -> {item.path}" if item.status == "renamed" and item.old_path else item.path
    what = f"{item.status} {where}"
    if item.title:
        what += f"  {item.title} ({item.date.isoformat() if item.date else 'no date'})"
    if item.comparison is not None:
        ref = item.compared_with
        versus = f"{ref.path}{' at ' + ref.at if ref.at else ''}" if ref else "nothing (first of its series)"
        what += f"\n  compared with {versus}: {summary_line(item.comparison)}"
    if item.report:
        what += f"\n  report {item.report}"
    if item.note:
        what += f"\n  note: {item.note}"
    return "\n".join(_plain(line) for line in what.split("\n"))


def review_text(review: Review, *, color: bool = False) -> str:
    """Every changed statement with its comparison, the check problems, and a closing count."""
    out = [_plain(f"base {review.base} ({review.base_commit[:12]}), head {review.head}"), ""]
    for item in review.items:
        header = _header(item)
        out.append(f"{_BOLD}{header}{_RESET}" if color else header)
        if item.comparison is not None:
            from statediff.render.positions_view import positions_for

            # The same Positions digest as ``compare --format text`` opens with.
            positions = positions_for(item.comparison, item.positions)
            out.append(render_text(item.comparison, color=color, positions=positions).rstrip("\n"))
        out.append("")
    if review.problems:
        out += ["problems (statediff check):", *(f"  {_plain(p)}" for p in review.problems), ""]
    n = len(review.items)
    out.append(f"{n} statement{'s' if n != 1 else ''} changed, {len(review.problems)} problems" if review.has_changes
               else "no statement changed")
    return "\n".join(out) + "\n"
