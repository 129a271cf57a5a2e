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
