"""Writing files safely: all or nothing, never a half-written or silently replaced file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import StatediffError


def write_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StatediffError(f"{target}: folder {folder} does not exist; create it first or choose another path")
    if target.is_dir():
        raise StatediffError(f"{target}: is a folder; give a file name")
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
        if not overwrite and target.exists():
            raise StatediffError(f"{target}: already exists; use --force to replace it")
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target
