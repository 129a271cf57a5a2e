"""Writing files safely: all or nothing, never a half-written or silently replaced file."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from statediff.errors import StatediffError


def check_target(path: str | Path, *, shown: str | None = None) -> Path:
    """The folder ``path`` would be written in; fails the same way write_atomic would, before any slow work.
    Errors name the file as ``shown`` (default: ``path``)."""
    target = Path(path)
    name = shown or str(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StatediffError(f"{name}: folder {folder} does not exist; create it first or choose another path")
    if target.is_dir():
        raise StatediffError(f"{name}: is a folder; give a file name")
    return folder


@dataclass(frozen=True)
class Destination:
    """Where ``-o PATH`` writes: the user's own links followed, as a shell's ``> PATH`` follows them."""

    path: Path
    """The file the bytes land in: PATH itself, or the file its chain of links ends at."""
    in_place: bool
    """Written straight into the file, not through a temporary file and a rename: a FIFO or a device, or
    anything in /dev or /proc (a rename would replace the FIFO or /dev/stdout itself; its reader gets nothing)."""
    shown: str
    """How errors name it: PATH, and the file it links to."""


_MAX_LINKS = 40  # the kernel's own limit on links followed in one lookup


def output_destination(path: str | Path) -> Destination:
    """Where writing the user's ``-o path`` lands. Only for the user's own argument: paths found in a folder
    (reports, review --out) are replaced, links and all, never followed (write_atomic)."""
    given = current = Path(path)
    try:
        for _ in range(_MAX_LINKS):
            if _special_place(current):  # /dev/stdout -> /proc/self/fd/1 -> the caller's own pipe or file
                return _existing_device(given, current)
            if not current.is_symlink():
                break
            current = current.parent / os.readlink(current)
        else:
            raise StatediffError(f"{given}: too many levels of links (a loop?); give the file itself")
        mode = os.stat(current).st_mode
    except FileNotFoundError:
        mode = None  # a new file (or a link to one): created atomically
    except OSError as exc:
        raise StatediffError(f"{given}: cannot look it up ({exc.strerror or exc}); choose another path") from exc
    shown = str(given) if current == given else f"{given} (a link to {current})"
    if mode is not None and stat.S_ISDIR(mode):
        raise StatediffError(f"{shown}: is a folder; give a file name")
    return Destination(current, in_place=mode is not None and not stat.S_ISREG(mode), shown=shown)


def check_output(path: str | Path) -> Destination:
    """What ``-o path`` will write to; fails the way write_output would, before any slow work."""
    target = output_destination(path)
    if not target.in_place:
        check_target(target.path, shown=target.shown)
    return target


def write_output(path: str | Path, text: str) -> Path:
    """Write the user's ``-o path``: a regular file (or one a link names) atomically, a FIFO or device directly."""
    target = check_output(path)
    if target.in_place:
        _write_in_place(target, text.encode("utf-8"))
    else:
        write_all_atomic([(target.path, text)])
    return target.path


def _special_place(path: Path) -> bool:
    """/dev itself (devices, and links into /proc) and /proc (its fd links lead to pipes and open files, which a
    rename would cut off); not /dev/shm, an ordinary folder."""
    folder = os.path.realpath(path.parent)
    return folder in ("/dev", "/proc") or folder.startswith("/proc/")


def _existing_device(given: Path, current: Path) -> Destination:
    shown = str(given) if current == given else f"{given} (a link to {current})"
    try:
        mode = os.stat(current).st_mode
    except OSError as exc:  # never create a file in /dev or /proc: a typo of /dev/stdout is no place for a report
        raise StatediffError(f"{shown}: {exc.strerror or exc}; statediff writes there only to an existing device") \
            from exc
    if stat.S_ISDIR(mode):
        raise StatediffError(f"{shown}: is a folder; give a file name")
    return Destination(current, in_place=True, shown=shown)


def _write_in_place(target: Destination, data: bytes) -> None:
    """Write into the file as it is: a FIFO blocks until its reader opens it, as ``cat > fifo`` does."""
    own = None
    try:
        own = fd = _own_stream(target.path)
        if fd is not None:  # -o /dev/stdout: our own stream, at its offset (a file opened with >> is not truncated)
            (sys.stdout if fd == 1 else sys.stderr).flush()
            _write_fd(fd, data)
            return
        fd = os.open(target.path, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)  # no O_CREAT: it exists, or it is an error
        try:
            _write_fd(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and own == 1:
            raise  # the reader of our own output went away (-o /dev/stdout | head): as quiet as without -o
        raise StatediffError(f"{target.shown}: not written in full ({exc.strerror or exc}); a FIFO or device "
                             "cannot be written all or nothing, run again") from exc


def _own_stream(path: Path) -> int | None:
    """1 or 2 when ``path`` is the file, pipe or terminal our standard output or error already writes to."""
    found = os.stat(path)
    for fd in (1, 2):
        try:
            mine = os.fstat(fd)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (found.st_dev, found.st_ino):
            return fd
    return None


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
