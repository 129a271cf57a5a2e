"""`statediff add URL` and `compare URL`: fetching statement pages from a loopback server, never the internet."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import statediff.read.fetch
from conftest import FIXTURES
from fakes import FakeEmbedder
from folder_support import Project
from statediff.errors import StatediffError
from statediff.read.fetch import fetch
from statediff.read.ingest import read_document
from web_pages import FURNITURE, SEPTEMBER, Route, Site, gov_page, serve

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

TITLE = "Monetary Board statement (September 17, 2025)"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def test_a_government_page_gives_the_statement_without_its_furniture(site: Site) -> None:
    url = site.page("/press/2025-09-17-statement", gov_page(TITLE, "2025-09-17", SEPTEMBER))
    doc = read_document(url)
    assert (doc.title, doc.date, doc.source) == (TITLE, dt.date(2025, 9, 17), url)
    assert doc.body.split("\n\n") == SEPTEMBER
    for junk in FURNITURE:
        assert junk not in doc.body, junk


def test_add_url_writes_the_statement_with_its_source_and_the_report_against_the_previous(
    project: Project, fake_model: FakeEmbedder, site: Site
) -> None:
    shutil.copytree(FIXTURES / "board", project.statements / "board")
    url = site.page("/press/2025-09-17-statement", gov_page(TITLE, "2025-09-17", SEPTEMBER))
    result = project.run("add", url, "--series", "board")
    assert result.exit_code == 0, result.output
    target = "statements/board/2025-09-17-monetary-board-statement.md"
    previous = "2025-06-18-monetary-board-statement"
    assert result.stdout.splitlines()[0] == f"added {target}"
    report = f"reports/board/{previous}__2025-09-17-monetary-board-statement.html"
    assert result.stdout.splitlines()[1].startswith(f"report {report}: ")
    assert (project.root / report).is_file()
    text = (project.root / target).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["source"] == url and meta["title"] == TITLE and meta["date"] == dt.date(2025, 9, 17)
    assert meta["issuers"] == ["Monetary Board of the Bank of Examplia"]  # carried over from the previous statement
    assert SEPTEMBER[1] in text and "Skip to main content" not in text
    assert site.requests == ["/press/2025-09-17-statement"]  # one request


def test_redirects_are_followed_and_the_final_address_is_kept(site: Site) -> None:
    final = site.page("/press/final", gov_page(TITLE, "2025-09-17", SEPTEMBER))
    start = site.redirect("/r1", "/r2")
    site.redirect("/r2", final, status=302)
    assert read_document(start).source == final


def test_a_redirect_loop_stops_with_one_line(site: Site) -> None:
    site.redirect("/a", "/b")
    url = site.redirect("/b", "/a")
    with pytest.raises(StatediffError, match=r"more than 5 redirects; give the page's final address"):
        fetch(url)
    assert len(site.requests) <= 6


def test_a_redirect_to_another_scheme_is_refused(site: Site) -> None:
    url = site.redirect("/a", "file:///etc/passwd")
    with pytest.raises(StatediffError, match=r"redirects to file:///etc/passwd, which is not http or https"):
        fetch(url)


@pytest.mark.parametrize("url", ["ftp://example.org/statement.txt", "file:///etc/passwd", "javascript://alert(1)",
                                 "http:///no-host"])
def test_only_http_and_https_addresses_are_fetched(url: str) -> None:
    with pytest.raises(StatediffError, match=r"only http:// and https://|has no host name"):
        read_document(url)


def test_a_page_over_the_size_limit_is_refused_while_reading(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statediff.read.fetch, "MAX_BYTES", 50_000)
    url = site.page("/big", gov_page(TITLE, "2025-09-17", SEPTEMBER * 200))
    with pytest.raises(StatediffError, match=r"over the 50,000-byte limit for a statement"):
        fetch(url)


def test_a_slow_server_times_out(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statediff.read.fetch, "TIMEOUT", 0.3)
    site.routes["/slow"] = Route(body=b"<html><p>late</p></html>", headers={"Content-Type": "text/html"}, delay=2)
    with pytest.raises(StatediffError, match=r"no answer within 0 s|took too long"):
        fetch(site.url("/slow"))


def test_http_errors_and_other_content_types_say_what_to_do(site: Site) -> None:
    with pytest.raises(StatediffError, match=r"/missing: the server answered 404 Not Found; check the address"):
        fetch(site.url("/missing"))
    site.routes["/release.pdf"] = Route(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    with pytest.raises(StatediffError, match=r"is application/pdf, not a web page or text; save the statement's text"):
        fetch(site.url("/release.pdf"))


def test_offline_is_one_clear_line(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    result = project.run("add", "https://bank.example/press/2025-09-17", "--series", "board")
    assert result.exit_code == 2
    assert result.stderr == ("statediff: error: https://bank.example/press/2025-09-17: cannot find the host bank.example "
                             "(offline, or a typo in the address?); check your connection, or save the page from your "
                             "browser and run: statediff add FILE\n")
    assert not (project.statements / "board").exists()


def test_nothing_listens_is_one_clear_line(project: Project) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = project.run("add", f"http://127.0.0.1:{port}/x", "--series", "board")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"statediff: error: http://127.0.0.1:{port}/x: cannot fetch (")
    assert result.stderr.count("\n") == 1


def test_the_declared_charset_is_used(site: Site) -> None:
    page = gov_page("Déclaration commune", "2025-09-17", ["Les ministres se sont réunis à Genève."])
    site.routes["/fr"] = Route(body=page.replace('charset="utf-8"', "").encode("cp1252"),
                               headers={"Content-Type": "text/html; charset=windows-1252"})
    doc = read_document(site.url("/fr"))
    assert doc.title == "Déclaration commune" and "réunis à Genève" in doc.body


def test_compare_reads_a_url_and_standard_input(site: Site, fake_model: FakeEmbedder, project: Project,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes import use_fake_model

    use_fake_model(monkeypatch)
    url = site.page("/sept", gov_page(TITLE, "2025-09-17", SEPTEMBER))
    june = (FIXTURES / "board" / "2025-06-18-monetary-board-statement.md").read_text(encoding="utf-8")
    from click.testing import CliRunner

    from statediff.cli import main

    result = CliRunner().invoke(main, ["compare", "-", url, "--color", "never"], input=june)
    assert result.exit_code == 1, result.output
    assert "~ In support of its goals, the Board decided to [-maintain-]{+lower+}" in result.stdout
    assert result.stdout.startswith("--- Monetary Board statement (June 18, 2025) (2025-06-18)\n+++ " + TITLE)


def test_saved_page_on_disk_reads_the_same_as_the_fetched_one(site: Site, tmp_path: Path) -> None:
    page = gov_page(TITLE, "2025-09-17", SEPTEMBER)
    saved = tmp_path / "statement.html"
    saved.write_text(page, encoding="utf-8")
    fetched = read_document(site.page("/s", page))
    on_disk = read_document(saved)
    assert (on_disk.title, on_disk.date, on_disk.body) == (fetched.title, fetched.date, fetched.body)
