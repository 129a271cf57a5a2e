"""The reports index in a real browser (Debian's headless Chromium via Playwright): it shows, it links, it fetches nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from fakes import FakeEmbedder
from folder_support import FOMC_A, FOMC_B, FOMC_C, Project

if TYPE_CHECKING:
    from browser_fixtures import Watched  # a plugin: imported as such, not here

pytest_plugins = ["folder_fixtures", "browser_fixtures"]  # fixtures: project, fake_model, watched

pytestmark = pytest.mark.browser


def test_the_index_shows_each_series_and_its_links_open_the_reports(project: Project, fake_model: FakeEmbedder,
                                                                     watched: Watched) -> None:
    for n, text in enumerate((FOMC_A, FOMC_B, FOMC_C)):
        assert project.add(f"{n}.txt", text, "--series", "fomc", "--issuer", "FOMC", "--no-report").exit_code == 0
    assert project.add("g.txt", FOMC_A, "--series", "g7-leaders", "--issuer", "G7", "--no-report").exit_code == 0
    assert project.run("report").exit_code == 0

    page = watched.page
    page.goto((project.reports / "index.html").as_uri())
    assert page.locator("section.sdi-series h2").all_inner_texts() == ["fomc", "g7-leaders"]
    fomc = page.locator("section#fomc")
    assert fomc.locator(".sdi-statement").count() == 3
    assert fomc.locator(".sdi-dot").count() == 3 and fomc.locator(".sdi-dot").first.is_visible()
    first_report = fomc.locator(".sdi-report a").first
    assert first_report.is_visible()
    counts = fomc.locator(".sdi-report").first.inner_text()
    assert "modified" in counts and "added" in counts
    first_report.click()
    page.wait_for_load_state()
    assert page.url.endswith("__2023-06-14-fomc-statement.html")
    assert "maintain" in page.inner_text("body")
    page.go_back()
    page.locator("section#fomc .sdi-statement a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/statements/fomc/2023-05-03-fomc-statement.md")
    assert watched.remote == [] and watched.errors == []
