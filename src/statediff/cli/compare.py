"""``statediff compare``: two statement files in, one comparison out."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from statediff.cli.common import (
    EXIT_DIFFERENT,
    EXIT_SAME,
    color_option,
    context_option,
    emit,
    fail_cleanly,
    format_for,
    model_option,
    output_options,
    quiet_option,
    status_wanted,
    use_color,
)
from statediff.errors import StatediffError

if TYPE_CHECKING:
    from statediff.model import Comparison
    from statediff.positions.digest import Positions


@click.command()
@click.argument("old", type=click.Path(dir_okay=True, path_type=str))
@click.argument("new", type=click.Path(dir_okay=True, path_type=str))
@output_options
@model_option
@click.option("--segmented", is_flag=True, help="Files hold one sentence per line, used as given (blank lines ignored).")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of HTML report templates (report.html.j2, report.css, report.js) used before the built-in ones.")
@click.option("--kind", metavar="KIND", default=None,
              help="The statements' kind when their front matter has none; monetary-policy adds hawkish/dovish tilts.")
@click.option("--positions", "positions_dir", metavar="DIR", default=None,
              help="Folder with your own lexicon.txt, actors.txt and topics.txt, added to the shipped ones.")
@context_option
@color_option
@quiet_option
@fail_cleanly
def compare(old: str, new: str, fmt: str | None, output: str | None, model: str | None, segmented: bool,
            template_dir: str | None, kind: str | None, positions_dir: str | None, context: int | None, color: str,
            quiet: bool) -> None:
    """Compare two statements: which sentences are new, dropped, reworded, moved, split or merged.

    OLD and NEW are files (.txt, .md with YAML front matter, .html, or the title:/date:/source: header
    format), `-` for standard input, or http(s) addresses of statement pages.

    Exit codes: 0 the statements say the same, 1 they differ, 2 error.
    """
    from statediff.status import showing

    with showing("reading the statements…", status_wanted(quiet), color=use_color(color, sys.stderr)):
        comparison, chosen, positions = _compare(old, new, fmt, output, model, segmented, kind, positions_dir)
    if kind:
        _warn_tilt_off(comparison, kind, positions.kind)
    from statediff.render import render

    colored = chosen == "text" and not output and use_color(color)
    text = render(comparison, chosen, color=colored, template_dir=template_dir, context=context,  # type: ignore[arg-type]
                  positions=positions)
    emit(text, output, color=colored)
    sys.exit(EXIT_DIFFERENT if comparison.has_differences else EXIT_SAME)


def _warn_tilt_off(comparison: Comparison, kind: str, used: str | None) -> None:
    """A --kind (a typo of monetary-policy, most likely) that turned off the tilt the statements' policy rate would
    have given them says so."""
    from statediff.positions.digest import inferred_kind
    from statediff.positions.marking import MONETARY
    from statediff.textnorm import normal_kind

    if used != MONETARY and used == normal_kind(kind) and inferred_kind(comparison) == MONETARY:
        click.echo(f"statediff: warning: --kind {kind!r} gives no hawkish/dovish tilts, though these statements name a "
                   "policy rate (read as monetary policy without --kind); did you mean --kind monetary-policy?", err=True)


def _compare(old: str, new: str, fmt: str | None, output: str | None, model: str | None, segmented: bool,
             kind: str | None, positions_dir: str | None) -> tuple[Comparison, str, Positions]:
    from statediff.engine.pipeline import compare as run_compare
    from statediff.read.ingest import read_document

    if old == "-" and new == "-":
        raise StatediffError("OLD and NEW cannot both be '-' (standard input); give one of them as a file")
    if output:  # a mistyped -o should fail now, not after seconds of loading the model
        from statediff.output import check_output, refuse_overwriting

        check_output(output)
        refuse_overwriting(output, {"OLD": old, "NEW": new})
    chosen = format_for(fmt, output)
    from statediff.positions.digest import analyse, files_in, kind_of

    files = files_in(positions_dir, named=True)
    files.check()  # a malformed lexicon must fail now, not after the model has loaded
    old_doc = read_document(old, segmented=segmented)
    new_doc = read_document(new, segmented=segmented)
    if old_doc.date and new_doc.date and old_doc.date > new_doc.date:
        click.echo(f"statediff: warning: OLD is dated {old_doc.date}, after NEW ({new_doc.date}); "
                   "did you mean to swap them? (comparing as given)", err=True)
    comparison = run_compare(old_doc, new_doc, model=model, segmented=segmented)
    # --kind is for statements whose front matter names none (as its help says): the front matter's own kind wins.
    return comparison, chosen, analyse(comparison, kind=kind_of(comparison) or kind, files=files)
