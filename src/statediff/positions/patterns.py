"""The layer's module-level regexes, built from their compiled form instead of compiled again on every import.

CPython compiles a regex in pure Python (parse, then code generation): the ~30 patterns this layer compiles when
imported took ~9 ms, a third of the layer's import and so of a warm compare's positions cost. ``data/patterns.marshal``
holds each pattern's compiled code as ``re`` itself produced it, for one Python version; :func:`regex` hands that code
to the regex engine (``_sre.compile``, what ``re.compile`` ends with) in ~0.4 ms for all of them. The result is the
same object ``re.compile`` gives (patterns compare equal only when their code is identical; the tests check every
entry). A pattern not in the file, another Python, or an unreadable file: plain ``re.compile`` — slower, never
different. After changing a pattern, regenerate the file (the tests say when): ``python -c "from
statediff.positions.patterns import write_table; write_table()"``.
"""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "data" / "patterns.marshal"

try:
    import _sre  # type: ignore[import-not-found]  # the regex engine itself: no stubs

    _VERSION: tuple[Any, ...] | None = (sys.implementation.name, tuple(sys.version_info[:2]), _sre.MAGIC, _sre.CODESIZE)
except (ImportError, AttributeError):  # another implementation: no compiled forms
    _VERSION = None


def _read_table() -> dict[tuple[str, int], tuple[Any, ...]]:
    if _VERSION is None:
        return {}
    try:
        version, entries = marshal.loads(TABLE.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # missing or unreadable: compile as usual
        return {}
    return entries if version == _VERSION and isinstance(entries, dict) else {}


_TABLE = _read_table()
asked: dict[tuple[str, int], None] = {}
"""Every (pattern, flags) asked for in this process, once each, in order: what :func:`write_table` stores (a dict:
asking again adds nothing, so it stays as small as the set of patterns)."""


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the stored compiled form when there is one for this Python."""
    asked[(pattern, int(flags))] = None
    entry = _TABLE.get((pattern, int(flags)))
    if entry is not None:
        all_flags, code, groups, groupindex, indexgroup = entry
        try:
            compiled: re.Pattern[str] = _sre.compile(pattern, all_flags, list(code), groups, groupindex, indexgroup)
            return compiled
        except (TypeError, ValueError, RuntimeError):  # the engine refused it ("invalid SRE code"): compile instead
            pass
    return re.compile(pattern, flags)


def compiled_form(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re.compile`` hands the engine for ``pattern`` (its own steps, from ``re._compiler.compile``)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), tuple(int(op) for op in code), parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def write_table(path: Path = TABLE) -> int:
    """Store the compiled form of every pattern the layer compiles on import (for this Python); how many."""
    import statediff.positions.digest  # noqa: F401 - imported for the patterns it compiles

    entries = {(pattern, flags): compiled_form(pattern, flags) for pattern, flags in asked}
    path.write_bytes(marshal.dumps((_VERSION, entries)))
    return len(entries)
