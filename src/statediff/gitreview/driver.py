"""statediff inside git: an external diff driver, a text conversion, and the command that installs both.

``git diff`` runs the driver (``diff.statediff.command``) with seven arguments per file — path, old-file,
old-hex, old-mode, new-file, new-hex, new-mode — plus the new path and rename header for a rename. ``git log -p``
and ``git show`` never run external drivers unless given ``--ext-diff``; they do run the text conversion
(``diff.statediff.textconv``), which prints a statement one sentence per line, so their line diffs become
sentence diffs. Installation writes ``.gitattributes`` and the repository's own config (``git config --local``),
never the user's global config.
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

from statediff.errors import StatediffError
from statediff.gitreview.repo import run_git
from statediff.gitreview.tree import MAX_BYTES
from statediff.model import Document

DRIVER = "statediff"
NULL = "/dev/null"
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_UNSAFE_PATTERN = re.compile(r"[\s*?\[\]\\\"!#]")


def _read(file: str, label: str) -> Document:
    """A side of the diff; errors name the repository path, not git's temporary copy."""
    from statediff.read.ingest import read_document

    if file == NULL:
        return Document(body="")
    size = Path(file).stat().st_size if Path(file).is_file() else 0
    if size > MAX_BYTES:
        raise StatediffError(f"{label}: {size / 1e6:.1f} MB, too large for a statement")
    try:
        return replace(read_document(file), path=label)
    except StatediffError as exc:
        raise StatediffError(str(exc).replace(file, label, 1)) from exc


def _plain(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch in " \n" else "\ufffd" for ch in text)


def _line_diff(old_file: str, new_file: str, path: str, new_path: str) -> str:
    """What git would have shown: a unified line diff, or one line for binary content."""
    sides = []
    if any(file != NULL and Path(file).stat().st_size > MAX_BYTES for file in (old_file, new_file)):
        return f"Files a/{path} and b/{new_path} differ\n"
    for file in (old_file, new_file):
        data = b"" if file == NULL else Path(file).read_bytes()
        if b"\x00" in data:
            return f"Binary files a/{path} and b/{new_path} differ\n"
        sides.append(data.decode("utf-8", "replace").splitlines(keepends=True))
    return _plain("".join(difflib.unified_diff(sides[0], sides[1], f"a/{path}", f"b/{new_path}")))


def git_diff(args: Sequence[str], *, model: str | None = None, color: bool = False) -> str:
    """The driver's output for one file: a sentence-aligned comparison, or a line diff when it is no statement."""
    from statediff.engine.pipeline import compare
    from statediff.render.text import render_text

    if len(args) == 1:  # git passes just the path of an unmerged file
        return f"* Unmerged path {_plain(args[0])}\n"
    if len(args) not in (7, 9):
        raise StatediffError(
            f"git-diff takes the 7 arguments git passes to a diff driver (path old-file old-hex old-mode new-file new-hex "
            f"new-mode), got {len(args)}; let git run it: statediff install-git, then git diff"
        )
    path, old_file, _old_hex, old_mode, new_file, _new_hex, new_mode = args[:7]
    new_path = args[7] if len(args) == 9 else path
    head = [f"diff --statediff a/{path} b/{new_path}"]
    if old_file == NULL:
        head.append(f"new file mode {new_mode}")
    elif new_file == NULL:
        head.append(f"deleted file mode {old_mode}")
    elif new_path != path:
        head += [f"rename from {path}", f"rename to {new_path}"]
    header = _plain("\n".join(head))
    out = f"{_BOLD}{header}{_RESET}\n" if color else f"{header}\n"
    try:
        old, new = _read(old_file, path), _read(new_file, new_path)
        return out + render_text(compare(old, new, model=model), color=color)
    except StatediffError as exc:
        # git stops at a driver that fails, so a file we cannot compare still gets a diff, plus the reason.
        return out + f"statediff: {_plain(str(exc))}; showing a line diff\n" + _line_diff(old_file, new_file, path, new_path)


def textconv(file: str) -> str:
    """A statement as git's line diff should see it: title and date, then one sentence per line."""
    from statediff.engine.segment import segment

    try:
        doc = _read(file, file)
    except StatediffError:
        # Not a statement we can read: git shows the file as it is.
        return Path(file).read_bytes().decode("utf-8", "replace")
    lines = [f"title: {doc.title}"] if doc.title else []
    if doc.date:
        lines.append(f"date: {doc.date.isoformat()}")
    paragraph = None
    for sentence in segment(doc.body):
        if lines and sentence.paragraph != paragraph:
            lines.append("")
        paragraph = sentence.paragraph
        lines.append(sentence.text)
    return "\n".join(lines) + "\n"


def use_color() -> bool:
    """Colour when git's pager or a terminal shows the output (``NO_COLOR`` turns it off)."""
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


def install_git(root: Path, folder: str, *, command: Sequence[str], model: str | None = None) -> Installed:
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
    for key, value in config.items():
        run_git(root, "config", "--local", key, value)
    return Installed(attributes, line, added, config)
