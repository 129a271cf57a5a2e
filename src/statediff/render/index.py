"""The index page of the reports folder, rendered from plain data (``folder.index`` gathers it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def render_index(data: Mapping[str, Any]) -> str:
    """The index page as one self-contained HTML string (autoescaped: titles are untrusted text)."""
    from .html import page_environment

    env = page_environment()
    return str(env.get_template("index.html.j2").render(**data))
