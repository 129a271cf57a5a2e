"""Fixtures of the statements-folder tests (a pytest plugin: ``pytest_plugins = ["folder_fixtures"]``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeEmbedder
from folder_support import FOMC_A, FOMC_B, Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two FOMC statements (May and June 2023) as files, for tests of one comparison."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(FOMC_A, encoding="utf-8")
    b.write_text(FOMC_B, encoding="utf-8")
    return a, b


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeEmbedder:
    """Reports built with the fake embedder instead of the packaged model, behind a real vector cache (as the
    model is), and recorded under the fake's identity. ``calls`` counts the texts that reached the "model"."""
    import statediff.engine.embed
    import statediff.folder.reports
    from statediff.engine.embed import CachedEmbedder, VectorCache

    fake = FakeEmbedder()
    cached = CachedEmbedder(fake, VectorCache(tmp_path / "fake-vector-cache"))
    monkeypatch.setattr(statediff.engine.embed, "default_embedder", lambda model=None, **_: cached)
    monkeypatch.setattr(statediff.folder.reports, "model_identity", lambda model: fake.identity)
    return fake
