"""The index page of the reports folder, rendered from plain data (``folder.index`` gathers it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def render_index(data: Mapping[str, Any]) -> str:
    """The index page as one self-contained HTML string (autoescaped: titles are untrusted text)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("statediff", "render/templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return str(env.get_template("index.html.j2").render(**data))
