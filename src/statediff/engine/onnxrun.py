"""A model exported to ONNX: its folder beside the vector cache, checked on load, and running it without torch.

The export (``onnxexport``) writes ``model.onnx`` (+ ``.data``), ``tokenizer.json``, ``settings.json``, then ``ready.json``
with the SHA-256 of each: a folder without it is a failed or partial export, and a file whose hash differs is
corrupt. Neither is ever run. Tokenizing, pooling and normalising follow the model's own sentence-transformers
configuration, recorded at export in ``settings.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from statediff.cachedb import cache_dir
from statediff.errors import StatediffError

Precision = Literal["fp32", "int8"]
RECIPE = "2"
"""Bump when the export changes (opset, inputs, quantization), so every exported model is made again."""
MODEL_FILE, DATA_FILE, TOKENIZER_FILE, SETTINGS_FILE = "model.onnx", "model.onnx.data", "tokenizer.json", "settings.json"
STORED_FILES = (MODEL_FILE, DATA_FILE, TOKENIZER_FILE, SETTINGS_FILE)
READY_FILE = "ready.json"
"""Written last, with the SHA-256 of each of the ``STORED_FILES``: without it an export is partial."""
SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")
POOLINGS = ("mean", "cls", "max")


@dataclass(frozen=True)
class Settings:
    """How the runtime turns token vectors into one sentence vector, as the model's own config says."""

    max_seq_length: int
    """Tokens kept per sentence (longer sentences are truncated, as sentence-transformers does)."""
    pooling: str
    """``mean``, ``cls`` or ``max`` over the tokens."""
    normalize: bool
    """Whether the model ends with a Normalize module (statediff normalises in any case)."""
    do_lower_case: bool
    """Lowercase texts before tokenizing (a sentence-transformers setting outside the tokenizer)."""
    inputs: tuple[str, ...]
    """The graph's inputs, in order (``input_ids``, ``attention_mask``, maybe ``token_type_ids``)."""


@dataclass(frozen=True)
class Prepared:
    """An exported model ready to run: on disk (checked), or held in memory when the cache cannot be written."""

    model: Path | bytes
    """The ONNX graph file, or its bytes."""
    tokenizer: str
    """The ``tokenizers`` JSON of the model's tokenizer."""
    settings: Settings
    """Pooling and tokenizing settings."""


def store_dir(identity: str, precision: Precision, base: Path | None = None) -> Path:
    """The folder of ``identity``'s exported model: derived from a hash, so the model name never chooses a path."""
    digest = hashlib.sha256(f"{identity}\0{precision}\0{RECIPE}".encode()).hexdigest()[:24]
    return (base or cache_dir()) / "onnx" / f"{digest}-{precision}"


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load(folder: Path) -> tuple[Prepared | None, str | None]:
    """The prepared model in ``folder`` and ``None``, or ``None`` and what is wrong (``None`` too if never exported)."""
    if not folder.exists():
        return None, None
    try:
        ready = json.loads((folder / READY_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "a failed or partial export (no ready.json)"
    except (OSError, ValueError) as exc:
        return None, f"an unreadable ready.json ({exc})"
    try:
        files = ready["files"]
        for name in STORED_FILES:
            if sha256_file(folder / name) != files[name]:
                return None, f"{name} does not match its recorded SHA-256 (corrupt)"
        raw = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        settings = Settings(**{**raw, "inputs": tuple(raw["inputs"])})
        tokenizer = (folder / TOKENIZER_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"an incomplete export ({type(exc).__name__}: {exc})"
    return Prepared(folder / MODEL_FILE, tokenizer, settings), None


BATCH = 32
"""Most sentences in one run of the graph."""
BATCH_TOKENS = 512
"""Most tokens (sentences x padded length) in one run. Measured on this corpus with one thread: 32 sentences of
~50 tokens a run cost about 25% more CPU per sentence than 8-16 (the layers' activations outgrow the CPU caches),
while runs of fewer than ~4 sentences pay onnxruntime's fixed cost per run."""


def default_jobs() -> int:
    """Threads for embedding: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class OnnxSession:
    """One loaded graph and tokenizer; ``encode`` gives unit vectors."""

    def __init__(self, prepared: Prepared, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise StatediffError("the fast runtime needs onnxruntime and tokenizers: pip install onnxruntime tokenizers "
                                 "(or set STATEDIFF_RUNTIME=torch)") from exc
        self.settings = prepared.settings
        self.threads = max(1, threads)
        options = ort.SessionOptions()
        # Batches run in parallel threads, one core each: better than splitting each small matrix product, and a
        # core taken by another process then slows one batch instead of every step of every batch.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its warnings are noise on our stderr
        model = prepared.model if isinstance(prepared.model, bytes) else str(prepared.model)
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self._ort = ort
        # Every run shares one RunOptions so that ``stop`` can end the runs in flight in other threads.
        self._run_options = ort.RunOptions()
        tokenizer = Tokenizer.from_str(prepared.tokenizer)
        tokenizer.enable_truncation(max_length=self.settings.max_seq_length)
        tokenizer.no_padding()
        self._tokenizer = tokenizer

    def _run(self, encodings: Sequence[Any], options: Any) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = enc.attention_mask
            types[row, : len(enc.ids)] = enc.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        tokens = self._session.run(None, {name: feeds[name] for name in self.settings.inputs}, options)[0]
        weights = mask[..., None].astype(np.float32)
        if self.settings.pooling == "cls":
            pooled = tokens[:, 0]
        elif self.settings.pooling == "max":
            pooled = np.where(weights > 0, tokens, -1e9).max(axis=1)
        else:
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled = pooled.astype(np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: np.ndarray = pooled / norms
        return unit

    def stop(self) -> None:
        """End every ``encode`` begun before now, in any thread (its runs raise, also those not yet started), and let
        later calls go on as before. A thread left inside onnxruntime while Python exits ends the process with
        std::terminate (SIGABRT, not exit 130)."""
        running, self._run_options = self._run_options, self._ort.RunOptions()
        running.terminate = True

    def run_options(self) -> Any:
        """The run options a call begun now uses (``stop`` terminates them)."""
        return self._run_options

    def encode(self, texts: Sequence[str], options: Any = None) -> np.ndarray:
        """Unit vectors, one row per text, in order; batches of similar length so little padding is computed.
        ``options``: the run options taken when the caller began (default: now)."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        prepared = [t.strip() for t in texts]
        if self.settings.do_lower_case:
            prepared = [t.lower() for t in prepared]
        if options is None:
            options = self._run_options  # this call's: ``stop`` ends it even if it is still tokenising
        encodings = self._tokenizer.encode_batch(prepared)
        batches = batches_by_length([len(e.ids) for e in encodings])
        out: np.ndarray | None = None

        def run(batch: list[int]) -> tuple[list[int], np.ndarray]:
            return batch, self._run([encodings[k] for k in batch], options)

        results: Iterator[tuple[list[int], np.ndarray]]
        if self.threads == 1 or len(batches) == 1:
            results = map(run, batches)
        else:
            # onnxruntime releases the GIL: threads run batches on separate cores. Each thread takes the next
            # batch when done, so a core another process holds slows one thread, not a lockstep of all.
            from concurrent.futures import ThreadPoolExecutor  # here: a warm run (identity only) never needs it

            pool = ThreadPoolExecutor(max_workers=self.threads)
            results = pool.map(run, batches)
        try:
            for batch, vectors in results:
                if out is None:
                    out = np.zeros((len(prepared), vectors.shape[1]), dtype=np.float32)
                out[batch] = vectors
        finally:
            if self.threads > 1 and len(batches) > 1:
                pool.shutdown(cancel_futures=True)  # after an error (a stopped run), the batches not begun are dropped
        assert out is not None
        return out


def batches_by_length(lengths: Sequence[int], tokens: int = BATCH_TOKENS, most: int = BATCH) -> list[list[int]]:
    """Indexes of ``lengths`` (tokens per text) in runs of similar length, each at most ``most`` texts and
    ``tokens`` padded tokens (a text longer than that runs alone)."""
    order = sorted(range(len(lengths)), key=lambda k: lengths[k])
    batches: list[list[int]] = []
    current: list[int] = []
    for k in order:
        # Sorted by length: this text is the longest so far, so it sets the padded width of the batch.
        if current and (len(current) == most or (len(current) + 1) * lengths[k] > tokens):
            batches.append(current)
            current = []
        current.append(k)
    if current:
        batches.append(current)
    return batches
