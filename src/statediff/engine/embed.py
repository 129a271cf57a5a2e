"""Sentences -> unit vectors: which runtime embeds, and an on-disk cache so warm runs never load a model.

Two runtimes: ``onnx`` (the default: the model exported once to ONNX, run by onnxruntime without torch, see
``fastembed``) and ``torch`` (sentence-transformers itself; ``STATEDIFF_RUNTIME=torch``, and any ``--model``
whose modules the ONNX runtime does not reproduce). ``onnx-int8`` is an opt-in quantized variant.

The cache is one SQLite file keyed by (model identity, hash of the normalised sentence). The identity names the
weights and the runtime, so vectors of different models or runtimes never mix. A comparison whose sentences
are all cached imports no model stack at all (torch, sentence_transformers, onnxruntime).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from statediff.cachedb import CACHE_ENV, cache_dir
from statediff.engine.modelsource import DEFAULT_MODEL, load_sentence_transformer, source_identity

# Re-exported: callers import them from here.
__all__ = ["CACHE_ENV", "DEFAULT_MODEL", "CachedEmbedder", "Embedder", "SentenceTransformerEmbedder", "VectorCache",
           "cache_dir", "default_embedder"]
RUNTIME_ENV = "STATEDIFF_RUNTIME"
RUNTIMES = ("onnx", "onnx-int8", "torch")


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    @property
    def identity(self) -> str:
        """A string naming the model and its version: vectors are cached under it."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text."""
        ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = rows / norms
    return unit


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, offline."""

    def __init__(self, model: str | None = None) -> None:
        self.name = model or DEFAULT_MODEL
        self.batch_size = 32

    @cached_property
    def identity(self) -> str:
        # The runtime is part of the identity: torch and ONNX vectors differ slightly and must never mix.
        return f"{source_identity(self.name)}+torch"

    @cached_property
    def _model(self) -> Any:
        return load_sentence_transformer(self.name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        model = self._model
        from statediff.status import say

        say(f"embedding {len(texts)} sentence{'' if len(texts) == 1 else 's'}…")
        vectors = model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _unit(vectors)


class VectorCache:
    """Vectors on disk, one SQLite file; safe for several processes at once."""

    def __init__(self, directory: Path | None = None) -> None:
        from statediff.cachedb import LazyCache

        self.directory = directory or cache_dir()
        schema = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
        self._db = LazyCache(lambda: self.directory, "vectors.sqlite3", schema, self._warn)

    def _warn(self, db: Path, exc: Exception) -> None:
        # A cache that cannot be written costs time, not correctness: say so once and go on. Only a file that
        # exists and is not a database is worth deleting; a read-only or full folder is not the file's fault.
        damaged = type(exc) is sqlite3.DatabaseError and db.is_file()
        blocked = next((p for p in (self.directory, *self.directory.parents) if p.exists() and not p.is_dir()), None)
        if damaged:
            fix = f"delete {db}"
        elif blocked is not None:  # the folder, or one above it, is a file: no space to free, no permission to fix
            fix = f"{blocked} is a file, not a folder; set {CACHE_ENV} to a folder (or move that file away)"
        elif isinstance(exc, PermissionError):
            fix = f"make it writable, or set {CACHE_ENV} to a writable folder"
        else:
            fix = f"free space, or set {CACHE_ENV} to a writable folder"
        print(f"statediff: warning: vector cache unusable at {self.directory} ({exc}); {fix}", file=sys.stderr)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        conn = self._db.connect()
        if conn is None or not texts:
            return {}
        keys = {self.key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                query = f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})"
                rows = conn.execute(query, [model, *chunk]).fetchall()
            except sqlite3.Error:
                return found
            for key, blob in rows:
                vector = _valid_vector(blob)
                if key in keys and vector is not None:  # a damaged row is a missing one: computed again
                    found[keys[key]] = vector
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        conn = self._db.connect()
        if conn is None or not vectors:
            return
        try:
            with conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)",
                    [(model, self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()],
                )
        except sqlite3.Error as exc:
            print(f"statediff: warning: could not save vectors to the cache ({exc})", file=sys.stderr)


def _valid_vector(blob: object) -> np.ndarray | None:
    """A cached row as a vector, or ``None`` when it cannot be one (wrong type or size, NaN, zero length)."""
    if not isinstance(blob, bytes) or not blob or len(blob) % 4 or len(blob) > 4 * 65536:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if not np.all(np.isfinite(vector)) or not np.any(vector):
        return None
    return vector


class CachedEmbedder:
    """An embedder in front of the cache: only sentences never seen before reach the model."""

    def __init__(self, embedder: Embedder, cache: VectorCache | None = None) -> None:
        self.embedder = embedder
        self.cache = cache
        self.computed = 0
        """How many texts this instance sent to the model (the rest came from the cache)."""

    @property
    def identity(self) -> str:
        return self.embedder.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        known = self.cache.get(self.identity, unique) if self.cache else {}
        sizes = {len(v) for v in known.values()}
        if len(sizes) > 1:
            # Rows of different sizes: some are damaged, and which cannot be told apart. Compute all again.
            known = {}
        missing = [t for t in unique if t not in known]
        if missing:
            fresh = self.embedder.encode(missing)
            if known and len(next(iter(known.values()))) != fresh.shape[1]:
                # The cache holds vectors of another size under this model: damaged; the model's own win.
                missing, known = unique, {}
                fresh = self.embedder.encode(missing)
            new = dict(zip(missing, fresh, strict=True))
            if self.cache:
                self.cache.put(self.identity, new)
            known.update(new)
            self.computed += len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return _unit(np.stack([known[t] for t in texts]))


def runtime_of(model: str | None, runtime: str | None = None) -> str:
    """The runtime that embeds for ``model``: ``runtime``, else ``$STATEDIFF_RUNTIME``, else ``onnx`` when the model's
    modules are ones the ONNX runtime reproduces (the packaged model's are), else ``torch``."""
    from statediff.errors import StatediffError

    chosen = runtime or os.environ.get(RUNTIME_ENV) or "onnx"
    if chosen not in RUNTIMES:
        raise StatediffError(f"{RUNTIME_ENV}={chosen!r} is not a runtime; use one of {', '.join(RUNTIMES)}")
    if chosen != "torch" and model is not None:
        from statediff.engine.fastembed import onnx_supported
        from statediff.engine.modelsource import model_path

        model_path(model)  # a missing --model folder is an error, not a reason to fall back to torch
        if not onnx_supported(model):  # e.g. a Dense layer or another pooling: sentence-transformers runs it
            return "torch"
    return chosen


def model_embedder(model: str | None = None, *, runtime: str | None = None, jobs: int | None = None) -> Embedder:
    """The embedder of ``model`` (default: the packaged all-MiniLM-L6-v2) on its runtime; nothing is loaded yet."""
    chosen = runtime_of(model, runtime)
    if chosen == "torch":
        return SentenceTransformerEmbedder(model)
    from statediff.engine.fastembed import OnnxEmbedder

    return OnnxEmbedder(model, "int8" if chosen == "onnx-int8" else "fp32", jobs=jobs)


def default_embedder(model: str | None = None, *, use_cache: bool = True, runtime: str | None = None,
                     jobs: int | None = None) -> CachedEmbedder:
    """The packaged model (or ``model``) on the fast ONNX runtime (unless told otherwise), behind the on-disk cache."""
    return CachedEmbedder(model_embedder(model, runtime=runtime, jobs=jobs), VectorCache() if use_cache else None)
