"""A statement's web page -> its HTML text: http and https only, with timeouts, a size limit and few redirects.

Uses the standard library (``urllib``): one GET, no cookies, no scripts. Every failure is one
``StatediffError`` that says what went wrong and what to do (often: save the page and add the file).
"""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPMessage
from typing import IO, Any

from statediff import __version__
from statediff.errors import StatediffError

TIMEOUT = 20.0
"""Seconds to wait for the server to connect or send anything, and for the whole page."""
MAX_BYTES = 5_000_000
"""A statement page is well under this; more is something else (a file, a stream)."""
MAX_REDIRECTS = 5
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_SAVE_INSTEAD = "save the page from your browser and run: statediff add FILE"


@dataclass(frozen=True)
class Page:
    """A fetched page."""

    url: str
    """Where it came from after redirects (kept as the statement's source)."""
    text: str
    """The decoded body."""
    content_type: str
    """``text/html``, ``application/xhtml+xml`` or ``text/plain``."""


def check_url(url: str) -> str:
    """``url`` if it is an http(s) address with a host, else a clear error."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise StatediffError(f"{url}: only http:// and https:// addresses can be fetched; for a file, give its path")
    if not parts.hostname:
        raise StatediffError(f"{url}: has no host name; give the page's full address, e.g. https://www.example.gov/page")
    return url


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects in all (a loop included), each to http or https only.

    One instance serves one ``fetch`` (a new opener each time), so it counts that fetch's redirects.
    """

    hops = 0

    def http_error_302(self, req: Any, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage) -> Any:
        location = headers.get("Location") or headers.get("URI") or ""
        target = urllib.parse.urljoin(req.full_url, location)
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            raise StatediffError(f"{req.full_url}: redirects to {target}, which is not http or https; {_SAVE_INSTEAD}")
        self.hops += 1
        if self.hops > MAX_REDIRECTS:
            raise StatediffError(f"{req.full_url}: more than {MAX_REDIRECTS} redirects; give the page's final address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _charset(content_type: Message, head: bytes) -> str | None:
    declared = content_type.get_content_charset()
    if declared:
        return declared
    meta = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", head[:4096], re.I)
    return meta.group(1).decode("ascii") if meta else None


def _decode(data: bytes, charset: str | None, url: str) -> str:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: try UTF-8, then the Windows code page browsers assume
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_limited(response: Any, url: str, deadline: float) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise StatediffError(f"{url}: the page is {int(length):,} bytes, over the {MAX_BYTES:,}-byte limit "
                             f"for a statement; {_SAVE_INSTEAD}")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise StatediffError(f"{url}: the server took too long to send the page; try again later, "
                                 f"or {_SAVE_INSTEAD}")
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise StatediffError(f"{url}: the page is over the {MAX_BYTES:,}-byte limit for a statement; {_SAVE_INSTEAD}")
        chunks.append(chunk)


def fetch(url: str, *, timeout: float | None = None) -> Page:
    """GET ``url`` and return its decoded text (HTML or plain text), or raise one clear ``StatediffError``."""
    timeout = TIMEOUT if timeout is None else timeout
    check_url(url)
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(url, headers={
        "User-Agent": f"statediff/{__version__} (+statement comparison; one request per add)",
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    })
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            content_type = response.headers.get_content_type()
            if content_type not in _TEXT_TYPES:
                raise StatediffError(f"{url}: is {content_type}, not a web page or text; save the statement's text "
                                     "to a .txt file and run: statediff add FILE")
            data = _read_limited(response, url, deadline)
            charset = _charset(response.headers, data)
    except StatediffError:
        raise
    except urllib.error.HTTPError as exc:
        raise StatediffError(f"{url}: the server answered {exc.code} {exc.reason}; check the address") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            host = urllib.parse.urlsplit(url).hostname
            raise StatediffError(f"{url}: cannot find the host {host} (offline, or a typo in the address?); "
                                 f"check your connection, or {_SAVE_INSTEAD}") from exc
        if isinstance(reason, TimeoutError):
            raise StatediffError(f"{url}: no answer within {timeout:.0f} s; try again later, or {_SAVE_INSTEAD}") from exc
        raise StatediffError(f"{url}: cannot fetch ({reason}); check the address and your connection, "
                             f"or {_SAVE_INSTEAD}") from exc
    except TimeoutError as exc:
        raise StatediffError(f"{url}: no answer within {timeout:.0f} s; try again later, or {_SAVE_INSTEAD}") from exc
    except (OSError, ValueError) as exc:  # connection reset, bad status line, malformed address
        raise StatediffError(f"{url}: cannot fetch ({exc}); check the address, or {_SAVE_INSTEAD}") from exc
    text = _decode(data, charset, url)
    if not text.strip():
        raise StatediffError(f"{url}: the server sent an empty page; check the address")
    return Page(final, text, content_type)
