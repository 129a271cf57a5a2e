"""The Markdown report, read back with a CommonMark parser (GFM tables and strikethrough on, raw HTML allowed)."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

import statediff
from fakes import FakeEmbedder
from report_cases import NEW, OLD, XSS_NEW, XSS_OLD
from statediff.model import Op
from statediff.render.markdown import md_escape, ops_markdown, render_markdown, summary_line

ZWJ = "\u200d"


def to_html(markdown: str) -> str:
    # html=True as on GitHub: any raw HTML the statement smuggled in would come through here.
    return str(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown))


def visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text().replace(ZWJ, "")


def test_summary_then_changes_with_struck_deletions_and_bold_insertions(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(OLD, NEW, embedder=fake_embedder)
    md = render_markdown(c)
    assert md.splitlines()[2] == f"**{summary_line(c)}**"
    html = to_html(md)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.find_all("h3")] == [
        "New sentences (1)", "Dropped sentences (1)", "Reworded sentences (1)", "Moved sentences (1)", "Split sentences (1)"]
    reworded = soup.find("h3", string="Reworded sentences (1)").find_next("li")
    assert [s.get_text() for s in reworded.find_all("s")] == ["The"]
    assert [b.get_text() for b in reworded.find_all("strong")] == ["Job gains have remained strong, and the"]
    expected = "The Job gains have remained strong, and the unemployment rate has remained low. (old 3 → new 3)"
    assert reworded.get_text() == expected
    split = soup.find("h3", string="Split sentences (1)").find_next("li")
    assert [s.get_text() for s in split.find_all("s")] == ["and it"]
    assert [b.get_text() for b in split.find_all("strong")] == [". It"]
    assert soup.find("h3", string="New sentences (1)").find_next("li").strong.get_text() == "Banks are sound and resilient."


def test_hostile_statement_text_stays_text(fake_embedder: FakeEmbedder) -> None:
    md = render_markdown(statediff.compare(XSS_OLD, XSS_NEW, embedder=fake_embedder))
    html = to_html(md)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    text = visible_text(html)
    assert "<script>window.__pwned=1</script> Old" in text
    assert "<img src=x onerror=window.__pwned=1>" in text
    assert '<a href="javascript:window.__pwned=1">this</a>' in text
    assert "{{ config }}" in text and "{{ 7*7 }}" in text


@pytest.mark.parametrize("text", [
    "Call @octocat and @github/security now.",
    "See Resolution #2231 and GH-5.",
    "A | pipe | table | row",
    "```python\nimport os\n```",
    "    indented like code",
    "1. not a list",
    "- not a bullet",
    "# not a heading",
    "[a link](javascript:alert(1)) and ![img](x)",
    "<!-- comment --> &amp; &lt;b&gt; \\* *em* _em_ ~~strike~~",
    "line one\n\nline two",
])
def test_md_escape_keeps_any_text_inert_and_readable(text: str) -> None:
    escaped = md_escape(text)
    assert "\n" not in escaped
    html = to_html(escaped)
    assert re.sub(r"\s+", " ", text).strip() == visible_text(html).strip()
    assert html.startswith("<p>") and html.count("<p>") == 1  # one paragraph: no list, heading, code block
    for tag in ("<a ", "<img", "<code", "<em", "<strong", "<s>", "<table", "<!--", "<b>"):
        assert tag not in html, tag
    assert not re.search(r"@[A-Za-z]", escaped), "a mention would notify someone"
    assert not re.search(r"#\d", escaped), "an issue reference would link and cross-reference"


def test_a_pipe_in_a_statement_cannot_break_a_table_cell() -> None:
    cell = md_escape("Growth | inflation | jobs")
    html = to_html(f"| sentence | kind |\n|---|---|\n| {cell} | modified |\n")
    assert html.count("<td>") == 2
    assert "Growth | inflation | jobs" in html


def test_word_changes_next_to_punctuation_still_render() -> None:
    # "2023" then an inserted "." and "(ROK)": ** between a digit and a dot would not render, so tags say it.
    ops = (Op("=", "summit in 2023"), Op("+", "."), Op("=", " The Republic of Korea"), Op("+", "(ROK)"), Op("=", " met "),
           Op("-", "yesterday"), Op("+", "today"), Op("=", "."))
    html = to_html(ops_markdown(ops))
    assert "**" not in html and "~~" not in html
    inserted = re.findall(r"<(?:strong|ins)>(.*?)</(?:strong|ins)>", html)
    deleted = re.findall(r"<(?:s|del)>(.*?)</(?:s|del)>", html)
    assert inserted == [".", "(ROK)", "today"] and deleted == ["yesterday"]
    assert visible_text(html).strip() == "summit in 2023. The Republic of Korea(ROK) met yesterday today."


def test_a_sentence_rewritten_whole_reads_as_two_sentences() -> None:
    ops = (Op("-", "Rates rose."), Op("+", "Growth slowed."))
    assert visible_text(to_html(ops_markdown(ops))).strip() == "Rates rose. Growth slowed."


def test_no_differences_says_so(fake_embedder: FakeEmbedder) -> None:
    md = render_markdown(statediff.compare("Rates are unchanged.", "Rates are unchanged.", embedder=fake_embedder))
    assert "No differences." in md
    assert "### " not in md


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. banking system is sound and resilient.", "The U.S. banking system is sound and resilient."),
    ("A free and open Indo-Pacific (FOIP) region!", "A free and open Indo-Pacific (FOIP) region!"),
    ("Rates rose to 5-1/4 percent; see_also = 3 + 4.", "Rates rose to 5-1/4 percent; see_also = 3 + 4."),
    ("1. First", "1\\. First"),
    ("- a bullet", "\\- a bullet"),
    ("# heading", "\\# heading"),
    ("> quote", "\\> quote"),
    ("a *b* _c_ `d` [e] <f> |g| ~h~ $i$ &amp;", "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\] \\<f> \\|g\\| \\~h\\~ \\$i\\$ \\&amp;"),
])
def test_md_escape_escapes_only_what_markdown_would_read(text: str, expected: str) -> None:
    assert md_escape(text) == expected
    assert visible_text(to_html(md_escape(text))).strip() == text
