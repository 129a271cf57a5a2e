"""Web page -> statement ``Document``: the main text, title, date and address, found by trafilatura.

trafilatura (a maintained main-text extractor, measured on thousands of real pages) drops navigation, share
bars, related links, cookie banners and footers; this module turns the structure it keeps (paragraphs,
headings, list items) into the Markdown-like body the segmenter reads.
"""

from __future__ import annotations

import re
from typing import Any

from statediff.errors import StatediffError
from statediff.limits import MAX_HTML_DEPTH, MAX_HTML_SCAN
from statediff.model import Document
from statediff.read.dates import parse_date

_SENTENCE_END = re.compile(r"[.!?:;…)\"'”’]\Z")


def _text(element: Any) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _paragraphs(element: Any) -> list[str]:
    """A ``<p>``'s text; a line break after a sentence's end starts a new paragraph (old pages use ``<br><br>``)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    out: list[str] = []
    for line in "".join(parts).split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        if not line:
            continue
        if out and not _SENTENCE_END.search(out[-1]):
            out[-1] = f"{out[-1]} {line}"  # a break inside a sentence ("stronger<br>than ever") is a space
        else:
            out.append(line)
    return out


def _blocks(main: Any) -> list[str]:
    """The body as paragraphs: ``## heading``, ``- item``, plain paragraphs, in reading order."""
    out: list[str] = []
    for element in main:
        tag = element.tag
        if tag == "head":
            level = re.sub(r"\D", "", element.get("rend", "")) or "2"
            text = _text(element)
            if text:
                out.append("#" * min(int(level), 6) + " " + text)
        elif tag == "list":
            for item in element.iter("item"):
                if item.find("list") is None:  # nested lists: each innermost item once
                    text = _text(item)
                    if text:
                        out.append("- " + text)
        elif tag == "table":
            for row in element.iter("row"):
                text = " ".join(t for t in (_text(cell) for cell in row) if t)
                if text:
                    out.append(text)
        elif tag == "p":
            out.extend(_paragraphs(element))
        else:  # quote, code and anything newer: its text, a paragraph per block inside
            inner = [p for child in element for p in _paragraphs(child)] if len(element) else _paragraphs(element)
            out.extend(inner)
    return out


def _heading(html: str) -> str | None:
    """The statement's own ``<h1>``: one inside ``<main>``/``<article>``, else one outside the site's header.

    Page titles (``<title>``) often carry the site's name or only a section ("Statement | The White House").
    """
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    headings = [h for h in tree.iter("h1") if not any(a.tag in ("nav", "footer") for a in h.iterancestors())]
    inside = [h for h in headings if any(a.tag in ("main", "article") for a in h.iterancestors())]
    outside = [h for h in headings if not any(a.tag == "header" for a in h.iterancestors())]
    for h in (*inside, *outside):
        text = re.sub(r"\s+", " ", h.text_content()).strip()
        if text:
            return text
    return None


def html_to_document(html: str, name: str = "<input>", path: str | None = None, url: str | None = None) -> Document:
    """Title, date, address and the paragraphs of the main text of an HTML page (saved, or fetched from ``url``).

    The page is untrusted: tags that never close, nesting deeper than any real page, markup the parsers reject
    and recursion inside the extractor each end in one ``StatediffError``, never a hang or a traceback.
    """
    if _unclosed_cost(html) > MAX_HTML_SCAN:
        raise StatediffError(f"{name}: HTML tags that never close (a '<' with no '>' after it for long stretches); "
                             "save the statement's own page again or paste its text into a .txt file")
    if _depth(html) > MAX_HTML_DEPTH:
        raise StatediffError(f"{name}: HTML elements nest more than {MAX_HTML_DEPTH} deep, which no statement page "
                             "does; save the statement's own page or paste its text into a .txt file")
    try:
        return _extract(html, name, path, url)
    except RecursionError:  # a backstop: the depth check should make this unreachable
        raise StatediffError(f"{name}: HTML nests too deep to read; paste the statement's text into a .txt file") from None
    except StatediffError:
        raise
    except Exception as exc:  # lxml and trafilatura reject some markup with their own errors
        raise StatediffError(f"{name}: HTML the parser cannot read ({type(exc).__name__}); save the page again "
                             "or paste the statement's text into a .txt file") from exc


def _unclosed_cost(html: str) -> int:
    """How far the parser must look ahead for the ends of tags: the sum, over every tag opening, of the distance
    to the next '>'. Python's html.parser rescans from each unclosed tag to the end, so 28 KB of ``<a b=c`` takes
    seconds and 2 MB would take hours; found in linear time, so such a page is refused before parsing."""
    closes = [m.start() for m in re.finditer(">", html)]
    cost, k = 0, 0
    for match in re.finditer(r"<[A-Za-z!/?]", html):
        at = match.start()
        while k < len(closes) and closes[k] < at:
            k += 1
        cost += (closes[k] if k < len(closes) else len(html)) - at
    return cost


_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>|</([A-Za-z][A-Za-z0-9-]*)\s*>")
#: Elements that never hold others, and those old pages leave unclosed (the next one closes them), are not
#: counted: 500 paragraphs without ``</p>`` are not 500 levels deep.
_UNCOUNTED = frozenset([
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "tbody", "thead", "tfoot", "colgroup",
])


def _depth(html: str) -> int:
    """How deep the elements nest, counted on the tags in one linear pass (no tree is built: a hostile page may
    nest 100,000 deep, and the extractor walks trees recursively)."""
    depth = deepest = 0
    for match in _OPEN_TAG.finditer(html):
        opened, closing = match.group(1), match.group(3)
        if closing:
            if closing.lower() not in _UNCOUNTED:
                depth = max(depth - 1, 0)
        elif opened and not match.group(2) and opened.lower() not in _UNCOUNTED:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_HTML_DEPTH:
                break
    return deepest


def _extract(html: str, name: str, path: str | None, url: str | None) -> Document:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html, url=url, output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False, favor_precision=True, deduplicate=False,
    )
    main = None
    root = None
    if xml:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        main = root.find("main")
    paragraphs = _blocks(main) if main is not None else []
    if not paragraphs or not any(re.search(r"\w", p) for p in paragraphs):
        raise StatediffError(
            f"{name}: HTML page has no main text to compare; save the statement's own page or paste its text into a .txt file"
        )
    attrs = dict(root.attrib) if root is not None else {}
    title = _heading(html) or (attrs.get("title") or "").strip() or None
    if title and paragraphs[0].lstrip("# ").strip() == title:
        paragraphs = paragraphs[1:] or paragraphs  # the heading that repeats the title
    date = None
    if attrs.get("date"):
        try:
            date = parse_date(attrs["date"][:10], name)
        except StatediffError:
            date = None
    source = url or (attrs.get("url") or "").strip() or None
    if source and not re.match(r"https?://", source):
        source = None
    meta: dict[str, Any] = {k: v for k, v in (("title", title), ("date", date), ("source", source)) if v}
    return Document(body="\n\n".join(paragraphs), title=title, date=date, source=source, meta=meta, path=path)
