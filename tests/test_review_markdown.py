"""The review summary as GitHub would render it: hostile statement text stays text; long reviews are cut to fit."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import statediff
from fakes import FakeEmbedder
from statediff.gitreview.markdown import COMMENT_LIMIT, DEFAULT_LIMIT, ITEM_CHARS, MARKER, review_markdown
from statediff.gitreview.review import Review, ReviewItem, StatementRef
from statediff.model import Comparison, Document

compare = statediff.compare
markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py parses the summary as GitHub would")

HOSTILE_TITLE = "<img src=x onerror=alert(1)> @octocat | a | b ``` #12 [x](javascript:alert(1))"
OLD = "The Committee met. Members noted progress at <b>home</b>."
NEW = ("The Committee met today. ```\n</details><script>alert(1)</script> cc @github/security about #42.\n\n"
       "| a | b |\n|---|---|\n| c | d |\n\n    indented code? ~~~ and <!-- a comment -->")


def parser() -> markdown_it.MarkdownIt:
    # CommonMark with raw HTML on (as GitHub parses comments) plus GitHub's tables and strikethrough.
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def item(c: Comparison, title: str, path: str = "statements/fomc/2024-01-31-fomc-statement.md") -> ReviewItem:
    return ReviewItem("added", "fomc", path, title, dt.date(2024, 1, 31),
                      compared_with=StatementRef("statements/fomc/2023-12-13-fomc-statement.md", title, dt.date(2023, 12, 13)),
                      comparison=c, report="fomc/2024-01-31-fomc-statement.html")


def review_of(*items: ReviewItem, problems: tuple[str, ...] = ()) -> Review:
    return Review("main", "0" * 40, "the working tree", None, items, problems)


def tokens(md: str) -> list[markdown_it.token.Token]:
    out = []
    stack = list(reversed(parser().parse(md)))
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(reversed(token.children or []))
    return out


def test_hostile_text_stays_text() -> None:
    c = compare(Document(body=OLD, title=HOSTILE_TITLE), Document(body=NEW, title=HOSTILE_TITLE), embedder=FakeEmbedder())
    md = review_markdown(review_of(item(c, HOSTILE_TITLE)),
                         link_base=None) + ""
    md_problem = review_markdown(review_of(item(c, HOSTILE_TITLE), problems=("statements/<b>x</b>|y.md: @octocat ```",)))
    for text in (md, md_problem):
        found = tokens(text)
        html = [t for t in found if t.type in ("html_inline", "html_block")]
        assert [t.content for t in html] == [MARKER + "\n"], "only our own marker is HTML"
        assert not [t for t in found if t.type in ("fence", "code_block")], "statement text opened a code block"
        assert not [t for t in found if t.type == "link_open"], "statement text made a link"
        # The table keeps its six columns on every row.
        rows = [t for t in found if t.type == "tr_open"]
        cells = [t for t in found if t.type in ("td_open", "th_open")]
        assert len(rows) == 2 and len(cells) == 12
        rendered = parser().render(text)
        visible = re.sub(r"<[^>]+>", "", rendered)
        assert not re.search(r"@[A-Za-z0-9]", visible), "a mention would notify someone"
        assert not re.search(r"#\d", visible), "an issue reference would link an issue"
    # Nothing is lost: with the invisible joiners taken out, the reader sees the statement's own characters.
    visible = re.sub(r"<[^>]+>", "", parser().render(md)).replace("\u200d", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; cc @github/security about #42." in visible
    assert "&lt;img src=x onerror=alert(1)&gt; @octocat | a | b ``` #12" in visible


def long_comparison(n: int, words: int = 40) -> Comparison:
    sentences = [f"Sentence {i} says " + " ".join(f"w{i}x{k}" for k in range(words)) + "." for i in range(n)]
    return compare([], sentences, embedder=FakeEmbedder())


def test_a_long_review_is_cut_to_the_comment_limit_longest_list_first() -> None:
    long = long_comparison(400)  # ~130,000 characters of new sentences
    short = compare(["Inflation remains elevated."], ["Inflation remains high."], embedder=FakeEmbedder())
    md = review_markdown(review_of(item(long, "Long statement"),
                                   item(short, "Short statement", "statements/fomc/2024-03-20-fomc-statement.md")))
    assert len(md) <= DEFAULT_LIMIT < COMMENT_LIMIT
    shown = len(re.findall(r"^- Sentence \d+ says", md, flags=re.MULTILINE))
    assert 100 < shown < 400
    assert f"> Cut to fit GitHub's 65,536-character comment limit: {400 - shown} new sentences of Long statement." in md
    assert f"- … {400 - shown} more new sentences cut to fit the comment; the report has them all" in md
    # The short statement keeps everything, and both stay in the table.
    assert "- Inflation remains ~~elevated~~ **high**\\." in md
    assert md.count("| added |") == 2
    assert md.startswith(MARKER)


def test_a_huge_review_drops_details_then_rows() -> None:
    c = long_comparison(5, words=10)
    many = [item(c, f"Statement {i}", f"statements/fomc/2024-01-{i:04d}.md") for i in range(2_000)]
    md = review_markdown(review_of(*many))
    assert len(md) <= DEFAULT_LIMIT
    assert "table rows" in md.splitlines()[5] and "the details of" in md.splitlines()[5]
    rows = md.count("| added |")
    assert 100 < rows < 2_000
    # Still a well-formed table.
    found = tokens(md)
    assert len([t for t in found if t.type == "tr_open"]) == rows + 1


def test_one_giant_sentence_and_title_are_clipped() -> None:
    giant = "word " * 20_000  # no sentence end at all
    c = compare([], [giant], embedder=FakeEmbedder())
    title = "A | very (long) title " * 400
    md = review_markdown(review_of(item(c, title)))
    line = next(x for x in md.splitlines() if x.startswith("- word"))
    assert line.endswith(" …") and len(line) < ITEM_CHARS + 20
    row = next(x for x in md.splitlines() if x.startswith("| added |"))
    assert len(row) < 1_500 and row.count(" …") == 2  # the title, twice: the predecessor has it too here
    assert len([t for t in tokens(md) if t.type == "td_open"]) == 6


def test_the_review_opens_each_statement_with_its_positions_digest() -> None:
    c = compare(["We condemn the DPRK's missile launches.", "Inflation remains elevated."],
                ["We strongly condemn the DPRK's missile launches and its cooperation with Russia.",
                 "Inflation remains elevated."], embedder=FakeEmbedder())
    md = review_markdown(review_of(item(c, "FOMC statement")))
    positions = md.index("**Positions (")
    assert positions < md.index("**Modified sentences (")
    line = next(line for line in md[positions:].splitlines() if line.startswith("- **"))
    assert "1 stronger" in line and "appeared: Russia" in line
