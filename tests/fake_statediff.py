"""``statediff`` as its own process, with the fake embedder: real exit codes, real stdout and stderr, no model.

Run as ``python tests/fake_statediff.py ARGS...`` (``run_cli`` below does it). The vector cache is the one in
``$STATEDIFF_CACHE_DIR``, as for the real command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_cli(*args: str, cwd: Path | None = None, stdin: int | None = subprocess.DEVNULL, timeout: float = 120,
            env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run statediff (fake model) in a child process, without STATEDIFF_DEBUG (so errors are as users see them)."""
    environ = {k: v for k, v in os.environ.items() if k != "STATEDIFF_DEBUG"}
    environ.update(env or {})
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, str(HERE / "fake_statediff.py"), *args], cwd=cwd, stdin=stdin, env=environ,
                          text=True, timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload]


def main() -> None:
    sys.path.insert(0, str(HERE))
    import statediff.engine.embed
    import statediff.engine.pipeline
    import statediff.folder.reports
    from fakes import FakeEmbedder
    from statediff.engine.embed import CachedEmbedder, VectorCache

    def embedder(model: str | None = None, **_: object) -> CachedEmbedder:
        return CachedEmbedder(FakeEmbedder(), VectorCache())

    statediff.engine.pipeline.default_embedder = embedder  # type: ignore[assignment]
    statediff.engine.embed.default_embedder = embedder  # type: ignore[assignment]
    statediff.folder.reports.model_identity = lambda model: FakeEmbedder.identity  # type: ignore[assignment]
    from statediff.cli import main as cli

    cli(prog_name="statediff")


if __name__ == "__main__":
    main()
