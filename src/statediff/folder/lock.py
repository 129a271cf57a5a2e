"""One run at a time per reports folder: an exclusive lock on ``reports/.statediff-lock``.

Two ``report`` (or ``add``) runs at once each read the manifest, build, and write it back: without the lock the
last writer wins and the other's reports vanish from the manifest and the index. The lock is advisory
(``fcntl.flock``), released by the kernel when the process ends however it ends (kill -9 included), so a
crashed run never leaves the folder locked. A run that hangs while holding it is not waited for forever: after
``STATEDIFF_LOCK_WAIT`` seconds (default 900) the waiting run stops with one line naming the holder's process.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from statediff.errors import StatediffError

LOCK = ".statediff-lock"
LOCK_WAIT_ENV = "STATEDIFF_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 900.0  # a cold build of the whole 300-statement corpus takes a few minutes


def lock_wait() -> float:
    """Seconds to wait for another run's lock: ``$STATEDIFF_LOCK_WAIT``, else 900."""
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_WAIT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise StatediffError(f"{LOCK_WAIT_ENV}={raw!r} is not a number of seconds; give one, e.g. 600")
    return value


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
        if not _try_lock(fcntl, fd):
            limit = lock_wait()
            print(f"statediff: another statediff run{_holder(fd)} is writing {folder}; waiting for it to finish",
                  file=sys.stderr)
            deadline = time.monotonic() + limit
            while not _try_lock(fcntl, fd):
                if time.monotonic() >= deadline:
                    raise StatediffError(
                        f"{path}: another statediff run{_holder(fd)} has held this lock for over {limit:g} s; if it is "
                        f"stuck, stop it and run again (or wait longer: {LOCK_WAIT_ENV}=SECONDS)"
                    )
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fcntl: ModuleType, fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """" (process N)" for the process holding the lock on ``fd``'s file, from Linux's /proc/locks; else "".

    Read from the kernel rather than written into the lock file: a run that changes nothing must leave every file
    in reports/ as it was, the lock's modification time included.
    """
    try:
        info = os.fstat(fd)
        wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            for line in table:
                fields = line.split()
                if "->" not in fields and len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == wanted:
                    return f" (process {fields[4]})" if fields[4].isdigit() else ""
    except OSError:
        pass
    return ""
