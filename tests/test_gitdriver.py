"""``statediff install-git`` and the driver it installs, run by real git: git diff, git show, git log -p."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_support import G7, JULY, JUNE, MAY, SEPTEMBER, STATEDIFF, Repo
from statediff.cli import main

pytest_plugins = ["git_fixtures"]  # fixtures: git_env, history

LINE = "statements/**/*.md diff=statediff"
_WARM: list[bool] = []


def install(repo: Repo) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([STATEDIFF, "install-git"], cwd=repo.root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def warm_vectors() -> None:
    """Embed the test statements once in this process, so each driver process git starts finds them cached
    (the vector cache is shared by the whole test session) instead of loading the model again."""
    if _WARM:
        return
    from statediff import compare
    from statediff.engine.embed import default_embedder
    from statediff.model import Document

    embedder = default_embedder()
    for body in (MAY, JUNE, JUNE.replace("modest pace", "moderate pace"), JULY, SEPTEMBER, G7):
        compare(Document(body=""), Document(body=body), embedder=embedder)
    _WARM.append(True)


def test_install_git_writes_attributes_and_the_repository_config_only(history: Repo, git_env: Path) -> None:
    history.write(".gitattributes", "*.png binary")  # the user's own line, without a final newline
    done = install(history)
    assert f".gitattributes: added '{LINE}'" in done.stdout
    assert (history.root / ".gitattributes").read_text(encoding="utf-8") == f"*.png binary\n{LINE}\n"
    command = history.git("config", "--local", "--get", "diff.statediff.command").strip()
    assert command == f"{STATEDIFF} git-diff --"  # the very script that was run, by absolute path
    assert history.git("config", "--local", "--get", "diff.statediff.textconv").strip() == f"{STATEDIFF} git-textconv --"
    assert history.git("check-attr", "diff", "statements/fomc/2023-06-14-fomc-statement.md").strip().endswith("diff: statediff")
    assert history.git("check-attr", "diff", "README.md").strip().endswith("diff: unspecified")
    # Nothing global: the global config file is still empty and HOME got no .gitconfig.
    assert git_env.read_text(encoding="utf-8") == ""
    assert not list((history.root.parent / "home").iterdir())
    again = install(history)
    assert "already has" in again.stdout
    assert (history.root / ".gitattributes").read_text(encoding="utf-8").count(LINE) == 1


def test_install_git_with_a_model_folder_records_its_absolute_path(history: Repo) -> None:
    (history.root / "models" / "mine").mkdir(parents=True)
    result = CliRunner().invoke(main, ["install-git", "--model", "models/mine"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    command = history.git("config", "--local", "--get", "diff.statediff.command").strip()
    assert command.endswith(f"git-diff --model {history.root / 'models' / 'mine'} --")


def test_install_git_outside_a_repository(tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["install-git"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output.startswith("statediff: error: ") and "not inside a git working tree" in result.output
    assert not (tmp_path / ".gitattributes").exists()


def test_install_git_from_python_writes_a_runnable_command(history: Repo) -> None:
    """Not run as the statediff script (here: inside pytest), it installs ``python -m statediff``."""
    result = CliRunner().invoke(main, ["install-git"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    command = history.git("config", "--local", "--get", "diff.statediff.textconv").strip()
    assert command.endswith("-m statediff git-textconv --")
    shown = history.git("show", "HEAD~1", "--", "statements/fomc/2023-06-14-fomc-statement.md")
    assert "+Economic activity has continued to expand at a moderate pace." in shown


@pytest.mark.model
def test_git_diff_shows_the_sentence_comparison(history: Repo, warm_vectors: None) -> None:
    install(history)
    history.statement("fomc", "2023-09-20", "fomc-statement", "FOMC statement (September 20, 2023)",
                      SEPTEMBER.replace("solid pace", "moderate pace"))
    out = history.git("diff")
    assert out.startswith("diff --statediff a/statements/fomc/2023-09-20-fomc-statement.md b/statements/fomc/")
    assert "--- FOMC statement (September 20, 2023)" in out
    assert "~ Economic activity has been expanding at a [-solid-]{+moderate+} pace." in out
    assert "  Inflation remains elevated." in out
    assert "@@" not in out  # no line hunks: the driver printed the comparison
    assert out.rstrip().endswith("1 modified · 4 unchanged")


@pytest.mark.model
def test_git_diff_between_branches_added_renamed_deleted(history: Repo, warm_vectors: None) -> None:
    install(history)
    out = history.git("diff", "-M", "main", "feature")
    blocks = {block.splitlines()[0]: block for block in out.split("diff --statediff ")[1:]}
    added = blocks["a/statements/fomc/2023-09-20-fomc-statement.md b/statements/fomc/2023-09-20-fomc-statement.md"]
    assert "new file mode 100644" in added
    assert "+ The Committee will continue to assess additional information" in added
    renamed = blocks["a/statements/fomc/2023-07-26-fomc-statement.md b/statements/fomc/2023-07-26-monetary-policy-statement.md"]
    assert "rename from statements/fomc/2023-07-26-fomc-statement.md" in renamed
    assert renamed.rstrip().endswith("\n4 unchanged")
    deleted = blocks["a/statements/fomc/2023-05-03-fomc-statement.md b/statements/fomc/2023-05-03-fomc-statement.md"]
    assert "deleted file mode 100644" in deleted
    assert "- The Committee decided to raise the target range for the federal funds rate to 5 to 5-1/4 percent." in deleted
    edited = blocks["a/statements/fomc/2023-06-14-fomc-statement.md b/statements/fomc/2023-06-14-fomc-statement.md"]
    assert "[-modest-]{+moderate+}" in edited
    assert "diff --git" not in out  # README.md did not change; nothing fell back to git's own diff


def test_git_show_and_log_compare_sentence_by_sentence(history: Repo) -> None:
    install(history)
    show = history.git("show", "HEAD~1", "--", "statements/fomc/2023-06-14-fomc-statement.md")
    # One sentence per line: only the reworded sentence differs, not the whole paragraph.
    assert "-Economic activity has continued to expand at a modest pace.\n" in show
    assert "+Economic activity has continued to expand at a moderate pace.\n" in show
    assert " Job gains have been robust in recent months, and the unemployment rate has remained low.\n" in show
    whole = history.git("show", "HEAD~1")
    assert "+title: FOMC statement (September 20, 2023)\n+date: 2023-09-20\n+\n+Economic activity" in whole  # added: same
    log = history.git("log", "-p", "--format=commit %s", "main..feature")
    assert "commit July renamed, May removed" in log
    assert "-The Committee decided to raise the target range for the federal funds rate to 5 to 5-1/4 percent.\n" in log
    # Without the driver installed, git shows the paragraph-long line changed.
    history.git("config", "--local", "--unset", "diff.statediff.textconv")
    plain = history.git("show", "HEAD~1", "--", "statements/fomc/2023-06-14-fomc-statement.md")
    assert "-Economic activity has continued to expand at a modest pace. Job gains" in plain


@pytest.mark.model
def test_git_show_ext_diff_runs_the_driver(history: Repo, warm_vectors: None) -> None:
    install(history)
    out = history.git("show", "--ext-diff", "HEAD~1", "--", "statements/fomc/2023-06-14-fomc-statement.md")
    assert "diff --statediff a/statements/fomc/2023-06-14-fomc-statement.md" in out
    assert "~ Economic activity has continued to expand at a [-modest-]{+moderate+} pace." in out


def test_a_file_the_driver_cannot_read_still_gets_a_diff(history: Repo) -> None:
    install(history)
    history.write("statements/fomc/2023-12-13-fomc-statement.md", b"\x00\x01binary\x00")
    huge = "---\ntitle: Huge\ndate: 2024-01-31\n---\n\n" + "Inflation remains elevated. " * 80_000
    history.write("statements/fomc/2024-01-31-fomc-statement.md", huge)
    history.git("add", "-N", "statements/fomc/2023-12-13-fomc-statement.md", "statements/fomc/2024-01-31-fomc-statement.md")
    done = subprocess.run(["git", "diff"], cwd=history.root, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr  # git would stop at a failing driver
    assert "statediff: statements/fomc/2023-12-13-fomc-statement.md: looks like a binary file" in done.stdout
    assert "Binary files a/statements/fomc/2023-12-13-fomc-statement.md and b/" in done.stdout
    assert "statediff: statements/fomc/2024-01-31-fomc-statement.md: 2.2 MB, too large for a statement" in done.stdout
    assert "Files a/statements/fomc/2024-01-31-fomc-statement.md and b/statements/fomc/2024-01-31-fomc-statement.md differ" \
        in done.stdout
    assert "Traceback" not in done.stderr


def test_git_diff_needs_gits_arguments(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["git-diff", "a.md", "b.md"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output == (
        "statediff: error: git-diff takes the 7 arguments git passes to a diff driver (path old-file old-hex old-mode "
        "new-file new-hex new-mode), got 2; let git run it: statediff install-git, then git diff\n"
    )
    unmerged = CliRunner().invoke(main, ["git-diff", "statements/fomc/x.md"], catch_exceptions=False)
    assert (unmerged.exit_code, unmerged.output) == (0, "* Unmerged path statements/fomc/x.md\n")
