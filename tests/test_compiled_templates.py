"""The built-in templates ship precompiled (render/compiled/): the same pages as compiling them from source, used
only while they are current (same Jinja2, same template source), and regenerated with ``write_compiled``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
import pytest
from jinja2 import TemplateNotFound

import statediff
from fakes import FakeEmbedder
from report_cases import NEW, OLD, XSS_NEW, XSS_OLD
from statediff.render import html

SHIPPED = json.loads((html.COMPILED / html.MANIFEST).read_text(encoding="utf-8"))
CURRENT_JINJA = SHIPPED["jinja2"] == jinja2.__version__


def test_the_shipped_compiled_templates_are_current(tmp_path: Path) -> None:
    if not CURRENT_JINJA:
        pytest.skip(f"render/compiled/ was written by Jinja2 {SHIPPED['jinja2']}, {jinja2.__version__} is installed: "
                    "the templates compile from source (see the tests below); regenerate with write_compiled()")
    fresh = tmp_path / "compiled"
    html.write_compiled(fresh)
    shipped_files = sorted(p.name for p in html.COMPILED.iterdir() if p.is_file())
    assert sorted(p.name for p in fresh.iterdir()) == shipped_files
    for name in shipped_files:
        assert (fresh / name).read_bytes() == (html.COMPILED / name).read_bytes(), (
            f"render/compiled/{name} is stale: run python -c 'from statediff.render.html import write_compiled; "
            "write_compiled()' after editing a template")


def test_the_default_environment_loads_the_built_in_templates_precompiled() -> None:
    if not CURRENT_JINJA:
        pytest.skip(f"render/compiled/ was written by Jinja2 {SHIPPED['jinja2']}, {jinja2.__version__} is installed")
    loader = html._compiled_loader()
    assert loader is not None
    env = html._make_environment(None)
    template = loader.load(env, "report.html.j2")
    assert Path(template.filename).parent == html.COMPILED  # made from the module, not from the template's source
    with pytest.raises(TemplateNotFound):
        loader.get_source(env, "report.js")  # sources come from the package loader after it


@pytest.mark.parametrize("pair", [(OLD, NEW), (XSS_OLD, XSS_NEW)], ids=["report", "hostile-text"])
def test_a_precompiled_report_is_byte_identical_to_one_compiled_from_source(
        pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    c = statediff.compare(*pair, embedder=FakeEmbedder())
    fast = html.render_html(c)
    monkeypatch.setattr(html, "page_environment", lambda: html._make_environment(None, precompiled=False))
    assert html.render_html(c) == fast


def test_an_edited_template_is_compiled_from_its_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not CURRENT_JINJA:
        pytest.skip(f"render/compiled/ was written by Jinja2 {SHIPPED['jinja2']}, {jinja2.__version__} is installed")
    templates = tmp_path / "templates"
    shutil.copytree(html.TEMPLATES, templates)
    (templates / "report.css").write_text("/* edited */\n", encoding="utf-8")
    monkeypatch.setattr(html, "TEMPLATES", templates)
    loader = html._compiled_loader()
    env = html._make_environment(None)
    assert loader.load(env, "report.html.j2") is not None
    with pytest.raises(TemplateNotFound):
        loader.load(env, "report.css")  # its compiled module is of the old source: never used


@pytest.mark.parametrize("damage", ["another jinja2", "no manifest", "not json", "wrong shape"])
def test_precompiled_templates_are_not_used_under_another_jinja2_or_a_damaged_manifest(
        damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = tmp_path / "compiled"
    shutil.copytree(html.COMPILED, compiled)
    monkeypatch.setattr(html, "COMPILED", compiled)
    manifest = compiled / html.MANIFEST
    if damage == "another jinja2":
        monkeypatch.setattr(jinja2, "__version__", "0.0.1")
    elif damage == "no manifest":
        manifest.unlink()
    elif damage == "not json":
        manifest.write_text("{", encoding="utf-8")
    else:
        manifest.write_text(json.dumps({"jinja2": jinja2.__version__, "templates": ["report.html.j2"]}), encoding="utf-8")
    assert html._compiled_loader() is None
    # ... and a report still renders, compiled from source.
    monkeypatch.setattr(html, "page_environment", lambda: html._make_environment(None))
    page = html.render_html(statediff.compare(OLD, NEW, embedder=FakeEmbedder()))
    assert page.startswith("<!doctype html>")
