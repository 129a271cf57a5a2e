"""Commands of the statements folder (add, check, report, list); they register on ``cli.main``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from statediff.cli.common import fail_cleanly, model_option, quiet_option, status_wanted
from statediff.errors import StatediffError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_PROBLEMS = 0, 1
#: ``add``: the statement was written, only its report could not be built (2 stays "nothing written").
EXIT_ADDED_WITHOUT_REPORT = 1


def folder_options(func: F) -> F:
    """``--statements`` and ``--reports``: override the configuration file (statediff.toml or pyproject.toml)."""
    func = click.option("--reports", "reports_dir", metavar="DIR", default=None,
                        help="Reports folder [default: 'reports' in statediff.toml, else ./reports].")(func)
    func = click.option("--statements", "statements_dir", metavar="DIR", default=None,
                        help="Statements folder [default: 'statements' in statediff.toml, else ./statements].")(func)
    return func


def _plain(text: str) -> str:
    """Untrusted text for a terminal: control and bidi characters (escape sequences, reordering) made visible."""
    from statediff.textnorm import terminal_safe

    return terminal_safe(text)


class _Lines:
    """Not a terminal (a pipe, a log, CI): one line per report built, with its counts (what was done, as ``add``
    prints it); no progress (embedding) lines, which only a person watching a terminal needs."""

    def __init__(self) -> None:
        self.total = self.done = 0
        self.label = ""

    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.label = total, 0, label

    def step(self, done: int, item: str) -> None:
        self.done += done
        if self.label == "building reports":
            click.echo(f"[{self.done}/{self.total}] {item}")

    def finish(self) -> None:
        pass


class _Bar:
    """Progress as a bar on a terminal (stderr)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def start(self, total: int, label: str) -> None:
        self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True,
                                     item_show_func=lambda item: _plain(item.split(":")[0]) if item else None)
        self.bar.__enter__()

    def step(self, done: int, item: str) -> None:
        self.bar.update(done, item)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _parse_since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise StatediffError(f"--since {value!r} is not a date in YYYY-MM-DD form") from exc


@click.command()
@click.argument("file", metavar="FILE_OR_URL", type=click.Path(path_type=str))
@click.option("--series", help="The series to add it to (a folder name under statements/, e.g. fomc).")
@click.option("--date", help="Date of the statement, YYYY-MM-DD [default: from the file].")
@click.option("--title", help="Title [default: from the file].")
@click.option("--source", help="The statement's web address (http or https).")
@click.option("--issuer", "issuers", multiple=True,
              help="Who issued it; repeat for several [default: from the file, else the previous statement].")
@click.option("--language", help="Language tag [default: from the file, else en].")
@click.option("--kind", help="What kind of text it is, e.g. policy-statement, joint-statement, news-article.")
@click.option("--notes", help="A note kept in the front matter (e.g. where the text came from).")
@click.option("--slug", help="File name words (lowercase ASCII and hyphens) [default: from the title].")
@click.option("--no-report", is_flag=True, help="Do not build the report against the previous statement.")
@click.option("--force", is_flag=True, help="Replace a statement file that already exists.")
@click.option("--rename", is_flag=True,
              help="With --force: move a statement stored under an older-style name (date repeated) to the current one.")
@folder_options
@model_option
@quiet_option
@fail_cleanly
def add(file: str, series: str | None, date: str | None, title: str | None, source: str | None, issuers: tuple[str, ...],
        language: str | None, kind: str | None, notes: str | None, slug: str | None, no_report: bool, force: bool, rename: bool,
        statements_dir: str | None, reports_dir: str | None, model: str | None, quiet: bool) -> None:
    """Add a statement to a series: a file (.txt, .md, .html, or the title:/date:/source: header format),
    `-` for standard input, or the http(s) address of the statement's page (fetched; its main text, title,
    date and address are kept).

    Writes statements/<series>/<date>-<slug>.md atomically (creating the statements folder in a new project)
    and prints its path, then builds the report against the previous statement of the series and prints its
    path and counts. Everything the report needs is checked before anything is written.

    Exit codes: 0 added, 1 added but its report could not be built (one line says why; `statediff report`
    builds it once that is fixed), 2 error (nothing written).
    """
    from statediff.status import showing

    with showing("reading the statement…", status_wanted(quiet)):
        _add(file, series, date, title, source, issuers, language, kind, notes, slug, no_report, force, rename,
             statements_dir, reports_dir, model)


def _add(file: str, series: str | None, date: str | None, title: str | None, source: str | None, issuers: tuple[str, ...],
         language: str | None, kind: str | None, notes: str | None, slug: str | None, no_report: bool, force: bool,
         rename: bool, statements_dir: str | None, reports_dir: str | None, model: str | None) -> None:
    from statediff.config import load_config
    from statediff.folder.statements import add_statement, shown
    from statediff.read.ingest import is_url
    from statediff.status import say

    if not series:
        raise StatediffError(f"{file}: which series? pass --series NAME (e.g. --series fomc)")
    config = load_config(statements=statements_dir, reports=reports_dir, model=model)
    if not no_report:
        from statediff.folder.reports import check_before_add

        check_before_add(config.statements, config.reports, series, config.model)
    if is_url(file):
        say(f"fetching {_plain(file)[:80]}…")
    result = add_statement(config.statements, file, series=series, date=date, title=title, source=source, issuers=issuers,
                           language=language, kind=kind, notes=notes, slug=slug, force=force, rename=rename)
    for warning in result.warnings:
        click.echo(f"statediff: warning: {warning}", err=True)
    if result.created_root:
        click.echo(f"created the statements folder {shown(config.statements)}")
    click.echo(f"{'replaced' if result.replaced else 'added'} {shown(result.path)}")
    if no_report:
        return
    if result.previous is None and result.others:
        click.echo(f"earliest statement of series {series!r}: nothing before it to compare with; "
                   "`statediff report` builds the next one")
        return
    if result.previous is None:
        click.echo(f"first statement of series {series!r}: no report yet")
        return
    from statediff.folder.reports import build_reports, counts_line, model_identity
    from statediff.history.build import History

    say("comparing with the previous statement…")
    try:
        history = History(config.reports, model_identity(config.model))
        built = build_reports(config.statements, config.reports, model=config.model,
                              only=[(result.previous.path, result.path)], history=history)
    except StatediffError as exc:
        _added_without_report(result.path, str(exc))
    own = [item for item in built.left_out if item.series == series and item.what == "positions"]
    for item in built.left_out:  # e.g. a broken statement of another series: not this statement's business
        if item not in own:
            click.echo(f"statediff: warning: {_plain(item.message)}", err=True)
    for pair, counts in built.built:
        click.echo(f"report {shown(config.reports / pair.html)}: {counts_line(counts)}")
    for pair in built.current:
        click.echo(f"report {shown(config.reports / pair.html)}: up to date")
    if not built.built and not built.current:
        _added_without_report(result.path, own[0].message if own else "its pair was not found")


def _added_without_report(path: Path, reason: str) -> NoReturn:
    """The statement is written and stays: say exactly that, and that `report` finishes the job (exit 1)."""
    from statediff.folder.statements import shown

    click.echo(f"statediff: error: {_plain(shown(path))} was added, but its report was not built: {_plain(reason)}; "
               "once that is fixed, `statediff report` builds it", err=True)
    sys.exit(EXIT_ADDED_WITHOUT_REPORT)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--statements", "statements_dir", metavar="DIR", default=None,
              help="Statements folder [default: 'statements' in statediff.toml, else ./statements].")
@fail_cleanly
def check(paths: tuple[Path, ...], statements_dir: str | None) -> None:
    """Validate the statements folder (or another one, or the files and series folders given): layout, front matter, dates, text.

    Prints each problem as `path: problem`; fit for a pre-commit hook (which passes the changed files) and CI.

    Exit codes: 0 clean, 1 problems found, 2 error.
    """
    from statediff.config import load_config
    from statediff.folder.check import check_folder
    from statediff.folder.statements import inside

    config = load_config(statements=statements_dir)
    root = config.statements
    if len(paths) == 1 and paths[0].is_dir() and not inside(root, paths[0]):
        root, paths = paths[0], ()  # `statediff check some/other/statements`: that folder is the one to check
    problems = check_folder(root, paths)
    for problem in problems:
        click.echo(str(problem))
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@click.command()
@click.option("--series", help="Only this series [default: every series].")
@click.option("--since", metavar="YYYY-MM-DD", help="Only reports whose newer statement is on or after this date.")
@click.option("--force", is_flag=True, help="Rebuild reports even when their inputs have not changed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Threads embedding new sentences [default: the CPUs available].")
@folder_options
@model_option
@quiet_option
@fail_cleanly
def report(series: str | None, since: str | None, force: bool, jobs: int | None, statements_dir: str | None,
           reports_dir: str | None, model: str | None, quiet: bool) -> None:
    """Build the reports of consecutive statements in every series, and reports/index.html.

    Incremental: a report whose statements, the series' positions files, model and statediff version are
    unchanged is not rebuilt. A statement `check` rejects as unreadable or empty is left out (its neighbours are
    compared with each other), and a series whose positions file does not parse keeps its reports as they
    were; each is named on one line and the rest is built.

    Exit codes: 0 done, 2 error, or something in the series built was left out (named on stderr).
    """
    from statediff.config import load_config
    from statediff.folder.reports import build_reports, ensure_writable, model_identity
    from statediff.folder.statements import shown
    from statediff.history.build import History

    config = load_config(statements=statements_dir, reports=reports_dir, model=model)
    progress = None if quiet else _Bar() if sys.stderr.isatty() else _Lines()
    ensure_writable(config.reports)
    history = History(config.reports, model_identity(config.model))
    result = build_reports(config.statements, config.reports, series=series, since=_parse_since(since), force=force,
                           model=config.model, progress=progress, history=history, jobs=jobs)
    # Another series' broken file is only left out of the index (a warning); one of the series asked for is an error.
    wanted = [item for item in result.left_out if series is None or item.series == series]
    for item in result.left_out:
        click.echo(f"statediff: {'error' if item in wanted else 'warning'}: {_plain(item.message)}", err=True)
    removed = f", {len(result.removed)} removed" if result.removed else ""
    left = f", {len(wanted)} left out" if wanted else ""
    index = shown(result.index or config.reports)
    click.echo(f"{len(result.built)} built, {len(result.current)} up to date{removed}{left}; index {index}")
    if wanted:
        sys.exit(2)


@click.command(name="list")
@click.option("--series", help="Only this series [default: every series].")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="A table, or JSON.")
@click.option("--statements", "statements_dir", metavar="DIR", default=None,
              help="Statements folder [default: 'statements' in statediff.toml, else ./statements].")
@fail_cleanly
def list_(series: str | None, fmt: str, statements_dir: str | None) -> None:
    """List the series and their statements (date, file, title).

    Exit codes: 0 done, 2 error (a statement that cannot be read is named; the others are still listed).
    """
    from statediff.config import load_config
    from statediff.folder.statements import list_series

    config = load_config(statements=statements_dir)
    unreadable: list[tuple[Path, str]] = []
    found = list_series(config.statements, series, unreadable)
    # One broken file should not hide the rest: list what reads, then name each file that does not (exit 2).
    for _, problem in unreadable:
        click.echo(f"statediff: error: {problem}; `statediff check` lists every problem", err=True)
    _print_listing(found, fmt, config.statements, len(unreadable))
    if unreadable:
        sys.exit(2)


def _print_listing(found: dict[str, list[Any]], fmt: str, root: Path, unreadable: int = 0) -> None:
    from statediff.folder.statements import shown

    if fmt == "json":
        doc = [{"series": name, "statements": [
            {"date": s.date.isoformat(), "title": s.title, "path": shown(s.path), "source": s.meta.get("source"),
             "issuers": s.meta.get("issuers"), "language": s.meta.get("language"), "kind": s.meta.get("kind")}
            for s in items]} for name, items in found.items()]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    rows = [(name, s.date.isoformat(), s.path.name, _plain(s.title)) for name, items in found.items() for s in items]
    # The count says a file is missing from the table even when stderr went elsewhere.
    missing = f" ({unreadable} file{'' if unreadable == 1 else 's'} unreadable, named on stderr)" if unreadable else ""
    if not rows and not unreadable:
        click.echo(f"no statements in {shown(root)} yet; add one with: statediff add FILE --series NAME")
        return
    widths = [max(len(r[i]) for r in [("SERIES", "DATE", "FILE", "TITLE"), *rows]) for i in range(3)]
    for row in [("SERIES", "DATE", "FILE", "TITLE"), *rows]:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    click.echo(f"{len(found)} series, {len(rows)} statement{'' if len(rows) == 1 else 's'}{missing}")



COMMANDS = (add, check, report, list_)
