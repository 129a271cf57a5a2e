"""``statediff review`` on real git repositories: what it finds, compares, prints and writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from fakes import FakeEmbedder
from git_support import G7, JULY, SEPTEMBER, STATEDIFF, Repo, new_repo
from statediff.cli import main
from statediff.gitreview.markdown import MARKER
from statediff.gitreview.review import review

pytest_plugins = ["git_fixtures"]  # fixtures: git_env, history

ADDED = "statements/fomc/2023-09-20-fomc-statement.md"
EDITED = "statements/fomc/2023-06-14-fomc-statement.md"
RENAMED_FROM = "statements/fomc/2023-07-26-fomc-statement.md"
RENAMED_TO = "statements/fomc/2023-07-26-monetary-policy-statement.md"
DELETED = "statements/fomc/2023-05-03-fomc-statement.md"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEmbedder:
    """The CLI's comparisons use the fake embedder; it counts how often the model would have been made."""
    import statediff.engine.embed

    embedder = FakeEmbedder()
    made: list[str | None] = []

    def default_embedder(model: str | None = None, **_: object) -> FakeEmbedder:
        made.append(model)
        return embedder

    monkeypatch.setattr(statediff.engine.embed, "default_embedder", default_embedder)
    embedder.made = made  # type: ignore[attr-defined]
    return embedder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["review", *args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("statediff: error: "), result.output
    return lines[0]


def test_feature_branch_added_edited_renamed_deleted(history: Repo, fake_embedder: FakeEmbedder) -> None:
    result = review(embedder=fake_embedder)
    by_status = {item.status: item for item in result.items}
    assert [i.status for i in result.items] == ["added", "modified", "renamed", "deleted"]
    added = by_status["added"]
    assert added.path == ADDED and added.title == "FOMC statement (September 20, 2023)"
    # Its predecessor as of the head: July, under its new name (the old name no longer exists there).
    assert added.compared_with is not None and added.compared_with.path == RENAMED_TO
    assert added.comparison is not None and added.comparison.summary()["added"] == 1
    edited = by_status["modified"]
    assert edited.compared_with is not None and edited.compared_with.path == EDITED and edited.compared_with.at
    assert edited.comparison is not None and edited.comparison.summary()["modified"] == 1
    renamed = by_status["renamed"]
    assert (renamed.old_path, renamed.path) == (RENAMED_FROM, RENAMED_TO)
    assert renamed.comparison is not None and not renamed.comparison.has_differences
    deleted = by_status["deleted"]
    assert deleted.path == DELETED and deleted.title == "FOMC statement (May 3, 2023)" and deleted.comparison is None
    assert result.problems == ()
    assert result.base.startswith("merge-base of main") and result.base_commit == history.git("rev-parse", "main").strip()
    # README.md changed nowhere and the G7 series was untouched: neither is listed.
    assert all("g7" not in i.path for i in result.items)


def test_review_prints_one_markdown_summary_and_writes_reports(history: Repo, fake: FakeEmbedder, tmp_path: Path) -> None:
    out = tmp_path / "review-out"
    result = run("--out", str(out))
    assert result.exit_code == 1
    md = result.output
    assert md.startswith(MARKER + "\n")
    assert "## statediff: 4 statements changed (1 added, 1 modified, 1 renamed, 1 deleted)" in md
    row = "| added | FOMC statement (September 20, 2023) | 2023-09-20 | FOMC statement (July 26, 2023), 2023-07-26 |"
    assert row in md
    assert "**New sentences (1)**" in md
    assert "- The Committee will continue to assess additional information and its implications for monetary policy." in md
    assert "~~modest~~ **moderate** pace" in md  # the June fix, word by word
    assert "~~raise~~ **maintain**" in md  # September against July
    assert f"`{RENAMED_FROM}` → `{RENAMED_TO}`" in md
    assert f"`{DELETED}` was deleted" in md
    # One report per comparison (none for the deleted file), linked by its path under --out.
    reports = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert reports == ["fomc/2023-06-14-fomc-statement.html", "fomc/2023-07-26-monetary-policy-statement.html",
                       "fomc/2023-09-20-fomc-statement.html"]
    for report in reports:
        assert f"`{report}`" in md
    page = BeautifulSoup((out / "fomc/2023-09-20-fomc-statement.html").read_text(encoding="utf-8"), "html.parser")
    assert "FOMC statement (September 20, 2023)" in page.get_text()
    data = json.loads((out / "fomc/2023-09-20-fomc-statement.json").read_text(encoding="utf-8"))
    assert data["old"]["title"] == "FOMC statement (July 26, 2023)"
    assert data["new"]["title"] == "FOMC statement (September 20, 2023)"
    for written in out.rglob("*.*"):
        assert "statediff-review-" not in written.read_text(encoding="utf-8")  # no scratch paths leak into reports
    assert (out / "review.md").read_text(encoding="utf-8") == md
    assert not list(out.rglob("*.tmp"))
    # One embedder for the whole review.
    assert fake.made == [None]  # type: ignore[attr-defined]


def test_link_base_turns_report_paths_into_links(history: Repo, fake: FakeEmbedder, tmp_path: Path) -> None:
    result = run("--out", str(tmp_path / "o"), "--link-base", "https://example.org/pr-7/")
    link = "[`fomc/2023-09-20-fomc-statement.html`](https://example.org/pr-7/fomc/2023-09-20-fomc-statement.html)"
    assert link in result.output
    assert one_error_line(run("--link-base", "javascript:alert(1)")).endswith("give e.g. https://example.org/reports")


def test_json_and_text_formats(history: Repo, fake: FakeEmbedder) -> None:
    for key, value in (("color.ui", "always"), ("diff.relative", "true"), ("diff.renames", "false"),
                       ("diff.external", "false")):
        history.git("config", key, value)  # settings a user may have, which must not change what review reads
    data = json.loads(run("--format", "json").output)
    assert data["schema"] == "statediff/review/1"
    assert [(s["status"], s["path"]) for s in data["statements"]] == [
        ("added", ADDED), ("modified", EDITED), ("renamed", RENAMED_TO), ("deleted", DELETED)]
    assert data["statements"][0]["counts"]["added"] == 1
    assert data["statements"][0]["compared_with"]["path"] == RENAMED_TO
    assert data["statements"][2]["old_path"] == RENAMED_FROM
    text = run("--format", "text")
    assert text.exit_code == 1
    assert f"renamed {RENAMED_FROM} -> {RENAMED_TO}  FOMC statement (July 26, 2023) (2023-07-26)\n" in text.output
    assert f"\n  compared with {RENAMED_TO}: 3 modified · 1 added · 1 unchanged\n" in text.output
    assert "~ Economic activity has been expanding at a [-moderate-]{+solid+} pace." in text.output
    assert text.output.rstrip().endswith("4 statements changed, 0 problems")
    # The same Positions digest as compare --format text, under each statement's header.
    assert text.output.count("\n# Positions\n") == 2
    # raise -> maintain at the same range is a different rate decision: a changed point, not an editorial one.
    assert ("#   target range: 1 new; 1 changed\n"
            "#     + “The Committee will continue to assess additional information and its implications for monetary policy.”\n"
            "#     ~ “Committee decided to raise” → “Committee decided to maintain”\n") in text.output


def test_no_statement_changed_exits_0(history: Repo, fake: FakeEmbedder) -> None:
    history.write("README.md", "Changed, but not a statement.\n")
    history.commit("readme")
    result = run("--base", "HEAD")
    assert result.exit_code == 0
    assert "No statement changed" in result.output and "|" not in result.output
    assert fake.made == []  # type: ignore[attr-defined]  # nothing to compare: the model is never loaded


def test_working_tree_edits_and_untracked_statements_count(history: Repo, fake: FakeEmbedder) -> None:
    history.git("checkout", "-q", "main")
    history.statement("fomc", "2023-06-14", "fomc-statement", "FOMC statement (June 14, 2023)", "Inflation remains elevated.")
    history.statement("fomc", "2023-11-01", "fomc-statement", "FOMC statement (November 1, 2023)", SEPTEMBER)
    data = json.loads(run("--format", "json").output)
    assert data["head"] == {"ref": "the working tree", "commit": None}
    got = {(s["status"], s["path"]) for s in data["statements"]}
    assert got == {("modified", EDITED), ("added", "statements/fomc/2023-11-01-fomc-statement.md")}
    added = next(s for s in data["statements"] if s["status"] == "added")
    assert added["compared_with"]["path"] == RENAMED_FROM  # on main, July still has its old name


def test_head_ref_is_read_from_git_not_from_the_disk(history: Repo, fake: FakeEmbedder) -> None:
    history.git("checkout", "-q", "main")  # the files on disk are main's
    data = json.loads(run("--base", "main", "--head", "feature", "--format", "json").output)
    assert [(s["status"], s["path"]) for s in data["statements"]] == [
        ("added", ADDED), ("modified", EDITED), ("renamed", RENAMED_TO), ("deleted", DELETED)]
    assert data["statements"][0]["compared_with"]["path"] == RENAMED_TO
    assert data["head"]["commit"] == history.git("rev-parse", "feature").strip()
    assert data["statements"][1]["counts"]["modified"] == 1


def test_first_statement_of_a_series_is_compared_with_nothing(history: Repo, fake: FakeEmbedder) -> None:
    history.statement("quad-leaders", "2024-09-21", "wilmington-declaration", "Wilmington Declaration",
                      "We reaffirm our commitment. We will meet again.")
    result = run()
    row = "| added | Wilmington Declaration | 2024-09-21 | nothing (first of its series) | 2 added · 0 unchanged |"
    assert row in result.output
    assert "first statement of series 'quad-leaders'" in result.output
    assert "- We reaffirm our commitment." in result.output


def test_check_problems_of_changed_files_are_listed(history: Repo, fake: FakeEmbedder) -> None:
    history.write("statements/fomc/2023-12-13-fomc-statement.md",
                  "---\ntitle: FOMC statement (December 13, 2023)\ndate: 2023-12-14\n---\n\nInflation has eased.\n")
    history.write("statements/fomc/notes.txt", "not a statement\n")
    history.write("statements/fomc/2023-10-01-broken.md", "no front matter here\n")
    result = run()
    assert result.exit_code == 1
    md = result.output
    assert "### Problems (statediff check)" in md
    assert "statements/fomc/2023-12-13-fomc-statement.md: date 2023-12-14 does not match the file name" in md
    assert "statements/fomc/notes.txt: file outside the layout" in md
    assert "front matter needs a source URL" in md
    # The broken file is listed and says why it was not compared; the others are still compared.
    assert "| added | `statements/fomc/2023-10-01-broken.md` | — | — | — | — |" in md
    assert "statements/fomc/2023-10-01-broken.md: no front matter" in md
    assert "~~raise~~ **maintain**" in md


def test_only_the_changed_files_problems_are_listed(history: Repo, fake: FakeEmbedder) -> None:
    history.write("statements/fomc/old-notes.txt", "an old file outside the layout, not part of this change\n")
    history.commit("old notes")
    history.statement("fomc", "2023-11-01", "fomc-statement", "FOMC statement (November 1, 2023)", SEPTEMBER + " More.")
    (history.statements / "fomc" / "bad\tname.md").write_text("x", encoding="utf-8")
    (history.statements / "fomc").joinpath(b"bad\xffname.md".decode("utf-8", "surrogateescape")).write_text("x")
    result = run("--base", "HEAD")
    assert result.exit_code == 1
    assert "old-notes" not in result.output
    assert "- statements/fomc/bad\ufffdname.md: file name is not printable UTF-8; rename it" in result.output
    assert result.output.count("file name is not printable") == 2
    assert "| added | FOMC statement (November 1, 2023) |" in result.output


def test_binary_and_huge_files_are_listed_without_stalling(history: Repo, fake: FakeEmbedder) -> None:
    history.write("statements/fomc/2023-12-13-fomc-statement.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    huge = "---\ntitle: Huge\ndate: 2024-01-31\n---\n\n" + "Inflation remains elevated. " * 80_000
    history.write("statements/fomc/2024-01-31-fomc-statement.md", huge)
    history.commit("binary and huge")
    result = run("--head", "HEAD")
    assert result.exit_code == 1
    assert "statements/fomc/2023-12-13-fomc-statement.md: looks like a binary file" in result.output
    assert "2.2 MB, over the input limit of 1.0 MB for a statement" in result.output
    assert "~~raise~~ **maintain**" in result.output  # the rest is still reviewed


def test_a_linked_statement_is_never_followed(history: Repo, fake: FakeEmbedder, tmp_path: Path) -> None:
    """A pull request could link a "statement" to .git/config, where CI keeps its token: it must not be posted."""
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2023-12-13\n---\n\nThe token is TOKEN-123.\n", encoding="utf-8")
    link = history.root / "statements/fomc/2023-12-13-fomc-statement.md"
    link.symlink_to(secret)
    history.commit("a link")
    for args in ((), ("--head", "HEAD")):
        result = run(*args)
        assert result.exit_code == 1
        assert "TOKEN" not in result.output and "Secret" not in result.output
        assert "2023-12-13-fomc-statement.md" in result.output


@pytest.mark.parametrize("args, expected", [
    (("--base", "no-such-branch"), "unknown ref 'no-such-branch'; check the name (git branch -a)"),
    (("--head", "v9.9"), "unknown ref 'v9.9'"),
    (("--base", "--output=x"), "is not a git ref"),
])
def test_bad_refs(history: Repo, fake: FakeEmbedder, args: tuple[str, ...], expected: str) -> None:
    assert expected in one_error_line(run(*args))


def test_not_a_git_repository(tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plain").mkdir()
    monkeypatch.chdir(tmp_path / "plain")
    line = one_error_line(run())
    assert "not inside a git working tree; run this in a clone of your statements repository" in line


def test_no_default_branch_and_no_commits(tmp_path: Path, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = new_repo(tmp_path / "empty")
    monkeypatch.chdir(repo.root)
    assert "cannot tell the default branch" in one_error_line(run())
    repo.git("checkout", "-q", "-b", "trunk")
    repo.statement("fomc", "2023-07-26", "fomc-statement", "FOMC statement (July 26, 2023)", JULY)
    repo.commit("first")
    assert "pass --base REF" in one_error_line(run())


def test_shallow_clone_without_the_base(history: Repo, fake: FakeEmbedder, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    clone = tmp_path / "shallow"
    history.git("checkout", "-q", "main")  # the remote's HEAD: its default branch
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{history.root}", str(clone)],
                   check=True, capture_output=True)
    monkeypatch.chdir(clone)
    base = history.git("rev-parse", "main").strip()
    line = one_error_line(run("--base", base))
    assert "not in this shallow clone" in line and "fetch-depth: 0" in line
    # The default base needs the merge base, which the shallow history does not reach either.
    subprocess.run(["git", "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"], cwd=clone, check=True,
                   capture_output=True)
    assert "merge base of HEAD and origin/main is not in this shallow clone" in one_error_line(run())


def test_out_must_be_a_folder(history: Repo, fake: FakeEmbedder, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", "--out", str(blocker)], catch_exceptions=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert blocker.read_text(encoding="utf-8") == "a file"


def test_statements_folder_from_config(history: Repo, fake: FakeEmbedder) -> None:
    history.git("mv", "statements", "texts")
    history.write("statediff.toml", 'statements = "texts"\n')
    history.commit("moved")
    data = json.loads(run("--base", "main", "--format", "json").output)
    # Everything moved, seen from main: the old folder's files are outside the configured one.
    assert {s["status"] for s in data["statements"]} == {"added"}
    assert all(s["path"].startswith("texts/") for s in data["statements"])
    assert "outside the git repository" in one_error_line(run("--statements", "/tmp"))


def test_review_from_a_subfolder_of_the_repository(history: Repo, fake: FakeEmbedder,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(history.root / "statements" / "fomc")
    data = json.loads(run("--format", "json").output)
    assert [s["path"] for s in data["statements"]] == [ADDED, EDITED, RENAMED_TO, DELETED]


@pytest.mark.model
def test_review_with_the_real_model(history: Repo, tmp_path: Path) -> None:
    """The installed script end to end: real git, the packaged model, the corpus-style wording."""
    out = tmp_path / "reports"
    done = subprocess.run([STATEDIFF, "review", "--out", str(out)], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    md = done.stdout
    assert "Job gains have ~~been robust~~ **slowed** in recent months **but remain strong**" in md
    assert "~~raise~~ **maintain** the target range" in md
    assert "| renamed | FOMC statement (July 26, 2023) | 2023-07-26 | its version at" in md
    assert "| 4 unchanged |" in md  # the rename carried no text change
    assert (out / "fomc/2023-09-20-fomc-statement.html").is_file()
    assert G7 not in md


@pytest.mark.parametrize("command", ["review", "git-diff", "git-textconv", "install-git"])
def test_each_git_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    summary = main.commands[command].get_short_help_str(limit=200)
    assert len(summary) > 20 and summary.rstrip(".") in " ".join(result.output.split())


@pytest.mark.model
def test_real_statements_added_in_one_pull_request(tmp_path: Path, git_env: Path, corpus: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Two real FOMC statements added together: the later one is compared with the earlier new one."""
    from statediff.folder.statements import add_statement
    from statediff.gitreview.markdown import review_markdown

    repo = new_repo(tmp_path / "statements-repo")
    (repo.root / "statements").mkdir()

    def add(name: str) -> None:
        add_statement(repo.statements, corpus / "fomc" / name, series="fomc", issuers=["Federal Open Market Committee"],
                      slug="fomc-statement")

    add("2023-06-14-fomc-statement.txt")
    add("2023-07-26-fomc-statement.txt")
    repo.commit("June and July")
    repo.git("checkout", "-q", "-b", "autumn")
    add("2023-09-20-fomc-statement.txt")
    add("2023-11-01-fomc-statement.txt")
    repo.commit("September and November")
    monkeypatch.chdir(repo.root)
    result = review()  # the packaged model
    assert [(i.status, i.compared_with.path if i.compared_with else None) for i in result.items] == [
        ("added", "statements/fomc/2023-07-26-fomc-statement.md"),
        ("added", "statements/fomc/2023-09-20-fomc-statement.md"),
    ]
    md = review_markdown(result)
    assert "economic activity has been expanding at a ~~moderate~~ **solid** pace." in md
    assert "at a ~~solid~~ **strong** pace **in the third quarter**." in md
    assert "| 4 modified · 13 unchanged |" in md and "| 3 modified · 14 unchanged |" in md


def test_statediff_compare_stays_callable_after_a_review(history: Repo) -> None:
    """In a fresh interpreter: review() first, then statediff.compare() as the README shows it."""
    code = ("import statediff; from fakes import FakeEmbedder; from statediff.gitreview.review import review; "
            "fake = FakeEmbedder(); review(embedder=fake); "
            "print(statediff.compare('Inflation is high.', 'Inflation is low.', embedder=fake).has_differences)")
    tests = str(Path(__file__).resolve().parent)
    done = subprocess.run([sys.executable, "-c", code], cwd=history.root, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": tests}, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True\n", "")


def test_text_format_follows_the_color_option(history: Repo, fake: FakeEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in run("--format", "text", "--color", "always").output
    assert "\x1b[" not in run("--format", "text", "--color", "never").output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("--format", "text").output


def test_the_positions_digest_is_computed_once_per_statement(history: Repo, fake: FakeEmbedder, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The reports' JSON and HTML and the summary show one digest: the layer (most of a warm comparison of long
    # statements) runs once for each compared statement, not once per format.
    import statediff.positions.digest

    analysed: list[object] = []
    real = statediff.positions.digest.analyse

    def counting(c: object, **kwargs: object) -> object:
        analysed.append(c)
        return real(c, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(statediff.positions.digest, "analyse", counting)
    for fmt in ("md", "text"):
        analysed.clear()
        result = run("--out", str(tmp_path / fmt), "--format", fmt)
        assert result.exit_code == 1, result.output
        assert len(analysed) == 3 == len({id(c) for c in analysed})  # three compared statements, once each


def test_the_series_own_positions_files_at_the_head_are_used_and_a_broken_one_is_said(history: Repo, fake: FakeEmbedder) -> None:
    # A pull request that names its own topics is reviewed with them, read from the head commit (not the disk).
    history.write("statements/fomc/positions/topics.txt", "Rate path: target range\n")
    history.commit("the series names its own topic")
    history.write("statements/fomc/positions/topics.txt", "Disk only: inflation\n")  # not committed: not read
    result = review(head="HEAD", embedder=fake)
    labels = {t.label for i in result.items if i.positions for t in i.positions.topics}
    assert "Rate path" in labels and "Disk only" not in labels
    added = next(s for s in result.to_dict()["statements"] if s["status"] == "added")
    assert "Rate path" in {t["label"] for t in added["comparison"]["positions"]["topics"]}
    assert all("marks" in change for change in added["comparison"]["changes"])
    # A malformed one: the review still runs on the shipped data, says why, and check lists the file.
    history.write("statements/fomc/positions/topics.txt", "no colon on this line\n")
    history.commit("a broken topics file")
    result = review(head="HEAD", embedder=fake)
    expected = "statements/fomc/positions/topics.txt: line 1: expected '<topic label>: <word or phrase>, ...'"
    assert any(p.startswith(expected) for p in result.problems), result.problems
    compared = [i for i in result.items if i.comparison is not None]
    assert compared and all(i.positions is not None for i in compared)
    assert all(i.note and f"its series' own positions files are not used ({expected}" in i.note for i in compared)
    assert not any("statediff-review-" in (i.note or "") for i in result.items)  # repository paths, not scratch copies
