"""Validate the statements folder: every problem of every file at once, as ``path: problem`` records.

What it checks: the layout (``<series>/<YYYY-MM-DD>-<slug>.md``, nothing else), UTF-8, front matter fields and
their types, the date and its agreement with the file name, an empty body, the same body twice in a series, and a
series' own Positions data files (``<series>/positions/lexicon.txt``, ``actors.txt``, ``topics.txt``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statediff.errors import StatediffError
from statediff.folder.statements import (
    _URL,
    EMPTY_BODY,
    FIELDS,
    FILE_NAME,
    SLUG,
    body_key,
    inside,
    require_root,
    reserved,
    shown,
    split_front_matter,
)
from statediff.positions.digest import FILE_NAMES, SERIES_FOLDER, files_in
from statediff.read.ingest import read_bytes

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_ONCE = "a series holds each statement once"
_LAYOUT = "statements sit in <series>/<YYYY-MM-DD>-<slug>.md"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the folder."""

    path: Path
    """The file or folder."""
    message: str
    """What is wrong and what to do."""

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.message}"


def _field_problems(meta: dict[str, Any], path: Path) -> list[str]:
    out = [f"unknown front matter field {k!r}; the fields are {', '.join(FIELDS)}" for k in meta if k not in FIELDS]
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        out.append("front matter needs a title (text)")
    date = meta.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            out.append(f"date {date!r} is not a date in YYYY-MM-DD form")
            date = None
    if isinstance(date, dt.datetime):
        date = date.date()
    if meta.get("date") is None:
        out.append("front matter needs a date (YYYY-MM-DD)")
    elif isinstance(date, dt.date):
        named = FILE_NAME.fullmatch(path.name)
        if named and named.group(1) != date.isoformat():
            out.append(f"date {date.isoformat()} does not match the file name; rename the file or fix the date")
        if date > dt.date.today() + dt.timedelta(days=1):
            # add only warns (a statement may be filed ahead); check is the gate that must not let a typo through
            out.append(f"date {date.isoformat()} is in the future; fix the date (statements are filed once issued)")
    elif date is not None:
        out.append(f"date {date!r} is not a date in YYYY-MM-DD form")
    source = meta.get("source")
    if source is not None and not (isinstance(source, str) and _URL.match(source.strip())):
        out.append("source must be the statement's http(s) URL; put other provenance in notes")
    if source is None and not meta.get("notes"):
        out.append("front matter needs a source URL (or notes saying where the text came from)")
    issuers = meta.get("issuers")
    if not isinstance(issuers, list) or not issuers or not all(isinstance(i, str) and i.strip() for i in issuers):
        out.append("issuers must be a list of names (issuers:\\n- Federal Open Market Committee)")
    language = meta.get("language")
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language.strip()):
        out.append("language must be a language tag such as en or fr")
    for key in ("kind", "notes"):
        if key in meta and not isinstance(meta[key], str):
            out.append(f"{key} must be text")
    return out


def check_file(path: Path) -> tuple[list[str], str | None]:
    """Problems of one statement file, and its body key (``None`` when the body could not be read)."""
    try:
        data = read_bytes(path, "")  # a regular file within the input limit: a FIFO must not hang the check
    except StatediffError as exc:
        return [str(exc).removeprefix(": ")], None
    if b"\x00" in data:
        return ["binary data, not a text statement; replace it with the statement text"], None
    try:
        text = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return [f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8"], None
    try:
        meta, body = split_front_matter(text, "")
    except StatediffError as exc:
        return [str(exc).removeprefix(": ")], None
    problems = _field_problems(meta, path)
    if not body.strip():
        problems.append(EMPTY_BODY)
        return problems, None
    return problems, body_key(body)


def _resolved(path: Path) -> Path:
    """``path`` with its links followed; a link loop as it stands (it is then reported as a link)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _check_positions(folder: Path, only: set[Path] | None) -> Iterable[Problem]:
    """The series' own lexicon.txt, actors.txt and topics.txt parse (a report stops on a malformed one), and the
    folder holds nothing else (a misspelt "lexicons.txt" would be ignored without a word)."""
    if folder.is_symlink():
        yield Problem(folder, f"is a link; reports ignore a linked {SERIES_FOLDER} folder, make it a real folder")
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or (only is not None and _resolved(entry) not in only and folder.resolve() not in only):
            continue
        if entry.name not in FILE_NAMES:
            yield Problem(entry, f"not a file the reports read; a series' {SERIES_FOLDER} folder holds {', '.join(FILE_NAMES)}")
            continue
        if not entry.is_symlink() and not entry.is_file():  # a folder or a FIFO named lexicon.txt: never read
            yield Problem(entry, "is not a plain file; the reports read it only as one")
            continue
        try:
            files_in(folder, only=entry.name).check()
        except StatediffError as exc:
            yield Problem(entry, str(exc).removeprefix(f"{entry}: "))


def _check_series(root: Path, folder: Path, only: set[Path] | None) -> Iterable[Problem]:
    seen: dict[str, Path] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not inside(root, entry):
            yield Problem(entry, "is a link pointing outside the statements folder; replace it with the file itself")
        elif entry.is_dir() and entry.name == SERIES_FOLDER:
            yield from _check_positions(entry, only)
        elif entry.is_dir():
            yield Problem(entry, f"folder inside a series; {_LAYOUT}")
        elif not FILE_NAME.fullmatch(entry.name):
            yield Problem(entry, f"file outside the layout; {_LAYOUT} (lowercase ASCII slug)")
        elif reserved(FILE_NAME.fullmatch(entry.name).group(2)):  # type: ignore[union-attr]
            yield Problem(entry, "slug is a reserved device name on Windows; rename the file")
        else:
            problems, key = check_file(entry)
            if only is None or entry.resolve() in only:
                yield from (Problem(entry, p) for p in problems)
            if key is not None:
                first = seen.setdefault(key, entry)
                # The problem goes on a file being checked: the later copy, or the earlier if only it was named.
                if first != entry and (only is None or entry.resolve() in only):
                    yield Problem(entry, f"same text as {shown(first)}; {_ONCE}")
                elif first != entry and only is not None and first.resolve() in only:
                    yield Problem(first, f"same text as {shown(entry)}; {_ONCE}")


def check_folder(root: Path, targets: Sequence[Path] = ()) -> list[Problem]:
    """Every problem in the statements folder, or only those of ``targets`` (files or series folders in it)."""
    require_root(root)
    only: set[Path] | None = None
    series: list[Path] = []
    problems: list[Problem] = []
    if targets:
        only = set()
        for target in targets:
            if not target.exists():
                raise StatediffError(f"{target}: no such file or folder; check the path")
            if not inside(root, target):
                problems.append(Problem(target, f"outside the statements folder {shown(root)}; {_LAYOUT}"))
            elif target.resolve() == root.resolve():
                only = None
                break
            elif target.parent.name == SERIES_FOLDER and target.parent.parent.parent.resolve() == root.resolve():
                series.append(target.parent.parent)  # a series' own data file (or something named like one)
                only.add(_resolved(target))
            elif target.name == SERIES_FOLDER and target.is_dir() and target.parent.parent.resolve() == root.resolve():
                series.append(target.parent)  # a series' positions folder: its files
                only.update(_resolved(p) for p in target.iterdir())
            elif target.is_dir():
                series.append(target)
                only.update(p.resolve() for p in target.iterdir())
            else:
                series.append(target.parent)
                only.add(target.resolve())
    if only is None:
        problems = []
        series = []
        for entry in sorted(root.iterdir()):
            if entry.name.startswith("."):
                continue
            if not inside(root, entry):
                problems.append(Problem(entry, "is a link pointing outside the statements folder; replace it with a real folder"))
            elif entry.is_symlink() and entry.is_dir():
                problems.append(Problem(entry, "is a link to another folder, so its statements would be reported twice; "
                                               "a series must be a real folder"))
            elif not entry.is_dir():
                problems.append(Problem(entry, f"file outside the layout; {_LAYOUT}"))
            elif not SLUG.fullmatch(entry.name):
                problems.append(Problem(entry, "series folder name is not lowercase ASCII (letters, digits, hyphens); rename it"))
            elif reserved(entry.name):
                problems.append(Problem(entry, "series folder name is a reserved device name on Windows; rename it"))
            elif len(entry.name) > 80:
                problems.append(Problem(entry, "series folder name is over 80 characters; shorten it"))
            else:
                series.append(entry)
    for folder in dict.fromkeys(p.resolve() for p in series):
        if folder == root.resolve():
            loose = [p for p in sorted(folder.iterdir()) if p.resolve() in (only or ())]
            problems.extend(Problem(p, f"file outside the layout; {_LAYOUT}") for p in loose)
            continue
        if not SLUG.fullmatch(folder.name) or folder.parent != root.resolve():
            problems.append(Problem(folder, f"not a series folder; {_LAYOUT}"))
            continue
        problems.extend(_check_series(root, root / folder.name, only))
    return problems
