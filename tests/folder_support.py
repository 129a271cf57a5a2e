"""Helpers for the statements-folder tests: a project folder, the CLI runner, statement files, the fake model."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statediff.cli import main

FOMC_A = """\
title: FOMC statement (May 3, 2023)
date: 2023-05-03
source: https://www.federalreserve.gov/newsevents/pressreleases/monetary20230503a.htm

Economic activity expanded at a modest pace in the first quarter. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to raise the target range for the federal funds rate to 5 to 5-1/4 percent.
"""

FOMC_B = """\
title: FOMC statement (June 14, 2023)
date: 2023-06-14
source: https://www.federalreserve.gov/newsevents/pressreleases/monetary20230614a.htm

Economic activity has continued to expand at a modest pace. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to maintain the target range for the federal funds rate at 5 to 5-1/4 percent. Holding the target \
range steady at this meeting allows the Committee to assess additional information.
"""

FOMC_C = """\
title: FOMC statement (July 26, 2023)
date: 2023-07-26
source: https://www.federalreserve.gov/newsevents/pressreleases/monetary20230726a.htm

Economic activity has been expanding at a moderate pace. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to raise the target range for the federal funds rate to 5-1/4 to 5-1/2 percent.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class Project:
    """A temporary project folder with statements/ (the current folder while the test runs)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.statements = root / "statements"
        self.reports = root / "reports"
        self.inbox = root / "inbox"
        self.statements.mkdir()
        self.inbox.mkdir()

    def file(self, name: str, text: str) -> Path:
        return write(self.inbox / name, text)

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    def add(self, name: str, text: str, *args: str) -> Result:
        return self.run("add", str(self.file(name, text)), *args)

    def tree(self) -> dict[str, bytes]:
        """Every file under statements/ and reports/ with its bytes (to prove nothing changed)."""
        out: dict[str, bytes] = {}
        for base in (self.statements, self.reports):
            if base.exists():
                out.update({str(p.relative_to(self.root)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()})
        return out


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable, also for root (which ignores permission bits: use the immutable flag)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
