"""The environment a benchmark's statediff processes run in: a user's, whatever the shell it was started from set.

A user's Python writes each module's bytecode on first import and reads it from then on. With
PYTHONDONTWRITEBYTECODE set (as in some CI and sandbox shells), every module changed since its .pyc was last written is
compiled from source in every process, which added ~25 ms per changed module to each timed run here. So the package
is compiled once up front and the variable is dropped for the processes the benchmark times.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "statediff"


def as_a_user_runs() -> None:
    """Compile the package's bytecode and let the timed processes read it, as they would after a user's first run."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(SOURCE, quiet=1)
