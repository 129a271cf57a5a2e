"""The HTML report's structure, checked with a parser (the real page is driven in test_report_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import statediff
from fakes import FakeEmbedder, use_fake_model
from report_cases import NEW, OLD, PWN, XSS_NEW, XSS_OLD
from statediff.cli import main
from statediff.model import Comparison
from statediff.render.html import render_html, safe_href, sentence_anchor


@pytest.fixture
def comparison(fake_embedder: FakeEmbedder) -> Comparison:
    return statediff.compare(OLD, NEW, embedder=fake_embedder)


@pytest.fixture
def soup(comparison: Comparison) -> BeautifulSoup:
    return BeautifulSoup(render_html(comparison), "html.parser")


def rows(soup: BeautifulSoup) -> list:
    return soup.select("#sd-table tbody tr.sd-row")


def test_the_header_names_both_statements_with_dates_issuers_and_source_links(soup: BeautifulSoup) -> None:
    old, new = soup.select(".sd-doc")
    assert old.select_one(".sd-doc-title").get_text() == "Old <b>statement</b>"  # the title's markup is text
    assert old.select_one("time")["datetime"] == "2024-01-31"
    assert new.select_one("time")["datetime"] == "2024-03-20"
    assert "Federal Open Market Committee, Board of Governors" in old.get_text()
    assert old.select_one(".sd-source a")["href"] == "https://example.org/fomc/old"
    assert "(via the archive)" in old.select_one(".sd-source").get_text()
    assert new.select_one(".sd-source a")["href"] == "https://example.org/fomc/new"


def test_the_counts_by_kind_match_the_comparison(comparison: Comparison, soup: BeautifulSoup) -> None:
    shown = {li["data-kind"]: int(li.select_one(".sd-n").get_text()) for li in soup.select(".sd-counts li")}
    assert shown == comparison.to_dict()["summary"]
    assert shown["moved"] == shown["added"] == shown["removed"] == shown["split"] == 1


def test_one_row_per_change_and_a_split_holds_both_new_sentences_in_its_row(comparison: Comparison, soup: BeautifulSoup) -> None:
    change_rows = [r for r in rows(soup) if not r.has_attr("data-ghost")]
    assert [r["data-kind"] for r in change_rows] == [ch.kind for ch in comparison.changes]
    split = soup.select_one('tr[data-kind="split"]')
    new_sentences = split.select("td.sd-new .sd-s")
    assert [s["id"] for s in new_sentences] == [sentence_anchor(comparison.new_sentences[j].text) for j in (7, 8)]
    assert "raise the target range for the federal funds rate" in new_sentences[0].get_text()
    assert new_sentences[1].get_text().endswith("monitor the incoming data closely.")
    assert split.select_one("td.sd-old del").get_text() == " and it"
    assert split.select_one("td.sd-new ins").get_text().strip() == "."


def test_a_merge_holds_both_old_sentences_in_one_row(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(NEW, OLD, embedder=fake_embedder)  # the split, the other way round
    soup = BeautifulSoup(render_html(c), "html.parser")
    merged = soup.select('tr[data-kind="merged"]')
    assert len(merged) == 1
    old = merged[0].select("td.sd-old .sd-s")
    assert [s["id"] for s in old] == ["old-" + sentence_anchor(c.old_sentences[i].text) for i in (7, 8)]
    assert old[1].get_text().endswith("monitor the incoming data closely.")
    assert [s.get_text() for s in merged[0].select("td.sd-new ins")] == [" and it"]


def test_each_side_shows_its_own_typography(fake_embedder: FakeEmbedder) -> None:
    old = "The Committee\u2019s view \u2014 as before \u2014 is that growth was moderate."
    new = "The Committee's view -- as before -- is that growth was solid."
    soup = BeautifulSoup(render_html(statediff.compare([old], [new], embedder=fake_embedder)), "html.parser")
    row = soup.select_one('tr[data-kind="modified"]')
    assert row.select_one("td.sd-old .sd-s").get_text() == "1 " + old
    assert row.select_one("td.sd-new .sd-s").get_text() == "1 " + new


def test_word_changes_are_ins_and_del(soup: BeautifulSoup) -> None:
    modified = soup.select_one('tr[data-kind="modified"]')
    assert [d.get_text() for d in modified.select("td.sd-old del")] == ["The"]
    assert [i.get_text() for i in modified.select("td.sd-new ins")] == ["Job gains have remained strong, and the"]
    inline = modified.select_one("td.sd-inline")
    assert [t.name for t in inline.find_all(["ins", "del"])] == ["del", "ins"]
    assert inline.get_text().startswith("3 The Job gains")  # the sentence number, then "The Job", not "TheJob"


def test_every_sentence_has_a_unique_stable_anchor_and_a_link_to_itself(comparison: Comparison, soup: BeautifulSoup) -> None:
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    new_ids = [s["id"] for s in soup.select("td.sd-new .sd-s")]
    assert sorted(new_ids) == sorted(sentence_anchor(s.text) for s in comparison.new_sentences)
    for sentence in soup.select(".sd-s"):
        assert sentence.select_one("a.sd-link")["href"] == "#" + sentence["id"]
    # The same sentence gets the same anchor in a report of another pair (typography aside).
    other = statediff.compare("A different start.\n\nBanks are sound and resilient.", "Banks are sound\u00a0and resilient.",
                              embedder=FakeEmbedder())
    other_soup = BeautifulSoup(render_html(other), "html.parser")
    assert other_soup.find(id=sentence_anchor("Banks are sound and resilient.")) is not None
    assert soup.find(id=sentence_anchor("Banks are sound and resilient.")) is not None


def test_a_repeated_sentence_gets_numbered_anchors(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(["We agree.", "Trade grows.", "We agree."], ["We agree.", "Trade grows fast.", "We agree."],
                          embedder=fake_embedder)
    soup = BeautifulSoup(render_html(c), "html.parser")
    base = sentence_anchor("We agree.")
    assert [s["id"] for s in soup.select("td.sd-new .sd-s") if s["id"].startswith(base)] == [base, base + "-2"]
    assert [s["id"] for s in soup.select("td.sd-old .sd-s") if "We agree" in s.get_text()] == ["old-" + base, f"old-{base}-2"]


def test_a_moved_sentence_links_both_ways_and_its_old_place_keeps_the_old_order(soup: BeautifulSoup) -> None:
    moved = soup.select_one('tr[data-kind="moved"]:not([data-ghost])')
    ghost = soup.select_one("tr[data-ghost]")
    assert moved.select_one("a.sd-moved-link")["href"] == "#" + ghost["id"]
    assert ghost.select_one("a.sd-moved-link")["href"] == "#" + moved["id"]
    assert "Old sentence 7" in ghost.get_text() and "new 2" in ghost.get_text()
    # Old sentence 7 stood after old 6 and before old 8: the ghost sits just before the row holding old 8 (the split).
    order = [r.get("data-kind") for r in rows(soup)]
    assert order.index("split") - 1 == rows(soup).index(ghost)


def test_sentences_moved_away_from_one_place_are_listed_there_in_their_old_order(fake_embedder: FakeEmbedder) -> None:
    words = ["apples", "bridges", "copper", "dolphins", "engines", "forests"]
    old = [f"The report on {w} was published today." for w in words]
    new = [old[3], old[4], old[0], old[1], old[2], old[5]]
    c = statediff.compare(old, new, embedder=fake_embedder)
    assert [ch.kind for ch in c.changes].count("moved") == 2
    soup = BeautifulSoup(render_html(c), "html.parser")
    order = [(r.get("data-kind"), r.has_attr("data-ghost"), r.select_one("td.sd-old").get_text()) for r in rows(soup)]
    ghosts = [k for k, (_, ghost, _) in enumerate(order) if ghost]
    assert [order[k][2].split(" moved")[0] for k in ghosts] == ["Old sentence 4", "Old sentence 5"]
    assert ghosts == [len(order) - 3, len(order) - 2]  # after old 3, before old 6: where they stood


def test_what_changed_lists_new_dropped_reworded_and_moved_each_linking_to_its_row(soup: BeautifulSoup) -> None:
    summary = soup.select_one("#sd-summary")
    assert summary.find_previous("table") is None  # it comes before the statements
    new_list = summary.select_one("#sd-l-new").find_parent("section")
    assert new_list.select_one("ol li ins").get_text() == "Banks are sound and resilient."
    new_parts = [i.get_text() for i in summary.select("#sd-l-new ~ div h4 + ol ins")]
    assert "Job gains have remained strong, and the" in new_parts
    dropped = summary.select_one("#sd-l-removed").find_parent("section")
    assert dropped.select_one("del").get_text() == "Job gains have moderated since early last year but remain strong."
    ids = {tag["id"] for tag in soup.select("[id]")}
    for link in summary.select("a[href]"):
        assert link["href"].lstrip("#") in ids


def test_reworded_sentences_are_ordered_by_how_much_changed(fake_embedder: FakeEmbedder) -> None:
    old = ["The economy grew at a moderate pace this year.",
           "Inflation remains elevated and well above the target of the Committee today.",
           "The Committee will keep watching the labour market."]
    new = ["The economy grew at a solid pace this year.",
           "Inflation has eased but remains well above the target of the Committee now.",
           "The Committee will keep watching the labour market closely."]
    c = statediff.compare(old, new, embedder=fake_embedder)
    assert [ch.kind for ch in c.changes] == ["modified"] * 3
    soup = BeautifulSoup(render_html(c), "html.parser")
    items = soup.select_one("#sd-l-reworded").find_parent("section").select("li")
    shares = [int(re.search(r"(\d+)% changed", li.get_text()).group(1)) for li in items]  # type: ignore[union-attr]
    assert [li.select_one("a")["href"] for li in items] == ["#c1", "#c0", "#c2"]  # 4 of 11 words, 1 of 9, 1 of 10
    assert shares == sorted(shares, reverse=True) and len(set(shares)) == 3


def test_statement_text_is_text_never_markup(fake_embedder: FakeEmbedder) -> None:
    html = render_html(statediff.compare(XSS_OLD, XSS_NEW, embedder=fake_embedder))
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1  # only the report's own
    assert PWN not in soup.find("script").get_text()
    assert soup.find("img") is None
    assert not [a for a in soup.find_all("a") if not a["href"].startswith(("#", "https://", "http://"))]
    assert not soup.select("[onerror], [onclick], [onload]")
    text = soup.get_text()
    assert f"<img src=x onerror={PWN}>" in text
    assert f"<script>{PWN}</script>" in text
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "{{ config }}" in soup.select(".sd-doc-title")[1].get_text()
    # A javascript: source is shown as text, not as a link.
    old_source = soup.select(".sd-doc")[0].select_one(".sd-source")
    assert old_source.find("a") is None and old_source.get_text() == f"javascript:{PWN}"


def test_safe_href_accepts_only_absolute_http_addresses() -> None:
    assert safe_href("https://www.federalreserve.gov/x.htm (via archive)") == "https://www.federalreserve.gov/x.htm"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/x", "vbscript:x",
                "file:///etc/passwd", "https://x.example/\"onmouseover=1", "", None, "relative/path"):
        assert safe_href(bad) is None, bad


def test_the_report_is_self_contained_and_its_policy_allows_only_its_own_script(soup: BeautifulSoup) -> None:
    assert not soup.select("link, img, iframe, object, embed, [src]")
    assert all(a["href"].startswith(("#", "https://example.org/")) for a in soup.select("a[href]"))
    policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "default-src 'none'" in policy
    script = soup.select_one("script").string
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "sd-table" in soup.select_one("style").get_text() or ".sd-table" in soup.select_one("style").get_text()


def test_without_javascript_the_controls_are_hidden_not_dead(soup: BeautifulSoup) -> None:
    assert soup.select_one("#sd-toolbar").has_attr("hidden")
    assert soup.select_one("body")["data-view"] == "sbs"


def test_a_user_template_folder_takes_precedence(tmp_path: Path, comparison: Comparison) -> None:
    (tmp_path / "report.css").write_text(".sd-table { --user-override: 1; }\n", encoding="utf-8")
    html = render_html(comparison, template_dir=str(tmp_path))
    assert "--user-override: 1" in html
    assert "prefers-color-scheme" not in html  # the built-in stylesheet was replaced, not appended to
    (tmp_path / "report.html.j2").write_text("<p>{{ new.title }} {{ rows|length }}</p>", encoding="utf-8")
    assert render_html(comparison, template_dir=str(tmp_path)) == f"<p>New statement {len(comparison.changes) + 1}</p>"


def test_a_user_template_still_escapes_statement_text(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    (tmp_path / "report.html.j2").write_text("<h1>{{ old.title }}</h1>", encoding="utf-8")
    html = render_html(statediff.compare(XSS_OLD, XSS_NEW, embedder=fake_embedder), template_dir=str(tmp_path))
    assert html == "<h1>&lt;script&gt;window.__pwned=1&lt;/script&gt; Old</h1>"


@pytest.mark.model
def test_compare_template_dir_option(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("The rate was raised. Growth is solid.\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("The rate was held. Growth is solid.\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("custom {{ counts['modified'] }} modified", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "-o", str(out),
                                       "--template-dir", str(templates)])
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8") == "custom 1 modified"


def test_compare_template_dir_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("The rate was raised.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.txt"), str(tmp_path / "old.txt"), "--format", "html",
                                       "--template-dir", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "missing" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "template", "says"),
    [("report.html.j2", "{% bad", "report.html.j2, line 1: Encountered unknown tag 'bad'"),
     ("report.html.j2", "{{ nosuch.attr }}", "'nosuch' is undefined"),
     ("report.html.j2", b"\xff", "templates/report.html.j2: is not UTF-8 text (byte 0 is 0xff); save it as UTF-8"),
     ("report.css", b"body { content: 'caf\xe9' }", "templates/report.css: is not UTF-8 text (byte 20 is 0xe9)"),
     ("report.js", b"// \x93quoted\x94", "templates/report.js: is not UTF-8 text (byte 3 is 0x93)"),
     ("report.css", "{% include 'parts/head.j2' %}", "template parts/head.j2: not found; fix it in ")],
    ids=["syntax", "undefined", "not-utf8", "latin1-css", "cp1252-js", "missing-include"],
)
def test_a_broken_user_template_is_one_line_and_exit_2(
    tmp_path: Path, comparison: Comparison, name: str, template: str | bytes, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    if isinstance(template, bytes):
        (templates / name).write_bytes(template)
    else:
        (templates / name).write_text(template, encoding="utf-8")
    with pytest.raises(statediff.StatediffError, match=re.escape(says)):
        render_html(comparison, template_dir=str(templates))
    # Through the CLI: one line, exit 2 (not 1, "differences"), and no report file.
    use_fake_model(monkeypatch)
    (tmp_path / "old.txt").write_text("The rate was raised.\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("The rate was held.\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "-o", str(out),
                                       "--template-dir", str(templates)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_user_template_that_cannot_be_read_is_named(tmp_path: Path, comparison: Comparison,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """(Permissions cannot deny root a read, so the refusal is made by hand.)"""
    import jinja2.loaders

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.css").write_text("body {}", encoding="utf-8")

    def denied(file: str, *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(templates)):
            raise PermissionError(13, "Permission denied")
        return open(file, *args, **kwargs)  # the built-in templates

    monkeypatch.setattr(jinja2.loaders, "open", denied, raising=False)
    with pytest.raises(statediff.StatediffError, match=re.escape(
            f"{templates}/report.css: cannot read it (Permission denied); fix it, or remove it from {templates}")):
        render_html(comparison, template_dir=str(templates))
