"""The light inference path: the exported ONNX model run with onnxruntime and tokenizers, without torch.

Importing onnxruntime, loading the graph and encoding a first batch takes well under a second, against several
seconds for torch and sentence-transformers. Tokenizing, pooling and normalising follow the model's own
sentence-transformers configuration, recorded at export (``onnxrun.Settings``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from statediff.engine.modelsource import DEFAULT_MODEL, source_identity
from statediff.errors import StatediffError

if TYPE_CHECKING:  # onnxrun is imported where a session is made: a warm compare (every vector cached) never needs it
    from statediff.engine.onnxrun import OnnxSession, Precision, Prepared


class OnnxEmbedder:
    """A sentence-transformers model run through its ONNX export; exported on first use (a status line)."""

    def __init__(self, model: str | None = None, precision: Precision = "fp32", jobs: int | None = None) -> None:
        self.name = model or DEFAULT_MODEL
        self.precision = precision
        self._jobs = jobs
        self._stops = 0
        """How often ``stop`` was called: an encode that began before a stop ends, even one still loading the model."""

    @property
    def jobs(self) -> int:
        """Threads for embedding (default: the CPUs this process may use)."""
        from statediff.engine.onnxrun import default_jobs

        return self._jobs or default_jobs()

    @property
    def batch_size(self) -> int:
        """Most sentences in one run of the graph."""
        from statediff.engine.onnxrun import BATCH

        return BATCH

    @cached_property
    def source(self) -> str:
        """The identity of the weights the graph was exported from."""
        return source_identity(self.name)

    @property
    def identity(self) -> str:
        # The runtime is part of the identity: its vectors differ (slightly) from torch's, and never mix with them.
        return f"{self.source}+onnx-{self.precision}"

    @cached_property
    def _session(self) -> OnnxSession:
        from statediff.engine.onnxrun import OnnxSession
        from statediff.status import say

        say("loading the embedding model…")
        prepared, folder, _ = ensure_prepared(self.name, self.precision, source=self.source)
        try:
            return OnnxSession(prepared, threads=self.jobs)
        except StatediffError:
            raise
        except Exception as exc:  # e.g. an export made by a newer onnxruntime than the one installed now
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StatediffError(f"onnxruntime cannot run the exported model in {folder} ({first[:160]}); "
                                 "delete that folder to export it again, or set STATEDIFF_RUNTIME=torch") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        stops = self._stops
        session = self._session  # may take seconds (loading, or exporting on first use)
        options = session.run_options()
        if self._stops != stops:
            # Stopped while loading: a stop after this check terminates ``options`` itself (see stop()).
            raise StatediffError("embedding stopped")
        from statediff.status import say

        say(f"embedding {len(texts)} sentence{'' if len(texts) == 1 else 's'}…")
        return session.encode(texts, options)

    def stop(self) -> None:
        """End every encode begun before now, in any thread, also one still loading the model (see
        OnnxSession.stop); later calls go on as before."""
        self._stops += 1
        session = self.__dict__.get("_session")
        if session is not None:
            session.stop()


def onnx_supported(name: str) -> bool:
    """Whether ``name``'s modules are ones the ONNX runtime reproduces (read from its folder, nothing loaded)."""
    from statediff.engine.modelsource import module_types
    from statediff.engine.onnxrun import SUPPORTED_MODULES

    kinds = module_types(name)
    if kinds is None:
        return False
    return bool(kinds) and kinds[0] == "Transformer" and kinds.count("Pooling") == 1 and all(
        k in SUPPORTED_MODULES for k in kinds)


def ensure_prepared(model: str | None = None, precision: Precision = "fp32", *, source: str | None = None,
                    quiet_export: bool = False) -> tuple[Prepared, Path, float | None]:
    """The checked export of ``model``, exported now if missing, partial or corrupt (one line on stderr says so).

    Returns it, its folder, and the lowest probe cosine against sentence-transformers when it was exported now
    (``None`` when a sound export was already there).
    """
    from statediff.engine import onnxrun
    from statediff.engine.modelsource import model_path

    name = model or DEFAULT_MODEL
    model_path(name)  # a missing --model folder fails here, before any export
    source = source or source_identity(name)
    folder = onnxrun.store_dir(source, precision)
    prepared, problem = onnxrun.load(folder)
    if prepared is not None:
        return prepared, folder, None
    if problem is not None:
        print(f"statediff: warning: the exported model in {folder} is {problem}; exporting it again",
              file=sys.stderr, flush=True)
    elif not quiet_export:
        from statediff.status import note

        note(f"preparing the fast model: exporting {name} to ONNX once (about 20 s; `statediff model prepare` does it ahead)")
    from statediff.engine.onnxexport import export

    prepared, lowest = export(name, source, precision)
    return prepared, folder, lowest
