"""Fixtures of the statements-folder tests (a pytest plugin: ``pytest_plugins = ["folder_fixtures"]``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeEmbedder
from folder_support import Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeEmbedder:
    """Reports built with the fake embedder (recorded under its identity) instead of the packaged model."""
    import statediff.embed
    import statediff.reports

    fake = FakeEmbedder()
    monkeypatch.setattr(statediff.embed, "default_embedder", lambda model=None, **_: fake)
    monkeypatch.setattr(statediff.reports, "model_identity", lambda model: fake.identity)
    return fake
