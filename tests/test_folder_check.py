"""`statediff check`: every problem as `path: problem`, exit 0 clean / 1 problems / 2 error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from folder_support import FOMC_A, FOMC_B, Project, write

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

GOOD = """\
---
title: FOMC statement
date: 2023-05-03
source: https://www.federalreserve.gov/x.htm
issuers:
- Federal Open Market Committee
language: en
---

Inflation remains elevated.
"""


def good(project: Project, name: str = "2023-05-03-fomc-statement.md", text: str = GOOD) -> Path:
    return write(project.statements / "fomc" / name, text)


def test_a_clean_folder_exits_0_and_prints_nothing(project: Project) -> None:
    good(project)
    result = project.run("check")
    assert (result.exit_code, result.output) == (0, "")


def test_statements_written_by_add_pass_check(project: Project) -> None:
    for name, text in (("a.txt", FOMC_A), ("b.txt", FOMC_B)):
        assert project.add(name, text, "--series", "fomc", "--issuer", "FOMC", "--no-report").exit_code == 0
    assert project.run("check").exit_code == 0


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("date: 2023-05-03", "date: 2023-05-04", "date 2023-05-04 does not match the file name"),
        ("date: 2023-05-03", "date: '3 May 2023'", "date '3 May 2023' is not a date in YYYY-MM-DD form"),
        ("date: 2023-05-03\n", "", "front matter needs a date"),
        ("title: FOMC statement\n", "", "front matter needs a title"),
        ("title: FOMC statement", "title: [1, 2]", "front matter needs a title"),
        (
            "source: https://www.federalreserve.gov/x.htm",
            "source: federalreserve.gov",
            "source must be the statement's http(s) URL",
        ),
        (
            "source: https://www.federalreserve.gov/x.htm\n",
            "",
            "front matter needs a source URL (or notes saying where the text came from)",
        ),
        (
            "issuers:\n- Federal Open Market Committee",
            "issuers: Federal Open Market Committee",
            "issuers must be a list of names",
        ),
        ("language: en", "language: English", "language must be a language tag"),
        ("language: en", "language: en\nkind: 3", "kind must be text"),
        ("language: en", "language: en\ntitel: typo", "unknown front matter field 'titel'"),
        ("\nInflation remains elevated.\n", "", "empty body"),
        ("---\ntitle", "title", "no front matter"),
        ("date: 2023-05-03", "date: [2023", "malformed YAML front matter"),
        ("date: 2023-05-03", "date: 2023-13-45", "front matter holds an impossible value (month must be in 1..12)"),
    ],
)
def test_each_front_matter_problem_is_reported(project: Project, old: str, new: str, problem: str) -> None:
    assert old in GOOD
    path = good(project, text=GOOD.replace(old, new, 1))
    result = project.run("check")
    assert result.exit_code == 1
    assert f"statements/fomc/{path.name}: {problem}" in result.stdout
    assert all(line.startswith(f"statements/fomc/{path.name}: ") for line in result.stdout.splitlines())


def test_source_may_be_left_out_when_notes_say_where_the_text_came_from(project: Project) -> None:
    good(
        project, text=GOOD.replace("source: https://www.federalreserve.gov/x.htm", "notes: A DoD news article; URL not recorded.")
    )
    assert project.run("check").exit_code == 0


def test_encoding_and_binary_problems(project: Project) -> None:
    good(project)
    (project.statements / "fomc" / "2023-06-14-latin.md").write_bytes(
        GOOD.replace("elevated", "\u00e9lev\u00e9").encode("latin-1")
    )
    (project.statements / "fomc" / "2023-07-26-binary.md").write_bytes(b"\x00\x01\x02")
    result = project.run("check")
    assert result.exit_code == 1
    assert "statements/fomc/2023-06-14-latin.md: not UTF-8 (byte 0xe9 at offset" in result.stdout
    assert "statements/fomc/2023-07-26-binary.md: binary data" in result.stdout


def test_duplicate_bodies_in_a_series(project: Project) -> None:
    good(project)
    good(project, "2023-06-14-again.md", GOOD.replace("2023-05-03", "2023-06-14").replace("elevated.", "elevated. "))
    write(project.statements / "other" / "2023-05-03-fomc-statement.md", GOOD)  # another series may hold it
    result = project.run("check")
    assert (
        result.stdout == "statements/fomc/2023-06-14-again.md: same text as statements/fomc/2023-05-03-fomc-statement.md; "
        "a series holds each statement once\n"
    )
    assert result.exit_code == 1


def test_files_outside_the_layout(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    good(project)
    write(project.statements / "loose.md", GOOD)
    write(project.statements / "fomc" / "notes.txt", "x")
    write(project.statements / "fomc" / "2023-05-03-Capital.md", GOOD)
    write(project.statements / "fomc" / "archive" / "2023-05-03-old.md", GOOD)
    write(project.statements / "Bad Series" / "2023-05-03-x.md", GOOD)
    write(project.statements / "fomc" / ".gitkeep", "")  # dot files are fine
    outside = tmp_path_factory.mktemp("outside")
    os.symlink(outside, project.statements / "linked")
    result = project.run("check")
    assert result.exit_code == 1
    assert sorted(line.split(": ", 1)[0] for line in result.stdout.splitlines()) == [
        "statements/Bad Series",
        "statements/fomc/2023-05-03-Capital.md",
        "statements/fomc/archive",
        "statements/fomc/notes.txt",
        "statements/linked",
        "statements/loose.md",
    ]


def test_paths_limit_the_check_as_a_pre_commit_hook_would(project: Project) -> None:
    good(project)
    bad = good(project, "2023-06-14-bad.md", GOOD)  # date disagrees with the name, and it duplicates the first
    write(
        project.statements / "g7" / "2023-05-20-x.md",
        GOOD.replace("2023-05-03", "2023-05-20").replace("title: FOMC statement\n", ""),
    )
    first = project.run("check", "statements/fomc/2023-05-03-fomc-statement.md")
    assert (first.exit_code, first.stdout) == (
        1,
        "statements/fomc/2023-05-03-fomc-statement.md: same text as "
        "statements/fomc/2023-06-14-bad.md; a series holds each statement once\n",
    )
    result = project.run("check", str(bad.relative_to(project.root)))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "statements/fomc/2023-06-14-bad.md: date 2023-05-03 does not match the file name; rename the file or fix the date",
        "statements/fomc/2023-06-14-bad.md: same text as statements/fomc/2023-05-03-fomc-statement.md; "
        "a series holds each statement once",
    ]
    assert project.run("check", "statements/g7").stdout == "statements/g7/2023-05-20-x.md: front matter needs a title (text)\n"


def test_errors_exit_2(project: Project) -> None:
    result = project.run("check", "statements/nope.md")
    assert result.exit_code == 2 and "statements/nope.md: no such file or folder" in result.stderr
    project.statements.rmdir()
    result = project.run("check")
    assert result.exit_code == 2 and "statements: no statements folder" in result.stderr


def test_the_project_s_own_statements_folder_is_clean() -> None:
    root = Path(__file__).resolve().parent.parent
    from statediff.folder.check import check_folder

    assert [str(p) for p in check_folder(root / "statements")] == []
    seed = list((root / "statements" / "us-japan-rok-trilateral").glob("2024-06-03-*.md"))
    assert len(seed) == 1


def test_a_file_outside_the_statements_folder_is_a_problem(project: Project) -> None:
    good(project)
    stray = write(project.root / "2023-05-03-fomc-statement.md", GOOD)
    result = project.run("check", str(stray.relative_to(project.root)))
    assert result.exit_code == 1
    assert result.stdout.startswith("2023-05-03-fomc-statement.md: outside the statements folder statements; ")


def test_another_statements_folder_can_be_named(project: Project) -> None:
    write(project.root / "archive" / "fomc" / "2023-05-03-fomc-statement.md", GOOD.replace("language: en", "language: English"))
    result = project.run("check", "archive")
    assert (result.exit_code, result.stdout) == (
        1,
        "archive/fomc/2023-05-03-fomc-statement.md: language must be a language tag such as en or fr\n",
    )


def test_a_date_in_the_future_is_a_problem(project: Project) -> None:
    # add only warns about it; check is the gate of a pre-commit hook or CI and must not let it through.
    import datetime as dt

    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    path = good(project, name=f"{later}-fomc-statement.md", text=GOOD.replace("date: 2023-05-03", f"date: {later}"))
    result = project.run("check")
    assert result.exit_code == 1
    expected = f"statements/fomc/{path.name}: date {later} is in the future; fix the date (statements are filed once issued)"
    assert result.stdout.strip() == expected
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # time zones: a day ahead is allowed
    path.unlink()
    good(project, name=f"{tomorrow}-fomc-statement.md", text=GOOD.replace("date: 2023-05-03", f"date: {tomorrow}"))
    assert project.run("check").exit_code == 0


def test_a_series_own_positions_files_are_checked(project: Project, fake_model: object, tmp_path: Path) -> None:
    good(project)
    good(project, "2023-06-14-fomc-statement.md", GOOD.replace("2023-05-03", "2023-06-14").replace("elevated", "high"))
    positions = project.statements / "fomc" / "positions"
    write(positions / "lexicon.txt", "condemnation 3 condemn*\nstronger: [bad\n")
    write(positions / "topics.txt", "Rate path: target range\n")  # well formed: no problem
    write(positions / "lexicons.txt", "condemnation 3 deplore*\n")  # misspelt: the reports would never read it
    secret = write(tmp_path / "private.txt", "token-12345\n")
    (positions / "actors.txt").symlink_to(secret)
    result = project.run("check")
    assert result.exit_code == 1
    folder = "statements/fomc/positions"
    assert result.output.splitlines() == [
        f"{folder}/actors.txt: is a symbolic link; a positions data file must be a plain file",
        f"{folder}/lexicon.txt: line 2: expected '<family> <weight> <phrase>', got 'stronger: [bad'",
        f"{folder}/lexicons.txt: not a file the reports read; a series' positions folder holds lexicon.txt, actors.txt, "
        "topics.txt",
    ]
    assert "token-12345" not in result.output
    # The reports refuse the link too, in one line, rather than quote the first line of whatever it points at.
    result = project.run("report")
    assert result.exit_code == 2 and "token-12345" not in result.output
    assert result.stderr == (f"statediff: error: {folder}/actors.txt: is a symbolic link; a positions data file must be a "
                             "plain file; the reports of series 'fomc' are not rebuilt until it is fixed\n")
    # One of them named: only its problems.
    result = project.run("check", f"{folder}/lexicon.txt")
    assert (result.exit_code, result.output.splitlines()) == (
        1, [f"{folder}/lexicon.txt: line 2: expected '<family> <weight> <phrase>', got 'stronger: [bad'"])


def test_a_link_loop_or_a_folder_in_positions_is_a_problem_not_a_crash(project: Project) -> None:
    good(project)
    positions = project.statements / "fomc" / "positions"
    positions.mkdir(parents=True)
    (positions / "loop").symlink_to("loop")
    (positions / "topics.txt").mkdir()  # a folder named like a data file: the reports would never read it
    result = project.run("check")
    assert result.exit_code == 1 and "unexpected" not in result.output
    folder = "statements/fomc/positions"
    assert f"{folder}/topics.txt: is not a plain file; the reports read it only as one" in result.output.splitlines()
    assert any(line.startswith(f"{folder}/loop: ") for line in result.output.splitlines())
    result = project.run("check", f"{folder}/topics.txt")
    assert (result.exit_code, result.output.splitlines()) == (1, [f"{folder}/topics.txt: is not a plain file; the reports "
                                                                   "read it only as one"])
    (positions / "loop").unlink()
    result = project.run("check", folder)  # the positions folder itself: its files
    assert (result.exit_code, result.output.splitlines()) == (1, [f"{folder}/topics.txt: is not a plain file; the reports "
                                                                   "read it only as one"])
