"""`statediff add`: end to end in a temporary project folder, including every refusal."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from fakes import FakeEmbedder
from folder_support import FOMC_A, FOMC_B, Project, read_only

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

SERIES = ("--series", "fomc", "--issuer", "Federal Open Market Committee")


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return dict(yaml.safe_load(text.split("---\n")[1]))


def test_add_writes_the_statement_with_front_matter_and_prints_its_path(project: Project) -> None:
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report")
    assert result.exit_code == 0, result.output
    target = project.statements / "fomc" / "2023-05-03-fomc-statement.md"
    assert result.stdout.strip() == f"added {target.relative_to(project.root)}"
    meta = front_matter(target)
    assert meta == {
        "title": "FOMC statement (May 3, 2023)",
        "date": dt.date(2023, 5, 3),
        "source": "https://www.federalreserve.gov/newsevents/pressreleases/monetary20230503a.htm",
        "issuers": ["Federal Open Market Committee"],
        "language": "en",
    }
    body = target.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.startswith("\nEconomic activity expanded at a modest pace")
    assert "title:" not in body
    assert project.run("check").exit_code == 0


def test_add_builds_the_report_against_the_previous_statement(project: Project, fake_model: FakeEmbedder) -> None:
    assert "first statement" in project.add("a.txt", FOMC_A, *SERIES).stdout
    result = project.add("b.txt", FOMC_B, "--series", "fomc")  # issuers carried over from the previous statement
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "added statements/fomc/2023-06-14-fomc-statement.md"
    report = "reports/fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.html"
    assert lines[1].startswith(f"report {report}: ")
    assert "modified" in lines[1] and "added" in lines[1]
    assert (project.root / report).is_file() and (project.root / report.replace(".html", ".json")).is_file()
    assert front_matter(project.statements / "fomc" / "2023-06-14-fomc-statement.md")["issuers"] == [
        "Federal Open Market Committee"
    ]


def test_adding_the_earliest_statement_says_there_is_nothing_before_it(project: Project, fake_model: FakeEmbedder) -> None:
    assert project.add("b.txt", FOMC_B, *SERIES).exit_code == 0
    result = project.add("a.txt", FOMC_A, *SERIES)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == (
        "earliest statement of series 'fomc': nothing before it to compare with; `statediff report` builds the next one"
    )
    assert not project.reports.exists()


def test_flags_win_over_the_file(project: Project) -> None:
    result = project.add(
        "a.txt",
        FOMC_A,
        *SERIES,
        "--no-report",
        "--title",
        "Policy statement",
        "--date",
        "2023-05-04",
        "--source",
        "https://example.org/s",
        "--kind",
        "policy-statement",
        "--slug",
        "may",
    )
    assert result.exit_code == 0, result.output
    meta = front_matter(project.statements / "fomc" / "2023-05-04-may.md")
    assert meta["title"] == "Policy statement" and meta["date"] == dt.date(2023, 5, 4)
    assert meta["source"] == "https://example.org/s" and meta["kind"] == "policy-statement"


def test_a_source_with_provenance_keeps_the_url_and_moves_the_rest_to_notes(project: Project) -> None:
    text = FOMC_A.replace("monetary20230503a.htm", "monetary20230503a.htm (text via github.com/x/y @ 6a4844d)")
    assert project.add("a.txt", text, *SERIES, "--no-report").exit_code == 0
    meta = front_matter(project.statements / "fomc" / "2023-05-03-fomc-statement.md")
    assert meta["source"] == "https://www.federalreserve.gov/newsevents/pressreleases/monetary20230503a.htm"
    assert meta["notes"] == "Source note: (text via github.com/x/y @ 6a4844d)"


def test_add_reads_markdown_with_front_matter(project: Project) -> None:
    md = (
        "---\ntitle: Joint Statement\ndate: 2024-01-02\nissuers: [Australia, India]\nlanguage: en\n"
        "source: https://example.org/quad\n---\n\n"
        "# Heading\n\n- First item.\n- Second item.\n"
    )
    assert project.add("j.md", md, "--series", "quad").exit_code == 0
    target = project.statements / "quad" / "2024-01-02-joint-statement.md"
    assert front_matter(target)["issuers"] == ["Australia", "India"]
    assert target.read_text(encoding="utf-8").endswith("# Heading\n\n- First item.\n- Second item.\n")


def test_add_keeps_the_main_text_of_a_saved_web_page(project: Project) -> None:
    page = """<!doctype html><html><head><title>Site</title><script>var tracking = 1;</script>
    <meta property="article:published_time" content="2024-08-18T10:00:00Z"></head>
    <body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
    <main><h1>Camp David Joint Statement</h1><p>We, the leaders of Japan, the Republic of Korea, and the United States, met.</p>
    <ul><li>We will hold annual summits.</li><li>We will meet &lt;every year&gt;.</li></ul>
    <div class="share-buttons">Share on social media</div></main>
    <footer>Copyright and privacy policy</footer></body></html>"""
    result = project.add("page.html", page, "--series", "trilateral", "--issuer", "The White House",
                         "--source", "https://example.org/camp-david")
    assert result.exit_code == 0, result.output
    target = project.statements / "trilateral" / "2024-08-18-camp-david-joint-statement.md"
    text = target.read_text(encoding="utf-8")
    assert "We, the leaders of Japan" in text and "- We will hold annual summits." in text
    assert "- We will meet <every year>." in text
    for junk in ("tracking", "Home", "Share on social", "Copyright"):
        assert junk not in text


def test_overwriting_needs_force(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    target = project.statements / "fomc" / "2023-05-03-fomc-statement.md"
    before = target.read_bytes()
    changed = FOMC_A.replace("modest pace", "solid pace")
    result = project.add("a2.txt", changed, *SERIES, "--no-report")
    assert result.exit_code == 2
    assert result.stderr == f"statediff: error: {target.relative_to(project.root)}: already exists; use --force to replace it\n"
    assert target.read_bytes() == before
    result = project.add("a2.txt", changed, *SERIES, "--no-report", "--force")
    assert result.exit_code == 0 and result.stdout.startswith("replaced ")
    assert "solid pace" in target.read_text(encoding="utf-8")


def test_the_same_body_twice_in_a_series_is_refused_but_fine_in_another(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    # Same text, other title and date, typography and line breaks changed: still the same statement.
    again = FOMC_A.replace("May 3", "May 4").replace("2023-05-03", "2023-05-04").replace("5-1/4", "5\u20111/4")
    before = project.tree()
    result = project.add("copy.txt", again, *SERIES, "--no-report")
    assert result.exit_code == 2
    assert "the same text is already in series 'fomc' as statements/fomc/2023-05-03-fomc-statement.md" in result.stderr
    assert project.tree() == before
    assert project.add("copy.txt", again, "--series", "fomc-novote", "--issuer", "FOMC", "--no-report").exit_code == 0


def test_a_date_in_the_future_is_a_warning(project: Project) -> None:
    soon = dt.date.today() + dt.timedelta(days=5)
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report", "--date", soon.isoformat())
    assert result.exit_code == 0
    assert f"statediff: warning: {project.inbox / 'a.txt'}: date {soon} is in the future" in result.stderr
    tomorrow = FOMC_B.replace("2023-06-14", (dt.date.today() + dt.timedelta(days=1)).isoformat())
    assert project.add("b.txt", tomorrow, *SERIES, "--no-report").stderr == ""


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("nodate.txt", "title: T\n\nSome text.\n", (), "nodate.txt: has no date; pass --date YYYY-MM-DD"),
        (
            "baddate.txt",
            "title: T\ndate: 2023-02-30\n\nSome text.\n",
            (),
            "baddate.txt: date '2023-02-30' is not a date in YYYY-MM-DD form",
        ),
        ("flagdate.txt", FOMC_A, ("--date", "03/05/2023"), "--date: date '03/05/2023' is not a date in YYYY-MM-DD form"),
        ("notitle.txt", "date: 2023-01-01\n\nSome text.\n", (), "notitle.txt: has no title; pass --title"),
        (
            "cjk.txt",
            "title: 联合声明\ndate: 2023-01-01\n\nSome text.\n",
            (),
            "cjk.txt: title '联合声明' gives an empty file name; pass --slug",
        ),
        ("empty.txt", "", (), "empty.txt: is empty; a statement needs some text"),
        ("blank.txt", "  \n\n", (), "blank.txt: is empty"),
        (
            "nav.html",
            "<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>",
            (),
            "nav.html: HTML page has no main text",
        ),
        ("a.txt", FOMC_A, ("--slug", "../../etc"), "slug '../../etc' would leave the statements folder"),
        ("a.txt", FOMC_A, ("--slug", "Bad Slug"), "slug 'Bad Slug' is not a lowercase ASCII name"),
        ("a.txt", FOMC_A, ("--source", "federalreserve.gov"), "--source 'federalreserve.gov' is not an http(s) URL"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    project: Project, name: str, content: str, args: tuple[str, ...], message: str
) -> None:
    result = project.add(name, content, *SERIES, "--no-report", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("statediff: error: ")
    assert message in result.stderr
    assert project.tree() == {}


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "title: Caf\u00e9\n\nd\u00e9j\u00e0\n".encode("latin-1")]
)
def test_binary_and_non_utf8_files_are_refused(project: Project, data: bytes) -> None:
    path = project.inbox / "x.txt"
    path.write_bytes(data)
    result = project.run("add", str(path), *SERIES)
    assert result.exit_code == 2
    assert ("binary" in result.stderr) or ("is not UTF-8 text" in result.stderr and "iconv" in result.stderr)
    assert project.tree() == {}


@pytest.mark.parametrize("series", ["..", "../elsewhere", "a/b", "/tmp/x", "Fomc", ""])
def test_a_series_name_that_would_leave_the_folder_is_refused(project: Project, series: str) -> None:
    result = project.add("a.txt", FOMC_A, "--series", series, "--issuer", "X", "--no-report")
    assert result.exit_code == 2
    assert "series" in result.stderr and result.stderr.count("\n") == 1
    assert project.tree() == {}
    assert sorted(p.name for p in project.root.iterdir()) == ["inbox", "statements"]


def test_a_series_folder_linking_outside_is_refused(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    os.symlink(outside, project.statements / "fomc")
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report")
    assert result.exit_code == 2
    assert "statements/fomc: is a link pointing outside statements; replace it with a real folder" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_statement_file_that_is_a_link_is_not_written_through(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "victim.md"
    outside.write_text("keep me", encoding="utf-8")
    (project.statements / "fomc").mkdir()
    os.symlink(outside, project.statements / "fomc" / "2023-05-03-fomc-statement.md")
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report", "--force")
    assert result.exit_code == 2 and "is a link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_add_in_a_new_project_creates_the_statements_folder(project: Project) -> None:
    project.statements.rmdir()
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "created the statements folder statements",
        "added statements/fomc/2023-05-03-fomc-statement.md",
    ]
    assert project.run("check").exit_code == 0


def test_add_creates_only_the_configured_folder_and_nothing_when_it_fails(project: Project) -> None:
    project.statements.rmdir()
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report", "--statements", "no/such/statements")
    assert result.exit_code == 2
    assert result.stderr == ("statediff: error: no/such/statements: cannot create the statements folder (No such file "
                             "or directory); check the path and its permissions\n")
    result = project.add("a.txt", FOMC_A, "--series", "fomc", "--no-report")  # no issuer: refused before any mkdir
    assert result.exit_code == 2 and "no issuer known" in result.stderr
    assert sorted(p.name for p in project.root.iterdir()) == ["inbox"]
    project.statements.write_text("a file", encoding="utf-8")
    result = project.add("a.txt", FOMC_A, *SERIES, "--no-report")
    assert result.exit_code == 2 and "statements: no statements folder (it is a file, not a folder)" in result.stderr


@pytest.mark.parametrize(("series", "example"), [("a b", "a-b"), ("G7 Leaders' Statements", "g7-leaders-statements"),
                                                  ("The FOMC, 2024", "the-fomc-2024")])
def test_a_bad_series_name_suggests_a_name_made_of_every_word(project: Project, series: str, example: str) -> None:
    result = project.add("a.txt", FOMC_A, "--series", series, "--issuer", "X", "--no-report")
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith(f"use e.g. {example!r}")
    assert project.tree() == {}


def test_a_malformed_positions_file_of_the_series_is_refused_before_writing(
    project: Project, fake_model: FakeEmbedder
) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES).exit_code == 0
    lexicon = project.statements / "fomc" / "positions" / "lexicon.txt"
    lexicon.parent.mkdir()
    lexicon.write_text("condemnation three x\n", encoding="utf-8")
    before = project.tree()
    result = project.add("b.txt", FOMC_B, *SERIES)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("statediff: error: statements/fomc/positions/lexicon.txt: line 1: ")
    assert project.tree() == before  # nothing written: no statement to --force over next time
    assert fake_model.calls == 0
    lexicon.write_text("condemnation 3 castigate*\n", encoding="utf-8")
    result = project.add("b.txt", FOMC_B, *SERIES)  # fixed: the same command, no --force
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("report reports/fomc/")


def test_a_broken_statement_of_another_series_does_not_stop_add(project: Project, fake_model: FakeEmbedder) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES).exit_code == 0
    broken = project.statements / "other" / "2024-01-01-b.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [x\ndate: 2024-01-01\n---\nT.\n", encoding="utf-8")
    result = project.add("b.txt", FOMC_B, *SERIES)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "added statements/fomc/2023-06-14-fomc-statement.md"
    assert lines[1].startswith("report reports/fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.html: ")
    assert result.stderr == ("statediff: warning: statements/other/2024-01-01-b.md: malformed YAML front matter at line 3; "
                             "fix it or remove the --- block; left out of the reports until it is fixed\n")


def test_a_report_that_fails_after_the_write_says_the_statement_stays(
    project: Project, fake_model: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import statediff.output

    assert project.add("a.txt", FOMC_A, *SERIES).exit_code == 0
    real_fdopen = os.fdopen

    def full_for_reports(fd: int, *args: object, **kwargs: object) -> object:  # the disk fills up after the write
        handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        if "/reports/fomc/" in os.readlink(f"/proc/self/fd/{fd}"):
            def write(_: str) -> int:
                raise OSError(28, "No space left on device")
            handle.write = write
        return handle

    with monkeypatch.context() as patched:
        patched.setattr(statediff.output.os, "fdopen", full_for_reports)
        result = project.add("b.txt", FOMC_B, *SERIES)
    assert result.exit_code == 1
    assert result.stdout == "added statements/fomc/2023-06-14-fomc-statement.md\n"
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("statediff: error: statements/fomc/2023-06-14-fomc-statement.md was added, but its "
                                    "report was not built: reports/fomc/")
    assert result.stderr.endswith("once that is fixed, `statediff report` builds it\n")
    assert (project.statements / "fomc" / "2023-06-14-fomc-statement.md").is_file()
    result = project.run("report")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1].startswith("1 built, 0 up to date")


def test_add_compares_with_the_statement_before_it_that_has_text(project: Project, fake_model: FakeEmbedder) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    empty = project.statements / "fomc" / "2023-06-01-empty.md"
    empty.write_text("---\ntitle: Empty\ndate: 2023-06-01\nsource: https://example.org/\nissuers: [X]\n"
                     "language: en\n---\n\n", encoding="utf-8")
    result = project.add("b.txt", FOMC_B, "--series", "fomc")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(
        "report reports/fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.html: ")
    assert result.stderr == ("statediff: warning: statements/fomc/2023-06-01-empty.md: empty body; the statement text goes "
                             "after the front matter; left out of the reports until it is fixed\n")
    assert front_matter(project.statements / "fomc" / "2023-06-14-fomc-statement.md")["issuers"] == ["X"]


def test_a_missing_input_file_and_a_missing_series_are_errors(project: Project) -> None:
    result = project.run("add", "nope.txt", *SERIES)
    assert result.exit_code == 2 and "nope.txt: no such file" in result.stderr
    result = project.add("a.txt", FOMC_A)
    assert result.exit_code == 2 and "which series? pass --series NAME" in result.stderr


def test_the_first_statement_of_a_series_needs_an_issuer(project: Project) -> None:
    result = project.add("a.txt", FOMC_A, "--series", "fomc")
    assert result.exit_code == 2
    assert "no issuer known for the first statement of 'fomc'; pass --issuer" in result.stderr
    assert project.tree() == {}


def test_a_read_only_statements_folder_is_an_error_not_a_traceback(project: Project) -> None:
    with read_only(project.statements):
        result = project.add("a.txt", FOMC_A, *SERIES, "--no-report")
    assert result.exit_code == 2 and "statements/fomc: cannot create the series folder" in result.stderr
    assert project.tree() == {}


def test_a_read_only_series_folder_leaves_no_half_written_file(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    before = project.tree()
    with read_only(project.statements / "fomc"):
        result = project.add("b.txt", FOMC_B, *SERIES, "--no-report")
    assert result.exit_code == 2 and "cannot write in statements/fomc" in result.stderr
    assert project.tree() == before


def test_a_read_only_reports_folder_is_refused_before_the_statement_is_written(
    project: Project, fake_model: FakeEmbedder
) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES).exit_code == 0
    project.reports.mkdir()
    before = project.tree()
    with read_only(project.reports):
        result = project.add("b.txt", FOMC_B, *SERIES)
    assert result.exit_code == 2
    assert result.stderr.startswith("statediff: error: reports: reports folder is not writable")
    assert project.tree() == before
    assert project.add("b.txt", FOMC_B, *SERIES).exit_code == 0  # once fixed, the same command works


@pytest.mark.parametrize(("title", "slug"), [
    ("Federal Reserve issues FOMC statement (December 14, 2022)", "federal-reserve-issues-fomc-statement"),
    ("Federal Reserve issues FOMC statement December 14, 2022", "federal-reserve-issues-fomc-statement"),
    ("G7 Leaders' Statement on Ukraine, 6 December 2023", "g7-leaders-statement-ukraine"),
    ("U.S., Japan, and South Korea Enhance Trilateral Security Cooperation",
     "us-japan-south-korea-enhance-trilateral-security"),
    ("Joint Statement of the Leaders of the United States and Japan on the Global Partnership for the Future",
     "joint-statement-leaders-united-states-japan-global"),
    ("The Spirit of Camp David: Joint Statement of Japan, the Republic of Korea, and the United States",
     "spirit-camp-david-joint-statement-japan-republic"),
    ("Statement on the 2023 Camp David Summit", "statement-2023-camp-david-summit"),
    ("The", "the"),
])
def test_slugs_drop_the_written_date_and_stop_words_and_end_on_a_whole_word(title: str, slug: str) -> None:
    from statediff.folder.statements import STOP_WORDS, slugify

    assert slugify(title) == slug
    assert len(slug) <= 50 and slug.split("-")[-1] not in STOP_WORDS - {"the"}


def test_an_existing_statement_keeps_its_name_unless_renamed(project: Project) -> None:
    old_name = project.statements / "fomc" / "2023-05-03-fomc-statement-may-3-2023.md"  # as statediff 0.1 named it
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    (project.statements / "fomc" / "2023-05-03-fomc-statement.md").rename(old_name)
    again = project.add("a.txt", FOMC_A.replace("modest pace", "slow pace"), *SERIES, "--no-report")
    assert again.exit_code == 2 and f"{old_name.relative_to(project.root)}: already exists" in again.stderr
    replaced = project.add("a.txt", FOMC_A.replace("modest pace", "slow pace"), *SERIES, "--no-report", "--force")
    assert replaced.stdout == f"replaced {old_name.relative_to(project.root)}\n"
    assert "slow pace" in old_name.read_text(encoding="utf-8")
    renamed = project.add("a.txt", FOMC_A, *SERIES, "--no-report", "--force", "--rename")
    assert renamed.exit_code == 0, renamed.output
    assert renamed.stdout == "replaced statements/fomc/2023-05-03-fomc-statement.md\n"
    assert [p.name for p in (project.statements / "fomc").iterdir()] == ["2023-05-03-fomc-statement.md"]


def test_kind_carries_over_and_the_report_has_monetary_tilts(project: Project, fake_model: FakeEmbedder) -> None:
    import json

    assert project.add("a.txt", FOMC_A, *SERIES, "--kind", "monetary-policy", "--no-report").exit_code == 0
    result = project.add("b.txt", FOMC_B, "--series", "fomc")  # kind carried over, like the issuers
    assert result.exit_code == 0, result.output
    assert front_matter(project.statements / "fomc" / "2023-06-14-fomc-statement.md")["kind"] == "monetary-policy"
    report = "reports/fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.json"
    doc = json.loads((project.root / report).read_text(encoding="utf-8"))
    assert doc["positions"]["kind"] == "monetary-policy"
    assert any(ch["marks"].get("tilt") in ("hawkish", "dovish") for ch in doc["changes"] if ch["kind"] != "unchanged")


def test_a_series_positions_folder_is_read_and_passes_check(project: Project, fake_model: FakeEmbedder) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--no-report").exit_code == 0
    mine = project.statements / "fomc" / "positions"
    mine.mkdir()
    (mine / "topics.txt").write_text("Rates: federal funds rate, target range\n", encoding="utf-8")
    assert project.run("check").exit_code == 0
    assert project.add("b.txt", FOMC_B, "--series", "fomc").exit_code == 0
    html = next((project.root / "reports" / "fomc").glob("*__*.html")).read_text(encoding="utf-8")  # not history.html
    assert ">Rates</h3>" in html
    (mine / "topics.txt").write_text("Rates federal funds rate\n", encoding="utf-8")
    result = project.run("report", "--force")
    assert result.exit_code == 2 and "positions/topics.txt: line 1: expected '<topic label>:" in result.stderr


def test_add_refuses_a_statement_that_says_nowhere_where_it_came_from(project: Project) -> None:
    # `check` rejects such a file, so `add` must not write it (a pasted text on stdin was the common case).
    text = "title: Joint Statement\ndate: 2024-01-02\n\nWe will meet every year.\n"
    result = project.add("j.txt", text, "--series", "quad", "--issuer", "Quad")
    assert result.exit_code == 2
    assert "no source known; pass --source" in result.output
    assert not (project.statements / "quad").exists() or not any((project.statements / "quad").iterdir())
    assert project.add("j.txt", text, "--series", "quad", "--issuer", "Quad", "--notes", "Pasted from the PDF").exit_code == 0


def test_a_one_document_kind_is_not_carried_to_the_next_statement(project: Project) -> None:
    # The seed is a news article about a meeting; the next statement of its series is a leaders' statement.
    assert project.add("a.txt", FOMC_A, *SERIES, "--kind", "news-article", "--no-report").exit_code == 0
    assert project.add("b.txt", FOMC_B, "--series", "fomc", "--no-report").exit_code == 0
    assert "kind" not in front_matter(project.statements / "fomc" / "2023-06-14-fomc-statement.md")


def test_a_monetary_policy_kind_spelt_as_people_write_it_is_carried_over(project: Project) -> None:
    assert project.add("a.txt", FOMC_A, *SERIES, "--kind", "Monetary Policy", "--no-report").exit_code == 0
    assert project.add("b.txt", FOMC_B, "--series", "fomc", "--no-report").exit_code == 0
    assert front_matter(project.statements / "fomc" / "2023-06-14-fomc-statement.md")["kind"] == "monetary-policy"
