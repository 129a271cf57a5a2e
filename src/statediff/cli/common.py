"""What every command shares: exit codes, clean errors, the output and model options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from statediff.errors import StatediffError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_SAME, EXIT_DIFFERENT, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def fail_cleanly(func: F) -> F:
    """Turn a StatediffError into one line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StatediffError as exc:
            from statediff.textnorm import terminal_safe

            # One line whatever a file name holds (a newline, an escape sequence): the message names untrusted paths.
            click.echo(f"statediff: error: {terminal_safe(str(exc))}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:  # caught here, before click adds a blank line; see cli.exits
            click.echo("statediff: interrupted; nothing half-written was left behind", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]


def output_options(func: F) -> F:
    """``--format`` and ``-o``, shared by every command that prints a comparison."""
    # A plain string: the command checks the target itself, so a folder gets one clear line, not a usage screen.
    func = click.option("-o", "--output", metavar="FILE", help="Write to this file (atomically), not standard output.")(func)
    func = click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default=None,
                        help="Output format [default: text on a terminal or -o *.txt; by -o suffix otherwise].")(func)
    return func


def model_option(func: F) -> F:
    """``--model``, for commands that embed sentences."""
    return click.option("--model", metavar="NAME_OR_PATH", default=None,
                        help="A local sentence-transformers model folder [default: the packaged all-MiniLM-L6-v2].")(func)


_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "text", ".text": "text"}


def format_for(fmt: str | None, output: str | None) -> str:
    """``--format``, else the format the ``-o`` suffix names, else text; an unknown suffix is an error."""
    if fmt:
        return fmt
    if not output:
        return "text"
    import os.path

    suffix = os.path.splitext(output)[1].lower()
    if suffix not in _BY_SUFFIX:
        # -o report.pdf must not quietly write plain text under a name that promises something else.
        known = ", ".join(sorted(_BY_SUFFIX))
        raise StatediffError(f"{output}: cannot tell the output format from {suffix or 'a name without suffix'}; "
                             f"use one of {known}, or give --format")
    return _BY_SUFFIX[suffix]


def emit(text: str, output: str | None, color: bool = False) -> None:
    """Print, or write to ``output`` (atomically; through a link, into a FIFO or device: see write_output). With
    ``color`` the ANSI codes are kept even in a pipe (click strips them there otherwise, which would undo --color
    always and colour under git's pager)."""
    if output:
        from statediff.output import write_output

        write_output(output, text)
    else:
        click.echo(text, nl=False, color=color or None)


def color_option(func: F) -> F:
    """``--color auto|always|never``: auto colours on a terminal unless NO_COLOR is set (no-color.org)."""
    return click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
                        show_default=True, help="Colour the text output; auto: on a terminal, unless NO_COLOR is set.")(func)


def use_color(choice: str, stream: Any = None) -> bool:
    """Whether to colour output going to ``stream`` (stdout by default) for a ``--color`` choice."""
    import os

    if choice != "auto":
        return choice == "always"  # an explicit flag wins over NO_COLOR, as no-color.org asks
    return (stream or sys.stdout).isatty() and not os.environ.get("NO_COLOR")


def quiet_option(func: F) -> F:
    """``-q``/``--quiet``: no status line or progress on stderr (they show on a terminal only anyway), and no note
    of the model's one-time export (which shows in logs too)."""

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        from statediff import status

        status.quiet = value
        return value

    return click.option("-q", "--quiet", is_flag=True, callback=remember,
                        help="No status line while the model loads or sentences are embedded.")(func)


def status_wanted(quiet: bool) -> bool:
    """A status line only for a person watching a terminal: never in pipes, logs, CI, or with --quiet."""
    return not quiet and sys.stderr.isatty()


def context_option(func: F) -> F:
    """``--context N`` for text output: N unchanged sentences around each change [default: every sentence]."""
    return click.option("--context", "context", type=click.IntRange(min=0), default=None, metavar="N",
                        help="Text output: show N unchanged sentences around each change, not all of them.")(func)
