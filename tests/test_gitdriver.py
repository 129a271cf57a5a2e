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
# Twenty sentences in four paragraphs (a statement the length of a short communiqué), and one word of the tenth edited.
LONG = """\
We met in Lima to review the state of the regional economy. Growth has picked up across most member economies. \
Trade volumes recovered after a weak first half. Supply chains have become more resilient since the pandemic. \
Energy prices remain volatile and weigh on households.

We welcome the progress made on the digital trade agenda. Cross-border data flows support small businesses. \
We will strengthen cooperation on customs procedures. Our ports will share information on cargo security. \
We remain concerned about the slow pace of structural reform.

Climate change threatens the livelihoods of coastal communities. We will mobilize finance for adaptation projects. \
Clean energy investment doubled over the past three years. We support a just transition for workers in coal regions. \
Forest protection remains a shared priority.

Food security requires open and predictable markets. We oppose export bans on staple grains. \
Fertilizer supplies must reach farmers before the planting season. We thank Peru for hosting this meeting. \
We will meet again next year in Seoul."""
LONG_EDITED = LONG.replace("the slow pace", "the uneven pace")
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
    for body in (MAY, JUNE, JUNE.replace("modest pace", "moderate pace"), JULY, SEPTEMBER, G7, LONG, LONG_EDITED):
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
def test_git_diff_with_context_shows_only_the_changes_and_their_neighbours(history: Repo, warm_vectors: None) -> None:
    done = subprocess.run([STATEDIFF, "install-git", "--context", "0"], cwd=history.root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "git config --local diff.statediff.context 0" in done.stdout
    assert history.git("config", "--local", "--get", "diff.statediff.context").strip() == "0"
    assert history.git("config", "--local", "--get", "diff.statediff.command").strip() == f"{STATEDIFF} git-diff --"
    history.statement("fomc", "2023-09-20", "fomc-statement", "FOMC statement (September 20, 2023)",
                      SEPTEMBER.replace("solid pace", "moderate pace"))
    out = history.git("diff")
    assert "~ Economic activity has been expanding at a [-solid-]{+moderate+} pace." in out
    assert "  Inflation remains elevated." not in out and "  ... 4 unchanged sentences" in out
    assert out.rstrip().endswith("1 modified · 4 unchanged")
    # For one run, as git diff -U would: git -c overrides the repository's setting.
    every = history.git("-c", "diff.statediff.context=all", "diff")
    assert "  Inflation remains elevated." in every and "unchanged sentences" not in every


@pytest.mark.model
def test_git_diff_shows_three_sentences_around_a_change_by_default(history: Repo, warm_vectors: None) -> None:
    """A one-word edit in a 20-sentence statement: the change and 3 sentences each side, as git shows 3 lines."""
    install(history)
    path = history.statement("g7-leaders", "2024-11-16", "lima", "Lima statement", LONG)
    history.commit("Lima")
    history.statement("g7-leaders", "2024-11-16", "lima", "Lima statement", LONG_EDITED)
    out = history.git("diff")
    assert out.splitlines() == [
        f"diff --statediff a/{path} b/{path}",
        "--- Lima statement (2024-11-16)",
        "+++ Lima statement (2024-11-16)",
        "  ... 6 unchanged sentences",
        "  Cross-border data flows support small businesses.",
        "  We will strengthen cooperation on customs procedures.",
        "  Our ports will share information on cargo security.",
        "~ We remain concerned about the [-slow-]{+uneven+} pace of structural reform.",
        "  Climate change threatens the livelihoods of coastal communities.",
        "  We will mobilize finance for adaptation projects.",
        "  Clean energy investment doubled over the past three years.",
        "  ... 7 unchanged sentences",
        "",
        "1 modified · 19 unchanged",
    ]
    history.git("config", "diff.statediff.context", "1")
    assert len(history.git("diff").splitlines()) == 10  # 2 sentences of context fewer each side
    history.git("config", "diff.statediff.context", "lots")  # a bad setting: a note, never a failing driver
    done = subprocess.run(["git", "diff"], cwd=history.root, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.splitlines()[1] == ("statediff: diff.statediff.context is 'lots', not a number of sentences or "
                                           "'all'; showing 3")
    assert len(done.stdout.splitlines()) == 15


@pytest.mark.model
def test_the_positions_digest_on_request_is_compares_own(history: Repo, warm_vectors: None, tmp_path: Path) -> None:
    install(history)
    history.statement("fomc", "2023-09-20", "fomc-statement", "FOMC statement (September 20, 2023)",
                      SEPTEMBER.replace("maintain the target range", "raise the target range"))
    assert "# Positions" not in history.git("diff")  # off by default: it costs a warm run 14-41%
    history.git("config", "diff.statediff.positions", "true")
    out = history.git("diff")
    old = tmp_path / "old.md"
    old.write_text(history.git("show", "HEAD:statements/fomc/2023-09-20-fomc-statement.md"), encoding="utf-8")
    text = subprocess.run([STATEDIFF, "compare", str(old), str(history.root / "statements/fomc/2023-09-20-fomc-statement.md"),
                           "--format", "text"], capture_output=True, text=True, check=False)
    block = [line for line in text.stdout.splitlines() if line.startswith("#")]
    assert block and block[0] == "# Positions" and len(block) > 1, text.stdout
    assert [line for line in out.splitlines() if line.startswith("#")] == block

def _digest_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


@pytest.mark.model
def test_the_positions_digest_reads_the_series_own_files_and_says_when_they_do_not_parse(
        history: Repo, warm_vectors: None, tmp_path: Path) -> None:
    install(history)
    path = "statements/fomc/2023-09-20-fomc-statement.md"
    history.statement("fomc", "2023-09-20", "fomc-statement", "FOMC statement (September 20, 2023)",
                      SEPTEMBER.replace("maintain the target range", "raise the target range"))
    history.git("config", "diff.statediff.positions", "true")
    shipped = _digest_lines(history.git("diff"))
    folder = history.root / "statements" / "fomc" / "positions"
    folder.mkdir()
    (folder / "lexicon.txt").write_text("# the series' own word\ncommitment 3 rais*\n", encoding="utf-8")
    old = tmp_path / "old.md"
    old.write_text(history.git("show", f"HEAD:{path}"), encoding="utf-8")
    own = subprocess.run([STATEDIFF, "compare", str(old), str(history.root / path), "--format", "text",
                          "--positions", str(folder)], capture_output=True, text=True, check=False)
    expected = _digest_lines(own.stdout)
    assert expected != shipped and "1 stronger" in " ".join(expected), own.stdout  # the file decides the stance here
    assert _digest_lines(history.git("diff", "--", path)) == expected
    (folder / "lexicon.txt").write_text("commitment strong rais*\n", encoding="utf-8")
    done = subprocess.run(["git", "diff", "--", path], cwd=history.root, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    note = [line for line in done.stdout.splitlines() if "positions files are not used" in line]
    assert len(note) == 1 and "lexicon.txt" in note[0] and "line 1" in note[0], done.stdout
    assert _digest_lines(done.stdout) == shipped  # the shipped data, as review does


@pytest.mark.model
def test_git_diff_between_branches_added_renamed_deleted(history: Repo, warm_vectors: None) -> None:
    install(history)
    out = history.git("diff", "-M", "main", "feature")
    blocks = {block.splitlines()[0]: block for block in out.split("diff --statediff ")[1:]}
    added = blocks["a/statements/fomc/2023-09-20-fomc-statement.md b/statements/fomc/2023-09-20-fomc-statement.md"]
    assert "new file mode 100644" in added
    assert "+ The Committee will continue to assess additional information" in added
    renamed = blocks["a/statements/fomc/2023-07-26-fomc-statement.md b/statements/fomc/2023-07-26-monetary-policy-statement.md"]
    # A pure rename: git's own header lines and nothing else, as git itself shows it (not 4 unchanged sentences).
    assert renamed.splitlines()[1:] == ["similarity index 100%", "rename from statements/fomc/2023-07-26-fomc-statement.md",
                                        "rename to statements/fomc/2023-07-26-monetary-policy-statement.md"]
    deleted = blocks["a/statements/fomc/2023-05-03-fomc-statement.md b/statements/fomc/2023-05-03-fomc-statement.md"]
    assert "deleted file mode 100644" in deleted
    assert "- The Committee decided to raise the target range for the federal funds rate to 5 to 5-1/4 percent." in deleted
    edited = blocks["a/statements/fomc/2023-06-14-fomc-statement.md b/statements/fomc/2023-06-14-fomc-statement.md"]
    assert "[-modest-]{+moderate+}" in edited
    assert "diff --git" not in out  # README.md did not change; nothing fell back to git's own diff


def test_a_rename_or_mode_change_alone_prints_only_gits_header(history: Repo) -> None:
    """No comparison (so no model) when the content is the same: git's own diff prints only its header too."""
    install(history)
    july = "statements/fomc/2023-07-26-monetary-policy-statement.md"
    history.git("mv", july, "statements/fomc/2023-07-26-statement.md")
    assert history.git("diff", "--cached", "-M").splitlines() == [
        f"diff --statediff a/{july} b/statements/fomc/2023-07-26-statement.md", "similarity index 100%",
        f"rename from {july}", "rename to statements/fomc/2023-07-26-statement.md"]
    history.git("reset", "-q", "--hard")
    (history.root / july).chmod(0o755)  # the working tree's side: git gives no hash for it, the bytes are compared
    assert history.git("diff").splitlines() == [f"diff --statediff a/{july} b/{july}", "old mode 100644", "new mode 100755"]


def test_install_git_refuses_a_context_that_is_no_number(history: Repo) -> None:
    result = CliRunner().invoke(main, ["install-git", "--context", "lots"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "'lots' is not a number of sentences (0 or more) or 'all'" in result.stderr
    assert CliRunner().invoke(main, ["install-git", "--context", "ALL"]).exit_code == 0
    assert history.git("config", "--local", "--get", "diff.statediff.context").strip() == "all"


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
    assert "statediff: statements/fomc/2024-01-31-fomc-statement.md: 2.2 MB, over the input limit of 1.0 MB" in done.stdout
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
