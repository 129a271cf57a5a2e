"""`statediff list`: the series and their statements as a table or JSON."""

from __future__ import annotations

import json

from folder_support import FOMC_A, FOMC_B, FOMC_C, Project

pytest_plugins = ["folder_fixtures"]  # fixtures: project


def test_list_shows_every_series_in_date_order(project: Project) -> None:
    for name, text, series in (("c", FOMC_C, "fomc"), ("a", FOMC_A, "fomc"), ("b", FOMC_B, "g7")):
        assert project.add(f"{name}.txt", text, "--series", series, "--issuer", "X", "--no-report").exit_code == 0
    result = project.run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SERIES", "DATE", "FILE", "TITLE"]
    assert [line.split()[:2] for line in lines[1:4]] == [["fomc", "2023-05-03"], ["fomc", "2023-07-26"], ["g7", "2023-06-14"]]
    assert lines[1].endswith("  FOMC statement (May 3, 2023)")
    assert lines[-1] == "2 series, 3 statements"
    only = project.run("list", "--series", "g7").stdout.splitlines()
    assert [line.split()[0] for line in only[1:-1]] == ["g7"]


def test_list_as_json(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, "--series", "fomc", "--issuer", "FOMC", "--no-report").exit_code == 0
    doc = json.loads(project.run("list", "--format", "json").stdout)
    assert doc == [
        {
            "series": "fomc",
            "statements": [
                {
                    "date": "2023-05-03",
                    "title": "FOMC statement (May 3, 2023)",
                    "path": "statements/fomc/2023-05-03-fomc-statement.md",
                    "source": "https://www.federalreserve.gov/newsevents/pressreleases/monetary20230503a.htm",
                    "issuers": ["FOMC"],
                    "language": "en",
                    "kind": None,
                }
            ],
        }
    ]


def test_list_an_empty_folder_and_errors(project: Project) -> None:
    result = project.run("list")
    assert (result.exit_code, result.stdout) == (
        0,
        "no statements in statements yet; add one with: statediff add FILE --series NAME\n",
    )
    assert project.run("list", "--format", "json").stdout.strip() == "[]"
    result = project.run("list", "--series", "../x")
    assert result.exit_code == 2 and "series '../x' would leave the statements folder" in result.stderr


def test_control_characters_in_titles_do_not_reach_the_terminal(project: Project) -> None:
    text = '---\ntitle: "Evil \\e[31mred\\e[0m"\ndate: 2023-05-03\n---\n\nSome text.\n'  # YAML's \e is ESC
    assert project.add("a.md", text, "--series", "fomc", "--issuer", "X", "--no-report", "--slug", "evil",
                       "--notes", "test").exit_code == 0
    out = project.run("list").stdout
    assert "\x1b" not in out and "Evil \ufffd[31mred\ufffd[0m" in out  # as compare shows them


def test_every_folder_command_has_help() -> None:
    from click.testing import CliRunner

    from statediff.cli import main

    for name in ("add", "check", "report", "list"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert len(result.output.splitlines()) > 5 and "Exit" in result.output


def test_one_unreadable_file_does_not_hide_the_rest(project: Project) -> None:
    for name, text in (("a", FOMC_A), ("c", FOMC_C)):
        assert project.add(f"{name}.txt", text, "--series", "fomc", "--issuer", "X", "--no-report").exit_code == 0
    junk = project.statements / "fomc" / "2023-10-01-junk.md"
    junk.write_bytes(b"\x00\x01binary")
    result = project.run("list")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "1 series, 2 statements (1 file unreadable, named on stderr)"
    assert result.stderr.count("\n") == 1 and "2023-10-01-junk.md" in result.stderr and "binary" in result.stderr


def test_a_broken_statement_of_another_series_is_named_once_and_the_rest_listed(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, "--series", "fomc", "--issuer", "X", "--no-report").exit_code == 0
    broken = project.statements / "other" / "2024-01-01-b.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [x\ndate: 2024-01-01\n---\nT.\n", encoding="utf-8")
    result = project.run("list", "--series", "fomc")  # that series reads: nothing to say
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "1 series, 1 statement"
    result = project.run("list")  # every series: listed as far as it reads, the broken file named (exit 2, as documented)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1].startswith("fomc    2023-05-03  2023-05-03-fomc-statement.md")
    assert result.stdout.splitlines()[-1] == "2 series, 1 statement (1 file unreadable, named on stderr)"
    assert result.stderr == ("statediff: error: statements/other/2024-01-01-b.md: malformed YAML front matter at line 3; "
                             "fix it or remove the --- block; `statediff check` lists every problem\n")
