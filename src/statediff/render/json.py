"""The JSON document (schema ``statediff/comparison/2``)."""

from __future__ import annotations

import json
from typing import Any

from statediff.model import SCHEMA, Comparison, comparison_to_dict
from statediff.positions.digest import Positions, marks_to_dict, positions_to_dict

__all__ = ["SCHEMA", "comparison_to_dict", "render_json", "with_positions"]


def with_positions(c: Comparison, positions: Positions | None) -> dict[str, Any]:
    """The comparison document, plus ``marks`` under each change and ``positions`` (topics, digest) at the top."""
    doc = comparison_to_dict(c)
    if positions is not None:
        for change, m, topic in zip(doc["changes"], positions.marks, positions.topic_of, strict=True):
            change["marks"] = marks_to_dict(m, topic)
        doc["positions"] = positions_to_dict(positions)
    return doc


def render_json(c: Comparison, positions: Positions | None = None) -> str:
    """Pretty-printed JSON, UTF-8 text kept as is."""
    return json.dumps(with_positions(c, positions), ensure_ascii=False, indent=2) + "\n"
