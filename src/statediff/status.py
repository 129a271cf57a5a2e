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

    # The first frame at once, drawn by hand: rich (tens of milliseconds to import, and a thread to animate it: a
    # fifth of a warm compare on a terminal) starts only when the block reports a slow step (loading the model,
    # embedding); a warm run is over before then.
    sys.stderr.write(f"\r{_first_frame(sys.stderr, color)}{message}")
    sys.stderr.flush()
    status: Any = None

    def update(text: str) -> None:
        nonlocal status
        if status is None:
            from rich.console import Console

            sys.stderr.write("\r\x1b[2K")  # rich draws from the cursor on: clear the line it takes over
            status = Console(stderr=True, no_color=not color).status(text, spinner="dots")
            status.start()
        else:
            status.update(text)

    _update = update
    try:
        yield
    finally:
        _update = None
        if status is not None:
            status.stop()
        else:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def _first_frame(stream: Any, color: bool) -> str:
    """rich's first "dots" frame, green when coloured (as rich draws it), or nothing where it cannot be encoded."""
    try:
        "\u280b".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ""
    return "\x1b[32m\u280b\x1b[0m " if color else "\u280b "
