"""How every run of the command line ends: one line on stderr and a diff-like exit code, never a traceback.

click prints a usage screen for a usage error, "Aborted!" with exit 1 for Ctrl-C (1 means "differences" here),
and lets an error while writing standard output (``> /dev/full``) end in a traceback. This group turns each of
those into one ``statediff: error: ...`` line: usage errors and failures exit 2, Ctrl-C exits 130 (128 + SIGINT,
as shells expect), a closed pipe (``| head``) ends quietly.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

EXIT_ERROR, EXIT_INTERRUPTED = 2, 130
DEBUG_ENV = "STATEDIFF_DEBUG"
_WRITE_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _say(message: str) -> None:
    """One line on stderr, even when stderr itself is broken."""
    try:
        sys.stderr.write(f"statediff: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit cannot fail again on a full or closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _flush_stdout() -> None:
    stream = sys.stdout
    if stream is not None and not stream.closed:
        stream.flush()


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Group(click.Group):
    """A click group whose runs end as the module docstring says."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # the handling below replaces click's own
        code: Any = 0
        try:
            try:
                result = super().main(*args, **kwargs)
                code = result if isinstance(result, int) else 0
            except SystemExit as done:
                code = done.code
            _flush_stdout()
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `statediff` alone: the help, as click shows it
                exc.show()
                sys.exit(EXIT_ERROR)
            command = exc.ctx.command_path if exc.ctx else "statediff"
            message = _one_line(exc.format_message()).rstrip(".")
            if isinstance(exc, click.NoSuchOption):  # `compare A -dash.txt`: a file name that looks like an option
                message += " (a file name starting with '-' goes after --, e.g. statediff compare OLD -- -new.txt)"
            _say(f"error: {message}; see {command} --help")
            code = EXIT_ERROR
        except click.ClickException as exc:
            _say(f"error: {_one_line(exc.format_message())}")
            code = EXIT_ERROR
        except (KeyboardInterrupt, click.Abort):
            _say("interrupted; nothing half-written was left behind")
            code = EXIT_INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()  # the reader went away (statediff ... | head): not an error
            code = 0
        except OSError as exc:
            if exc.errno not in _WRITE_ERRNOS:
                raise_or_report(exc)
            _say(f"error: cannot write the output ({exc.strerror or exc}); free some space or write elsewhere")
            _silence_stdout()
            code = EXIT_ERROR
        except Exception as exc:
            raise_or_report(exc)
            code = EXIT_ERROR
        sys.exit(code)


def raise_or_report(exc: BaseException) -> None:
    """An unexpected failure: one line saying what it was, or the traceback with ``STATEDIFF_DEBUG=1``."""
    if os.environ.get(DEBUG_ENV):
        raise exc
    kind = type(exc).__name__
    detail = _one_line(str(exc))[:300]
    _say(f"error: unexpected {kind}{': ' + detail if detail else ''}; this is a statediff bug, please report it "
         f"(run with {DEBUG_ENV}=1 for the traceback)")
    _silence_stdout()
    sys.exit(EXIT_ERROR)
