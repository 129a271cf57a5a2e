"""Review the statements changed between two git trees: which files, what each is compared with, the comparisons.

A changed statement is compared with its own content at the base (modified, renamed: renames are followed), or,
when added, with the statement before it in its series by date as of the head; a deleted one is listed, and
``statediff check`` problems of the changed files too. ``review_tree`` reads each side's files.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from statediff.errors import StatediffError
from statediff.folder.statements import Statement, previous_in_series
from statediff.gitreview.repo import (
    ChangedPath,
    FileStatus,
    changed_paths,
    default_branch,
    merge_base,
    repo_root,
    resolve_commit,
)
from statediff.gitreview.tree import Side, check_changed, hidden, series_of, statements_folder
from statediff.model import Comparison, Document

if TYPE_CHECKING:
    from statediff.engine.embed import Embedder
    from statediff.positions.digest import Positions

WORKING_TREE = "the working tree"
_ORDER = ("added", "modified", "renamed", "deleted")


@dataclass(frozen=True)
class StatementRef:
    """A statement file as the summary names it."""

    path: str
    """Repository-relative path."""
    title: str
    """Its title."""
    date: dt.date
    """Its date."""
    at: str | None = None
    """The ref it was read at when that is not the head (the base version of a modified statement)."""


@dataclass(frozen=True)
class ReviewItem:
    """One changed statement file."""

    status: FileStatus
    """added, modified, renamed or deleted."""
    series: str
    """Its series (the folder under the statements folder)."""
    path: str
    """Repository-relative path at the head (at the base for ``deleted``)."""
    title: str | None
    """Title (head version; base version for ``deleted``); ``None`` when unreadable."""
    date: dt.date | None
    """Date, like the title."""
    old_path: str | None = None
    """Path at the base for ``modified``, ``renamed`` and ``deleted``."""
    compared_with: StatementRef | None = None
    """The predecessor (added) or the base version (modified, renamed); ``None``: compared with nothing."""
    comparison: Comparison | None = None
    """The comparison, unless the file could not be read (see ``note``) or was deleted."""
    note: str | None = None
    """Why it was not compared, or how (e.g. the first statement of its series)."""
    report: str | None = None
    """The HTML report, relative to the ``--out`` folder (POSIX separators); JSON beside it."""
    positions: Positions | None = None
    """The Positions digest of the comparison (``review`` computes it with the series' own data files as of the head):
    the reports and summaries reuse it (the layer costs most of a warm comparison of long statements, so it runs
    once per statement, not per format)."""


@dataclass(frozen=True)
class Review:
    """Everything ``statediff review`` found."""

    base: str
    """The base as the user knows it (a ref, or ``merge-base of main and HEAD``)."""
    base_commit: str
    """Its commit id."""
    head: str
    """The head ref, or ``the working tree``."""
    head_commit: str | None
    """Its commit id (``None`` for the working tree)."""
    items: tuple[ReviewItem, ...]
    """Changed statement files, by path."""
    problems: tuple[str, ...]
    """``statediff check`` problems of the changed files, and changed files outside the layout."""

    @property
    def has_changes(self) -> bool:
        """True when a statement changed or a changed file has a problem (exit 1)."""
        return bool(self.items or self.problems)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of schema ``statediff/review/1``; each comparison as ``compare --format json`` writes it
        (marks under each change, the Positions digest beside them)."""
        from statediff.render.json import with_positions

        def ref(r: StatementRef | None) -> dict[str, Any] | None:
            return None if r is None else {"path": r.path, "title": r.title, "date": r.date.isoformat(), "at": r.at}

        return {
            "schema": "statediff/review/1",
            "base": {"ref": self.base, "commit": self.base_commit},
            "head": {"ref": self.head, "commit": self.head_commit},
            "statements": [
                {"status": i.status, "series": i.series, "path": i.path, "old_path": i.old_path, "title": i.title,
                 "date": i.date.isoformat() if i.date else None, "compared_with": ref(i.compared_with), "note": i.note,
                 "counts": i.comparison.summary() if i.comparison else None,
                 "report": {"html": i.report, "json": i.report.removesuffix(".html") + ".json"} if i.report else None,
                 "comparison": with_positions(i.comparison, i.positions) if i.comparison else None}
                for i in self.items
            ],
            "problems": list(self.problems),
        }


def _as_ref(statement: Statement, path: str, at: str | None = None) -> StatementRef:
    return StatementRef(path, statement.title, statement.date, at)


def _document(statement: Statement, path: str) -> Document:
    # Reports name the repository path, never the scratch copy.
    return replace(statement.document(), path=path)


def _predecessor(side: Side, folder: str, series: str, new: Statement) -> tuple[Statement, str] | None:
    """The statement before ``new`` in its series by date, as of this side (unreadable files are skipped)."""
    found: dict[Path, tuple[Statement, str]] = {}
    for path in side.series_files(f"{folder}/{series}" if folder != "." else series):
        try:
            statement = side.statement(path, series)
        except StatediffError:
            continue  # check lists it when it is one of the changed files
        found[statement.path] = (statement, path)
    ordered = sorted((s for s, _ in found.values()), key=lambda s: (s.date, s.path.name))
    before = previous_in_series(ordered, new.date, new.path)
    return found[before.path] if before else None


@dataclass
class _Pending:
    item: ReviewItem
    old: Document | None = None
    new: Document | None = None


def _item(change: ChangedPath, series: str, folder: str, base: Side, head: Side) -> _Pending:
    if change.status == "deleted":
        try:
            gone = base.statement(change.path, series)
            return _Pending(ReviewItem("deleted", series, change.path, gone.title, gone.date, old_path=change.path))
        except StatediffError as exc:
            return _Pending(ReviewItem("deleted", series, change.path, None, None, old_path=change.path, note=str(exc)))
    try:
        new = head.statement(change.path, series)
    except StatediffError as exc:
        return _Pending(ReviewItem(change.status, series, change.path, None, None, old_path=change.old_path, note=str(exc)))
    item = ReviewItem(change.status, series, change.path, new.title, new.date, old_path=change.old_path)
    new_doc = _document(new, change.path)
    if change.status == "added":
        before = _predecessor(head, folder, series, new)
        if before is None:
            note = f"first statement of series {series!r} as of {head.label}: compared with nothing, every sentence is new"
            return _Pending(replace(item, note=note), Document(body=""), new_doc)
        previous, path = before
        return _Pending(replace(item, compared_with=_as_ref(previous, path)), _document(previous, path), new_doc)
    old_path = change.old_path or change.path
    try:
        old = base.statement(old_path, series_of(old_path, folder) or series)
    except StatediffError as exc:
        note = f"its version in {base.label} is unreadable ({exc}); compared with nothing"
        return _Pending(replace(item, note=note), Document(body=""), new_doc)
    return _Pending(replace(item, compared_with=_as_ref(old, old_path, base.label)), _document(old, old_path), new_doc)


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="statediff-review-") as folder:
        yield Path(folder)


def _bases(root: Path, base: str | None, head: str | None) -> tuple[str, str]:
    if base is not None:
        return base, resolve_commit(root, base)
    branch = default_branch(root)
    head_ref = head or "HEAD"
    resolve_commit(root, branch), resolve_commit(root, head_ref)  # clear errors for unknown refs first
    return f"merge-base of {branch} and {head_ref}", merge_base(root, branch, head_ref)


def review(
    cwd: Path | None = None,
    *,
    base: str | None = None,
    head: str | None = None,
    statements: str | Path | None = None,
    model: str | None = None,
    embedder: Embedder | None = None,
) -> Review:
    """Find, read, check and compare the statement files that differ between ``base`` and ``head``.

    ``base`` defaults to the merge base with the default branch; ``head`` to the working tree (untracked
    statement files count as added). One embedder serves every comparison, so the model loads at most once.
    """
    root = repo_root(cwd or Path())
    folder = statements_folder(root, statements)
    base_label, base_commit = _bases(root, base, head)
    head_commit = resolve_commit(root, head) if head is not None else None
    changes = [c for c in changed_paths(root, base_commit, head_commit, folder) if not hidden(c.path, folder)]
    with _scratch() as scratch:
        base_side = Side(root, base_commit, base or base_commit[:12], scratch)
        head_side = Side(root, head_commit, head or WORKING_TREE, scratch)
        pending: list[_Pending] = []
        outside: list[str] = []
        unnamed: list[str] = []
        for change in sorted(changes, key=lambda c: (_ORDER.index(c.status), c.path)):
            series = series_of(change.path, folder)
            if not change.path.isprintable():
                # Names git gave as bytes that are not UTF-8 (or hold control characters) are shown, not used.
                printable = change.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                shown_name = "".join(ch if ch.isprintable() else "\ufffd" for ch in printable)
                unnamed.append(f"{shown_name}: file name is not printable UTF-8; rename it")
            elif series is None:
                outside.append(change.path)
            else:
                pending.append(_item(change, series, folder, base_side, head_side))
        to_check = [p.item.path for p in pending if p.item.status != "deleted"]
        to_check += [p for p in outside if all(c.path != p or c.status != "deleted" for c in changes)]
        problems = unnamed + check_changed(head_side, folder, to_check)
        items = _compare_all(pending, model, embedder)
        # The series' own positions files as of the head: a pull request that changes a lexicon is reviewed with it.
        items = [_with_positions(item, f"{folder}/{item.series}" if folder != "." else item.series, head_side)
                 for item in items]
    return Review(base_label if base is None else base, base_commit, head or WORKING_TREE, head_commit, tuple(items),
                  tuple(problems))


def _compare_all(pending: Sequence[_Pending], model: str | None, embedder: Embedder | None) -> list[ReviewItem]:
    from statediff.engine.pipeline import compare

    items: list[ReviewItem] = []
    for p in pending:
        if p.new is None or p.old is None:
            items.append(p.item)
            continue
        if embedder is None:
            from statediff.engine.embed import default_embedder

            embedder = default_embedder(model)
        items.append(replace(p.item, comparison=compare(p.old, p.new, embedder=embedder)))
    return items


def _with_positions(item: ReviewItem, series_dir: str, side: Side) -> ReviewItem:
    """The item with its Positions digest, by its series' own data files when they parse, else by the shipped ones."""
    from statediff.positions.digest import analyse

    if item.comparison is None:
        return item
    try:
        return replace(item, positions=analyse(item.comparison, files=side.positions_files(series_dir)))
    except StatediffError as exc:
        note = f"its series' own positions files are not used ({exc})"
        return replace(item, positions=analyse(item.comparison), note=f"{item.note}; {note}" if item.note else note)


def write_reports(result: Review, out: Path) -> Review:
    """Each comparison as ``<out>/<series>/<stem>.html`` and ``.json`` (atomically); the review with report paths."""
    from statediff.output import not_a_real_subfolder, write_all_atomic
    from statediff.render import render
    from statediff.render.positions_view import positions_for

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StatediffError(f"{out}: cannot create the --out folder ({exc.strerror}); choose another folder") from exc
    items: list[ReviewItem] = []
    for item in result.items:
        if item.comparison is None:
            items.append(item)
            continue
        relative = f"{item.series}/{PurePosixPath(item.path).stem}.html"
        folder = out / item.series
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise StatediffError(f"{folder}: cannot create a report folder ({exc.strerror})") from exc
        if not_a_real_subfolder(folder, out):  # --out is often inside the checkout, links and all
            raise StatediffError(f"{folder}: is a link; --out must hold real folders, remove it or choose another --out")
        positions = positions_for(item.comparison, item.positions)
        write_all_atomic([(out / (relative.removesuffix(".html") + ".json"),
                           render(item.comparison, "json", positions=positions)),
                          (out / relative, render(item.comparison, "html", positions=positions))])
        items.append(replace(item, report=relative, positions=positions))
    return replace(result, items=tuple(items))
