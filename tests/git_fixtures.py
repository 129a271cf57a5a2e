"""Fixtures of the git tests (a pytest plugin: ``pytest_plugins = ["git_fixtures"]``): an isolated git config, and
a repository with a feature branch that adds, edits, renames and deletes statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from git_support import G7, JULY, JUNE, MAY, SEPTEMBER, Repo, new_repo


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty global git config and home folder for every git run in the test (ours and statediff's)."""
    home = tmp_path / "home"
    home.mkdir()
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_PAGER", "cat")
    return global_config


@pytest.fixture
def history(tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """main: four FOMC statements and a G7 one; branch ``feature`` (checked out) adds September, edits June,
    renames July and deletes May (two commits). The current folder is the repository."""
    repo = new_repo(tmp_path / "repo")
    repo.statement("fomc", "2023-05-03", "fomc-statement", "FOMC statement (May 3, 2023)", MAY)
    repo.statement("fomc", "2023-06-14", "fomc-statement", "FOMC statement (June 14, 2023)", JUNE)
    repo.statement("fomc", "2023-07-26", "fomc-statement", "FOMC statement (July 26, 2023)", JULY)
    repo.statement("g7-leaders", "2023-05-20", "hiroshima-communique", "G7 Hiroshima Leaders' Communiqué", G7)
    repo.write("README.md", "Our statements.\n")
    repo.commit("statements so far")
    repo.git("checkout", "-q", "-b", "feature")
    repo.statement("fomc", "2023-09-20", "fomc-statement", "FOMC statement (September 20, 2023)", SEPTEMBER)
    repo.statement("fomc", "2023-06-14", "fomc-statement", "FOMC statement (June 14, 2023)",
                   JUNE.replace("modest pace", "moderate pace"))
    repo.commit("September statement; June wording fixed")
    repo.git("mv", "statements/fomc/2023-07-26-fomc-statement.md", "statements/fomc/2023-07-26-monetary-policy-statement.md")
    repo.git("rm", "-q", "statements/fomc/2023-05-03-fomc-statement.md")
    repo.commit("July renamed, May removed")
    monkeypatch.chdir(repo.root)
    return repo
