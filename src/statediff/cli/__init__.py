"""The command line: a thin click layer over the library. No logic here that a library user would need.

Each command lives in its own module (compare, the statements folder, git review) and imports only
``cli.common`` and the library; this module puts them together under one group.
"""

from __future__ import annotations

import gc
import os

# Before anything imports numpy: its OpenBLAS runs every matrix product on a thread per core, and a comparison's
# matrices are small (hundreds of rows), so the threads cost more than they save; on a busy machine they wait for a
# core and spin (a warm compare used 20% more CPU and 15% more time with them). A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# The cyclic collector ran 64 times in a warm compare (13 ms of CPU), each pass walking freshly imported modules and
# results that are all still alive; once per 50,000 new objects still bounds cyclic garbage in a long `report`.
gc.set_threshold(50_000)

import click  # noqa: E402 (the settings above come first)

from statediff import __version__  # noqa: E402 (the settings above come first)
from statediff.cli import compare, history, model, review, statements  # noqa: E402 (the settings above come first)
from statediff.cli.exits import Group  # noqa: E402 (the settings above come first)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statediff")
def main() -> None:
    """statediff: compare official statements sentence by sentence, by meaning.

    Exit codes, as diff: 0 no differences, 1 differences (or problems found), 2 error; each command's --help
    gives its own.

    \b
    Shell completion (add to your shell's start-up file):
      bash: eval "$(_STATEDIFF_COMPLETE=bash_source statediff)"
      zsh:  eval "$(_STATEDIFF_COMPLETE=zsh_source statediff)"
      fish: _STATEDIFF_COMPLETE=fish_source statediff | source
    """


main.add_command(compare.compare)
for _command in (*review.COMMANDS, *statements.COMMANDS, *history.COMMANDS, *model.COMMANDS):
    main.add_command(_command)
