"""Shared fixtures: the fake embedder, corpus paths, an isolated vector cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # One cache per test session: real-model tests share vectors, but never touch the user's own cache.
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "vector-cache"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/cases/*/expected.json from the current pipeline (then review: git diff tests/cases).",
    )
