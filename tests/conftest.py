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


def session_cache(factory: pytest.TempPathFactory) -> Path:
    return factory.getbasetemp() / "vector-cache"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # One cache per test session: real-model tests share vectors, but never touch the user's own cache.
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(session_cache(tmp_path_factory)))


@pytest.fixture(scope="session")
def prepared_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged model's ONNX export, made once per session in the session cache; its ``onnx`` folder.

    Done before the first real-model test, so no test's output carries the one-time export's status line
    and a fresh CI machine pays the export (about 20 s) once.
    """
    from statediff.engine.fastembed import ensure_prepared

    cache = session_cache(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STATEDIFF_CACHE_DIR", str(cache))
        ensure_prepared(quiet_export=True)
    return cache / "onnx"


@pytest.fixture(autouse=True)
def _model_prepared(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("model") is not None:
        request.getfixturevalue("prepared_model")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/cases/*/expected.json from the current pipeline (then review: git diff tests/cases).",
    )
