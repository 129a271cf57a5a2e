"""The review as one Markdown summary, safe to post as a pull-request comment.

Statement text is untrusted: it is escaped so it cannot open HTML, mention people or link issues, close a code
block or break the table. GitHub refuses comments over 65,536 characters, so when the summary is longer the
longest lists are cut first (every list to the same length cap), then whole statement sections, then table
rows; a note at the top says what was cut, and the reports keep everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from statediff.errors import StatediffError
from statediff.gitreview.review import Review, ReviewItem, StatementRef
from statediff.model import Comparison, Op
from statediff.render.markdown import md_escape, ops_markdown, summary_line

#: The hidden line a workflow looks for to update its earlier comment instead of adding one.
MARKER = "<!-- statediff-review -->"
COMMENT_LIMIT = 65_536
#: The summary's own budget: leaves room for a footer the workflow adds (a link to the reports artifact).
DEFAULT_LIMIT = COMMENT_LIMIT - 1_536
#: Characters of statement text per list entry; a longer sentence is cut with an ellipsis.
ITEM_CHARS = 1_000
#: Characters of a title; a longer one is cut with an ellipsis.
TITLE_CHARS = 200
_SAFE_CODE = re.compile(r"[A-Za-z0-9._/+-]+")
_URL = re.compile(r"https?://[^\s()<>\[\]`\"'\\]+")


def esc(text: str) -> str:
    """Untrusted text for Markdown: ``md_escape``, and ``#123`` kept from linking (and notifying) an issue."""
    return re.sub(r"\\#(?=\d)", "\\#\u200d", md_escape(text))


def code(text: str) -> str:
    """A path or ref as inline code when it is plainly safe, else escaped text (names from git are untrusted)."""
    return f"`{text}`" if _SAFE_CODE.fullmatch(text) else esc(text)


def _clip(text: str) -> str:
    return text if len(text) <= ITEM_CHARS else text[:ITEM_CHARS].rstrip() + " …"


def _clip_ops(ops: tuple[Op, ...]) -> tuple[tuple[Op, ...], bool]:
    kept: list[Op] = []
    used = 0
    for op in ops:
        if used + len(op.text) > ITEM_CHARS:
            kept.append(replace(op, text=op.text[: max(0, ITEM_CHARS - used)]))
            return tuple(kept), True
        kept.append(op)
        used += len(op.text)
    return tuple(kept), False


@dataclass
class _Section:
    """A list that may be cut: its items are whole Markdown lines."""

    title: str
    noun: str
    owner: str
    items: list[str]
    kept: int = -1

    def __post_init__(self) -> None:
        self.kept = len(self.items)

    def lines(self) -> list[str]:
        if not self.items:
            return []
        out = [f"**{self.title} ({len(self.items)})**", "", *self.items[: self.kept]]
        if self.kept < len(self.items):
            out.append(f"- … {len(self.items) - self.kept} more {self.noun} cut to fit the comment; the report has them all")
        return [*out, ""]


@dataclass
class _Block:
    """One statement: its table row, its heading lines, its lists."""

    row: str
    head: list[str]
    sections: list[_Section] = field(default_factory=list)


def _sentences(c: Comparison, indices: tuple[int, ...], new: bool) -> str:
    side = c.new_sentences if new else c.old_sentences
    return " ".join(side[i].text for i in indices)


def _lists(item: ReviewItem, owner: str) -> list[_Section]:
    c = item.comparison
    if c is None:
        return []
    from statediff.render.markdown import topic_markdown
    from statediff.render.positions_view import leading_topics, positions_for, tilt_line

    # The Positions digest first, one bullet per topic with its telling points (shorter than the report's panel);
    # cut like the other lists.
    p = positions_for(c, item.positions)
    positions = [topic_markdown(d, esc) for d in leading_topics(p, len(p.digest))]
    if positions and tilt_line(p):
        positions.insert(0, f"- _tilt_: {esc(tilt_line(p) or '')}")
    added = [f"- {esc(_clip(_sentences(c, ch.new, True)))}" for ch in c.changes if ch.kind == "added"]
    dropped = [f"- {esc(_clip(_sentences(c, ch.old, False)))}" for ch in c.changes if ch.kind == "removed"]
    reworded = []
    for ch in c.changes:
        if ch.kind in ("modified", "split", "merged"):
            ops, cut = _clip_ops(ch.ops)
            tag = f" _({ch.kind})_" if ch.kind != "modified" else ""
            reworded.append(f"- {esc_ops(ops)}{' …' if cut else ''}{tag}")
    return [_Section("Positions", "topics", owner, positions),
            _Section("New sentences", "new sentences", owner, added),
            _Section("Dropped sentences", "dropped sentences", owner, dropped),
            _Section("Modified sentences", "modified sentences", owner, reworded)]


def esc_ops(ops: tuple[Op, ...]) -> str:
    """Word operations as Markdown (deleted struck through, inserted bold), escaped like ``esc``."""
    return re.sub(r"\\#(?=\d)", "\\#\u200d", ops_markdown(ops))


def _ref(ref: StatementRef | None) -> str:
    if ref is None:
        return "nothing (first of its series)"
    if ref.at:
        return f"its version at {code(ref.at)}"
    return f"{_title(ref.title)}, {ref.date.isoformat()}"


def _link(report: str | None, link_base: str | None) -> str:
    if report is None:
        return "—"
    if link_base is None:
        return code(report)
    return f"[{code(report)}]({link_base.rstrip('/')}/{quote(report)})"


_STATUS_WORD = {"added": "Added", "modified": "Modified", "renamed": "Renamed", "deleted": "Deleted"}


def _title(text: str) -> str:
    # Titles go in table rows and headings, which are never cut: keep them bounded.
    return esc(text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS].rstrip() + " …")


def _block(item: ReviewItem, link_base: str | None) -> _Block:
    title = _title(item.title) if item.title else code(item.path)
    date = item.date.isoformat() if item.date else "—"
    counts = summary_line(item.comparison) if item.comparison else "—"
    compared = "—" if item.status == "deleted" or (item.comparison is None) else _ref(item.compared_with)
    row = f"| {item.status} | {title} | {date} | {compared} | {counts} | {_link(item.report, link_base)} |"
    head = [f"### {_STATUS_WORD[item.status]}: {title} ({date})", ""]
    where = code(item.path)
    if item.status == "renamed" and item.old_path:
        where = f"{code(item.old_path)} → {where}"
    if item.comparison is not None:
        with_what = _ref(item.compared_with)
        if item.compared_with is not None:
            with_what += f" ({code(item.compared_with.path)})"
        head.append(f"{where}, compared with {with_what}")
        report = f" · report {_link(item.report, link_base)}" if item.report else ""
        head += ["", f"**{summary_line(item.comparison)}**{report}"]
    else:
        head.append(where + (" was deleted" if item.status == "deleted" else ""))
    if item.note:
        head += ["", f"> {esc(item.note)}"]
    owner = _title(item.title) if item.title else code(item.path)
    return _Block(row, [*head, ""], _lists(item, owner))


def _heading(review: Review) -> str:
    if not review.items:
        return "No statement changed" if not review.problems else "No statement changed; problems in changed files"
    counts: dict[str, int] = {}
    for item in review.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    noun = "statement" if len(review.items) == 1 else "statements"
    return f"{len(review.items)} {noun} changed ({parts})"


def _sides(review: Review) -> str:
    base = f"{code(review.base)} ({review.base_commit[:12]})" if review.base_commit != review.base else code(review.base)
    head = esc(review.head) if review.head_commit is None else code(review.head)
    if review.head_commit and review.head_commit != review.head:
        head += f" ({review.head_commit[:12]})"
    return f"Base {base} · head {head}"


@dataclass
class _Layout:
    blocks: list[_Block]
    problems: _Section
    details: int
    rows: int


def _render(review: Review, layout: _Layout) -> str:
    lines = [MARKER, f"## statediff: {_heading(review)}", "", _sides(review), ""]
    cut = [s for s in _sections(layout) if s.kept < len(s.items)]
    if cut or layout.details < len(layout.blocks) or layout.rows < len(layout.blocks):
        named = [f"{len(s.items) - s.kept} {s.noun} of {s.owner}" for s in cut[:10]]
        if len(cut) > 10:
            named.append(f"{len(cut) - 10} more lists")
        if layout.details < len(layout.blocks):
            named.append(f"the details of {len(layout.blocks) - layout.details} statements")
        if layout.rows < len(layout.blocks):
            named.append(f"{len(layout.blocks) - layout.rows} table rows")
        lines += [f"> Cut to fit GitHub's {COMMENT_LIMIT:,}-character comment limit: {'; '.join(named)}. "
                  "The reports have everything.", ""]
    if layout.blocks:
        lines += ["| Status | Statement | Date | Compared with | Changes | Report |", "|---|---|---|---|---|---|"]
        lines += [b.row for b in layout.blocks[: layout.rows]]
        lines.append("")
    if layout.problems.items:
        lines += ["### Problems (statediff check)", "", *layout.problems.lines()[2:]]
    for block in layout.blocks[: layout.details]:
        lines += block.head
        for section in block.sections:
            lines += section.lines()
    return "\n".join(lines).rstrip("\n") + "\n"


def _sections(layout: _Layout) -> list[_Section]:
    return [layout.problems, *(s for b in layout.blocks[: layout.details] for s in b.sections)]


def _cap(sizes: list[list[int]], room: int) -> int:
    """The largest per-list length cap C with sum(min(list length, C)) <= room (binary search)."""

    def used(cap: int) -> int:
        total = 0
        for lengths in sizes:
            acc = 0
            for n in lengths:
                if acc + n > cap:
                    break
                acc += n
            total += acc
        return total

    low, high = 0, max((sum(s) for s in sizes), default=0)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if used(mid) <= room else (low, mid - 1)
    return low


def _fit(review: Review, layout: _Layout, limit: int) -> str:
    text = _render(review, layout)
    if len(text) <= limit:
        return text
    # Fixed parts first: with every list emptied, drop statement sections, then table rows, until that fits.
    sections = _sections(layout)
    for s in sections:
        s.kept = 0
    while len(_render(review, layout)) > limit and layout.details > 0:
        layout.details -= max(1, layout.details // 8)
    while len(_render(review, layout)) > limit and layout.rows > 0:
        layout.rows -= max(1, layout.rows // 8)
    sections = _sections(layout)
    # Then give every list the same length cap: the longest lists lose the most.
    room = limit - len(_render(review, layout))
    for _ in range(20):
        sizes = [[len(line) + 1 for line in s.items] for s in sections]
        cap = _cap(sizes, room)
        for s, lengths in zip(sections, sizes, strict=True):
            acc, s.kept = 0, 0
            for n in lengths:
                if acc + n > cap:
                    break
                acc, s.kept = acc + n, s.kept + 1
        text = _render(review, layout)
        if len(text) <= limit:
            return text
        room -= len(text) - limit  # the cut notes themselves took room: try again with less
    raise AssertionError("the review summary could not be cut to fit")  # pragma: no cover - the loop always converges


def check_link_base(url: str) -> str:
    """``url`` if it is a plain http(s) URL that is safe inside a Markdown link, else a clear error."""
    if not _URL.fullmatch(url):
        raise StatediffError(f"--link-base {url!r} is not a plain http(s) URL; give e.g. https://example.org/reports")
    return url


def review_markdown(review: Review, *, link_base: str | None = None, limit: int = DEFAULT_LIMIT) -> str:
    """The whole review as Markdown of at most ``limit`` characters, beginning with ``MARKER``.

    ``link_base`` (an http(s) URL) turns each report path into a link ``<link_base>/<path>``, e.g. where
    a workflow publishes the ``--out`` folder.
    """
    if link_base is not None:
        check_link_base(link_base)
    blocks = [_block(item, link_base) for item in review.items]
    problems = _Section("Problems", "problems", "the check", [f"- {esc(p)}" for p in review.problems])
    return _fit(review, _Layout(blocks, problems, len(blocks), len(blocks)), limit)
