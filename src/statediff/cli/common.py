"""What every command shares: exit codes, clean errors, the output and model options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from statediff.errors import StatediffError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_SAME, EXIT_DIFFERENT, EXIT_ERROR = 0, 1, 2


def fail_cleanly(func: F) -> F:
    """Turn a StatediffError into one line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StatediffError as exc:
            click.echo(f"statediff: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

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


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to ``output``."""
    if output:
        from statediff.output import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
