"""Throwaway git repositories of statements for the review and git-driver tests, built with real ``git``.

Git runs with an empty global config (``GIT_CONFIG_GLOBAL`` -> a temporary file, ``HOME`` -> a temporary folder,
no system config), so a developer's own settings are never read and never written.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from statediff.folder.statements import format_statement

#: The statediff script of this venv: what a user runs, and what install-git writes into the git config.
STATEDIFF = str(Path(sys.executable).with_name("statediff"))

SOURCE = "https://www.federalreserve.gov/newsevents/pressreleases/monetary{}a.htm"

# Four short FOMC-style statements (the wording follows the real 2023 statements).
MAY = """\
Economic activity expanded at a modest pace in the first quarter. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to raise the target range for the federal funds rate to 5 to 5-1/4 percent."""

JUNE = """\
Economic activity has continued to expand at a modest pace. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to maintain the target range for the federal funds rate at 5 to 5-1/4 percent. Holding the target \
range steady at this meeting allows the Committee to assess additional information."""

JULY = """\
Economic activity has been expanding at a moderate pace. Job gains have been robust in recent months, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to raise the target range for the federal funds rate to 5-1/4 to 5-1/2 percent."""

SEPTEMBER = """\
Economic activity has been expanding at a solid pace. Job gains have slowed in recent months but remain strong, and the \
unemployment rate has remained low. Inflation remains elevated.

The Committee decided to maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent. The Committee \
will continue to assess additional information and its implications for monetary policy."""

G7 = """\
We, the Leaders of the Group of Seven, met in Hiroshima. We are united in our support for Ukraine.

We will work together to address the climate crisis."""


class Repo:
    """A git repository in a temporary folder; ``git()`` runs real git in it and returns its output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.statements = root / "statements"

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def statement(self, series: str, date: str, slug: str, title: str, body: str) -> str:
        """Write ``statements/<series>/<date>-<slug>.md`` in the folder's format; its repository path."""
        meta = {"title": title, "date": dt.date.fromisoformat(date), "source": SOURCE.format(date.replace("-", "")),
                "issuers": ["Federal Open Market Committee"], "language": "en", "kind": "policy-statement"}
        relative = f"statements/{series}/{date}-{slug}.md"
        self.write(relative, format_statement(meta, body))
        return relative

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def new_repo(root: Path) -> Repo:
    root.mkdir(parents=True, exist_ok=True)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Test Author")
    repo.git("config", "user.email", "author@example.org")
    return repo
