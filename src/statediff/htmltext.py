"""Saved web page -> statement ``Document``: keep the main text, drop navigation, scripts, headers, footers.

Uses a real HTML parser (BeautifulSoup with the standard library's ``html.parser``).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import StatediffError
from .ingest import parse_date
from .model import Document

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button",
         "select")
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td", "th", "div", "section",
           "article")
_BOILERPLATE_HINT = re.compile(
    r"(^|[-_ ])(nav|menu|breadcrumb|footer|header|sidebar|share|social|cookie|banner|skip|related|subscribe)([-_ ]|$)", re.I
)


def _main_element(soup: Any) -> Any:
    for selector in ("main", "article", "[role=main]", "#main-content", "#content", ".entry-content", ".body-content"):
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return soup.body or soup


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
    h1 = soup.find("h1")
    if h1 is not None and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
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

    main = _main_element(soup)
    for tag in main.find_all(_DROP):
        tag.decompose()
    for tag in main.find_all(True):
        if tag.attrs is None:
            continue
        hint = " ".join([*tag.get("class", []), str(tag.get("id", "")), str(tag.get("role", ""))])
        if hint.strip() and _BOILERPLATE_HINT.search(hint) and tag.name not in ("main", "article", "body"):
            tag.decompose()
    paragraphs: list[str] = []
    for block in main.find_all(_BLOCKS):
        if block.find(_BLOCKS):
            continue  # only innermost blocks, so text is not repeated
        text = re.sub(r"\s+", " ", block.get_text(" ", strip=True)).strip()
        if not text:
            continue
        if block.name == "li":
            text = "- " + text
        elif block.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            if title and text == title:
                continue
            text = "#" * int(block.name[1]) + " " + text
        paragraphs.append(text)
    if not paragraphs:
        loose = re.sub(r"\s+", " ", main.get_text(" ", strip=True)).strip()
        if loose:
            paragraphs.append(loose)
    if not paragraphs or not any(re.search(r"\w", p) for p in paragraphs):
        raise StatediffError(
            f"{name}: HTML page has no main text to compare; save the statement's own page or paste its text into a .txt file"
        )
    meta: dict[str, Any] = {k: v for k, v in (("title", title), ("date", date), ("source", source)) if v}
    return Document(body="\n\n".join(paragraphs), title=title, date=date, source=source, meta=meta, path=path)
