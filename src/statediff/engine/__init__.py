"""The comparison engine: segment -> embed -> align -> word diff, run together by ``pipeline.compare``."""
