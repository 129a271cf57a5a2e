"""Read a statement: file bytes -> decoded text -> ``Document`` (front matter or header, then body).

Formats: Markdown/plain text with YAML front matter (``---`` fences), the corpus header format
(``title:``/``date:``/``source:`` lines, blank line, body), plain text, and saved HTML pages.
Every problem is a ``StatediffError`` naming the file and what to do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from statediff.errors import StatediffError
from statediff.model import Document
from statediff.read.dates import parse_date

_HEADER_KEYS = ("title", "date", "source", "issuers", "language", "kind", "notes")
_HEADER_LINE = re.compile(r"^(title|date|source|issuers|language|kind|notes):[ \t]*(.*)$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def read_bytes(path: str | Path) -> bytes:
    """The bytes of ``path``, or a clear error when it is missing, a folder or unreadable."""
    p = Path(path)
    if not p.exists():
        raise StatediffError(f"{path}: no such file; check the path (statement text is read from files only)")
    if p.is_dir():
        raise StatediffError(f"{path}: is a folder, not a statement file; name a file inside it")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise StatediffError(f"{path}: cannot read: {exc.strerror or exc}; check its permissions") from exc


def _utf16_without_bom(data: bytes) -> bool:
    """Mostly-ASCII text saved as UTF-16: one byte of each pair is zero (binary data has zeros scattered)."""
    head = data[: 4000 - 4000 % 2]
    if len(head) < 4 or len(data) % 2:
        return False
    even, odd = head[0::2], head[1::2]
    return any(b"\x00" not in text and zeros.count(0) > 0.9 * len(zeros) for text, zeros in ((even, odd), (odd, even)))


def decode(data: bytes, name: str = "<input>") -> str:
    """Decode statement bytes: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM; refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    # UTF-32 first: its little-endian mark begins with UTF-16's, and read as UTF-16 it is text full of NULs.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            label = codec.upper()
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise StatediffError(f"{name}: has a {label} byte-order mark but is not {label}; re-save it as UTF-8") from exc
            if "\x00" in text:
                raise StatediffError(f"{name}: looks like a binary file, not text; give a .txt, .md or .html statement")
            return text
    if _utf16_without_bom(data):
        raise StatediffError(f"{name}: looks like UTF-16 text without a byte-order mark; re-save it as UTF-8")
    if b"\x00" in data:
        raise StatediffError(f"{name}: looks like a binary file, not text; give a .txt, .md or .html statement")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StatediffError(
            f"{name}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8"
        ) from exc


def front_matter(text: str, name: str) -> tuple[dict[str, Any], str] | None:
    """The YAML front matter (a mapping) and the rest of ``text``; ``None`` when there is no ``---`` block."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if re.match(r"\A---[ \t]*\r?\n", text) and re.match(r"\A---[ \t]*\r?\n\s*\w[\w-]*:", text):
            raise StatediffError(f"{name}: front matter opened with --- is never closed; end it with a line holding ---")
        return None
    import yaml  # only files with front matter pay for the import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader keeps listing a large folder fast
    try:
        meta = yaml.load(match.group(1), Loader=loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise StatediffError(f"{name}: malformed YAML front matter{where}; fix it or remove the --- block") from exc
    except ValueError as exc:  # YAML reads `date: 2023-13-45` as a date and fails outside its own error type
        raise StatediffError(f"{name}: front matter holds an impossible value ({exc}); fix the date or quote the value") from exc
    if not isinstance(meta, dict):
        kind = type(meta).__name__
        raise StatediffError(f"{name}: front matter must be a mapping of fields (title: ..., date: ...), not {kind}")
    return {str(k): v for k, v in meta.items()}, text[match.end() :]


def _header(text: str) -> tuple[dict[str, Any], str] | None:
    """The corpus format: ``key: value`` lines at the very top, then a blank line."""
    lines = text.splitlines(keepends=True)
    meta: dict[str, Any] = {}
    consumed = 0
    for line in lines:
        match = _HEADER_LINE.match(line.rstrip("\r\n"))
        if not match:
            break
        meta[match.group(1).lower()] = match.group(2).strip()
        consumed += len(line)
    if not meta or ("title" not in meta and "date" not in meta):
        return None
    rest = text[consumed:]
    if rest and rest.strip() and not re.match(r"[ \t]*\r?\n", rest):
        return None  # no blank line after the header: it is prose that happens to start with "Title:"
    if isinstance(meta.get("issuers"), str):
        meta["issuers"] = [s.strip() for s in meta["issuers"].split(",") if s.strip()]
    return meta, rest


def parse_text(text: str, name: str = "<input>", path: str | None = None) -> Document:
    """Split decoded text into metadata and body."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parsed = front_matter(text, name) or _header(text)
    meta, body = parsed if parsed else ({}, text)
    title = meta.get("title")
    source = meta.get("source")
    return Document(
        body=body.strip("\n"),
        title=str(title).strip() if title not in (None, "") else None,
        date=parse_date(meta.get("date"), name),
        source=str(source).strip() if source not in (None, "") else None,
        meta=meta,
        path=path,
    )


def looks_like_html(text: str, name: str = "") -> bool:
    """True for saved web pages (by suffix or by an opening ``<!doctype html>``/``<html>``)."""
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    return re.match(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", text[:2000], re.IGNORECASE | re.DOTALL) is not None


def read_document(path: str | Path, *, segmented: bool = False) -> Document:
    """Read a statement file. With ``segmented``, the body is one sentence per line, used as given."""
    name = str(path)
    text = decode(read_bytes(path), name)
    if not text.strip():
        raise StatediffError(f"{name}: is empty; a statement needs some text")
    if not segmented and looks_like_html(text, name):
        from statediff.read.htmltext import html_to_document

        doc = html_to_document(text, name=name, path=name)
    else:
        doc = parse_text(text, name=name, path=name)
    if not doc.body.strip():
        raise StatediffError(f"{name}: has a header but no statement text after it")
    return doc
