"""The JSON document (schema ``statediff/comparison/1``)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Comparison, Document, Sentence

SCHEMA = "statediff/comparison/1"


def _side(doc: Document, sentences: tuple[Sentence, ...]) -> dict[str, Any]:
    return {
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "source": doc.source,
        "sentences": [{"index": s.index, "text": s.text, "paragraph": s.paragraph} for s in sentences],
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data."""
    return {
        "schema": SCHEMA,
        "old": _side(c.old, c.old_sentences),
        "new": _side(c.new, c.new_sentences),
        "changes": [
            {
                "kind": ch.kind,
                "old": list(ch.old),
                "new": list(ch.new),
                "similarity": ch.similarity,
                "ops": [[op.tag, op.text] for op in ch.ops],
            }
            for ch in c.changes
        ],
        "summary": c.summary(),
    }


def render_json(c: Comparison) -> str:
    """Pretty-printed JSON, UTF-8 text kept as is."""
    return json.dumps(comparison_to_dict(c), ensure_ascii=False, indent=2) + "\n"
