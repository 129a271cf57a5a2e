"""Saved web pages -> statement text: the main text kept in reading order, the page furniture dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from statediff.errors import StatediffError
from statediff.read.htmltext import html_to_document

PAGE = """<!doctype html>
<html><head><title>Statement | The White House</title>
<meta property="og:url" content="https://www.whitehouse.gov/briefing-room/statements/x/">
<meta property="article:published_time" content="2023-08-18T19:30:00-04:00">
<script>window.analytics = "track";</script><style>p { color: red }</style></head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><h1>The White House</h1><nav><ul><li>Administration</li><li>Briefing Room</li></ul></nav></header>
<main id="main">
  <article>
    <header class="entry-header"><h1>The Spirit of <em>Camp David</em></h1>
      <time datetime="2023-08-18">August 18, 2023</time></header>
    <div class="entry-content">
      We, the leaders of Japan, the Republic of Korea, and the <b>U</b>.S., met today.
      <p>Our partnership is stronger<br>than ever.</p>
      <h2>Commitments</h2>
      <ul><li><p>We will hold annual summits.</p></li><li>We will meet &lt;in person&gt; &amp; online.</li></ul>
      <!-- a comment that is not text -->
      <div>Old-style paragraph one.<br><br>Old-style paragraph two.</div>
      <div class="social-share">Share this on social media</div>
    </div>
  </article>
  <aside>Related: other statements</aside>
</main>
<footer>Privacy policy | Copyright</footer>
</body></html>"""


def test_a_saved_page_keeps_the_statement_and_its_metadata() -> None:
    doc = html_to_document(PAGE, name="page.html")
    assert doc.title == "The Spirit of Camp David"
    assert doc.date == dt.date(2023, 8, 18)
    assert doc.source == "https://www.whitehouse.gov/briefing-room/statements/x/"
    assert doc.body.split("\n\n") == [
        "We, the leaders of Japan, the Republic of Korea, and the U.S., met today.",
        "Our partnership is stronger than ever.",
        "## Commitments",
        "- We will hold annual summits.",
        "- We will meet <in person> & online.",
        "Old-style paragraph one.",
        "Old-style paragraph two.",
    ]


@pytest.mark.parametrize(
    "junk",
    [
        "analytics",
        "color: red",
        "Skip to content",
        "Administration",
        "Share this",
        "Related:",
        "Privacy",
        "comment",
        "August 18, 2023",
    ],
)
def test_page_furniture_is_dropped(junk: str) -> None:
    assert junk not in html_to_document(PAGE).body


def test_a_page_without_main_element_uses_the_body_but_not_the_site_header() -> None:
    page = "<html><body><header><h1>Agency</h1></header><h1>Joint Statement</h1><p>Text of it.</p></body></html>"
    doc = html_to_document(page)
    assert (doc.title, doc.body) == ("Joint Statement", "Text of it.")


def test_a_page_with_no_main_text_is_refused() -> None:
    with pytest.raises(StatediffError, match=r"^nav.html: HTML page has no main text"):
        html_to_document(
            "<html><body><nav>Home | News</nav><script>x()</script><footer>(c)</footer></body></html>", name="nav.html"
        )
