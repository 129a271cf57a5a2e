"""The package's layers import only downward, lazy imports inside functions included.

base (model, errors, config, textnorm, output, cachedb) < read < engine < positions < render < folder < history
< gitreview < cli. A module may import its own layer and the layers below it, never one above: so there is no
import circle, and a newcomer knows where a change goes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "statediff"
LAYERS = ["base", "read", "engine", "positions", "render", "folder", "history", "gitreview", "cli"]
BASE_MODULES = {"model", "errors", "config", "textnorm", "output", "cachedb", "__init__", "__main__"}


def layer_of(module: str) -> str:
    """``statediff.engine.align`` -> ``engine``; top-level modules are the base layer.

    The package's own ``__init__`` (the public facade: ``statediff.compare``) and ``__main__`` sit on top; other
    modules take only ``__version__`` from it, which is why ``statediff`` itself is not counted as an import.
    """
    parts = module.split(".")
    if parts[-1] in ("__main__", "__init__") and len(parts) == 2:
        return "cli"
    if len(parts) == 1 or parts[1] in BASE_MODULES:
        return "base"
    return parts[1]


def imports(path: Path) -> set[str]:
    """Every statediff module ``path`` imports, at the top or inside a function (relative imports resolved)."""
    relative = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = relative[:-1]  # a module's package; for __init__ the package itself
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                name = node.module or ""
            if name.startswith("statediff"):
                found.add(name)
                for alias in node.names:  # `from statediff.engine import align` imports the module engine.align
                    target = PACKAGE.parent / f"{name}.{alias.name}".replace(".", "/")
                    if target.is_dir() or target.with_suffix(".py").exists():
                        found.add(f"{name}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("statediff"))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_downward(path: Path) -> None:
    here = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    mine = LAYERS.index(layer_of(here))
    upward = [m for m in sorted(imports(path)) if m != "statediff" and LAYERS.index(layer_of(m)) > mine]
    assert not upward, f"{here} ({LAYERS[mine]}) imports a higher layer: {upward}"


def test_every_subpackage_is_a_known_layer() -> None:
    for folder in PACKAGE.iterdir():
        if folder.is_dir() and (folder / "__init__.py").exists():
            assert folder.name in LAYERS, f"{folder.name}/ is not in the layer list; add it where it belongs"
