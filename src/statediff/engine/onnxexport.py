"""A sentence-transformers model exported once to ONNX, kept beside the vector cache and checked on every load.

The export runs sentence-transformers (and so torch) once; afterwards ``onnxrun`` runs the exported graph
with onnxruntime and tokenizers alone. The export is built in a temporary folder, checked against
sentence-transformers' own vectors, and only then copied beside the vector cache and renamed into place, with
``ready.json`` (the SHA-256 of every file) written before the rename.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from statediff.engine.modelsource import load_sentence_transformer
from statediff.engine.onnxrun import (
    DATA_FILE,
    MODEL_FILE,
    POOLINGS,
    READY_FILE,
    RECIPE,
    SETTINGS_FILE,
    STORED_FILES,
    SUPPORTED_MODULES,
    TOKENIZER_FILE,
    OnnxSession,
    Precision,
    Prepared,
    Settings,
    load,
    sha256_file,
    store_dir,
)
from statediff.errors import StatediffError

# The export is refused unless the graph gives (nearly) sentence-transformers' own vectors on these.
PROBES = (
    "The Committee decided to maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent.",
    "We, the leaders of Japan, the Republic of Korea, and the United States, met at Camp David.",
    "Inflation remains elevated.",
    "ok",
)
# int8 is an approximation (a two-letter sentence measured 0.948): its check only catches a broken graph.
MIN_PROBE_COSINE = {"fp32": 0.9999, "int8": 0.9}
Status = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"statediff: {message}", file=sys.stderr, flush=True)


def _settings_of(st: Any, name: str) -> Settings:
    kinds = [type(module).__name__ for module in st]
    if not kinds or kinds[0] != "Transformer" or any(k not in SUPPORTED_MODULES for k in kinds) or kinds.count("Pooling") != 1:
        raise StatediffError(f"model {name!r} has modules {kinds}; the ONNX runtime runs Transformer, Pooling, Normalize")
    transformer, pooling = st[0], st[kinds.index("Pooling")]
    mode = getattr(pooling, "pooling_mode", None)
    if mode not in POOLINGS or getattr(pooling, "include_prompt", True) is not True:
        raise StatediffError(f"model {name!r} pools by {mode!r}; the ONNX runtime does {', '.join(POOLINGS)}")
    tokenizer = transformer.tokenizer
    inputs = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]
    if "input_ids" not in inputs or "attention_mask" not in inputs or not hasattr(tokenizer, "backend_tokenizer"):
        raise StatediffError(f"model {name!r} has no fast tokenizer with input_ids and attention_mask")
    return Settings(
        max_seq_length=int(transformer.max_seq_length),
        pooling=str(mode),
        normalize="Normalize" in kinds,
        do_lower_case=bool(getattr(transformer, "do_lower_case", False)),
        inputs=tuple(inputs),
    )


def _export_graph(st: Any, settings: Settings, target: Path) -> None:
    import torch

    model = st[0].auto_model
    # Eager attention exports as plain MatMul/Softmax, which onnxruntime fuses into its attention kernel;
    # the default SDPA path exports as a graph it cannot fuse (measured: slower).
    if hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("eager")
    model.config._attn_implementation = "eager"
    model.eval()

    names = settings.inputs

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, tensors, strict=True))).last_hidden_state  # type: ignore[no-any-return]

    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in (*names, "token_vectors")}
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        # The TorchScript exporter: one self-contained file, no onnxscript rewriting, and it traces this BERT as is.
        torch.onnx.export(Graph(), example, str(target), input_names=list(names), output_names=["token_vectors"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)


def _split_weights(whole: Path, target: Path) -> None:
    """Store the weights beside the graph (``model.onnx.data``): onnxruntime then maps them from the file instead
    of copying them out of the parsed graph, measured 99 MB instead of 187 MB resident after loading."""
    import onnx

    graph = onnx.load(str(whole))
    onnx.save_model(graph, str(target), save_as_external_data=True, all_tensors_to_one_file=True, location=DATA_FILE,
                    size_threshold=1024)


def _quantize(source: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel, and the matrix products only: per-tensor int8 loses too much of MiniLM (cosine 0.36-0.96 in
    # the measurements), and so does quantizing the embedding table (a probe sentence fell to 0.96).
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process the graph is printed through the root logger
    try:
        quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul"])
    finally:
        root.setLevel(level)


def _check(st: Any, prepared: Prepared, precision: Precision) -> float:
    """The lowest cosine between the graph's vectors and sentence-transformers' own on the probe sentences."""
    import numpy as np

    try:
        ours = OnnxSession(prepared, threads=1).encode(list(PROBES))
    except StatediffError:
        raise
    except Exception as exc:  # onnxruntime's own errors: the graph is unusable
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StatediffError(f"the ONNX export of the model does not run ({first[:160]}); "
                             "use STATEDIFF_RUNTIME=torch") from exc
    theirs = np.asarray(st.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False))
    lowest = float(np.min(np.sum(ours * theirs, axis=1)))
    if not lowest >= MIN_PROBE_COSINE[precision]:
        raise StatediffError(f"the ONNX export does not reproduce the model (cosine {lowest:.4f} on a probe sentence); "
                             "use STATEDIFF_RUNTIME=torch")
    return lowest


def export(name: str, identity: str, precision: Precision = "fp32", *, base: Path | None = None,
           status: Status = _stderr) -> tuple[Prepared, float]:
    """Export ``name`` to ONNX, check it against sentence-transformers, and store it (or keep it in memory).

    Returns the prepared model and the lowest probe cosine. An unwritable cache folder gives one warning and
    a model held in memory for this process.
    """
    final = store_dir(identity, precision, base)
    st = load_sentence_transformer(name)
    settings = _settings_of(st, name)
    work = Path(tempfile.mkdtemp(prefix="statediff-onnx-"))
    try:
        whole = work / "whole.onnx"  # graph and weights in one file, as the in-memory copy needs them
        if precision == "int8":
            _export_graph(st, settings, work / "fp32.onnx")
            _quantize(work / "fp32.onnx", whole)
            (work / "fp32.onnx").unlink()
        else:
            _export_graph(st, settings, whole)
        (work / TOKENIZER_FILE).write_text(st[0].tokenizer.backend_tokenizer.to_str(), encoding="utf-8")
        (work / SETTINGS_FILE).write_text(json.dumps(asdict(settings), indent=1), encoding="utf-8")
        in_memory = Prepared(whole.read_bytes(), (work / TOKENIZER_FILE).read_text(encoding="utf-8"), settings)
        lowest = _check(st, in_memory, precision)
        _split_weights(whole, work / MODEL_FILE)
        whole.unlink()
        files = {n: sha256_file(work / n) for n in STORED_FILES}
        ready = {"identity": identity, "precision": precision, "recipe": RECIPE, "files": files, "probe_cosine": lowest}
        (work / READY_FILE).write_text(json.dumps(ready, indent=1), encoding="utf-8")
        try:
            _install(work, final)
        except OSError as exc:
            status(f"warning: cannot store the exported model in {final.parent} ({exc.strerror or exc}); "
                   f"it is kept in memory for this run only; set STATEDIFF_CACHE_DIR to a writable folder")
            return in_memory, lowest
        prepared, _ = load(final)
        if prepared is None:  # another process replaced it with something broken in between: use ours
            return in_memory, lowest
        return prepared, lowest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _install(work: Path, final: Path) -> None:
    """Move the finished export to ``final`` in one rename (a broken old one is removed first)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        for item in work.iterdir():
            shutil.copyfile(item, staging / item.name)
        if final.exists():
            existing, _ = load(final)
            if existing is not None:  # another process finished first: keep its copy
                return
            shutil.rmtree(final)
        os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _remove_superseded(final)


def _remove_superseded(final: Path) -> None:
    """Exports of the same model and precision by an older recipe: 90 MB each that nothing will read again."""
    try:
        ours = json.loads((final / READY_FILE).read_text(encoding="utf-8"))
        for other in final.parent.iterdir():
            if other == final or not other.is_dir() or other.name.startswith("."):
                continue
            try:
                theirs = json.loads((other / READY_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            same = isinstance(theirs, dict) and all(theirs.get(k) == ours[k] for k in ("identity", "precision"))
            if same and theirs.get("recipe") != ours["recipe"]:
                shutil.rmtree(other, ignore_errors=True)
    except (OSError, ValueError, KeyError):
        pass  # tidying only
