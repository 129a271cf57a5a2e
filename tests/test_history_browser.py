"""The series history page in a real browser (Debian's headless Chromium via Playwright): search, filters, links."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from fakes import FakeEmbedder
from folder_support import Project
from test_history import SERIES, fill

if TYPE_CHECKING:
    from browser_fixtures import Watched  # a plugin: imported as such, not here

pytest_plugins = ["folder_fixtures", "browser_fixtures"]  # fixtures: project, fake_model, watched

pytestmark = pytest.mark.browser


def test_the_history_page_filters_lineages_in_the_page(project: Project, fake_model: FakeEmbedder, watched: Watched) -> None:
    from playwright.sync_api import expect

    fill(project, SERIES)
    assert project.run("report").exit_code == 0

    page = watched.page
    page.goto((project.reports / "fomc" / "history.html").as_uri())
    status = page.locator("#sdh-status")
    assert page.locator("section.sdh-row").count() == 4
    expect(status).to_have_text("4 of 4 lineages")
    # Words of an earlier wording find the lineage (the latest wording says "maintain ... at").
    page.fill("#sdh-q", "raise the TARGET range")
    expect(status).to_have_text("1 of 4 lineages")
    visible = page.locator("section.sdh-row:visible .sdh-text").all_inner_texts()
    assert len(visible) == 1 and "maintain the target range" in visible[0]
    page.fill("#sdh-q", "")
    page.check("#sdh-current")
    expect(status).to_have_text("3 of 4 lineages")
    page.check("#sdh-changed")  # in the latest statement and reworded or returned: the range and the monitor line
    expect(status).to_have_text("2 of 4 lineages")
    # A returned mark is a link to the report where the sentence came back.
    returned = page.locator(".sdh-strip .sdh-returned")
    assert returned.count() == 1 and returned.first.get_attribute("href", timeout=1000) is not None
    returned.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("__2023-04-01-statement-4.html")
    assert "Returns from 2023-01-01" in page.inner_text("body")
    assert watched.remote == [] and watched.errors == []
