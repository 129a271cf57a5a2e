"""Saved web page -> statement ``Document``: keep the main text, drop navigation, scripts, headers, footers.

Uses a real HTML parser (BeautifulSoup with the standard library's ``html.parser``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from statediff.errors import StatediffError
from statediff.model import Document
from statediff.read.dates import parse_date

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button",
         "select")
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td", "th", "div", "section",
           "article")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BOILERPLATE_HINT = re.compile(
    r"(^|[-_ ])(nav|menu|breadcrumb|footer|header|sidebar|share|social|cookie|banner|skip|related|subscribe)([-_ ]|$)", re.I
)


def _main_element(soup: Any) -> Any:
    for selector in ("main", "article", "[role=main]", "#main-content", "#content", ".entry-content", ".body-content"):
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup.body or soup


def _paragraph(text: str, context: str) -> list[str]:
    out = []
    for part in re.split(r"\n[ \t\r\f\v]*\n", text):
        part = re.sub(r"\s+", " ", part).strip()
        if not part:
            continue
        if context == "li":
            part = "- " + part
        elif context in _HEADINGS:
            part = "#" * int(context[1]) + " " + part
        out.append(part)
    return out


def _blocks(element: Any, context: str) -> Iterator[str]:
    """The paragraphs under ``element`` in reading order: each block's own text, then its inner blocks.

    Inline markup joins without a separator (``<b>U</b>.S.`` stays ``U.S.``); text beside inner blocks is kept.
    """
    from bs4.element import NavigableString, Tag

    if element.name in ("li", *_HEADINGS):
        context = element.name
    run: list[str] = []
    for child in element.children:
        if isinstance(child, Tag) and (child.name in _BLOCKS or child.find(_BLOCKS) is not None):
            yield from _paragraph("".join(run), context)
            run.clear()
            yield from _blocks(child, context)
        elif isinstance(child, Tag):
            run.append(child.get_text(""))
        elif type(child) is NavigableString:  # not a comment, doctype or CDATA section
            run.append(str(child))
    yield from _paragraph("".join(run), context)


def _meta_content(soup: Any, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag is not None and tag.get("content"):
            return str(tag["content"]).strip()
    return None


def html_to_document(html: str, name: str = "<input>", path: str | None = None) -> Document:
    """Extract title, date, source and the paragraphs of the main text from an HTML page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = _meta_content(soup, "og:title", "twitter:title")
    # The statement's own heading: the first h1 of the main text, not a site name in the page header.
    main = _main_element(soup)
    outside = ("header", "nav", "footer") if main.name in ("body", "[document]") else ("nav", "footer")
    h1 = next((h for h in main.find_all("h1") if h.find_parent(outside) is None), None)
    if h1 is not None and h1.get_text(strip=True):
        title = re.sub(r"\s+", " ", h1.get_text("")).strip()
    if not title and soup.title is not None and soup.title.string:
        title = soup.title.string.strip()
    date_text = _meta_content(soup, "article:published_time", "date", "dc.date", "DC.date.issued")
    time_tag = soup.find("time")
    if not date_text and time_tag is not None and time_tag.get("datetime"):
        date_text = str(time_tag["datetime"])
    date = None
    if date_text:
        try:
            date = parse_date(date_text[:10], name)
        except StatediffError:
            date = None
    source = _meta_content(soup, "og:url")
    canonical = soup.find("link", rel="canonical")
    if not source and canonical is not None and canonical.get("href"):
        source = str(canonical["href"])

    for tag in main.find_all(_DROP):
        tag.decompose()
    for tag in main.find_all(True):
        if tag.attrs is None:
            continue
        hint = " ".join([*tag.get("class", []), str(tag.get("id", "")), str(tag.get("role", ""))])
        if hint.strip() and _BOILERPLATE_HINT.search(hint) and tag.name not in ("main", "article", "body"):
            tag.decompose()
    for br in main.find_all("br"):
        br.replace_with("\n")  # a line break; two in a row end a paragraph (old pages use <br><br>, not <p>)
    paragraphs = [p for p in _blocks(main, "") if not (title and p.lstrip("# ") == title and p.startswith("#"))]
    if not paragraphs or not any(re.search(r"\w", p) for p in paragraphs):
        raise StatediffError(
            f"{name}: HTML page has no main text to compare; save the statement's own page or paste its text into a .txt file"
        )
    meta: dict[str, Any] = {k: v for k, v in (("title", title), ("date", date), ("source", source)) if v}
    return Document(body="\n\n".join(paragraphs), title=title, date=date, source=source, meta=meta, path=path)
