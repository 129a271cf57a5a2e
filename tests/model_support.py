"""Helpers of the real-model tests."""

from __future__ import annotations

from pathlib import Path


def cold_cache(folder: Path, prepared: Path) -> Path:
    """A vector cache folder with no vectors, beside the session's prepared model (linked, not exported again)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "onnx").symlink_to(prepared, target_is_directory=True)
    return folder
