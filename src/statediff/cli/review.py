"""Commands for reviewing statements in git (review, git-diff, git-textconv, install-git); they register on ``cli.main``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from statediff.cli.common import (
    EXIT_DIFFERENT,
    EXIT_SAME,
    color_option,
    fail_cleanly,
    model_option,
    quiet_option,
    status_wanted,
    use_color,
)

_STATEMENTS_HELP = "Statements folder [default: 'statements' in statediff.toml at the repository top, else ./statements there]."


@click.command()
@click.option("--base", metavar="REF", help="Compare from this ref [default: the merge base with the default branch].")
@click.option("--head", metavar="REF", help="Compare to this ref [default: the working tree, untracked statements included].")
@click.option("--out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write each comparison here as <series>/<file>.html and .json, and the summary as review.md.")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "text"]), default="md", show_default=True,
              help="md: one summary fit to post as a pull-request comment; json: everything; text: for a terminal.")
@click.option("--link-base", metavar="URL", help="Link each report in the summary as URL/<series>/<file>.html.")
@click.option("--statements", "statements_dir", metavar="DIR", help=_STATEMENTS_HELP)
@model_option
@color_option
@quiet_option
@fail_cleanly
def review(base: str | None, head: str | None, out: Path | None, fmt: str, link_base: str | None,
           statements_dir: str | None, model: str | None, color: str, quiet: bool) -> None:
    """Review the statement files changed in git: each compared with its base version or, when new, with the
    statement before it in its series; deleted ones listed; `statediff check` problems of the changed files too.

    Run inside the git repository. Exit codes: 0 no statement changed, 1 some did (or a changed file has a
    problem), 2 error.
    """
    import json

    from statediff.gitreview.markdown import check_link_base, review_markdown
    from statediff.gitreview.review import review as run_review
    from statediff.gitreview.review import write_reports
    from statediff.gitreview.text import review_text
    from statediff.output import write_atomic
    from statediff.status import showing

    if link_base is not None:
        check_link_base(link_base)  # before the slow part
    with showing("reading the changed statements…", status_wanted(quiet), color=use_color(color, sys.stderr)):
        result = run_review(base=base, head=head, statements=statements_dir, model=model)
    markdown = None
    if out is not None:
        result = write_reports(result, out)
        markdown = review_markdown(result, link_base=link_base)
        write_atomic(out / "review.md", markdown)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "text":
        colored = use_color(color)
        click.echo(review_text(result, color=colored), nl=False, color=colored or None)
    else:
        click.echo(markdown or review_markdown(result, link_base=link_base), nl=False)
    sys.exit(EXIT_DIFFERENT if result.has_changes else EXIT_SAME)


def _context_setting(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from statediff.gitreview.driver import parse_context

    if value is None:
        return None
    try:
        parse_context(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number of sentences (0 or more) or 'all'") from None
    return value.strip().lower()


# Hidden from `statediff --help`: git runs these two, people do not (`statediff git-diff --help` still works).
@click.command(name="git-diff", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@model_option
@click.option("--context", "context", default=None, metavar="N|all", callback=_context_setting,
              help="Show N unchanged sentences around each change, or all [default: diff.statediff.context in git "
                   "config, else 3].")
@color_option
@fail_cleanly
def git_diff(args: tuple[str, ...], model: str | None, context: str | None, color: str) -> None:
    """Git's external diff driver: git runs it with path old-file old-hex old-mode new-file new-hex new-mode.

    Prints the sentence-aligned comparison of a statement file. Set up by `statediff install-git`.

    Exit codes: 0, also for a file it could not compare (it prints a line diff instead, because git stops at a
    failing driver); 2 when not called the way git calls it.
    """
    from dataclasses import replace

    from statediff.gitreview.driver import configured, parse_context
    from statediff.gitreview.driver import git_diff as run_git_diff
    from statediff.gitreview.driver import use_color as git_color

    colored = git_color(color)
    settings = configured()  # git config's diff.statediff.*; a --context given here (by hand) wins
    if context is not None:
        settings = replace(settings, context=parse_context(context))
    text = run_git_diff(args, model=model, color=colored, settings=settings)
    try:
        click.echo(text, nl=False, color=colored or None)  # git's pager is a pipe: keep the colour codes
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (git diff | head): not a failure of the driver, or git says "external diff died".
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@click.command(name="git-textconv", hidden=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@fail_cleanly
def git_textconv(file: str) -> None:
    """Git's text conversion for statement files: title, date, then one sentence per line.

    Used by `git log -p` and `git show` (which run external diff drivers only with --ext-diff).

    Exit codes: 0 done (a file that is no statement is printed as it is), 2 error.
    """
    from statediff.gitreview.driver import textconv

    click.echo(textconv(file), nl=False)


@click.command(name="install-git")
@click.option("--statements", "statements_dir", metavar="DIR", help=_STATEMENTS_HELP)
@model_option
@click.option("--context", "context", default=None, metavar="N|all", callback=_context_setting,
              help="git diff shows N unchanged sentences around each change, or all of them [default: 3]; sets "
                   "diff.statediff.context.")
@fail_cleanly
def install_git(statements_dir: str | None, model: str | None, context: str | None) -> None:
    """Make git diff, git log -p and git show use statediff on statement files in this repository.

    Adds a line to .gitattributes and sets diff.statediff.command and .textconv with git config --local (never
    your global config).

    Exit codes: 0 done, 2 error.
    """
    from statediff.gitreview.driver import install_git as run_install
    from statediff.gitreview.driver import statediff_command
    from statediff.gitreview.repo import repo_root
    from statediff.gitreview.tree import statements_folder

    root = repo_root(Path())
    done = run_install(root, statements_folder(root, statements_dir), command=statediff_command(), model=model,
                       context=context)
    state = "added" if done.added else "already has"
    click.echo(f"{done.attributes}: {state} '{done.line}' (commit it so every clone routes statements to statediff)")
    for key, value in done.config.items():
        click.echo(f"git config --local {key} {value}")
    click.echo("git diff now compares statements sentence by sentence; git log -p and git show list them one sentence "
               "per line (add --ext-diff for the full comparison)")


COMMANDS = (review, git_diff, git_textconv, install_git)
