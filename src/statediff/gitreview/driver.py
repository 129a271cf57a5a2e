"""statediff inside git: an external diff driver, a text conversion, and the command that installs both.

``git diff`` runs the driver (``diff.statediff.command``) with seven arguments per file — path, old-file,
old-hex, old-mode, new-file, new-hex, new-mode — plus the new path and rename header for a rename. ``git log -p``
and ``git show`` never run external drivers unless given ``--ext-diff``; they do run the text conversion
(``diff.statediff.textconv``), which prints a statement one sentence per line, so their line diffs become
sentence diffs. Installation writes ``.gitattributes`` and the repository's own config (``git config --local``),
never the user's global config. The driver reads its settings from git config (``diff.statediff.context``,
``diff.statediff.positions``), so ``git -c diff.statediff.context=all diff`` changes them for one run.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from statediff.errors import StatediffError
from statediff.gitreview.repo import run_git
from statediff.limits import max_input_bytes
from statediff.model import Comparison, Document
from statediff.read.ingest import read_bytes

if TYPE_CHECKING:
    from statediff.positions.digest import Positions

DRIVER = "statediff"
NULL = "/dev/null"
#: Unchanged sentences shown around each change, as git's own diff shows 3 lines around each changed one.
DEFAULT_CONTEXT = 3
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_UNSAFE_PATTERN = re.compile(r"[\s*?\[\]\\\"!#]")


def _read(file: str, label: str) -> Document:
    """A side of the diff; errors name the repository path, not git's temporary copy."""
    from statediff.read.ingest import read_document

    if file == NULL:
        return Document(body="")
    try:
        return replace(read_document(file), path=label)
    except StatediffError as exc:
        raise StatediffError(str(exc).replace(file, label, 1)) from exc


def _plain(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch in " \n" else "\ufffd" for ch in text)


def _line_diff(old_file: str, new_file: str, path: str, new_path: str) -> str:
    """What git would have shown: a unified line diff, or one line for binary or oversized content."""
    sides = []
    limit = max_input_bytes()
    for file in (old_file, new_file):
        try:
            data = b"" if file == NULL else read_bytes(file)
        except StatediffError:  # too large, or not a regular file: git's own words for what it will not show
            return f"Files a/{path} and b/{new_path} differ\n"
        if b"\x00" in data:
            return f"Binary files a/{path} and b/{new_path} differ\n"
        sides.append(data[:limit].decode("utf-8", "replace").splitlines(keepends=True))
    return _plain("".join(difflib.unified_diff(sides[0], sides[1], f"a/{path}", f"b/{new_path}")))


def _check_files(files: Sequence[str]) -> None:
    """By hand, ``git-diff`` may be given anything; git always gives existing files (or /dev/null)."""
    for file in files:
        if file == NULL:
            continue
        if not os.path.lexists(file):
            raise StatediffError(f"{file}: no such file; git-diff is run by git (statediff install-git, then git diff)")
        if os.path.isdir(file):
            raise StatediffError(f"{file}: is a folder; git-diff compares two files (run by git: statediff install-git)")


def parse_context(value: str) -> int | None:
    """A context setting: a number of sentences, or ``all`` (None: every sentence); ValueError otherwise."""
    if value.strip().lower() == "all":
        return None
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


@dataclass(frozen=True)
class Settings:
    """How the driver shows a comparison: the repository's git config ``diff.statediff.*``, else the defaults."""

    context: int | None = DEFAULT_CONTEXT
    """Unchanged sentences around each change (``diff.statediff.context``: a number or ``all``, None here)."""
    positions: bool = False
    """The Positions digest first, as ``compare --format text`` shows it (``diff.statediff.positions``)."""
    note: str = ""
    """A line naming a setting that could not be used (the driver must not fail: git would drop every diff)."""


_TRUE, _FALSE = ("true", "yes", "on", "1", ""), ("false", "no", "off", "0")


def configured() -> Settings:
    """The driver's settings from git config (``git -c diff.statediff.context=N`` included): one git run."""
    done = run_git(Path(), "config", "-z", "--get-regexp", rf"^diff\.{DRIVER}\.(context|positions)$", check=False)
    found = dict(entry.partition("\n")[::2] for entry in done.stdout.decode("utf-8", "replace").split("\0") if entry)
    settings, notes = Settings(), []
    if (value := found.get(f"diff.{DRIVER}.context")) is not None:
        try:
            settings = replace(settings, context=parse_context(value))
        except ValueError:
            notes.append(f"diff.{DRIVER}.context is {_plain(value)[:40]!r}, not a number of sentences or 'all'; "
                         f"showing {DEFAULT_CONTEXT}")
    if (value := found.get(f"diff.{DRIVER}.positions")) is not None:
        if value.strip().lower() in _TRUE:
            settings = replace(settings, positions=True)
        elif value.strip().lower() not in _FALSE:
            notes.append(f"diff.{DRIVER}.positions is {_plain(value)[:40]!r}, not true or false; not shown")
    return replace(settings, note="".join(f"statediff: {note}\n" for note in notes))


def git_diff(args: Sequence[str], *, model: str | None = None, color: bool = False,
             settings: Settings = Settings()) -> str:
    """The driver's output for one file: a sentence-aligned comparison (only the changes and ``settings.context``
    unchanged sentences around each), or a line diff when it is no statement; only git's header when the content
    is the same (a pure rename, copy or mode change)."""
    if len(args) == 1:  # git passes just the path of an unmerged file
        return f"* Unmerged path {_plain(args[0])}\n"
    if len(args) not in (7, 9):
        raise StatediffError(
            f"git-diff takes the 7 arguments git passes to a diff driver (path old-file old-hex old-mode new-file new-hex "
            f"new-mode), got {len(args)}; let git run it: statediff install-git, then git diff"
        )
    path, old_file, old_hex, old_mode, new_file, new_hex, new_mode = args[:7]
    _check_files((old_file, new_file))
    new_path = args[7] if len(args) == 9 else path
    head = [f"diff --statediff a/{path} b/{new_path}"]
    if old_file == NULL:
        head.append(f"new file mode {new_mode}")
    elif new_file == NULL:
        head.append(f"deleted file mode {old_mode}")
    elif old_mode != new_mode:
        head += [f"old mode {old_mode}", f"new mode {new_mode}"]
    if len(args) == 9:  # git's own lines for a rename or copy: similarity index, rename from/to, copy from/to
        head += [line for line in args[8].splitlines() if line]
    header = _plain("\n".join(head))
    out = (f"{_BOLD}{header}{_RESET}\n" if color else f"{header}\n") + settings.note
    if _same_content(old_file, old_hex, new_file, new_hex):
        return out  # git's own diff shows only its header here too
    return out + _comparison(old_file, path, new_file, new_path, model=model, color=color, settings=settings)


def _same_content(old_file: str, old_hex: str, new_file: str, new_hex: str) -> bool:
    if NULL in (old_file, new_file):
        return False
    if old_hex == new_hex and old_hex.strip("0"):  # git names a working-tree side 000…0: then compare the bytes
        return True
    import filecmp

    try:
        return filecmp.cmp(old_file, new_file, shallow=False)
    except OSError:
        return False


def _comparison(old_file: str, path: str, new_file: str, new_path: str, *, model: str | None, color: bool,
                settings: Settings) -> str:
    from statediff.engine.pipeline import compare
    from statediff.render.text import render_text

    try:
        old, new = _read(old_file, path), _read(new_file, new_path)
        comparison = compare(old, new, model=model)
        positions, note = None, ""
        if settings.positions:  # off by default: +14-41% on a warm driver run (see README)
            positions, note = _positions(comparison, new_path if new_file != NULL else path)
        return note + render_text(comparison, color=color, context=settings.context, positions=positions)
    except Exception as exc:  # whatever the cause: git stops at a failing driver and drops every diff
        reason = str(exc) if isinstance(exc, StatediffError) else f"cannot compare {path} ({type(exc).__name__})"
        return f"statediff: {_plain(reason)}; showing a line diff\n" + _line_diff(old_file, new_file, path, new_path)


def _positions(comparison: Comparison, path: str) -> tuple[Positions, str]:
    """The digest by the series' own data files (``<series>/positions/`` beside ``path``, as the working tree has
    them: git runs the driver at the top of the working tree), else by the shipped ones, with a line saying why."""
    from statediff.positions.digest import analyse, series_files

    try:
        return analyse(comparison, files=series_files(Path(path).parent)), ""
    except StatediffError as exc:
        return analyse(comparison), f"statediff: its series' own positions files are not used ({_plain(str(exc))})\n"


def textconv(file: str) -> str:
    """A statement as git's line diff should see it: title and date, then one sentence per line."""
    from statediff.engine.segment import segment

    try:
        data = read_bytes(file)
    except StatediffError:
        if not os.path.isfile(file):
            raise  # by hand: a FIFO, a device or no file at all gets one line and exit 2
        with open(file, "rb") as handle:  # over the input limit: git shows the file as it is, as without statediff
            return handle.read().decode("utf-8", "replace")
    try:
        doc = _read(file, file)
        lines = [f"title: {doc.title}"] if doc.title else []
        if doc.date:
            lines.append(f"date: {doc.date.isoformat()}")
        paragraph = None
        for sentence in segment(doc.body):
            if lines and sentence.paragraph != paragraph:
                lines.append("")
            paragraph = sentence.paragraph
            lines.append(sentence.text)
    except Exception:  # not a statement we can read, whatever the cause: git shows the file as it is
        return data.decode("utf-8", "replace")
    return "\n".join(lines) + "\n"


def use_color(choice: str = "auto") -> bool:
    """Colour when git's pager or a terminal shows the output (``NO_COLOR`` turns it off), or as ``choice`` says."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return os.environ.get("GIT_PAGER_IN_USE", "").lower() in ("1", "true") or sys.stdout.isatty()


def statediff_command() -> list[str]:
    """How git can run this very statediff: the running ``statediff`` script, else ``python -m statediff``."""
    script = Path(sys.argv[0])
    if script.name in ("statediff", "statediff.exe") and script.is_file():
        return [str(script.absolute())]
    return [sys.executable, "-m", "statediff"]


@dataclass(frozen=True)
class Installed:
    """What ``install_git`` wrote."""

    attributes: Path
    """The ``.gitattributes`` file."""
    line: str
    """The line that sends statement files to the driver."""
    added: bool
    """False when the line was there already."""
    config: dict[str, str]
    """The repository config entries set (``git config --local``)."""


def attributes_line(folder: str) -> str:
    """The ``.gitattributes`` line for the statements folder (repository-relative, POSIX)."""
    if _UNSAFE_PATTERN.search(folder):
        raise StatediffError(
            f"statements folder {folder!r} has characters a .gitattributes pattern cannot hold; rename it, or add "
            f"'<folder>/**/*.md diff={DRIVER}' to .gitattributes yourself"
        )
    return f"**/*.md diff={DRIVER}" if folder in ("", ".") else f"{folder}/**/*.md diff={DRIVER}"


def install_git(root: Path, folder: str, *, command: Sequence[str], model: str | None = None,
                context: str | None = None) -> Installed:
    """Route statement files of the repository at ``root`` through statediff in git diff, log -p and show."""
    from statediff.output import write_atomic

    line = attributes_line(folder)
    attributes = root / ".gitattributes"
    try:
        existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise StatediffError(f"{attributes}: cannot read it ({exc}); fix or remove it, then run again") from exc
    added = line not in (raw.strip() for raw in existing.splitlines())
    if added:
        separator = "" if not existing or existing.endswith("\n") else "\n"
        write_atomic(attributes, f"{existing}{separator}{line}\n")
    if model and Path(model).exists():
        model = str(Path(model).resolve())  # git may run the driver from another folder
    model_args = ["--model", model] if model else []
    config = {
        f"diff.{DRIVER}.command": shlex.join([*command, "git-diff", *model_args, "--"]),
        f"diff.{DRIVER}.textconv": shlex.join([*command, "git-textconv", "--"]),
    }
    if context is not None:  # its own key, not in the command: `git -c diff.statediff.context=N diff` overrides it
        config[f"diff.{DRIVER}.context"] = context
    for key, value in config.items():
        run_git(root, "config", "--local", key, value)
    return Installed(attributes, line, added, config)
