"""statediff: align two official statements sentence by sentence by meaning and show what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Change", "Comparison", "Document", "Marks", "Op", "Sentence", "StatediffError", "__version__", "compare", "marks"]

if TYPE_CHECKING:
    from statediff.engine.pipeline import compare
    from statediff.errors import StatediffError
    from statediff.model import Change, Comparison, Document, Op, Sentence
    from statediff.positions import Marks, marks


def __getattr__(name: str) -> Any:
    # Lazy: `statediff --help` and cached runs must not pay for numpy or the model stack up front.
    if name == "compare":
        from statediff.engine.pipeline import compare

        return compare
    if name in ("marks", "Marks"):
        from statediff import positions

        return getattr(positions, name)
    if name == "StatediffError":
        from statediff.errors import StatediffError

        return StatediffError
    if name in ("Change", "Comparison", "Document", "Op", "Sentence"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'statediff' has no attribute {name!r}")
