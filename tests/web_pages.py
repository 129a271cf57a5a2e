"""Statement pages shaped like real government pages, and a loopback HTTP server that serves them.

The pages are written here for the tests (the Bank of Examplia does not exist); never fetched from anywhere.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEPTEMBER = [
    "Recent data indicate that economic activity has expanded at a solid pace. Hiring has picked up, and the "
    "unemployment rate has edged down to 4.0 percent. Inflation has come down but remains above the Board's 2 percent target.",
    "In assessing the appropriate stance of policy, the Board will continue to monitor incoming information, including "
    "labor market conditions, inflation pressures and financial developments.",
    "The Board seeks to achieve stable prices and maximum employment over the longer run. Uncertainty around the "
    "outlook has diminished, and the Board is attentive to risks on both sides of its mandate.",
    "In support of its goals, the Board decided to lower the policy rate by 25 basis points to 4-1/4 percent. "
    "The Board will continue to reduce its holdings of government bonds.",
    "Voting for the policy action were Governor Lena Marsh, Chair; Deputy Governor Tomas Reyes; and Members Ada Quinn "
    "and Piet Olsen.",
]

#: Page furniture that must never reach a statement.
FURNITURE = ("Skip to main content", "An official website", "Monetary Policy", "Press Releases", "Careers", "Share",
             "Facebook", "Print this page", "Related releases", "Board keeps rate steady", "Subscribe",
             "Privacy Policy", "cookies", "Accessibility", "Back to top", "window.dataLayer")


def gov_page(title: str, date: str, paragraphs: list[str], *, canonical: str | None = None) -> str:
    """A press-release page as central banks and ministries publish them: banner, navigation, breadcrumbs, share
    bar, the release, related links, newsletter box, footer and a cookie notice."""
    body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} | Bank of Examplia</title>
  <meta property="og:title" content="{html.escape(title)}">
  <meta property="og:site_name" content="Bank of Examplia">
  <meta property="article:published_time" content="{date}T14:00:00-04:00">
  <meta name="description" content="The Monetary Board released a statement.">
  {link}
  <script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
  <style>.usa-banner {{ background: #f0f0f0 }}</style>
</head>
<body>
  <a class="usa-skipnav" href="#main-content">Skip to main content</a>
  <section class="usa-banner" aria-label="Official website">An official website of the Republic of Examplia</section>
  <header class="site-header">
    <div class="logo"><a href="/">Bank of Examplia</a></div>
    <nav class="main-nav" aria-label="Primary">
      <ul><li><a href="/monetary-policy/">Monetary Policy</a></li><li><a href="/press/">Press Releases</a></li>
      <li><a href="/research/">Research</a></li><li><a href="/careers/">Careers</a></li></ul>
    </nav>
    <form class="search" action="/search"><input name="q" placeholder="Search"><button>Search</button></form>
  </header>
  <nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/press/">Press Releases</a></li>
    <li>{html.escape(title)}</li></ol></nav>
  <main id="main-content">
    <article class="press-release">
      <h1 class="page-title">{html.escape(title)}</h1>
      <p class="release-meta"><time datetime="{date}">{date}</time> · For release at 2:00 p.m.</p>
      <div class="share-bar"><span>Share</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a>
        <a href="javascript:print()">Print this page</a></div>
      <div class="article-body">
{body}
      </div>
      <p class="contact">For media inquiries, e-mail media@bank.example or call 555-0100.</p>
    </article>
    <aside class="related">
      <h2>Related releases</h2>
      <ul><li><a href="/press/2025-06-18">Board keeps rate steady as floods lift food prices</a></li>
      <li><a href="/press/2025-03-12">Board raises policy rate to 4-1/2 percent</a></li></ul>
    </aside>
    <div class="newsletter"><h2>Subscribe</h2><p>Get press releases by e-mail.</p></div>
  </main>
  <footer class="site-footer">
    <ul><li><a href="/privacy">Privacy Policy</a></li><li><a href="/accessibility">Accessibility</a></li>
    <li><a href="/foia">FOIA</a></li></ul>
    <p>© 2025 Bank of Examplia. <a href="#top">Back to top</a></p>
  </footer>
  <div class="cookie-banner" role="dialog">This site uses cookies to improve your experience. <button>Accept</button></div>
</body>
</html>
"""


@dataclass
class Route:
    """What the server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Site:
    """A loopback web server (127.0.0.1, a free port) answering from ``routes``; records each request's path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def page(self, path: str, text: str, content_type: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = Route(body=text.encode("utf-8"), headers={"Content-Type": content_type})
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        self.routes[path] = Route(status=status, headers={"Location": to})
        return self.url(path)


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            time.sleep(route.delay)
            self.send_response(route.status)
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    site.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.server.daemon_threads = True
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
