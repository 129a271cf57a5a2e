"""The command line: a thin click layer over the library. No logic here that a library user would need."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from . import __version__
from .errors import StatediffError

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


def _format_for(fmt: str | None, output: str | None) -> str:
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
        from .output import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statediff")
def main() -> None:
    """statediff: compare official statements sentence by sentence, by meaning.

    Exit codes, as diff: 0 no differences, 1 differences, 2 error.
    """


@main.command()
@click.argument("old", type=click.Path(dir_okay=True, path_type=str))
@click.argument("new", type=click.Path(dir_okay=True, path_type=str))
@output_options
@model_option
@click.option("--segmented", is_flag=True, help="Files hold one sentence per line, used as given (blank lines ignored).")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of HTML report templates (report.html.j2, report.css, report.js) used before the built-in ones.")
@fail_cleanly
def compare(old: str, new: str, fmt: str | None, output: str | None, model: str | None, segmented: bool,
            template_dir: str | None) -> None:
    """Compare two statement files: which sentences are new, dropped, reworded, moved, split or merged.

    Reads .txt, .md (YAML front matter) and .html, and the title:/date:/source: header format.
    Exit 0 when the statements say the same, 1 when they differ, 2 on error.
    """
    from .ingest import read_document
    from .pipeline import compare as run_compare
    from .render import render

    if output:  # a mistyped -o should fail now, not after seconds of loading the model
        from .output import check_target, refuse_overwriting

        check_target(output)
        refuse_overwriting(output, {"OLD": old, "NEW": new})
    chosen = _format_for(fmt, output)
    old_doc = read_document(old, segmented=segmented)
    new_doc = read_document(new, segmented=segmented)
    if old_doc.date and new_doc.date and old_doc.date > new_doc.date:
        click.echo(f"statediff: warning: OLD is dated {old_doc.date}, after NEW ({new_doc.date}); "
                   "did you mean to swap them? (comparing as given)", err=True)
    comparison = run_compare(old_doc, new_doc, model=model, segmented=segmented)
    color = chosen == "text" and not output and sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org
    emit(render(comparison, chosen, color=color, template_dir=template_dir), output)  # type: ignore[arg-type]
    sys.exit(EXIT_DIFFERENT if comparison.has_differences else EXIT_SAME)


# Commands of the statements folder and of git review live in their own modules; importing them registers them.
from . import cli_model, cli_review, cli_statements  # noqa: E402,F401
