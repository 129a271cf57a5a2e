"""A one-line status on stderr while something slow happens (reading, loading the model, embedding).

The library only calls ``say("…")``; nothing shows unless the command line turned a status on with ``showing``,
which it does on a terminal only (never in pipes, logs or CI) and never with ``--quiet``. rich draws it and is
imported only then, so scripts and warm runs pay nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

_update: Callable[[str], None] | None = None
#: Set by ``--quiet``: then ``note`` says nothing either.
quiet = False


def say(message: str) -> None:
    """Show ``message`` as the current status, if a status is showing."""
    if _update is not None:
        _update(message)


def note(message: str) -> None:
    """Say ``message`` once on stderr (on a terminal: as the status), unless ``--quiet``.

    For what a log should keep too, such as the one-time model export that makes a first run slower.
    """
    if _update is not None:
        _update(message)
    elif not quiet:
        import sys

        print(f"statediff: {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def showing(message: str, enabled: bool, color: bool = True) -> Iterator[None]:
    """Show a spinner and ``message`` on stderr while the block runs (when ``enabled``); it is erased after.

    ``color=False`` (``--color never``) draws it without colour; rich itself also honours NO_COLOR."""
    global _update
    if not enabled:
        yield
        return
    import sys

    # Said before rich is imported (tens of milliseconds on a busy machine); rich redraws the same line.
    sys.stderr.write(f"\r{message}")
    sys.stderr.flush()
    from rich.console import Console

    sys.stderr.write("\r\x1b[2K")  # rich draws from the cursor on: clear the line it takes over
    status: Any = Console(stderr=True, no_color=not color).status(message, spinner="dots")
    status.start()
    _update = lambda text: status.update(text)  # noqa: E731 - a plain hook the library can call
    try:
        yield
    finally:
        _update = None
        status.stop()
