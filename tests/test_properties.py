"""Properties that hold for any text at all (issue 8), checked with hypothesis on arbitrary Unicode: empty,
whitespace, control characters, bidi controls, CJK without spaces, ``\\r\\n``, very long lines, and markup a
stranger would plant. The fake embedder keeps each example fast; example counts are bounded so the suite stays
quick (``HYPOTHESIS_PROFILE=long`` runs more)."""

from __future__ import annotations

import json
import os
import re

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import statediff
from fakes import FakeEmbedder
from invariants import assert_sound
from statediff.engine.segment import segment
from statediff.model import comparison_to_dict
from statediff.render import render

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=True)
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Markup a pull request could plant in a statement: every one must stay text in every output.
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<x-evil data-evil=1>", "</td></tr>",
           '" onmouseover="alert(1)', "<iframe src=//evil>", "<!--", "-->", "]]>", "{{ 7*7 }}", "{% raw %}",
           "@octocat", "#12", "| a | b |", "```", "~~~", "    code", "<svg onload=alert(1)>", "&amp;", "&#60;b&#62;",
           "\u202e", "\u2066", "\x1b[31m", "\r\n", "\r", "\x00", "\u2028", "javascript:alert(1)", "[x](javascript:y)"]
WORDS = ["The", "Committee", "decided", "to", "raise", "inflation", "remains", "elevated", "U.S.", "Dr.", "5-1/4",
         "percent", "经济活动", "継続", "é", "naïve", "ﬁnance", "\u00a0", "\u00ad", "—", "«", "»", "!", "?", "."]

unicode_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)
statementish = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), unicode_text,
                                  st.sampled_from([" ", "\n", "\n\n", ". ", "\r\n\r\n", "- ", "# ", "1. "])),
                        max_size=60).map("".join)
long_line = st.integers(1, 40).map(lambda n: "Inflation remains elevated, " * n * 20 + "and growth slowed.")
any_text = st.one_of(statementish, unicode_text, long_line, st.sampled_from(["", " ", "\n\n\n", "\r\n", "。。。"]))

_EMBEDDER = FakeEmbedder()


def comparison(old: str, new: str) -> statediff.Comparison:
    return statediff.compare(old, new, embedder=_EMBEDDER)


@given(any_text)
def test_segmentation_loses_no_character(body: str) -> None:
    sentences = segment(body)
    covered = [False] * len(body)
    for s in sentences:
        assert 0 <= s.start <= s.end <= len(body)
        for k in range(s.start, s.end):
            assert not covered[k], f"character {k} in two sentences"
            covered[k] = True
        assert s.text and s.text == s.text.strip()
    left = "".join(ch for k, ch in enumerate(body) if not covered[k] and not ch.isspace())
    # Only markup is left out: list markers, heading hashes, and text with no letter or digit at all.
    dropped = re.sub(r"(^|\s)([-*+#>]+|\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-z]{1,2}[.)]|\(?[ivxIVX]{1,5}[.)])(?=\s|$)", " ",
                     " ".join(body[k] if not covered[k] else " " for k in range(len(body))))
    assert not re.search(r"[^\W_]", dropped), f"lost characters {left!r} from {body!r}"


@given(any_text, any_text)
def test_every_sentence_is_in_exactly_one_change_and_ops_rebuild_both_texts(old: str, new: str) -> None:
    c = comparison(old, new)
    assert_sound(comparison_to_dict(c))  # each sentence of each side once; each change's ops give its two texts


@given(any_text, any_text)
def test_html_parses_and_holds_no_element_or_attribute_from_the_input(old: str, new: str) -> None:
    html = render(comparison(old, new), "html")
    soup = BeautifulSoup(html, "html.parser")
    names = {tag.name for tag in soup.find_all(True)}
    assert not names & {"x-evil", "img", "iframe", "svg", "object", "embed"}, names
    assert len(soup.find_all("script")) == 1  # the report's own
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.startswith("on") and attribute != "data-evil", (tag.name, attribute)
            assert "javascript:" not in str(value).lower()
    assert "\x1b" not in html and "\x00" not in html


def _md_html(markdown: str) -> str:
    return str(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown))


@given(any_text, any_text)
def test_markdown_cannot_open_html_mention_or_break_a_table_or_code_block(old: str, new: str) -> None:
    markdown = render(comparison(old, new), "md")
    html = _md_html(markdown)
    soup = BeautifulSoup(html, "html.parser")
    names = {tag.name for tag in soup.find_all(True)}
    assert names <= {"h2", "h3", "p", "strong", "ul", "li", "s", "del", "ins", "em"}, names  # no code, table, raw HTML
    assert not re.search(r"@[^\u200d\s]", markdown), "a mention would notify someone"
    assert not re.search(r"#\d", markdown), "an issue reference would link"
    # A table row holding statement text keeps its cells (what review's summary table does).
    from statediff.render.markdown import md_escape

    cell = md_escape(old[:200])
    table = _md_html(f"| sentence | kind |\n|---|---|\n| {cell} | modified |\n")
    assert table.count("<td>") == 2 and "<pre" not in table


@given(any_text, any_text)
def test_the_same_input_gives_the_same_output(old: str, new: str) -> None:
    first, second = comparison(old, new), comparison(old, new)
    for fmt in ("json", "md", "text", "html"):
        assert render(first, fmt) == render(second, fmt)  # type: ignore[arg-type]


@given(any_text, any_text)
def test_compare_a_b_mirrors_compare_b_a(old: str, new: str) -> None:
    forward, backward = comparison_to_dict(comparison(old, new)), comparison_to_dict(comparison(new, old))
    assert forward["summary"]["added"] == backward["summary"]["removed"]
    assert forward["summary"]["removed"] == backward["summary"]["added"]
    added = sorted(j for ch in forward["changes"] if ch["kind"] == "added" for j in ch["new"])
    removed = sorted(i for ch in backward["changes"] if ch["kind"] == "removed" for i in ch["old"])
    assert added == removed
    same = sorted((ch["old"][0], ch["new"][0]) for ch in forward["changes"] if ch["kind"] == "unchanged")
    assert same == sorted((ch["new"][0], ch["old"][0]) for ch in backward["changes"] if ch["kind"] == "unchanged")
    assert json.dumps(forward["old"]) == json.dumps(backward["new"])


NAMES = ["Ukraine", "and", "the", "European", "Bank", "Union", "Prosecutor", "President", "of", "International",
         "Criminal", "Court", "(ICC)", "Account", "for", "Trilateral", "Secretariat", "EU", "U.S.", "facilitated", "Article",
         "51", "resolutions", "1718", "Group", "Forum", "Japan", "’s", ",", "Chair", "Director-General", "Agency"]
nameish = st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(WORDS), unicode_text, st.just(" ")),
                   max_size=40).map(" ".join)


@given(nameish, nameish)
def test_every_actor_and_figure_a_mark_names_is_written_in_its_text(old: str, new: str) -> None:
    # Names are cut where a known name joins a body by "and" or an office precedes it: every cut must still be
    # words of the text, and figures are quoted as written.
    m = statediff.marks(old, new)
    for name in m.actors_added:
        assert name in new, (name, new)
    for name in m.actors_removed:
        assert name in old, (name, old)
    for f in m.figures:
        assert (f.old is None or f.old in old) and (f.new is None or f.new in new), (f, old, new)
