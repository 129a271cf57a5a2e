"""A small deterministic embedder for fast unit tests: hashed words and character trigrams, no model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DIM = 256


def _bucket(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=4).digest(), "little") % DIM


class FakeEmbedder:
    """Similar words give similar vectors; identical texts give identical vectors. Counts its calls."""

    identity = "fake-embedder/1"

    def __init__(self) -> None:
        self.calls = 0
        self.texts_seen = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_seen += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            low = text.lower()
            for word in re.findall(r"\w+", low):
                out[row, _bucket("w:" + word)] += 1.0
            for k in range(len(low) - 2):
                out[row, _bucket("c:" + low[k : k + 3])] += 0.2
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def use_fake_model(monkeypatch: Any, cache: Path | None = None) -> None:
    """Make every comparison in this test (the CLI's too) embed with the fake, behind a cache in ``cache``."""
    import statediff.engine.pipeline
    from statediff.engine.embed import CachedEmbedder, VectorCache

    monkeypatch.setattr(
        statediff.engine.pipeline, "default_embedder",
        lambda model=None: CachedEmbedder(FakeEmbedder(), VectorCache(cache) if cache else None),
    )
