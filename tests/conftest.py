"""Shared fixtures: the fake embedder, corpus paths, an isolated vector cache."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The shared corpus sits beside the repository in CI; STATEDIFF_CORPUS may point anywhere else.
CORPUS = Path(os.environ.get("STATEDIFF_CORPUS") or SHARED / "corpus")
#: Statements written for the tests (an invented central bank): the real-model tests that run everywhere.
FIXTURES = ROOT / "tests" / "statements"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set STATEDIFF_CORPUS to its folder)")
    return CORPUS


def pytest_report_header() -> str:
    if CORPUS.is_dir():
        return f"statediff corpus: {CORPUS}"
    return f"statediff corpus: NOT FOUND at {CORPUS}: tests over it will be skipped (set STATEDIFF_CORPUS)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Said once, at the end where it is seen, not only in `-rs`: a run without the corpus tests less. Counted from
    # the skip reasons, so a test module with its own corpus check counts too.
    skipped = terminalreporter.stats.get("skipped", [])
    over_corpus = [r for r in skipped if isinstance(r.longrepr, tuple) and "shared corpus" in str(r.longrepr[2])]
    if over_corpus:
        terminalreporter.write_sep(
            "!", f"{len(over_corpus)} tests over the shared corpus SKIPPED: no corpus at {CORPUS} "
                 "(set STATEDIFF_CORPUS to run them)", yellow=True, bold=True)


def session_cache(factory: pytest.TempPathFactory) -> Path:
    return factory.getbasetemp() / "vector-cache"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # One cache per test session: real-model tests share vectors, but never touch the user's own cache.
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(session_cache(tmp_path_factory)))


@pytest.fixture(autouse=True)
def _own_positions_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Stored positions results, per test in this process: a test that patches a positions module must meet the
    # patched code, never a result stored by another test (the key covers the code's files, not a patch in memory).
    # Child processes (the CLI tests) share the session cache, as users' runs do.
    from statediff.positions import store

    store.close()
    folder = session_cache(tmp_path_factory).parent / "positions-cache" / str(next(_TEST_NUMBER))
    monkeypatch.setattr(store, "folder", lambda: folder)
    yield
    store.close()


_TEST_NUMBER = itertools.count()


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
