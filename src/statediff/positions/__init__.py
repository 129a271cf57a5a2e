"""Positions: what changed in substance between two statements, said the way analysts say it.

marking (figures, stance, tilt, negation, actors per change) · lexicons (the shipped data files and a series' own)
· topics (sentences grouped by meaning, labelled by their distinctive words) · digest (the per-topic summary every
report opens with).
"""

from __future__ import annotations

from statediff.positions.figures import Figure
from statediff.positions.marking import Marks, marks

__all__ = ["Figure", "Marks", "marks"]
