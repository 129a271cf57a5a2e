"""End to end with the real packaged model on statements the tests carry (tests/statements/), so they run on
any machine: a fresh clone without the shared corpus included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import statediff
from conftest import FIXTURES
from statediff.read.ingest import read_document
from web_pages import SEPTEMBER, gov_page, serve

pytestmark = pytest.mark.model

MARCH = FIXTURES / "board" / "2025-03-12-monetary-board-statement.md"
JUNE = FIXTURES / "board" / "2025-06-18-monetary-board-statement.md"
STATEDIFF = [sys.executable, "-m", "statediff"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([*STATEDIFF, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_cli_finds_every_kind_of_change_with_the_real_model() -> None:
    result = run("compare", str(MARCH), str(JUNE), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""  # no status line, no warnings: stderr is not a terminal here
    doc = json.loads(result.stdout)
    old = [s["text"] for s in doc["old"]["sentences"]]
    new = [s["text"] for s in doc["new"]["sentences"]]
    by_kind: dict[str, list[dict[str, object]]] = {}
    for change in doc["changes"]:
        by_kind.setdefault(change["kind"], []).append(change)
    assert [old[c["old"][0]] for c in by_kind["removed"]] == ["Energy prices have fallen sharply since the autumn."]
    assert [new[c["new"][0]] for c in by_kind["added"]] == [
        "Severe floods in the northern provinces have disrupted harvests and raised food prices."]
    assert [new[c["new"][0]].split(",")[0] for c in by_kind["moved"]] == ["In assessing the appropriate stance of policy"]
    modified = {tuple(op for op in map(tuple, c["ops"]) if op[0] != "=") for c in by_kind["modified"]}  # type: ignore[arg-type]
    assert (("-", "moderate"), ("+", "solid")) in modified
    assert (("-", "raise"), ("+", "maintain"), ("-", "by 25 basis points to"), ("+", "at")) in modified
    assert len(by_kind["unchanged"]) == 6
    # Every sentence of both sides is in exactly one change.
    assert sorted(i for c in doc["changes"] for i in c["old"]) == list(range(len(old)))
    assert sorted(j for c in doc["changes"] for j in c["new"]) == list(range(len(new)))


def test_context_keeps_only_the_changes_and_their_neighbours() -> None:
    result = run("compare", str(MARCH), str(JUNE), "--context", "0")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "  ... 2 unchanged sentences" in lines
    assert not any(line.startswith("  Hiring has slowed") for line in lines)
    assert lines[-1] == "2 modified · 1 moved · 1 added · 1 removed · 6 unchanged"


def test_the_python_api_gives_the_same_changes_as_the_cli() -> None:
    c = statediff.compare(read_document(MARCH), read_document(JUNE))
    cli = json.loads(run("compare", str(MARCH), str(JUNE), "--format", "json").stdout)
    assert [(ch.kind, list(ch.old), list(ch.new)) for ch in c.changes] == [
        (ch["kind"], ch["old"], ch["new"]) for ch in cli["changes"]]


def test_add_url_then_open_the_report_with_the_real_model(tmp_path: Path) -> None:
    """The README's first steps: a statements folder with a series, `statediff add URL`, the report written."""
    shutil.copytree(FIXTURES / "board", tmp_path / "statements" / "board")
    with serve() as site:
        url = site.page("/press/2025-09-17", gov_page("Monetary Board statement (September 17, 2025)", "2025-09-17",
                                                      SEPTEMBER))
        result = run("add", url, "--series", "board", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "added statements/board/2025-09-17-monetary-board-statement.md"
    report = "reports/board/2025-06-18-monetary-board-statement__2025-09-17-monetary-board-statement"
    assert lines[1].startswith(f"report {report}.html: ")
    doc = json.loads((tmp_path / f"{report}.json").read_text(encoding="utf-8"))
    ops = [tuple(op) for c in doc["changes"] if c["kind"] == "modified" for op in c["ops"] if op[0] != "="]
    assert ("-", "maintain") in ops and ("+", "lower") in ops
    html = (tmp_path / f"{report}.html").read_text(encoding="utf-8")
    assert "Skip to main content" not in html and "Monetary Board statement (September 17, 2025)" in html


def test_the_readme_compare_example_is_what_the_command_prints() -> None:
    # A new user runs the README's first compare command literally: its example drifted from the output (the
    # digest's edit order, the closest-counterpart notes) while every test still passed.
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    result = run("compare", str(MARCH.relative_to(MARCH.parents[3])), str(JUNE.relative_to(JUNE.parents[3])),
                 cwd=MARCH.parents[3])
    assert result.returncode == 1, result.stderr
    shown = "\n".join(f"    {line}" if line else "" for line in result.stdout.rstrip("\n").splitlines())
    assert shown in readme, f"README.md's compare example differs from this output:\n{result.stdout}"
