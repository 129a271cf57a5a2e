"""Where the statements and reports live, and which model to use: defaults, config file, flags.

Looked up from the current folder upward, as git and ruff do: in each folder ``statediff.toml`` (top-level
keys), else ``[tool.statediff]`` in ``pyproject.toml`` (a pyproject.toml without it is passed by); the walk
stops at the top of a git repository. Relative paths in the file are relative to the file's folder. Flags
override the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statediff.errors import StatediffError

CONFIG_FILE = "statediff.toml"
_KEYS = ("statements", "reports", "model")


@dataclass(frozen=True)
class Config:
    """The settings every folder command works from."""

    statements: Path
    """The statements folder (one subfolder per series)."""
    reports: Path
    """The reports folder (one subfolder per series, plus index.html)."""
    model: str | None = None
    """A local sentence-transformers model folder; ``None`` for the packaged default."""
    source: Path | None = None
    """The configuration file the settings came from, if any."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise StatediffError(f"{path}: is not valid TOML ({exc}); fix it or remove it") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8 by definition; tomllib lets the decode error escape
        raise StatediffError(f"{path}: is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                             "re-save it as UTF-8") from exc
    except OSError as exc:
        raise StatediffError(f"{path}: cannot read ({exc.strerror}); check its permissions") from exc


def _settings(start: Path) -> tuple[dict[str, Any], Path | None]:
    """The nearest settings at or above ``start`` (named relative to it: ``../statediff.toml``)."""
    here = start.resolve()
    for up, folder in enumerate((here, *here.parents)):
        shown = start.joinpath(*[".."] * up) if up else start
        found = _settings_in(shown)
        if found[1] is not None or (folder / ".git").exists():
            return found
    return {}, None


def _settings_in(folder: Path) -> tuple[dict[str, Any], Path | None]:
    own = folder / CONFIG_FILE
    if own.is_file():
        return _read_toml(own), own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        section = tool.get("statediff") if isinstance(tool, dict) else None
        if section is not None:
            if not isinstance(section, dict):
                raise StatediffError(f"{pyproject}: [tool.statediff] must be a table of settings")
            return section, pyproject
    return {}, None


def _within(base: Path, path: Path) -> bool:
    """Whether ``path`` (links followed) is ``base`` or inside it."""
    root = base.resolve()
    return path.resolve() == root or root in path.resolve().parents


def load_config(
    *,
    statements: str | Path | None = None,
    reports: str | Path | None = None,
    model: str | None = None,
    cwd: Path | None = None,
) -> Config:
    """The settings for a command run in ``cwd``: flags (the arguments) over the config file over defaults."""
    folder = cwd or Path()  # relative, so messages name "statements/..." as the user knows it
    settings, source = _settings(folder)
    for key, value in settings.items():
        if key not in _KEYS:
            raise StatediffError(f"{source}: unknown statediff setting {key!r}; the settings are {', '.join(_KEYS)}")
        if not isinstance(value, str) or not value.strip():
            raise StatediffError(f"{source}: setting {key!r} must be a non-empty string (a path)")
    base = source.parent if source else folder

    def path_of(flag: str | Path | None, key: str) -> Path:
        if flag is not None:
            return Path(flag)
        value = settings.get(key)
        path = base / (value or key)  # the folders sit beside the settings file that was found
        if value is not None and not _within(base, path):
            # The file comes with the repository, so a pull request can change it: it must not choose where
            # `report` writes and deletes outside the project. A flag (the user's own choice) may.
            raise StatediffError(f"{source}: setting {key} = {value!r} leads outside the folder of this file; "
                                 f"keep the {key} folder inside the project, or give --{key} to choose another")
        return path

    configured_model = settings.get("model")
    if model is None and configured_model is not None:
        # A model given as a relative folder in the config file is relative to that file, like the folders.
        candidate = base / configured_model
        model = str(candidate) if candidate.exists() else configured_model
    return Config(statements=path_of(statements, "statements"), reports=path_of(reports, "reports"), model=model, source=source)
