"""Output formats. Each reads only a ``Comparison`` (its ``Change`` records), never the pipeline's internals."""

from __future__ import annotations

from typing import Literal

from statediff.model import Comparison

Format = Literal["json", "md", "text", "html"]
FORMATS: tuple[Format, ...] = ("json", "md", "text", "html")


def render(comparison: Comparison, fmt: Format, *, color: bool = False, template_dir: str | None = None) -> str:
    """The comparison in one output format."""
    if fmt == "json":
        from .json import render_json

        return render_json(comparison)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(comparison)
    if fmt == "text":
        from .text import render_text

        return render_text(comparison, color=color)
    from .html import render_html

    return render_html(comparison, template_dir=template_dir)
