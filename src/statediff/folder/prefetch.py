"""A large build's new sentences embedded in a background thread while the reports before them are built.

A cold build embeds thousands of sentences (onnxruntime's threads: the GIL released), then compares, renders and
writes reports (Python: one core). Run one after the other, one core idles through the second part; run side by
side, the reports of the first statements are built while the later statements' sentences are embedded. The
thread only runs the model: the vector cache (SQLite, one connection) is written by the build's own thread, as
each report's sentences are needed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

import numpy as np

from statediff.engine.embed import CachedEmbedder

CHUNK = 128
"""Sentences per call of the model: small enough that the first report starts soon, large enough for batching."""
_STOP_WAIT = 10.0
"""Seconds an interrupted build waits for the thread's model run to end."""


class Prefetch:
    """Chunks of texts embedded in order by one background thread; ``ready`` stores finished ones in the cache."""

    def __init__(self, embedder: CachedEmbedder) -> None:
        self._embedder = embedder
        self._todo: queue.Queue[list[str] | None] = queue.Queue()
        self._done: queue.Queue[tuple[list[str], np.ndarray | BaseException]] = queue.Queue()
        self.submitted = 0
        """Chunks given to the thread so far."""
        self._taken = 0
        self._thread = threading.Thread(target=self._run, name="statediff-embed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._todo.get()) is not None:
            try:
                vectors = self._embedder.embedder.encode(chunk)
            except BaseException as exc:  # raised again in the build's thread, which waits for it
                self._done.put((chunk, exc))
                return
            self._done.put((chunk, vectors))

    def submit(self, texts: Sequence[str]) -> None:
        """Embed ``texts`` after every chunk submitted before."""
        self._todo.put(list(texts))
        self.submitted += 1

    def ready(self, upto: int) -> None:
        """Wait for the first ``upto`` chunks submitted (a failure in the thread is raised here) and put their vectors
        in the cache, where the comparisons find them."""
        while self._taken < upto:
            texts, got = self._done.get()
            if isinstance(got, BaseException):
                raise got
            self._taken += 1
            if self._embedder.cache is not None:
                self._embedder.cache.put(self._embedder.identity, dict(zip(texts, got, strict=True)))
            self._embedder.computed += len(texts)

    def close(self) -> None:
        """End the thread: at once when every chunk was taken; else (an error or Ctrl-C in the build) the model run
        in hand is stopped and the thread awaited, because a thread still inside onnxruntime when Python exits
        aborts the process (SIGABRT instead of exit 130). The torch runtime cannot be stopped: the wait is bounded."""
        while True:
            try:
                self._todo.get_nowait()
            except queue.Empty:
                break
        self._todo.put(None)
        if self._taken == self.submitted:
            self._thread.join()
            return
        stop = getattr(self._embedder.embedder, "stop", None)
        if callable(stop):
            stop()
        self._thread.join(timeout=_STOP_WAIT)
