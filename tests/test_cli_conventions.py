"""Command-line conventions: --color and NO_COLOR, --context, `-` for standard input, the status line, --quiet."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes import FakeEmbedder, use_fake_model
from statediff.cli import main
from statediff.render.text import render_text

OLD = ("One. Two. Three. Four. Five. Six.\n\nRates were raised today.\n\nSeven. Eight. Nine.\n")
NEW = ("One. Two. Three. Four. Five. Six.\n\nRates were held today.\n\nSeven. Eight. Nine.\n")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_context_keeps_n_unchanged_sentences_around_each_change(fake_embedder: FakeEmbedder) -> None:
    import statediff

    c = statediff.compare(OLD, NEW, embedder=fake_embedder)
    full = render_text(c).splitlines()
    assert len(full) == 2 + 10 + 2  # header, every sentence, blank line, counts
    shown = render_text(c, context=1).splitlines()[2:-2]
    assert shown == ["  ... 5 unchanged sentences", "  Six.", "~ Rates were [-raised-]{+held+} today.", "  Seven.",
                     "  ... 2 unchanged sentences"]
    assert render_text(c, context=0).splitlines()[2:-2] == [
        "  ... 6 unchanged sentences", "~ Rates were [-raised-]{+held+} today.", "  ... 3 unchanged sentences"]
    assert render_text(c, context=50) == render_text(c)


@pytest.mark.parametrize(("args", "env", "colored"), [
    ((), {}, False),  # not a terminal
    (("--color", "always"), {}, True),
    (("--color", "always"), {"NO_COLOR": "1"}, True),  # an explicit flag wins, as no-color.org asks
    (("--color", "never"), {}, False),
])
def test_color_option(pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
                      env: dict[str, str], colored: bool) -> None:
    use_fake_model(monkeypatch)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, ["compare", *map(str, pair), *args])
    assert result.exit_code == 1, result.output
    assert ("\x1b[" in result.stdout) is colored


def test_standard_input_is_read_for_a_dash(pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_model(monkeypatch)
    result = CliRunner().invoke(main, ["compare", "-", str(pair[1])], input=OLD)
    assert result.exit_code == 1, result.output
    assert "~ Rates were [-raised-]{+held+} today." in result.stdout
    result = CliRunner().invoke(main, ["compare", "-", "-"], input=OLD)
    assert result.exit_code == 2
    assert result.stderr == ("statediff: error: OLD and NEW cannot both be '-' (standard input); "
                             "give one of them as a file\n")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[float | None, bytes, int]:
    """Run statediff with stderr on a pseudo-terminal: seconds until it first wrote there, what it wrote, exit code."""
    leader, follower = pty.openpty()
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "statediff", *args], stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    first: float | None = None
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            if first is None:
                first = time.monotonic() - start
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=600)
    assert proc.stdout is not None
    proc.stdout.read()
    os.close(leader)
    return first, seen, proc.returncode


@pytest.mark.model
def test_a_cold_compare_shows_a_status_at_once_on_a_terminal_and_not_with_quiet(pair: tuple[Path, Path],
                                                                                 tmp_path: Path) -> None:
    env = {**os.environ, "STATEDIFF_CACHE_DIR": str(tmp_path / "cold-cache")}  # cold: nothing cached
    first, seen, code = _on_a_terminal(["compare", *map(str, pair)], env)
    assert code == 1
    assert first is not None and first < 0.5, first  # the target: a status within half a second
    assert b"loading the embedding model" in seen or b"embedding" in seen
    env["STATEDIFF_CACHE_DIR"] = str(tmp_path / "cold-cache-2")
    first, seen, code = _on_a_terminal(["compare", *map(str, pair), "--quiet"], env)
    assert code == 1 and seen == b""
    # --color never holds for the status line too: cursor movements, but no colour (SGR) codes.
    for flag, coloured in (("auto", True), ("never", False)):
        _, seen, code = _on_a_terminal(["compare", *map(str, pair), "--color", flag], env)
        assert code == 1 and b"reading the statements" in seen
        assert bool(re.search(rb"\x1b\[[0-9;]*[1-9][0-9;]*m", seen)) is coloured, seen
