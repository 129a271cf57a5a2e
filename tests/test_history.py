"""Lineages across a series: built with the reports, stored and rebuilt, notes on report rows, `statediff history`.

Fast tests with the fake embedder; the corpus tests (real model) are in test_history_corpus.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fakes import FakeEmbedder
from folder_support import Project

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

RANGE = "The Committee decided to {verb} the target range for the federal funds rate {prep} {range} percent."
MONITOR = "The Committee will continue to monitor the implications of incoming information for the economic outlook."
STEADY = "Inflation remains elevated."


def statement(n: int, *sentences: str) -> str:
    return f"title: Statement {n}\ndate: 2023-{n:02d}-01\nsource: https://example.org/{n}\n\n" + " ".join(sentences) + "\n"


SERIES = [
    statement(1, RANGE.format(verb="raise", prep="to", range="4-1/2 to 4-3/4"), STEADY, MONITOR),
    statement(2, RANGE.format(verb="raise", prep="to", range="4-3/4 to 5"), STEADY),
    statement(3, RANGE.format(verb="raise", prep="to", range="5 to 5-1/4"), STEADY, "Growth has slowed markedly."),
    statement(4, RANGE.format(verb="maintain", prep="at", range="5 to 5-1/4"), STEADY, MONITOR),
]


def fill(project: Project, texts: list[str], report: bool = False) -> None:
    for n, text in enumerate(texts):
        extra = () if report else ("--no-report",)
        result = project.add(f"s{n}.txt", text, "--series", "fomc", "--issuer", "FOMC", *extra)
        assert result.exit_code == 0, result.output


def stored(project: Project) -> dict[str, list[list[str]]]:
    doc = json.loads((project.reports / ".statediff-history.json").read_text(encoding="utf-8"))
    return {name: [e["lineages"] for e in entries] for name, entries in doc["series"].items()}


def report_json(project: Project, k: int) -> dict:  # type: ignore[type-arg]
    files = sorted((project.reports / "fomc").glob("*.json"))
    return json.loads(files[k].read_text(encoding="utf-8"))


def test_a_returning_sentence_is_one_lineage_with_a_gap(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    assert project.run("report").exit_code == 0
    lineages = stored(project)["fomc"]
    assert lineages[0][2] == lineages[3][2]  # MONITOR, absent from statements 2 and 3
    assert lineages[0][2] not in lineages[1] + lineages[2]
    assert len({row[0] for row in lineages}) == 1  # the target range sentence: one lineage through every rewording
    assert lineages[2][2] not in lineages[0] + lineages[1]  # a new sentence starts its own lineage


def test_the_report_of_a_returning_sentence_says_where_it_was_last_seen(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    assert project.run("report").exit_code == 0
    last = report_json(project, 2)
    added = [c for c in last["changes"] if c["kind"] == "added"]
    assert [c["history"]["returns_from"] for c in added] == ["2023-01-01"]
    assert added[0]["history"]["lineage"] == stored(project)["fomc"][0][2]
    html_file = sorted((project.reports / "fomc").glob("*.html"))[2]
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    note = soup.select_one("tr.sd-k-added .sd-returns")
    assert note is not None and "Returns from 2023-01-01, last seen there" in note.get_text()
    link = soup.select_one("tr.sd-k-added a.sd-hist-link")
    assert link is not None and link["href"] == f"history.html#{added[0]['history']['lineage']}"
    # A reworded sentence with older wordings shows them (newest first), the previous one being the report's own old side.
    rows = [c for c in last["changes"] if c["kind"] == "modified"]
    assert [v["text"] for v in rows[0]["history"]["earlier"]] == [
        RANGE.format(verb="raise", prep="to", range="4-3/4 to 5"), RANGE.format(verb="raise", prep="to", range="4-1/2 to 4-3/4")]


def test_text_and_markdown_reports_carry_the_notes(fake_model: FakeEmbedder) -> None:
    from statediff.engine.embed import default_embedder
    from statediff.engine.pipeline import compare
    from statediff.history.build import extend_with
    from statediff.history.lineage import Table
    from statediff.history.story import annotate
    from statediff.render import render

    class S:  # the few Statement fields extend_with reads
        def __init__(self, n: int, text: str) -> None:
            from statediff.read.ingest import parse_text

            self.doc = parse_text(text)
            self.stem, self.date, self.digest, self.body = f"2023-{n:02d}-01-s", self.doc.date, f"{n:064x}", self.doc.body

        def document(self):  # type: ignore[no-untyped-def]
            return self.doc

    items = [S(n + 1, t) for n, t in enumerate(SERIES)]
    embedder = default_embedder()
    table = Table("fomc")
    for _ in items[:3]:
        extend_with(table, items, embedder)  # type: ignore[arg-type]
    c = compare(items[2].document(), items[3].document(), embedder=embedder)
    extend_with(table, items, embedder, c)  # type: ignore[arg-type]
    c = annotate(c, table, 3)
    text = render(c, "text")
    # The added line may carry its closest counterpart in brackets (the many-to-many notes); the history follows.
    assert re.search("^" + re.escape("+ " + MONITOR) + r"(  \[[^\]\n]*\])?\n    returns from 2023-01-01, last seen there "
                     r"\(first seen 2023-01-01\)", text, flags=re.M), text
    md = render(c, "md")
    assert "  - returns from 2023-01-01, last seen there (first seen 2023-01-01)" in md
    assert "  - earlier, 2023-02-01: The Committee decided to raise the target range for the federal funds rate to 4-3/4" in md


def test_lineage_ids_survive_the_next_statement_and_a_rebuild(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES[:3], report=True)  # one statement at a time, as a user adds them
    before = stored(project)["fomc"]
    fill_more = project.add("s3.txt", SERIES[3], "--series", "fomc", "--issuer", "FOMC")
    assert fill_more.exit_code == 0, fill_more.output
    after = stored(project)["fomc"]
    assert after[:3] == before
    (project.reports / ".statediff-history.json").unlink()
    assert project.run("report").exit_code == 0
    assert stored(project)["fomc"] == after  # rebuilt from scratch: the same ids


def test_adding_a_statement_compares_only_the_new_pair(project: Project, fake_model: FakeEmbedder,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fill(project, SERIES[:3], report=True)
    import statediff.engine.pipeline

    calls: list[str] = []
    real = statediff.engine.pipeline.compare
    monkeypatch.setattr(statediff.engine.pipeline, "compare",
                        lambda old, new, **kw: calls.append(str(new.date)) or real(old, new, **kw))
    result = project.add("s3.txt", SERIES[3], "--series", "fomc", "--issuer", "FOMC")
    assert result.exit_code == 0, result.output
    assert calls == ["2023-04-01"]


@pytest.mark.parametrize("damage", ["not json{", "path-stem", "lineage-id", "span"])
def test_a_damaged_store_is_rebuilt(project: Project, fake_model: FakeEmbedder, damage: str) -> None:
    fill(project, SERIES)
    assert project.run("report").exit_code == 0
    good = stored(project)
    path = project.reports / ".statediff-history.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    if damage == "lineage-id":
        doc["series"]["fomc"][1]["lineages"][0] = "<script>"
    elif damage == "path-stem":
        doc["series"]["fomc"][0]["stem"] = "../../x"
    elif damage == "span":  # well-formed, but not where the sentence is: the text would not be the file's
        doc["series"]["fomc"][2]["spans"][0] = [0, 3]
    path.write_text(damage if damage.startswith("not json") else json.dumps(doc), encoding="utf-8")
    result = project.run("history", "--series", "fomc", "--query", "target range")
    assert result.exit_code == 0, result.output
    if damage != "span":  # a span that fits the file is only found not to match: rebuilt without a word
        assert "rebuilding the lineages" in result.stderr
    assert stored(project) == good


def test_history_command_tells_the_life_of_a_sentence(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    result = project.run("history", "--series", "fomc", "--query", "monitor the implications")
    assert result.exit_code == 0, result.output
    lines = [line.split()[:2] for line in result.stdout.splitlines() if line.startswith("  20")]
    assert lines == [["2023-01-01", "first"], ["2023-02-01", "absent"], ["2023-04-01", "returns"]]
    result = project.run("history", "--series", "fomc", "--query", "target range", "--format", "json")
    doc = json.loads(result.stdout)
    steps = doc["lineages"][0]["steps"]
    assert [s["kind"] for s in steps] == ["first", "reworded", "reworded", "reworded"]
    assert ["+", "maintain"] in steps[-1]["ops"]
    out = project.root / "h.html"
    assert project.run("history", "--series", "fomc", "--query", "target range", "-o", str(out)).exit_code == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert [td.get_text() for td in soup.select("td.sdq-reworded")] == ["reworded"] * 3
    assert "maintain" in [ins.get_text() for ins in soup.select("tbody ins")]


def test_history_by_sentence_anchor(project: Project, fake_model: FakeEmbedder) -> None:
    from statediff.render.report_model import sentence_anchor

    fill(project, SERIES)
    anchor = sentence_anchor(STEADY)
    result = project.run("history", "--series", "fomc", "--sentence", f"reports/fomc/x.html#{anchor}")
    assert result.exit_code == 0, result.output
    assert "in 4 of 4 statements" in result.stdout


def test_history_bad_input(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    result = project.run("history", "--series", "g8", "--query", "x")
    assert result.exit_code == 2
    assert "series 'g8': no such folder" in result.stderr and "(series: fomc)" in result.stderr
    result = project.run("history", "--series", "fomc", "--query", "zebra giraffe okapi")
    assert result.exit_code == 1
    assert "no sentence of series 'fomc' matches 'zebra giraffe okapi'" in result.stderr
    result = project.run("history", "--series", "fomc", "--sentence", "s-0123456789")
    assert result.exit_code == 2 and "is in no statement of series 'fomc'" in result.stderr
    result = project.run("history", "--series", "fomc", "--sentence", "nonsense")
    assert result.exit_code == 2 and "is not a sentence anchor" in result.stderr
    result = project.run("history", "--series", "fomc")
    assert result.exit_code == 2 and "give either --query TEXT or --sentence ANCHOR" in result.stderr


def test_history_page_has_a_row_per_lineage_and_a_mark_per_appearance(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    assert project.run("report").exit_code == 0
    page = project.reports / "fomc" / "history.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    rows = {row["id"]: row for row in soup.select("section.sdh-row")}
    lineages = stored(project)["fomc"]
    assert set(rows) == {lin for entry in lineages for lin in entry}
    monitor = rows[lineages[0][2]]
    assert [(m["class"][1], m["style"]) for m in monitor.select(".sdh-m")] == [
        ("sdh-new", "grid-column: 1 / span 1"), ("sdh-returned", "grid-column: 4 / span 1")]
    steady = rows[lineages[0][1]]
    assert [(m["class"][1], m["style"]) for m in steady.select(".sdh-m")] == [
        ("sdh-new", "grid-column: 1 / span 1"), ("sdh-same", "grid-column: 2 / span 3")]
    assert steady["data-current"] == "1"
    index = BeautifulSoup((project.reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select_one('a[href="fomc/history.html"]') is not None
    # Nothing changed: the page is not rewritten.
    stamp = page.stat().st_mtime_ns
    assert project.run("report").exit_code == 0
    assert page.stat().st_mtime_ns == stamp


def test_history_page_escapes_statement_text(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, [statement(1, "We reject <script>alert(1)</script> and \"quotes\"."), statement(2, "Nothing else.")])
    assert project.run("report").exit_code == 0
    html = (project.reports / "fomc" / "history.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_statement_inserted_earlier_rebuilds_the_later_reports(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, [SERIES[0], SERIES[1], SERIES[3]])
    assert project.run("report").exit_code == 0
    result = project.add("s2.txt", SERIES[2], "--series", "fomc", "--issuer", "FOMC", "--no-report")
    assert result.exit_code == 0
    result = project.run("report")
    assert result.stdout.splitlines()[-1].startswith("2 built, 1 up to date, 1 removed")
    assert stored(project)["fomc"][3][2] == stored(project)["fomc"][0][2]


def test_positions_hook_adds_marks_to_each_wording(project: Project, fake_model: FakeEmbedder) -> None:
    from statediff.engine.embed import default_embedder
    from statediff.history.query import series_table
    from statediff.history.story import story

    fill(project, SERIES)
    table = series_table(project.statements, project.reports, "fomc", default_embedder())
    lineage = table.entries[0].lineages[0]
    told = story(table, lineage, marker=lambda _previous, text: ("hold",) if "maintain" in text else ("hike",))
    assert [(s.kind, s.marks) for s in told.steps] == [
        ("first", ("hike",)), ("reworded", ("hike",)), ("reworded", ("hike",)), ("reworded", ("hold",))]


def test_every_reworded_range_in_order(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    result = project.run("history", "--series", "fomc", "--query", "federal funds rate", "--format", "json")
    steps = json.loads(result.stdout)["lineages"][0]["steps"]
    assert [s["date"] for s in steps] == ["2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"]


def test_store_never_chooses_a_path(tmp_path: Path) -> None:
    from statediff.history import store
    from statediff.history.lineage import ALGORITHM

    (tmp_path / store.STORE).write_text(json.dumps({
        "schema": store.SCHEMA, "algorithm": ALGORITHM, "model": "m", "segmenter": store.segmenter(),
        "series": {"fomc": [{"stem": "../../etc/passwd", "date": "2023-01-01", "digest": "0" * 64,
                             "fingerprint": "0" * 20, "lineages": [], "spans": []}]}}), encoding="utf-8")
    assert store.load(tmp_path, "m").entries == {"fomc": []}


def test_a_series_of_one_statement_has_a_history_page(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES[:1])
    result = project.run("report")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((project.reports / "fomc" / "history.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("section.sdh-row")) == 3
    assert {m["class"][1] for m in soup.select(".sdh-strip .sdh-m")} == {"sdh-new"}


def test_history_works_when_the_lineages_cannot_be_kept(project: Project, fake_model: FakeEmbedder) -> None:
    from folder_support import read_only

    fill(project, SERIES)
    project.reports.mkdir()
    with read_only(project.reports):
        result = project.run("history", "--series", "fomc", "--query", "monitor the implications")
    assert result.exit_code == 0, result.output
    assert "the lineages are not kept for next time" in result.stderr
    assert "returns" in result.stdout and not (project.reports / ".statediff-history.json").exists()


def test_an_oversized_store_is_not_read(project: Project, fake_model: FakeEmbedder) -> None:
    from statediff.history import store

    fill(project, SERIES)
    project.reports.mkdir()
    with (project.reports / store.STORE).open("wb") as handle:
        handle.truncate(store._MAX_BYTES + 1)
    result = project.run("history", "--series", "fomc", "--query", "target range")
    assert result.exit_code == 0 and "larger than 64 MB; rebuilding the lineages" in result.stderr


def test_notes_of_an_added_sentence_say_return_only_after_a_gap() -> None:
    import datetime as dt

    from statediff.history.lineage import Entry, Table
    from statediff.history.story import sentence_history

    table = Table("s")
    for n, (lineages, texts) in enumerate([(("La",), ("Old words.",)), (("Lb",), ("Other.",)),
                                           (("La", "Lb"), ("New words.", "Other.")), (("Lb",), ("Other again.",))]):
        table.add(Entry(f"2023-0{n + 1}-01-s", dt.date(2023, n + 1, 1), "0" * 64, "0" * 20, lineages), texts)
    back = sentence_history(table, 2, 0, "added")  # absent from 2023-02-01: a return
    assert back is not None and back.returns_from == "2023-01-01" and [v.text for v in back.earlier] == ["Old words."]
    unpaired = sentence_history(table, 3, 0, "added")  # in the report's own old statement: not a return
    assert unpaired is not None and unpaired.returns_from is None and unpaired.first_seen == "2023-02-01"
    assert [(v.since, v.until, v.text) for v in unpaired.earlier] == [("2023-02-01", "2023-03-01", "Other.")]
    reworded = sentence_history(table, 2, 0, "modified")
    assert reworded is not None and reworded.returns_from is None and [v.text for v in reworded.earlier] == ["Old words."]


def test_history_page_marks_say_when(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, SERIES)
    assert project.run("report").exit_code == 0
    soup = BeautifulSoup((project.reports / "fomc" / "history.html").read_text(encoding="utf-8"), "html.parser")
    steady = stored(project)["fomc"][0][1]
    titles = [m["title"] for m in soup.select(f"#{steady} .sdh-strip .sdh-m")]
    assert titles == ["2023-01-01: first appears", "2023-02-01 to 2023-04-01: unchanged"]


def test_history_marks_each_rewording_with_its_figures_and_tilt(project: Project, fake_model: FakeEmbedder) -> None:
    # The positions layer is the marker: each rewording says what moved against the wording before it.
    fill(project, SERIES)
    for path in sorted((project.statements / "fomc").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n---\n", "\nkind: monetary-policy\n---\n", 1), encoding="utf-8")
    result = project.run("history", "--series", "fomc", "--query", "federal funds rate", "--format", "json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["lineages"][0]["steps"]
    assert steps[0]["marks"] == []  # a first wording has nothing to be compared with
    assert "4-1/2 to 4-3/4 percent → 4-3/4 to 5 percent" in steps[1]["marks"] and "hawkish" in steps[1]["marks"]
    assert steps[3]["kind"] == "reworded" and steps[3]["marks"] == ["dovish"]  # raise -> maintain
    text = project.run("history", "--series", "fomc", "--query", "federal funds rate").stdout
    assert "{+5-1/4+} percent.  [hawkish, 4-3/4 to 5 percent → 5 to 5-1/4 percent]" in text
    assert text.rstrip().endswith("{+at+} 5 to 5-1/4 percent.  [dovish]")  # "maintain" after hikes reads dovish


def test_change_marks_say_editorial_and_nothing_for_a_first_wording() -> None:
    from statediff.positions.digest import change_marks

    assert change_marks("", "We condemn the launches.") == ()
    assert change_marks("Information received since June indicates that growth slowed.",
                        "Information received since July indicates that growth slowed.") == ("editorial",)
    marks = change_marks("We condemn the DPRK's launches.", "We strongly condemn the DPRK's launches with Russia.")
    assert marks[0].startswith("stronger (") and "+Russia" in marks


def test_history_reads_a_series_that_names_a_policy_rate_as_monetary_policy(project: Project, fake_model: FakeEmbedder) -> None:
    # FOMC statements added with no kind (the corpus' .txt files) got hawkish/dovish tilts in their reports (a pair
    # that names a policy rate is read as monetary policy) but none in `statediff history`.
    fill(project, SERIES)
    result = project.run("history", "--series", "fomc", "--query", "federal funds rate", "--format", "json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["lineages"][0]["steps"]
    assert "hawkish" in steps[1]["marks"] and steps[3]["marks"] == ["dovish"]
    for path in sorted((project.statements / "fomc").glob("*.md")):  # a kind that says otherwise is obeyed
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n---\n", "\nkind: policy-statement\n---\n", 1), encoding="utf-8")
    result = project.run("history", "--series", "fomc", "--query", "federal funds rate", "--format", "json")
    assert "hawkish" not in json.loads(result.stdout)["lineages"][0]["steps"][1]["marks"]
