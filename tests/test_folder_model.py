"""The statements folder end to end with the real packaged model, in a temporary project folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from folder_support import Project

pytest_plugins = ["folder_fixtures"]  # fixtures: project

pytestmark = pytest.mark.model

TRILATERAL = "us-japan-rok-trilateral"


def statediff_cli() -> list[str]:
    return [sys.executable, "-m", "statediff"]


@pytest.mark.usefixtures("corpus")
def test_add_then_report_with_the_real_model(project: Project, corpus: Path) -> None:
    files = sorted((corpus / TRILATERAL).glob("*.txt"))[:3]
    first = project.run("add", str(files[0]), "--series", TRILATERAL, "--issuer", "The White House")
    assert first.exit_code == 0, first.output
    second = project.run("add", str(files[1]), "--series", TRILATERAL)
    assert second.exit_code == 0, second.output
    report_line = second.stdout.splitlines()[1]
    assert report_line.startswith(f"report reports/{TRILATERAL}/") and "unchanged)" in report_line
    reports = sorted((project.reports / TRILATERAL).glob("*.json"))
    assert len(reports) == 1
    doc = json.loads(reports[0].read_text(encoding="utf-8"))
    assert doc["summary"]["added"] + doc["summary"]["modified"] > 0
    assert (project.reports / "index.html").is_file()

    third = project.run("add", str(files[2]), "--series", TRILATERAL, "--no-report")
    assert third.exit_code == 0
    result = project.run("report")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 built, 1 up to date; index reports/index.html"

    # Nothing changed: a fresh process answers without importing the model stack.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "statediff", "report"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "0 built, 2 up to date; index reports/index.html\n"
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "numpy" in imported or "click" in imported  # the import log was captured
    assert not {"torch", "sentence_transformers", "transformers", "onnxruntime"} & imported


@pytest.mark.usefixtures("corpus")
def test_a_broken_file_elsewhere_and_a_malformed_lexicon_with_the_real_model(project: Project, corpus: Path) -> None:
    """A new user's trial: a broken statement in another series, then a malformed lexicon in this one."""
    hiroshima, wilmington = (corpus / "quad-leaders" / f"{name}.txt" for name in (
        "2023-05-20-quad-leaders-joint-statement-hiroshima", "2024-09-21-quad-wilmington-declaration"))
    quad = ("--series", "quad", "--issuer", "Quad")
    assert project.run("add", str(hiroshima), *quad, "--no-report").exit_code == 0
    broken = project.statements / "other" / "2024-01-01-b.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [x\ndate: 2024-01-01\n---\nT.\n", encoding="utf-8")
    lexicon = project.statements / "quad" / "positions" / "lexicon.txt"
    lexicon.parent.mkdir()
    lexicon.write_text("condemnation three x\n", encoding="utf-8")
    before = project.tree()
    result = project.run("add", str(wilmington), *quad)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("statediff: error: statements/quad/positions/lexicon.txt: line 1: weight 'three' is not a "
                             "whole number from -5 to 5\n")
    assert project.tree() == before  # nothing written: the same command works once the lexicon is fixed
    lexicon.write_text("condemnation 3 castigate*\n", encoding="utf-8")
    result = project.run("add", str(wilmington), *quad)
    assert result.exit_code == 0, result.output
    added, report = result.stdout.splitlines()
    assert added.startswith("added statements/quad/2024-09-21-") and report.startswith("report reports/quad/")
    assert result.stderr.startswith("statediff: warning: statements/other/2024-01-01-b.md: malformed YAML")
    result = project.run("report", "--series", "quad")
    assert result.exit_code == 0 and result.stdout == "0 built, 1 up to date; index reports/index.html\n"
