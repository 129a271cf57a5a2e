"""Every command and option of the CLI has help text (sqlite-utils' test_docs idea), found by walking the group.

Other engineers add commands to ``statediff.cli.main``; this test picks them up without being edited.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from statediff.cli import main


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


COMMANDS = list(walk(main))


def test_the_group_has_the_compare_command() -> None:
    assert ("compare",) in [path for path, _ in COMMANDS]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"statediff {' '.join(path)} has no help text: add a docstring"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first_line = (command.help or "").strip().splitlines()[0]
    assert " ".join(first_line.split()) in " ".join(result.output.split())  # click re-wraps the text


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    missing = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()]
    assert not missing, f"statediff {' '.join(path)}: options without help: {missing}"


def test_main_help_lists_every_command_but_the_ones_git_runs() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1]
    for path, command in COMMANDS:
        if len(path) == 1:
            assert (path[0] in listed) is not command.hidden, path[0]
    assert {p[0] for p, c in COMMANDS if c.hidden} == {"git-diff", "git-textconv"}
    assert "_STATEDIFF_COMPLETE=bash_source statediff" in result.output  # shell completion, as documented


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_documents_its_exit_codes(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert "Exit codes: 0" in " ".join(result.output.split()) and " 2 " in result.output, result.output


def test_help_is_quick_and_does_not_load_the_model_stack() -> None:
    code = (
        "import sys\nfrom statediff.cli import main\n"
        "try:\n    main(['compare', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'numpy', 'pysbd', 'jinja2') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr
