"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright, the network blocked.

Every test opens a report from a file:// URL with all requests routed, recorded and refused, and fails on
any console error or request. Where Chromium or Playwright cannot start, the tests are skipped and say why.
The screenshot of a corpus report is saved under test-output/ at the repository root (git-ignored).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import statediff
from conftest import ROOT
from fakes import FakeEmbedder
from report_cases import NEW, OLD, XSS_NEW, XSS_OLD
from statediff.model import Comparison
from statediff.render.html import render_html, sentence_anchor

pytestmark = pytest.mark.browser
pytest_plugins = ["browser_fixtures"]  # fixtures: browser

OUTPUT = ROOT / "test-output"
TRILATERAL = "us-japan-rok-trilateral"
CAMP_DAVID = "2023-08-18-spirit-of-camp-david-joint-statement.txt"
LIMA = "2024-11-15-lima-joint-leaders-statement.txt"


@dataclass
class Opened:
    """A report open in a page, with what it tried to fetch and what it logged."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.errors == [], "console errors"
        assert self.requests == [], "requests left the page"

    def visible(self, selector: str) -> int:
        return int(self.page.evaluate(
            "s => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length > 0).length", selector))

    def shown_by_kind(self) -> dict[str, int]:
        return dict(self.page.evaluate("""() => {
            const out = {};
            for (const r of document.querySelectorAll('tr.sd-row:not([data-ghost])')) {
                if (r.getClientRects().length) out[r.dataset.kind] = (out[r.dataset.kind] || 0) + 1;
            }
            return out;
        }"""))

    def text_cells_per_row(self) -> list[int]:
        return list(self.page.evaluate("""() => [...document.querySelectorAll('tr.sd-row')].map(r =>
            [...r.querySelectorAll('td.sd-old, td.sd-new, td.sd-inline')].filter(c => c.getClientRects().length).length)"""))

    def in_viewport(self, element_id: str) -> bool:
        return bool(self.page.evaluate("""id => {
            const r = document.getElementById(id).getBoundingClientRect();
            return r.height > 0 && r.top >= 0 && r.top < window.innerHeight;
        }""", element_id))


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts = []

    def opener(html: str, *, name: str = "report.html", javascript: bool = True, fragment: str = "",
               width: int = 1280) -> Opened:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
        context.set_default_timeout(5000)
        contexts.append(context)
        opened = Opened(page=context.new_page(), url=path.as_uri())

        def route(r: Any) -> None:
            if r.request.url.split("#")[0] == opened.url:
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = opened.page
        page.on("request", lambda req: req.url.split("#")[0] != opened.url and opened.requests.append(req.url))
        page.on("console", lambda msg: msg.type == "error" and opened.errors.append(msg.text))
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.goto(opened.url + fragment, wait_until="load")
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def comparison(fake_embedder: FakeEmbedder) -> Comparison:
    return statediff.compare(OLD, NEW, embedder=fake_embedder)


def test_counts_shown_match_the_json_and_nothing_is_fetched_or_logged(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    summary = comparison.to_dict()["summary"]
    page = report.page
    header = {k: int(page.locator(f'.sd-counts li[data-kind="{k}"] .sd-n').inner_text()) for k in summary}
    filters = {k: int(page.locator(f'.sd-fc[data-kind="{k}"]').inner_text()) for k in summary}
    assert header == filters == summary
    assert report.shown_by_kind() == {k: n for k, n in summary.items() if n}
    assert page.locator("#sd-status").inner_text() == f"Showing {len(comparison.changes)} of {len(comparison.changes)} rows"
    # Use every control once; none of it may log an error or fetch anything.
    page.check('input[name="sd-view"][value="inline"]')
    page.check("#sd-only")
    page.fill("#sd-context-n", "0")
    page.uncheck('input[data-filter="added"]')
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.locator("tr.sd-row:visible td.sd-gutter").first.click()
    page.check('input[name="sd-view"][value="sbs"]')
    page.locator(".sd-link:visible").first.click()
    page.locator(".sd-moved-link").first.click()
    report.clean()


def test_each_kind_filter_hides_exactly_that_kind_and_updates_its_count(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    everything = report.shown_by_kind()
    total = sum(everything.values())
    for kind, n in everything.items():
        page.uncheck(f'input[data-filter="{kind}"]')
        assert report.shown_by_kind() == {k: m for k, m in everything.items() if k != kind}
        assert page.locator(f'.sd-fc[data-kind="{kind}"]').inner_text() == f"0 of {n}"
        assert page.locator("#sd-status").inner_text() == f"Showing {total - n} of {total} rows"
        page.check(f'input[data-filter="{kind}"]')
        assert report.shown_by_kind() == everything
    # The moved filter also hides the place the sentence moved from.
    assert report.visible("tr[data-ghost]") == 1
    page.uncheck('input[data-filter="moved"]')
    assert report.visible("tr[data-ghost]") == 0
    report.clean()


def test_the_inline_view_shows_track_changes_in_one_column(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    rows = len(comparison.changes) + 1  # and the moved sentence's old place
    assert (report.visible("td.sd-old"), report.visible("td.sd-new"), report.visible("td.sd-inline")) == (rows, rows, 0)
    page.check('input[name="sd-view"][value="inline"]')
    assert report.text_cells_per_row() == [1] * rows
    assert report.visible("th") == 2  # the kind, and the one text column
    modified = page.locator('tr[data-kind="modified"] td.sd-inline')
    assert modified.locator("del").inner_text() == "The"
    assert modified.locator("ins").inner_text() == "Job gains have remained strong, and the"
    # Struck through and underlined: the meaning survives without colour; whole sentences too.
    for element in (modified.locator("del"), page.locator('tr[data-kind="removed"] del')):
        assert "line-through" in element.evaluate("e => getComputedStyle(e).textDecorationLine")
    for element in (modified.locator("ins"), page.locator('tr[data-kind="added"] ins')):
        assert "underline" in element.evaluate("e => getComputedStyle(e).textDecorationLine")
    number = page.locator('tr[data-kind="removed"] .sd-link')  # an old sentence's number says so, among new ones
    assert number.inner_text() + number.evaluate("e => getComputedStyle(e, '::before').content") == '2"old "'
    assert number.get_attribute("aria-label") == "Copy link to old sentence 2"
    page.check('input[name="sd-view"][value="sbs"]')
    assert report.visible("td.sd-old") == rows
    report.clean()


def test_changes_only_keeps_the_chosen_context_and_can_show_the_rest(open_report: Any, fake_embedder: FakeEmbedder) -> None:
    old = [f"Paragraph {w} says the same thing in the same words as before." for w in "abcdefghijkl"]
    new = list(old)
    new[6] = "Paragraph g says something else in other words than before."
    c = statediff.compare(old, new, embedder=fake_embedder)
    assert [ch.kind for ch in c.changes].count("unchanged") == 11
    report = open_report(render_html(c))
    page = report.page
    page.check("#sd-only")
    assert report.shown_by_kind() == {"modified": 1, "unchanged": 2}  # one on each side by default
    assert page.locator(".sd-fc[data-kind='unchanged']").inner_text() == "2 of 11"
    assert [g.inner_text() for g in page.locator("tr.sd-gap button").all()] == [
        "⋯ 5 unchanged sentences hidden: show", "⋯ 4 unchanged sentences hidden: show"]
    page.fill("#sd-context-n", "3")
    assert report.shown_by_kind() == {"modified": 1, "unchanged": 6}
    page.fill("#sd-context-n", "0")
    assert report.shown_by_kind() == {"modified": 1}
    page.locator("tr.sd-gap button").first.click()
    assert report.shown_by_kind() == {"modified": 1, "unchanged": 6}
    page.uncheck("#sd-only")
    assert report.shown_by_kind() == {"modified": 1, "unchanged": 11}
    report.clean()


def test_j_and_k_move_between_changes(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    changes = [f"c{n}" for n, ch in enumerate(comparison.changes) if ch.kind != "unchanged"]
    assert len(changes) == 5

    def current() -> str:
        return str(page.evaluate("document.activeElement.id"))

    for expected in changes:
        page.keyboard.press("j")
        assert current() == expected
        assert report.in_viewport(expected)
    page.keyboard.press("j")
    assert current() == changes[-1]  # stays on the last change
    page.keyboard.press("k")
    assert current() == changes[-2]
    # Filtered-out changes are skipped.
    page.uncheck('input[data-filter="moved"]')
    moved = next(f"c{n}" for n, ch in enumerate(comparison.changes) if ch.kind == "moved")
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert current() == next(c for c in changes if c != moved)
    # Typing in the context box does not navigate.
    page.focus("#sd-context-n")
    page.keyboard.press("j")
    assert current() == "sd-context-n"
    report.clean()


def test_every_control_is_reachable_and_usable_by_keyboard(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    reached = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("(() => { const e = document.activeElement; return e.id || e.dataset.filter || e.name; })()"))
    assert {"sd-view", "sd-only", "sd-context-n", "sd-prev", "sd-next"} <= reached
    assert set(comparison.summary()) <= reached  # every kind's filter
    # Views are a radio group: arrow keys switch them, no mouse needed.
    page.focus('input[name="sd-view"][value="sbs"]')
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.body.dataset.view") == "inline"
    page.focus('input[data-filter="added"]')
    page.keyboard.press("Space")
    assert "added" not in report.shown_by_kind()
    page.focus("#sd-next")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == next(
        f"c{n}" for n, ch in enumerate(comparison.changes) if ch.kind not in ("unchanged", "added"))
    report.clean()


def test_a_moved_sentence_links_to_its_old_place_and_back(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    moved = page.locator('tr[data-kind="moved"]:not([data-ghost])')
    moved_id = moved.get_attribute("id")
    ghost_id = f"{moved_id}-was"
    page.locator(f"#{ghost_id} a.sd-moved-link").first.click()
    assert page.evaluate("location.hash") == f"#{moved_id}"
    assert report.in_viewport(moved_id)
    moved.locator("a.sd-moved-link").click()
    assert page.evaluate("location.hash") == f"#{ghost_id}"
    assert report.in_viewport(ghost_id)
    assert page.evaluate("document.activeElement.id") == ghost_id
    report.clean()


def test_a_sentence_link_copies_and_an_old_link_still_lands(open_report: Any, comparison: Comparison) -> None:
    html = render_html(comparison)
    report = open_report(html)
    page = report.page
    target = sentence_anchor("Banks are sound and resilient.")
    page.locator(f"#{target} a.sd-link").click()
    assert page.evaluate("location.hash") == f"#{target}"
    assert report.url + f"#{target}" in page.locator("#sd-status").inner_text()
    report.clean()
    # A link made in the previous report to a sentence since dropped still lands on it (now on the old side).
    dropped = sentence_anchor("Job gains have moderated since early last year but remain strong.")
    again = open_report(html, name="again.html", fragment=f"#{dropped}")
    assert again.page.evaluate("document.activeElement.id") == "c1"
    assert again.in_viewport("c1")
    again.clean()


def test_hostile_statement_text_runs_nothing_and_reads_as_text(open_report: Any, fake_embedder: FakeEmbedder) -> None:
    report = open_report(render_html(statediff.compare(XSS_OLD, XSS_NEW, embedder=fake_embedder)))
    page = report.page
    page.check('input[name="sd-view"][value="inline"]')
    page.check('input[name="sd-view"][value="sbs"]')
    page.mouse.move(400, 400)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    for text in ("<img src=x onerror=window.__pwned=1>", "<script>window.__pwned=1</script> Read",
                 "{{ 7*7 }}", "<script>window.__pwned=1</script> Old", "javascript:window.__pwned=1"):
        assert page.get_by_text(text, exact=False).first.is_visible(), text
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img").count() == 0
    report.clean()


def test_without_javascript_the_side_by_side_view_and_change_list_still_show(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison), javascript=False)
    page = report.page
    rows = len(comparison.changes) + 1
    assert (report.visible("td.sd-old"), report.visible("td.sd-new"), report.visible("td.sd-inline")) == (rows, rows, 0)
    assert page.locator("#sd-summary").is_visible()
    assert page.locator("#sd-summary li").count() >= 4
    assert not page.locator("#sd-toolbar").is_visible()  # controls that could not work are not offered
    page.locator("#sd-summary a.sd-where").first.click()  # plain links still jump
    assert page.evaluate("location.hash").startswith("#c")
    report.clean()


def test_a_phone_starts_in_the_inline_view(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison), width=400)
    assert report.page.evaluate("document.body.dataset.view") == "inline"
    assert report.text_cells_per_row() == [1] * (len(comparison.changes) + 1)
    report.page.check('input[name="sd-view"][value="sbs"]')
    assert report.visible("td.sd-old") == len(comparison.changes) + 1
    report.clean()


def test_dark_scheme_and_print_stylesheet_apply(open_report: Any, comparison: Comparison) -> None:
    report = open_report(render_html(comparison))
    page = report.page
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark != light
    page.emulate_media(media="print")
    assert not page.locator("#sd-toolbar").is_visible()
    assert page.locator("td.sd-old").first.is_visible()
    report.clean()


@pytest.mark.model
def test_camp_david_vs_lima_is_small_fast_and_leaves_a_screenshot(open_report: Any, corpus: Path) -> None:
    from statediff.read.ingest import read_document

    c = statediff.compare(read_document(corpus / TRILATERAL / CAMP_DAVID), read_document(corpus / TRILATERAL / LIMA))
    html = render_html(c)
    size = len(html.encode("utf-8"))
    assert size < 400_000, f"report is {size} bytes"
    report = open_report(html, name="camp-david-vs-lima.html")
    page = report.page
    summary = c.to_dict()["summary"]
    assert {k: int(page.locator(f'.sd-counts li[data-kind="{k}"] .sd-n').inner_text()) for k in summary} == summary
    assert report.shown_by_kind() == {k: n for k, n in summary.items() if n}
    timings = []
    for _ in range(5):
        page.reload(wait_until="load")
        timings.append(page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()"))
    median_ms = statistics.median(timings)
    assert median_ms < 1000, f"median render {median_ms:.0f} ms over {timings}"
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "report-camp-david-vs-lima.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot))
    figures = f"size_bytes={size}\nrender_ms_median={median_ms:.1f}\nrender_ms_all={[round(t, 1) for t in timings]}\n"
    (OUTPUT / "report-camp-david-vs-lima.txt").write_text(figures, encoding="utf-8")
    assert shot.stat().st_size > 10_000
    page.keyboard.press("j")  # and the first change, side by side
    page.screenshot(path=str(OUTPUT / "report-camp-david-vs-lima-first-change.png"))
    report.clean()
