"""Issue 8, the git side attacked (numbered as in the issue): statement files git cannot let the driver choke on, and
the driver called by hand. Real git, real statediff script, throwaway repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_support import MAY, STATEDIFF, Repo
from statediff.cli import main
from test_hostile_readers import ALIAS_BOMB, deep_html

pytest_plugins = ["git_fixtures"]  # fixtures: git_env, history

DEEP = "statements/fomc/2023-09-20-deep.md"
BOMB = "statements/fomc/2023-10-01-bomb.md"


def install(repo: Repo) -> None:
    done = subprocess.run([STATEDIFF, "install-git"], cwd=repo.root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def git(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo.root, capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture
def hostile(history: Repo) -> Repo:
    """The history repository with the driver installed and, uncommitted, two files no reader accepts beside an
    edited README (which git diffs itself)."""
    install(history)
    history.commit("route statements to statediff")
    history.write(DEEP, "<!doctype html>" + deep_html(1000) + "\n")
    history.write(BOMB, ALIAS_BOMB)
    history.write("README.md", "Our statements, reviewed.\n")
    history.git("add", "-N", DEEP, BOMB)  # intent to add: git diff shows them
    return history


def test_3_git_diff_falls_back_to_a_line_diff_and_keeps_the_other_diffs(hostile: Repo) -> None:
    done = git(hostile, "diff")
    assert done.returncode == 0, done.stderr
    assert "external diff died" not in done.stderr and done.stderr == ""
    assert f"statediff: {DEEP}: HTML elements nest more than 250 deep" in done.stdout
    assert f"statediff: {BOMB}: front matter uses a YAML alias (*name)" in done.stdout
    assert done.stdout.count("; showing a line diff") == 2
    assert "+b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]" in done.stdout  # the line diff itself
    assert "+Our statements, reviewed." in done.stdout  # the README's own diff was not lost


def test_3_after_commit_git_log_p_and_git_show_still_work(hostile: Repo) -> None:
    hostile.commit("hostile files")
    for args in (["show", "HEAD"], ["log", "-p", "-1"], ["show", "--ext-diff", "HEAD"], ["log", "-p", "--ext-diff", "-1"]):
        done = git(hostile, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "unable to read files to diff" not in done.stderr and "external diff died" not in done.stderr
        assert "+b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]" in done.stdout or "showing a line diff" in done.stdout, args
        assert "+Our statements, reviewed." in done.stdout


def test_4_review_lists_the_alias_bomb_and_the_deep_page_quickly(hostile: Repo) -> None:
    for fmt in ("md", "text"):
        done = subprocess.run([STATEDIFF, "review", "--base", "HEAD", "--format", fmt], cwd=hostile.root,
                              capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode == 1, done.stderr
        assert "front matter uses a YAML alias" in done.stdout
        assert len(done.stdout) < 20_000
        assert "Traceback" not in done.stderr


def test_3_the_driver_falls_back_whatever_the_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Causes nobody foresaw (a bug, memory, recursion) still give git a line diff, never a failing driver."""
    import statediff.engine.pipeline
    from statediff.gitreview.driver import git_diff

    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(MAY, encoding="utf-8")
    new.write_text(MAY.replace("modest", "moderate"), encoding="utf-8")
    for fault in (RuntimeError("bug"), MemoryError(), RecursionError("deep"), ValueError("bad vector")):
        def broken(*args: object, fault: BaseException = fault, **kwargs: object) -> None:
            raise fault

        monkeypatch.setattr(statediff.engine.pipeline, "compare", broken)
        out = git_diff(["statements/fomc/x.md", str(old), "0" * 40, "100644", str(new), "1" * 40, "100644"])
        assert f"statediff: cannot compare statements/fomc/x.md ({type(fault).__name__}); showing a line diff" in out
        assert "-Economic activity expanded at a modest pace" in out
        assert "+Economic activity expanded at a moderate pace" in out


@pytest.mark.parametrize("case", ["missing", "folder", "fifo"])
def test_22_git_diff_by_hand_with_missing_files_or_a_folder_is_one_line(tmp_path: Path, case: str) -> None:
    real = tmp_path / "real.md"
    real.write_text(MAY, encoding="utf-8")
    other = {"missing": tmp_path / "nope.md", "folder": tmp_path, "fifo": tmp_path / "pipe.md"}[case]
    if case == "fifo":
        import os

        os.mkfifo(other)
    done = subprocess.run([STATEDIFF, "git-diff", "x.md", str(real), "0", "100644", str(other), "0", "100644"],
                          capture_output=True, text=True, check=False, timeout=60, env={"PATH": "/usr/bin:/bin"})
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    if case == "fifo":  # a FIFO is a file git could in principle hand over: a line diff saying it differs
        assert done.returncode == 0 and "Files a/x.md and b/x.md differ" in done.stdout, done.stderr
        return
    assert done.returncode == 2
    assert len(lines) == 1 and lines[0].startswith(f"statediff: error: {other}: "), done.stderr


def test_22_git_diff_by_hand_with_the_wrong_number_of_arguments(git_env: Path) -> None:
    result = CliRunner().invoke(main, ["git-diff", "a", "b"])
    assert result.exit_code == 2
    assert result.stderr.startswith("statediff: error: git-diff takes the 7 arguments git passes")


def test_review_out_never_writes_through_a_link_committed_in_the_pull_request(history: Repo, tmp_path: Path) -> None:
    from fake_statediff import run_cli

    outside = tmp_path / "runner-home"
    outside.mkdir()
    (history.root / "statediff-review").mkdir()
    (history.root / "statediff-review" / "fomc").symlink_to(outside)
    history.commit("a link where the workflow writes its reports")
    done = run_cli("review", "--base", "main", "--out", "statediff-review", cwd=history.root)
    assert done.returncode == 2, done.stderr
    assert "statediff-review/fomc: is a link; --out must hold real folders" in done.stderr
    assert list(outside.iterdir()) == []


def test_review_out_replaces_a_linked_file_never_writing_through_it(history: Repo, tmp_path: Path) -> None:
    """Unlike the user's own ``-o`` link (written through), a link found inside --out is replaced, link and all."""
    from fake_statediff import run_cli

    secret = tmp_path / "runner-secret.md"
    secret.write_text("keep\n", encoding="utf-8")
    (history.root / "statediff-review").mkdir()
    (history.root / "statediff-review" / "review.md").symlink_to(secret)
    history.commit("a linked summary where the workflow writes its reports")
    done = run_cli("review", "--base", "main", "--out", "statediff-review", cwd=history.root)
    assert done.returncode == 1, done.stderr
    summary = history.root / "statediff-review" / "review.md"
    assert not summary.is_symlink() and summary.read_text(encoding="utf-8") == done.stdout
    assert secret.read_text(encoding="utf-8") == "keep\n"
