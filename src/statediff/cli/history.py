"""``statediff history``: the life of the sentences that match a query, or of one sentence, across a series."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from statediff.cli.common import emit, fail_cleanly, format_for, model_option
from statediff.errors import StatediffError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from statediff.folder.statements import Statement
    from statediff.history.story import Marker

EXIT_FOUND, EXIT_NONE = 0, 1


@click.command()
@click.option("--series", required=True, help="The series to search (a folder name under statements/, e.g. fomc).")
@click.option("--query", help="Words or a phrase; lineages match by their words or by meaning.")
@click.option("--sentence", "anchor", metavar="ANCHOR",
              help="A sentence's anchor from a report (s-…, or a link ending in #s-…), or a lineage id (L…).")
@click.option("--limit", type=click.IntRange(1, 1000), default=5, show_default=True, help="Most lineages shown for a query.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "html"]), default=None,
              help="Output format [default: text, or by the -o suffix].")
@click.option("-o", "--output", metavar="FILE", help="Write to this file (atomically), not standard output.")
@click.option("--statements", "statements_dir", metavar="DIR", default=None,
              help="Statements folder [default: 'statements' in statediff.toml, else ./statements].")
@click.option("--reports", "reports_dir", metavar="DIR", default=None,
              help="Reports folder, where the lineages are kept [default: 'reports' in statediff.toml, else ./reports].")
@model_option
@fail_cleanly
def history(series: str, query: str | None, anchor: str | None, limit: int, fmt: str | None, output: str | None,
            statements_dir: str | None, reports_dir: str | None, model: str | None) -> None:
    """Show the history of sentences across a series: first appearance, each rewording with its word changes,
    gaps, and last appearance or drop.

    Give --query TEXT (matches by words and by meaning, best first) or --sentence ANCHOR (one sentence, by
    the anchor of its link in a report).

    Exit codes: 0 found, 1 no sentence matches the query, 2 error.
    """
    from statediff.config import load_config
    from statediff.engine.embed import default_embedder
    from statediff.folder.statements import list_series
    from statediff.history.query import by_anchor, by_query, series_table
    from statediff.history.story import story
    from statediff.history.views import render
    from statediff.textnorm import terminal_safe

    if (query is None) == (anchor is None):
        raise StatediffError("give either --query TEXT or --sentence ANCHOR (one of them)")
    chosen = format_for(fmt, output)
    config = load_config(statements=statements_dir, reports=reports_dir, model=model)
    if output:  # before the slow part; and -o must never replace a statement the history was read from
        from statediff.folder.statements import inside
        from statediff.output import check_output

        check_output(output)
        if inside(config.statements, Path(output)):
            raise StatediffError(f"{output}: is inside the statements folder; -o would overwrite or add a statement, "
                                 "choose a file elsewhere")
    embedder = default_embedder(config.model)
    items = list_series(config.statements, series)[series]  # read once: for the table and the series' kind
    table = series_table(config.statements, config.reports, series, embedder, items)
    marker = _marker(config.statements, series, items)
    if anchor is not None:
        stories = [story(table, lineage, marker, matched="anchor") for lineage in by_anchor(table, anchor)]
        what = anchor
    else:
        assert query is not None
        found = by_query(table, query, embedder, limit)
        if not found:
            click.echo(f"statediff: no sentence of series {series!r} matches {terminal_safe(query)[:200]!r} by its words "
                       "or meaning; try other words", err=True)
            sys.exit(EXIT_NONE)
        stories = [story(table, lineage, marker, score=score, matched=how) for lineage, score, how in found]
        what = query
    link = None
    if chosen == "html" and output:
        from statediff.folder.index import relative_link

        link = relative_link(config.reports, Path(output).resolve().parent) + "/"
    emit(render(stories, what, chosen, link), output)
    sys.exit(EXIT_FOUND)


COMMANDS = (history,)


def _marker(statements: Path, series: str, items: Sequence[Statement]) -> Marker:
    """Position marks for each rewording: the series' kind (its latest statement's front matter) and its own
    positions/ files."""
    from functools import partial

    from statediff.folder.statements import series_dir
    from statediff.positions.digest import change_marks, names_policy_rate, series_files
    from statediff.positions.marking import MONETARY

    kind = items[-1].meta.get("kind") if items else None
    if not isinstance(kind, str) and items and names_policy_rate(items[-1].body):
        kind = MONETARY  # as a report reads a pair that names a policy rate
    return partial(change_marks, kind=kind if isinstance(kind, str) else None, files=series_files(series_dir(statements, series)))
