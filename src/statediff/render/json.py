"""The JSON document (schema ``statediff/comparison/1``)."""

from __future__ import annotations

import json

from statediff.model import SCHEMA, Comparison, comparison_to_dict

__all__ = ["SCHEMA", "comparison_to_dict", "render_json"]

def render_json(c: Comparison) -> str:
    """Pretty-printed JSON, UTF-8 text kept as is."""
    return json.dumps(comparison_to_dict(c), ensure_ascii=False, indent=2) + "\n"
