"""One self-contained HTML report: Jinja2 templates (autoescaped), CSS and JS inlined.

Templates load from the package (``importlib.resources`` via ``PackageLoader``); a user folder given as
``template_dir`` is searched first, so any template can be overridden.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import KINDS, Change, Comparison, Sentence
from ..textnorm import normalize


def sentence_anchor(text: str) -> str:
    """A stable anchor id from the sentence's normalised text, so links survive into the next report."""
    return "s-" + hashlib.sha1(normalize(text).lower().encode("utf-8")).hexdigest()[:10]


def _environment(template_dir: str | None) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    loaders: list[Any] = []
    if template_dir:
        loaders.append(FileSystemLoader(template_dir))
    loaders.append(PackageLoader("statediff", "render/templates"))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _row(c: Comparison, n: int, ch: Change) -> dict[str, Any]:
    def sents(indices: tuple[int, ...], pool: tuple[Sentence, ...]) -> list[dict[str, Any]]:
        return [{"index": k, "text": pool[k].text, "anchor": sentence_anchor(pool[k].text)} for k in indices]

    return {
        "n": n,
        "id": f"c{n}",
        "kind": ch.kind,
        "old": sents(ch.old, c.old_sentences),
        "new": sents(ch.new, c.new_sentences),
        "ops": [{"tag": op.tag, "text": op.text} for op in ch.ops],
        "similarity": ch.similarity,
        "rewritten": ch.rewritten,
    }


def render_html(c: Comparison, *, template_dir: str | None = None) -> str:
    """The report as one HTML string."""
    env = _environment(template_dir)
    rows = [_row(c, n, ch) for n, ch in enumerate(c.changes)]
    counts = c.summary()
    return str(
        env.get_template("report.html.j2").render(
            c=c, old=c.old, new=c.new, rows=rows, counts=counts, kinds=KINDS, model=c.model
        )
    )
