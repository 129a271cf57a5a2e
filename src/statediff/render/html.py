"""One self-contained HTML report: Jinja2 templates (autoescaped), CSS and JS inlined, no requests.

Templates load from the package (``importlib.resources`` via ``PackageLoader``), the built-in ones precompiled
(``render/compiled/``, see ``write_compiled``); a user folder given as ``template_dir`` is searched first, so any
template (``report.html.j2``, ``report.css``, ``report.js``) can be overridden. The page's Content-Security-Policy
allows no network at all and only the report's own script (by its hash), so even a template mistake could not make
statement text run or fetch anything.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statediff.errors import StatediffError
from statediff.model import KINDS, Comparison
from statediff.textnorm import without_controls

from .positions_view import panel, positions_for
from .report_model import build_rows, build_summary, safe_href, sentence_anchor, sides

if TYPE_CHECKING:
    from statediff.positions.digest import Positions

__all__ = ["page_environment", "render_html", "safe_href", "sentence_anchor"]


def _environment(template_dir: str | None) -> Any:
    # The built-in templates compile once per process: a fresh environment recompiled them for every report,
    # most of the time of a series build (208 FOMC reports: about 2/3 of `statediff report`). A user's folder
    # is read afresh each time (its files may change between calls).
    return _make_environment(template_dir) if template_dir else page_environment()


@functools.lru_cache(maxsize=1)
def page_environment() -> Any:
    """The built-in templates, autoescaped and without control characters: for the index and history pages too."""
    return _make_environment(None)


TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPILED = Path(__file__).resolve().parent / "compiled"
"""The built-in templates as Jinja2 compiles them (Python modules, ``write_compiled``): importing report.html.j2's
takes about a millisecond, compiling it from source about 55 ms of every process that renders a report. Shipped
files, never a cache: they are used only under the Jinja2 version that wrote them, and each only while its
template's source is the one it was compiled from (``manifest.json``); any other template compiles as before."""
MANIFEST = "manifest.json"


def _make_environment(template_dir: str | None, *, precompiled: bool = True) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    loaders: list[Any] = []
    if template_dir:
        loaders.append(_user_loader(FileSystemLoader, template_dir))
    compiled = _compiled_loader() if precompiled else None
    if compiled is not None:
        loaders.append(compiled)
    loaders.append(PackageLoader("statediff", "render/templates"))
    # autoescape=True for every template, whatever its name: statement text is untrusted. finalize drops control
    # characters from every value shown: harmless to a browser, but `cat report.html` would run escape sequences.
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, finalize=_no_controls)


def _source_digest(name: str) -> str | None:
    try:
        return hashlib.sha256((TEMPLATES / name).read_bytes()).hexdigest()
    except OSError:
        return None


def _compiled_loader() -> Any | None:
    """A loader of the precompiled built-in templates that are current, or None when none can be used."""
    import jinja2
    from jinja2 import ModuleLoader, TemplateNotFound

    try:
        manifest = json.loads((COMPILED / MANIFEST).read_text(encoding="utf-8"))
        usable = frozenset(name for name, digest in manifest["templates"].items() if _source_digest(name) == digest)
        if manifest["jinja2"] != jinja2.__version__ or not usable:
            return None  # compiled code calls into Jinja2's runtime, whose internals may change with its version
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None

    class Precompiled(ModuleLoader):
        def load(self, environment: Any, name: str, globals: Any = None) -> Any:
            if name not in usable:
                raise TemplateNotFound(name)  # edited since it was compiled: the package loader compiles it
            return super().load(environment, name, globals)

        def get_source(self, environment: Any, template: str) -> Any:
            raise TemplateNotFound(template)  # no sources here: the package loader after this one has them

    return Precompiled(str(COMPILED))


def write_compiled(target: Path = COMPILED) -> None:
    """Compile the built-in templates into ``target`` with the installed Jinja2 (after editing a template:
    ``python -c "from statediff.render.html import write_compiled; write_compiled()"``)."""
    import shutil

    import jinja2

    env = _make_environment(None, precompiled=False)
    names = sorted(env.list_templates())
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    env.compile_templates(staging, zip=None, ignore_errors=False)
    manifest = {"jinja2": jinja2.__version__, "templates": {name: _source_digest(name) for name in names}}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _user_loader(base: Any, template_dir: str) -> Any:
    """The user's template folder; a file there that cannot be read is bad input named like a broken template."""
    from jinja2 import TemplateNotFound

    class UserTemplates(base):  # type: ignore[misc]
        def get_source(self, environment: Any, template: str) -> Any:
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                raise StatediffError(
                    f"{_in(template_dir, template)}: is not UTF-8 text (byte {exc.start} is {exc.object[exc.start]:#04x}); "
                    f"save it as UTF-8, or remove it from {template_dir} to use the built-in one") from exc
            except TemplateNotFound:  # an OSError too: ChoiceLoader then tries the built-in templates
                raise
            except OSError as exc:
                raise StatediffError(f"{_in(template_dir, template)}: cannot read it ({exc.strerror or exc}); fix it, "
                                     f"or remove it from {template_dir} to use the built-in one") from exc

    return UserTemplates(template_dir)


def _in(template_dir: str, template: str) -> str:
    import os.path

    return os.path.join(template_dir, *template.split("/"))


def _no_controls(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return without_controls(value)
    return value


def _script(env: Any) -> tuple[Any, str]:
    """The report's JavaScript (the user's override first) and its CSP hash."""
    from markupsafe import Markup

    source, _, _ = env.loader.get_source(env, "report.js")
    # Our own code, not statement text: inlined verbatim, except that "</" must not end the element early.
    source = source.replace("</", "<\\/")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"'sha256-{digest}'"


def render_html(c: Comparison, *, template_dir: str | None = None, positions: Positions | None = None) -> str:
    """The report as one HTML string; ``positions`` (from ``positions.analyse``) fills the Positions panel."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    env = _environment(template_dir)
    rows = build_rows(c)
    old, new = sides(c)
    try:
        script, script_hash = _script(env)
        return str(
            env.get_template("report.html.j2").render(
                c=c, old=old, new=new, rows=rows, counts=c.summary(), kinds=KINDS, model=c.model,
                summary=build_summary(c, rows), script=script, script_hash=script_hash,
                positions=panel(positions_for(c, positions)),
            )
        )
    except TemplateError as exc:
        # A broken user template is bad input, not a crash: name it and say how to get going again.
        where, what = "template", exc.message or type(exc).__name__
        if isinstance(exc, TemplateSyntaxError):
            where = f"{exc.filename or exc.name or 'template'}, line {exc.lineno}"
        elif isinstance(exc, TemplateNotFound):  # included or extended by a user's template; its message is the name
            where, what = f"template {exc.name}", "not found"
        fix = f"fix it in {template_dir} or remove it there to use the built-in one" if template_dir else "reinstall statediff"
        raise StatediffError(f"{where}: {what}; {fix}") from exc
