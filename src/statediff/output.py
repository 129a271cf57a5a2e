"""Writing files safely: all or nothing, never a half-written or silently replaced file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from statediff.errors import StatediffError


def check_target(path: str | Path) -> Path:
    """The folder ``path`` would be written in; fails the same way write_atomic would, before any slow work."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StatediffError(f"{target}: folder {folder} does not exist; create it first or choose another path")
    if target.is_dir():
        raise StatediffError(f"{target}: is a folder; give a file name")
    return folder


def refuse_overwriting(path: str | Path, inputs: dict[str, str | Path]) -> None:
    """A report must never replace one of the statements it was made from (``-o old.txt`` is a typo)."""
    target = Path(path)
    if not target.exists():
        return
    for label, source in inputs.items():
        try:
            same = os.path.samefile(target, source)
        except OSError:
            continue
        if same:
            raise StatediffError(f"{target}: is the {label} statement itself; -o would overwrite it, choose another file")


def not_a_real_subfolder(folder: Path, parent: Path) -> bool:
    """True when ``folder`` is a link, or resolves anywhere but directly inside ``parent``: a link committed as a
    report folder would send reports (and their removal) anywhere."""
    return folder.is_symlink() or folder.resolve().parent != parent.resolve()


def write_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    target = Path(path)
    write_all_atomic([(target, text)], overwrite=overwrite)
    return target


def write_all_atomic(files: Sequence[tuple[Path, str]], *, overwrite: bool = True) -> None:
    """Write several files all or nothing: every one is complete in a temporary file before any is renamed.

    A report is an ``.html`` and a ``.json``: a full disk must not leave the new ``.json`` beside an old or
    missing ``.html``. (Only a failing rename, after every byte is on disk, could still leave a part done.)
    """
    staged: list[tuple[Path, str]] = []
    current = files[0][0] if files else Path()
    try:
        for current, text in files:
            staged.append((current, _stage(current, text, overwrite)))
        for current, tmp in staged:
            os.replace(tmp, current)
    except OSError as exc:  # disk full, quota, I/O error: the old files (if any) stay as they were
        for _, tmp in staged:
            _discard(tmp)
        reason = exc.strerror or str(exc)
        raise StatediffError(
            f"{current}: not written ({reason}); nothing was changed; free space or choose another path") from exc
    except BaseException:
        for _, tmp in staged:
            _discard(tmp)
        raise


def _stage(target: Path, text: str, overwrite: bool) -> str:
    """``text`` complete and on disk in a temporary file beside ``target``; its name."""
    folder = check_target(target)
    if not overwrite and target.exists():
        raise StatediffError(f"{target}: already exists; use --force to replace it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StatediffError(f"{target}: cannot write in {folder} ({exc.strerror}); check its permissions") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a report should get the permissions any new file gets.
        os.chmod(tmp, _mode_for(target))
        if not overwrite and target.exists():
            raise StatediffError(f"{target}: already exists; use --force to replace it")
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: str) -> None:
    if os.path.exists(tmp):
        os.unlink(tmp)


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets 0666 minus the umask, as ``open()`` would give it."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
