"""Read a statement: file bytes -> decoded text -> ``Document`` (front matter or header, then body).

Formats: Markdown/plain text with YAML front matter (``---`` fences), the corpus header format
(``title:``/``date:``/``source:`` lines, blank line, body), plain text, and saved HTML pages.
Every problem is a ``StatediffError`` naming the file and what to do.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from pathlib import Path
from typing import Any

from statediff.errors import StatediffError
from statediff.limits import MAX_FRONT_MATTER_BYTES, MAX_YAML_DEPTH, max_input_bytes, too_large
from statediff.model import Document
from statediff.read.dates import parse_date

_HEADER_KEYS = ("title", "date", "source", "issuers", "language", "kind", "notes")
_HEADER_LINE = re.compile(r"^(title|date|source|issuers|language|kind|notes):[ \t]*(.*)$", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(name: str) -> bool:
    """True when ``name`` is written as a URL (``scheme://…``), not a file path.

    Here, not in ``fetch``: reading a file must not import urllib.request, http.client and ssl (~15 ms a compare).
    """
    return _SCHEME.match(name) is not None


def read_bytes(path: str | Path, name: str | None = None) -> bytes:
    """The bytes of ``path``, or a clear error when it is missing, a folder, not a regular file, unreadable or too large.

    A FIFO, ``/dev/zero`` or a socket would hang or fill memory: only regular files are read, and never more
    than the input limit (checked on the bytes read, not only the size the file claims). Messages name
    ``name`` (default: the path).
    """
    limit = max_input_bytes()
    shown = path if name is None else name
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StatediffError(f"{shown}: no such file; check the path (or give - for standard input, or a web address)") from None
    except OSError as exc:
        raise StatediffError(f"{shown}: cannot read: {exc.strerror or exc}; check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise StatediffError(f"{shown}: is a folder, not a statement file; name a file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise StatediffError(f"{shown}: is not a regular file (a device, pipe or socket); save the statement to a file first")
    if info.st_size > limit:
        raise too_large(str(shown), info.st_size)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StatediffError(f"{shown}: is not a regular file; save the statement to a file first")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise StatediffError(f"{shown}: cannot read: {exc.strerror or exc}; check its permissions") from None
    if len(data) > limit:
        raise too_large(str(shown), len(data))
    return data


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


@functools.cache
def yaml12_loader() -> Any:
    """A safe YAML loader that reads scalars as YAML 1.2's core schema does.

    PyYAML follows YAML 1.1, where ``yes``/``no``/``on``/``off`` are booleans: ``language: no`` (Norwegian) would
    become ``False`` and ``1:30`` the number 90. In YAML 1.2 only ``true``/``false`` are booleans and integers are
    plain decimal or ``0x`` hex; everything else is a string (``012`` too: neither octal 10 nor 12 is what a
    writer of front matter meant for sure). Dates (``2023-07-26``) are still read as dates.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser keeps listing a large folder fast

    class Yaml12Loader(base):  # type: ignore[valid-type,misc]
        pass

    replaced = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    Yaml12Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in replaced]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                       list("tTfF"))
    Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$"),
                                       list("-+0123456789"))
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
                   r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+.0123456789"),
    )
    return Yaml12Loader


def front_matter(text: str, name: str) -> tuple[dict[str, Any], str] | None:
    """The YAML front matter (a mapping) and the rest of ``text``; ``None`` when there is no ``---`` block."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if re.match(r"\A---[ \t]*\r?\n", text) and re.match(r"\A---[ \t]*\r?\n\s*\w[\w-]*:", text):
            raise StatediffError(f"{name}: front matter opened with --- is never closed; end it with a line holding ---")
        return None
    import yaml  # only files with front matter pay for the import

    try:
        loader = yaml12_loader()
        _guard_yaml(match.group(1), name, yaml, loader)
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


def _guard_yaml(source: str, name: str, yaml: Any, loader: Any) -> None:
    """Refuse front matter that could take unbounded memory or time: aliases, deep nesting, a huge block.

    Eight levels of aliases in 1 KB expand to gigabytes (a "billion laughs"); a statement's fields never need
    one. The tokens are scanned before anything is built, so the refusal costs no more than the text's size.
    """
    if len(source.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise StatediffError(
            f"{name}: front matter is over {MAX_FRONT_MATTER_BYTES // 1000} KB; it holds a few fields (title, date, "
            "source, issuers, ...), put the text after the --- block"
        )
    depth = 0
    for token in yaml.scan(source, Loader=loader):
        kind = type(token).__name__
        if kind == "AliasToken":
            raise StatediffError(f"{name}: front matter uses a YAML alias (*name); write the value out in full")
        if kind.endswith("StartToken") and kind != "StreamStartToken" and kind != "DocumentStartToken":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise StatediffError(f"{name}: front matter nests deeper than {MAX_YAML_DEPTH} levels; "
                                     "it holds plain fields (title, date, source, issuers, ...)")
        elif kind in ("BlockEndToken", "FlowSequenceEndToken", "FlowMappingEndToken"):
            depth -= 1


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


STDIN_LIMIT = 10_000_000
"""Bytes read from standard input at most: a statement is far smaller, a runaway pipe is not."""


def _stdin_bytes() -> bytes:
    import sys

    data = sys.stdin.buffer.read(STDIN_LIMIT + 1)
    if len(data) > STDIN_LIMIT:
        raise StatediffError(f"-: standard input is over {STDIN_LIMIT:,} bytes; a statement is far shorter, "
                             "check what is piped in")
    return data


def _read_url(url: str, segmented: bool) -> Document:
    from statediff.read.fetch import fetch

    page = fetch(url)
    if not segmented and page.content_type != "text/plain":
        from statediff.read.htmltext import html_to_document

        return html_to_document(page.text, name=url, path=None, url=page.url)
    doc = parse_text(page.text, name=url, path=None)
    source = doc.source or page.url
    return Document(body=doc.body, title=doc.title, date=doc.date, source=source, meta={**doc.meta, "source": source},
                    path=None)


def read_document(path: str | Path, *, segmented: bool = False) -> Document:
    """Read a statement: a file, ``-`` for standard input, or an http(s) address (fetched).

    With ``segmented``, the body is one sentence per line, used as given.
    """
    name = str(path)
    if is_url(name):
        doc = _read_url(name, segmented)
        if not doc.body.strip():
            raise StatediffError(f"{name}: the page has no statement text")
        return doc
    data = _stdin_bytes() if name == "-" else read_bytes(path)
    name = "<stdin>" if name == "-" else name
    text = decode(data, name)
    if not text.strip():
        raise StatediffError(f"{name}: is empty; a statement needs some text")
    if not segmented and looks_like_html(text, name):
        from statediff.read.htmltext import html_to_document

        doc = html_to_document(text, name=name, path=None if name == "<stdin>" else name)
    else:
        doc = parse_text(text, name=name, path=None if name == "<stdin>" else name)
    if not doc.body.strip():
        raise StatediffError(f"{name}: has a header but no statement text after it")
    return doc
