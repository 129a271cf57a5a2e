"""Output formats. Each reads only a ``Comparison`` (its ``Change`` records), never the pipeline's internals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from statediff.model import Comparison

if TYPE_CHECKING:
    from statediff.positions.digest import Positions

Format = Literal["json", "md", "text", "html"]
FORMATS: tuple[Format, ...] = ("json", "md", "text", "html")


def render(comparison: Comparison, fmt: Format, *, color: bool = False, template_dir: str | None = None,
           positions: Positions | None = None) -> str:
    """The comparison in one output format, with its Positions digest (computed with the shipped data files
    unless ``positions`` is given)."""
    from .positions_view import positions_for

    found = positions_for(comparison, positions)
    if fmt == "json":
        from .json import render_json

        return render_json(comparison, found)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(comparison, positions=found)
    if fmt == "text":
        from .text import render_text

        return render_text(comparison, color=color, positions=found)
    from .html import render_html

    return render_html(comparison, template_dir=template_dir, positions=found)
