"""Issue 8, the caches damaged (numbered as in the issue): a cache may cost time, never correctness or a traceback."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fake_statediff import run_cli
from fakes import FakeEmbedder
from folder_support import FOMC_A, read_only
from statediff.engine.embed import CachedEmbedder, VectorCache
from statediff.textnorm import normalize

pytest_plugins = ["folder_fixtures"]  # fixtures: pair


def texts_of(*bodies: str) -> list[str]:
    from statediff.engine.segment import segment

    return [normalize(s.text) for body in bodies for s in segment(body)]


def run_json(pair: tuple[Path, Path], cache: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("compare", str(pair[0]), str(pair[1]), "--format", "json", env={"STATEDIFF_CACHE_DIR": str(cache)})


@pytest.mark.parametrize("damage", ["short vector", "NaN vector", "empty blob", "text not blob", "odd bytes"])
def test_18_bad_vector_rows_are_skipped_and_rebuilt(pair: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    clean = run_json(pair, cache)
    assert clean.returncode == 1, clean.stderr
    db = sqlite3.connect(cache / "vectors.sqlite3")
    bad = {"short vector": np.ones(3, dtype=np.float32).tobytes(),
           "NaN vector": np.full(256, np.nan, dtype=np.float32).tobytes(),
           "empty blob": b"", "text not blob": "hello", "odd bytes": b"\x00" * 1023}[damage]
    with db:
        first = db.execute("SELECT key FROM vectors LIMIT 1").fetchone()[0]
        db.execute("UPDATE vectors SET vec = ? WHERE key = ?", (bad, first))
    db.close()
    again = run_json(pair, cache)
    assert again.returncode == 1, again.stderr
    assert again.stderr == ""
    assert json.loads(again.stdout) == json.loads(clean.stdout)


def test_18_every_row_of_a_wrong_size_is_recomputed(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path)
    texts = texts_of(FOMC_A)
    cache.put(FakeEmbedder.identity, {t: np.ones(7, dtype=np.float32) for t in texts[:-1]})
    fake = FakeEmbedder()
    vectors = CachedEmbedder(fake, cache).encode(texts)
    assert vectors.shape == (len(texts), 256)
    assert np.allclose(vectors, FakeEmbedder().encode(texts), atol=1e-6)


@pytest.mark.parametrize("damage", ['[[0, 100000]]', '[[5, 2]]', '"no"', "not json", '[[1, 2, 3]]', '[[-4, 2]]', "[1]"])
def test_18_bad_span_rows_are_skipped_and_rebuilt(pair: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    clean = run_json(pair, cache)
    db = sqlite3.connect(cache / "sentences.sqlite3")
    with db:
        db.execute("UPDATE spans SET spans = ?", (damage,))
    db.close()
    again = run_json(pair, cache)
    assert again.returncode == 1, again.stderr
    assert "Traceback" not in again.stderr
    assert json.loads(again.stdout) == json.loads(clean.stdout)


def test_19_a_read_only_cache_folder_advises_no_deletion(pair: tuple[Path, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with read_only(cache):
        result = run_json(pair, cache)
    assert result.returncode == 1
    assert "delete" not in result.stderr
    assert "vector cache unusable" in result.stderr and "set STATEDIFF_CACHE_DIR to a writable folder" in result.stderr
    assert json.loads(result.stdout)["changes"]


def test_19_a_damaged_cache_file_is_the_only_one_worth_deleting(pair: tuple[Path, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "vectors.sqlite3").write_bytes(b"this is not a database" * 100)
    result = run_json(pair, cache)
    assert result.returncode == 1
    assert f"delete {cache / 'vectors.sqlite3'}" in result.stderr


def test_19_a_full_cache_disk_advises_space_not_deletion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = VectorCache(tmp_path / "missing" / "deeper")
    cache._warn(tmp_path / "x.sqlite3", sqlite3.OperationalError("database or disk is full"))
    err = capsys.readouterr().err
    assert "delete" not in err and "free space, or set STATEDIFF_CACHE_DIR" in err


@pytest.mark.parametrize("below", ["", "sub"])
def test_19_a_cache_path_that_is_a_file_says_so_not_free_space(pair: tuple[Path, Path], tmp_path: Path, below: str) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_json(pair, blocker / below if below else blocker)
    assert result.returncode == 1
    warning = next(line for line in result.stderr.splitlines() if "vector cache unusable" in line)
    assert f"{blocker} is a file, not a folder; set STATEDIFF_CACHE_DIR to a folder" in warning
    assert "free space" not in warning and "delete" not in warning
    assert json.loads(result.stdout)["changes"]
