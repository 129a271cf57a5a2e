"""The real browser of the browser tests (a pytest plugin: ``pytest_plugins = ["browser_fixtures"]``).

Debian's headless Chromium driven by Playwright, started once per test module. Where Chromium or Playwright
cannot start, the tests are skipped and say why (CI installs Chromium, so there they run).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright's Python package is missing: install the dev extras (pip install -e '.[dev]')")
    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    except Exception as exc:  # any launch failure means "cannot test here", reported as such
        manager.stop()
        pytest.skip(f"Chromium at {CHROMIUM} could not be started: {exc}")
    yield chromium
    chromium.close()
    manager.stop()



@dataclass
class Watched:
    """A new page of the browser, with every request that left the file:// page and every console or page error:
    the two lists a test asserts empty at its end."""

    page: Any
    remote: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Watched:
    found = Watched(browser.new_page())
    found.page.on("request", lambda r: found.remote.append(r.url) if not r.url.startswith("file:") else None)
    found.page.on("console", lambda m: found.errors.append(m.text) if m.type == "error" else None)
    found.page.on("pageerror", lambda e: found.errors.append(str(e)))
    return found
