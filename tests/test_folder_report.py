"""`statediff report`: reports of consecutive statements, incremental builds, the index page, progress, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fake_statediff import run_cli
from fakes import FakeEmbedder
from folder_support import FOMC_A, FOMC_B, FOMC_C, Project, read_only

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

A, B, C = (
    "2023-05-03-fomc-statement",
    "2023-06-14-fomc-statement",
    "2023-07-26-fomc-statement",
)
AB, BC, AC = f"fomc/{A}__{B}", f"fomc/{B}__{C}", f"fomc/{A}__{C}"


def fill(project: Project, *texts: str, series: str = "fomc") -> None:
    for n, text in enumerate(texts):
        result = project.add(f"{series}{n}.txt", text, "--series", series, "--issuer", "FOMC", "--no-report")
        assert result.exit_code == 0, result.output


def index(project: Project) -> BeautifulSoup:
    return BeautifulSoup((project.reports / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_report_builds_every_pair_and_the_index(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_C, FOMC_B)  # added out of order: pairs follow the dates
    result = project.run("report")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2 built, 0 up to date; index reports/index.html"
    for name in (AB, BC):
        html = (project.reports / f"{name}.html").read_text(encoding="utf-8")
        assert "FOMC statement (May 3, 2023)" in html or "FOMC statement (June 14, 2023)" in html
        doc = json.loads((project.reports / f"{name}.json").read_text(encoding="utf-8"))
        assert doc["schema"] == "statediff/comparison/2"
    doc = json.loads((project.reports / f"{AB}.json").read_text(encoding="utf-8"))
    assert any(["+", "maintain"] in c["ops"] for c in doc["changes"])
    assert not (project.reports / f"{AC}.html").exists()

    page = index(project)
    series = page.select_one("section#fomc")
    assert series is not None
    dates = [el.get_text() for el in series.select(".sdi-statement .sdi-date")]
    assert dates == ["2023-05-03", "2023-06-14", "2023-07-26"]
    links = [a["href"] for a in series.select(".sdi-report a")]
    assert links == [f"{AB}.html", f"{BC}.html"]
    counts = {el["data-kind"]: int(el.get_text().split()[0]) for el in series.select(".sdi-report")[0].select(".sdi-count")}
    assert counts == {k: sum(1 for c in doc["changes"] if c["kind"] == k) for k in ("added", "removed", "modified", "moved")}
    assert counts["modified"] >= 1
    statement_links = [a["href"] for a in series.select(".sdi-statement a")]
    assert statement_links[0] == f"../statements/fomc/{A}.md"
    assert (project.reports / statement_links[0]).resolve() == (project.statements / "fomc" / f"{A}.md").resolve()


def test_nothing_changed_means_nothing_rebuilt_and_no_model(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    assert project.run("report").exit_code == 0
    calls = fake_model.calls
    before = project.tree()
    stamps = {p: p.stat().st_mtime_ns for p in project.reports.rglob("*")}
    result = project.run("report")
    assert result.stdout == "0 built, 2 up to date; index reports/index.html\n"
    assert fake_model.calls == calls
    assert project.tree() == before
    assert {p: p.stat().st_mtime_ns for p in project.reports.rglob("*")} == stamps


def test_a_changed_statement_rebuilds_only_its_reports(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    project.run("report")
    c_path = project.statements / "fomc" / f"{C}.md"
    c_path.write_text(c_path.read_text(encoding="utf-8").replace("moderate pace", "solid pace"), encoding="utf-8")
    seen = fake_model.texts_seen
    result = project.run("report")
    assert result.stdout.splitlines() == [
        f"[1/1] {BC}.html: " + result.stdout.splitlines()[0].split(": ", 1)[1],
        "1 built, 1 up to date; index reports/index.html",
    ]
    assert fake_model.texts_seen == seen + 1  # only the reworded sentence reached the model
    assert "solid" in (project.reports / f"{BC}.json").read_text(encoding="utf-8")


def test_force_rebuilds_and_a_deleted_report_is_rebuilt(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    project.run("report")
    assert project.run("report", "--force").stdout.splitlines()[-1].startswith("2 built, 0 up to date")
    (project.reports / f"{AB}.json").unlink()
    assert project.run("report").stdout.splitlines()[-1].startswith("1 built, 1 up to date")


def test_a_new_statement_in_between_replaces_the_report_it_splits(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_C)
    project.run("report")
    assert (project.reports / f"{AC}.html").is_file()
    fill(project, FOMC_B)
    result = project.run("report")
    assert result.stdout.splitlines()[-1] == "2 built, 0 up to date, 1 removed; index reports/index.html"
    assert not (project.reports / f"{AC}.html").exists() and not (project.reports / f"{AC}.json").exists()
    assert sorted(p.name for p in (project.reports / "fomc").iterdir()) == sorted(
        [f"{AB.split('/')[1]}.html", f"{AB.split('/')[1]}.json", f"{BC.split('/')[1]}.html", f"{BC.split('/')[1]}.json",
         "history.html"]  # the series' history page (every sentence's lineage) lives beside its reports
    )


def test_files_the_user_put_in_reports_are_never_removed(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    project.run("report")
    mine = project.reports / "fomc" / "my-notes.html"
    mine.write_text("mine", encoding="utf-8")
    (project.statements / "fomc" / f"{A}.md").unlink()
    assert project.run("report").stdout.splitlines()[-1] == "0 built, 0 up to date, 1 removed; index reports/index.html"
    assert mine.read_text(encoding="utf-8") == "mine"


def test_series_and_since_limit_what_is_built(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    fill(project, FOMC_A, FOMC_B, series="other")
    result = project.run("report", "--series", "fomc", "--since", "2023-07-01")
    lines = result.stdout.splitlines()
    assert lines[-1] == "1 built, 0 up to date; index reports/index.html"
    assert [line.split(": ")[0] for line in lines[:-1]] == [f"[1/1] {BC}.html"]
    page = index(project)
    assert [a["href"] for a in page.select(".sdi-report a")] == [f"{BC}.html"]
    assert len(page.select(".sdi-report .sdi-stale")) == 2  # the pairs not built yet say so
    assert page.select_one("section#other") is not None
    result = project.run("report", "--series", "nope")
    assert result.exit_code == 2 and "series 'nope': no such folder in statements (series: fomc, other)" in result.stderr
    result = project.run("report", "--since", "July 2023")
    assert result.exit_code == 2 and "--since 'July 2023' is not a date in YYYY-MM-DD form" in result.stderr


def test_statement_text_is_escaped_in_the_index(project: Project, fake_model: FakeEmbedder) -> None:
    evil = FOMC_A.replace("title: FOMC statement (May 3, 2023)", "title: <script>alert(1)</script> & <b>bold</b>")
    fill(project, evil, FOMC_B)
    assert project.run("report").exit_code == 0
    raw = (project.reports / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in raw and "<b>bold</b>" not in raw
    page = index(project)
    assert page.find("script") is None
    assert "<script>alert(1)</script> & <b>bold</b>" in [a.get_text() for a in page.select(".sdi-statement a")]


def test_a_read_only_reports_folder_is_one_line_and_loses_nothing(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    assert project.run("report").exit_code == 0
    fill(project, FOMC_C)
    before, calls = project.tree(), fake_model.calls
    with read_only(project.reports):
        result = project.run("report")
    assert result.exit_code == 2
    assert result.stderr.startswith("statediff: error: reports: reports folder is not writable")
    assert result.stderr.count("\n") == 1
    assert project.tree() == before
    assert fake_model.calls == calls  # refused before any sentence of the new pair was embedded


def test_a_missing_parent_of_the_reports_folder_is_an_error(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    result = project.run("report", "--reports", "no/such/reports")
    assert result.exit_code == 2 and "no/such/reports: reports folder does not exist" in result.stderr


def test_a_broken_statement_is_left_out_named_and_its_reports_kept(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    assert project.run("report").exit_code == 0
    b_path = project.statements / "fomc" / f"{B}.md"
    good, kept = b_path.read_bytes(), {name: (project.reports / f"{name}.html").read_bytes() for name in (AB, BC)}
    b_path.write_bytes(b"---\ntitle: x\n")
    result = project.run("report")
    assert result.exit_code == 2
    assert result.stderr == (f"statediff: error: statements/fomc/{B}.md: front matter opened with --- is never closed; "
                             "end it with a line holding ---; left out of the reports until it is fixed\n")
    # Its neighbours are compared with each other meanwhile, as `check` would pair them; its own reports stay.
    assert result.stdout.splitlines()[-1] == "1 built, 0 up to date, 1 left out; index reports/index.html"
    assert (project.reports / f"{AC}.html").is_file()
    assert {name: (project.reports / f"{name}.html").read_bytes() for name in (AB, BC)} == kept
    b_path.write_bytes(good)
    result = project.run("report")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "0 built, 2 up to date, 1 removed; index reports/index.html\n"
    assert not (project.reports / f"{AC}.html").exists()


def test_a_statement_check_calls_empty_is_not_compared(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    b_path = project.statements / "fomc" / f"{B}.md"
    b_path.write_text(b_path.read_text(encoding="utf-8").split("---\n\n")[0] + "---\n\n  \n", encoding="utf-8")
    line = f"statements/fomc/{B}.md: empty body; the statement text goes after the front matter"
    assert project.run("check").stdout == line + "\n"
    result = project.run("report")
    assert result.exit_code == 2
    assert result.stderr == f"statediff: error: {line}; left out of the reports until it is fixed\n"
    assert result.stdout.splitlines() == [f"[1/1] {AC}.html: " + result.stdout.splitlines()[0].split(": ", 1)[1],
                                          "1 built, 0 up to date, 1 left out; index reports/index.html"]
    assert sorted(p.name for p in (project.reports / "fomc").glob("*.json")) == [f"{AC.split('/')[1]}.json"]


def test_a_broken_statement_of_another_series_does_not_stop_report_series(
    project: Project, fake_model: FakeEmbedder
) -> None:
    fill(project, FOMC_A, FOMC_B)
    broken = project.statements / "other" / "2024-01-01-b.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [x\ndate: 2024-01-01\n---\nT.\n", encoding="utf-8")
    line = ("statements/other/2024-01-01-b.md: malformed YAML front matter at line 3; fix it or remove the --- block; "
            "left out of the reports until it is fixed")
    result = project.run("report", "--series", "fomc")
    assert result.exit_code == 0
    assert result.stderr == f"statediff: warning: {line}\n"  # only left out of the index
    assert result.stdout.splitlines()[-1] == "1 built, 0 up to date; index reports/index.html"
    result = project.run("report")  # every series: the broken one is among those asked for
    assert result.exit_code == 2
    assert result.stderr == f"statediff: error: {line}\n"
    assert result.stdout == "0 built, 1 up to date, 1 left out; index reports/index.html\n"


def test_editing_a_series_positions_file_rebuilds_its_reports(project: Project, tmp_path: Path) -> None:
    # Each run its own process, as a user runs it (the parsed data files are cached for a process's lifetime).
    def report() -> subprocess.CompletedProcess[str]:
        return run_cli("report", cwd=project.root, env={"STATEDIFF_CACHE_DIR": str(tmp_path / "cache")})

    fill(project, FOMC_A, FOMC_B)
    fill(project, FOMC_A, FOMC_C, series="other")
    assert report().returncode == 0
    lexicon = project.statements / "fomc" / "positions" / "lexicon.txt"
    lexicon.parent.mkdir()
    lexicon.write_text("condemnation 3 castigate*\n", encoding="utf-8")
    result = report()
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "1 built, 1 up to date; index reports/index.html")
    assert result.stdout.splitlines()[0].startswith(f"[1/1] {AB}.html: ")  # the other series is untouched
    assert report().stdout == "0 built, 2 up to date; index reports/index.html\n"
    before = project.tree()
    lexicon.write_text("condemnation three x\n", encoding="utf-8")  # malformed: found at once, not at --force
    result = report()
    assert result.returncode == 2
    assert result.stderr == ("statediff: error: statements/fomc/positions/lexicon.txt: line 1: weight 'three' is not a "
                             "whole number from -5 to 5; the reports of series 'fomc' are not rebuilt until it is fixed\n")
    assert result.stdout == "0 built, 1 up to date, 1 left out; index reports/index.html\n"
    assert {k: v for k, v in project.tree().items() if k.startswith("reports/fomc/")} == {
        k: v for k, v in before.items() if k.startswith("reports/fomc/")}  # the last good report stays
    assert report().returncode == 2  # still stale: named again on every run until fixed
    (lexicon.parent / "actors.txt").write_text("organisation | Trilateral Secretariat\n", encoding="utf-8")
    lexicon.unlink()
    result = report()
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "1 built, 1 up to date; index reports/index.html")
    (lexicon.parent / "actors.txt").unlink()
    lexicon.parent.rmdir()
    # No positions folder: the key of a series that never had one (an upgrade rebuilds none of those).
    assert report().stdout.splitlines()[-1] == "1 built, 1 up to date; index reports/index.html"
    assert report().stdout == "0 built, 2 up to date; index reports/index.html\n"


def test_a_damaged_manifest_costs_a_rebuild_not_an_error(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    project.run("report")
    (project.reports / ".statediff-manifest.json").write_text("{not json", encoding="utf-8")
    result = project.run("report")
    assert result.exit_code == 0 and "unreadable; rebuilding every report" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 built")


def test_add_records_its_report_so_report_does_not_rebuild_it(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A)
    assert project.add("b.txt", FOMC_B, "--series", "fomc").exit_code == 0
    assert project.run("report").stdout == "0 built, 1 up to date; index reports/index.html\n"


def test_configuration_file_sets_the_folders(project: Project, fake_model: FakeEmbedder) -> None:
    (project.root / "pyproject.toml").write_text('[tool.statediff]\nstatements = "data/st"\nreports = "out"\n', encoding="utf-8")
    (project.root / "data").mkdir()
    project.statements.rename(project.root / "data" / "st")
    fill(project, FOMC_A, FOMC_B)
    assert (project.root / "data" / "st" / "fomc" / f"{A}.md").is_file()
    assert project.run("report").exit_code == 0
    assert (project.root / "out" / f"{AB}.html").is_file()
    # statediff.toml wins over pyproject.toml, and flags win over both.
    (project.root / "statediff.toml").write_text('statements = "elsewhere"\n', encoding="utf-8")
    assert "elsewhere: no statements folder" in project.run("list").stderr
    assert project.run("list", "--statements", "data/st").exit_code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("statements = [1]\n", "statediff.toml: setting 'statements' must be a non-empty string"),
        ("statments = 'x'\n", "statediff.toml: unknown statediff setting 'statments'"),
        ("statements = \n", "statediff.toml: is not valid TOML"),
    ],
)
def test_a_bad_configuration_file_is_one_line(project: Project, text: str, message: str) -> None:
    (project.root / "statediff.toml").write_text(text, encoding="utf-8")
    result = project.run("report")
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


# A child process that builds with the fake embedder: for the terminal (pty) test.
_FAKE_CLI = """
import sys
sys.path.insert(0, {tests!r})
from fakes import FakeEmbedder
import statediff.engine.embed, statediff.folder.reports
fake = FakeEmbedder()
statediff.engine.embed.default_embedder = lambda model=None, **_: fake
statediff.folder.reports.model_identity = lambda model: fake.identity
from statediff.cli import main
main(sys.argv[1:])
"""


def test_progress_is_a_bar_on_a_terminal(project: Project) -> None:
    import pty

    fill(project, FOMC_A, FOMC_B, FOMC_C)
    code = _FAKE_CLI.format(tests=str(Path(__file__).parent))
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", code, "report"], stdout=subprocess.PIPE, stderr=terminal, cwd=project.root
    ) as proc:
        os.close(terminal)
        out = proc.communicate(timeout=120)[0].decode()
        chunks = []
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data.decode(errors="replace"))
    os.close(controller)
    bar = "".join(chunks)
    assert proc.returncode == 0
    assert "building reports" in bar and "2/2" in bar
    assert "[1/2]" not in out  # no plain lines when the bar is shown
    assert out.splitlines()[-1] == "2 built, 0 up to date; index reports/index.html"


def test_each_distinct_sentence_is_embedded_once_per_build(project: Project, fake_model: FakeEmbedder) -> None:
    from statediff.engine.segment import segment
    from statediff.folder.statements import list_series
    from statediff.textnorm import normalize

    fill(project, FOMC_A, FOMC_B, FOMC_C)
    assert project.run("report").stdout.splitlines()[-1].startswith("2 built")
    bodies = [s.body for s in list_series(project.statements)["fomc"]]
    occurrences = [normalize(s.text) for body in bodies for s in segment(body)]
    assert len(set(occurrences)) < len(occurrences)  # the statements do repeat sentences
    assert fake_model.texts_seen == len(set(occurrences))
    assert fake_model.calls == 1  # one batch for the whole build, not one per report


def test_the_index_marks_a_report_whose_statement_changed_since(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    fill(project, FOMC_A, FOMC_C, series="other")
    project.run("report")
    b_path = project.statements / "fomc" / f"{B}.md"
    b_path.write_text(b_path.read_text(encoding="utf-8").replace("modest pace", "slow pace"), encoding="utf-8")
    assert project.run("report", "--series", "other").stdout.splitlines()[-1].startswith("0 built, 1 up to date")
    fomc = index(project).select_one("section#fomc")
    assert fomc is not None
    assert [el.get_text() for el in fomc.select(".sdi-stale")] == ["out of date: run statediff report"]
    assert index(project).select_one("section#other .sdi-stale") is None


def test_each_series_has_its_own_time_axis(project: Project, fake_model: FakeEmbedder) -> None:
    # fomc spans May to July 2023; "other" only June to July: each axis runs from its own first to its own last date.
    fill(project, FOMC_A, FOMC_B, FOMC_C)
    fill(project, FOMC_B, FOMC_C, series="other")
    project.run("report")
    page = index(project)
    for name, ends in (("fomc", ["2023-05-03", "2023-07-26"]), ("other", ["2023-06-14", "2023-07-26"])):
        section = page.select_one(f"section#{name}")
        assert section is not None
        assert [el.get_text() for el in section.select(".sdi-axis-ends span")] == ends
        dots = [el["style"] for el in section.select(".sdi-axis .sdi-dot")]
        assert dots[0] == "left: 0.0%" and dots[-1] == "left: 100.0%"


def test_a_large_build_embeds_in_a_background_thread_and_builds_the_same_reports(
    project: Project, fake_model: FakeEmbedder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import threading

    import statediff.engine.embed
    import statediff.folder.prefetch
    from statediff.engine.embed import VectorCache

    fill(project, FOMC_A, FOMC_B, FOMC_C)
    assert project.run("report").exit_code == 0  # a few new sentences: embedded up front, in this thread
    built = {p: p.read_bytes() for p in sorted(project.reports.rglob("*.json"))}
    cached = statediff.engine.embed.default_embedder()
    cached.cache = VectorCache(tmp_path / "empty-cache")  # every sentence new again
    seen: list[tuple[str, str]] = []
    encode = fake_model.encode

    def recording(texts: list[str]) -> object:
        seen.extend((threading.current_thread().name, t) for t in texts)
        return encode(texts)

    monkeypatch.setattr(fake_model, "encode", recording)
    monkeypatch.setattr(statediff.folder.prefetch, "CHUNK", 3)  # so these few sentences count as a cold build's many
    result = project.run("report", "--force")
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("embedding sentences") for line in result.stdout.splitlines())
    assert {name for name, _ in seen} == {"statediff-embed"}  # the model ran beside the build, never in its thread
    texts = [t for _, t in seen]
    assert len(texts) == len(set(texts)) > 6  # each sentence embedded once
    assert {p: p.read_bytes() for p in sorted(project.reports.rglob("*.json"))} == built
    assert not any(t.name == "statediff-embed" and t.is_alive() for t in threading.enumerate())
