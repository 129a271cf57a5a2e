"""One run at a time per reports folder: an exclusive lock on ``reports/.statediff-lock``.

Two ``report`` (or ``add``) runs at once each read the manifest, build, and write it back: without the lock the
last writer wins and the other's reports vanish from the manifest and the index. The lock is advisory
(``fcntl.flock``), released by the kernel when the process ends however it ends (kill -9 included), so a
crashed run never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from statediff.errors import StatediffError

LOCK = ".statediff-lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock for the block; waits (saying so once) while another run holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    path = folder / LOCK
    if path.is_symlink():  # committed as a link: never open (or create) whatever it points at; the lock is ours
        path.unlink()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise StatediffError(f"{path}: cannot open the reports folder's lock ({exc.strerror}); check its permissions") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"statediff: another statediff run is writing {folder}; waiting for it to finish", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
