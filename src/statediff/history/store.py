"""The lineage tables on disk: ``reports/.statediff-history.json``, beside the reports manifest.

A cache, and untrusted like every file in the folder: each entry is checked (types, id shapes, sizes) and
used only while its statement file is byte for byte the one it was built from; anything else is dropped
with a warning and rebuilt. Sentence text is not stored: only each sentence's place in its statement file,
whose text is cut from the file itself (places that do not fit the file end the stored table there).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statediff.history.lineage import ALGORITHM, Entry, Table
from statediff.output import write_atomic

STORE = ".statediff-history.json"
SCHEMA = "statediff/history/1"
_ID = re.compile(r"L[0-9a-f]{10}(?:-[0-9]{1,4})?\Z")
_HEX = re.compile(r"[0-9a-f]{20,64}\Z")
_STEM = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]{1,120}\Z")
_MAX_SENTENCES = 5000
_MAX_BYTES = 64 * 2**20
"""The tables of 259 FOMC statements take 0.15 MB; a file far larger is not ours and is not read."""


def segmenter() -> str:
    """The sentence rules the stored places come from: other rules, other sentences, so the tables are rebuilt."""
    from statediff.engine.segment import _splitter
    from statediff.engine.spancache import VERSION

    return f"{VERSION}/{_splitter()}"


def _warn(path: Path, what: str) -> None:
    print(f"statediff: warning: {path}: {what}; rebuilding the lineages", file=sys.stderr)


def _entry(raw: Any) -> Entry | None:
    """One stored statement, or None when anything about it is off."""
    if not isinstance(raw, dict):
        return None
    stem, date, digest, fp, lineages = (raw.get(k) for k in ("stem", "date", "digest", "fingerprint", "lineages"))
    if not (isinstance(stem, str) and _STEM.match(stem) and isinstance(digest, str) and _HEX.match(digest)
            and isinstance(fp, str) and _HEX.match(fp) and isinstance(date, str)):
        return None
    if not isinstance(lineages, list) or len(lineages) > _MAX_SENTENCES:
        return None
    if not all(isinstance(x, str) and _ID.match(x) for x in lineages) or len(set(lineages)) != len(lineages):
        return None
    spans = raw.get("spans")
    if not isinstance(spans, list) or len(spans) != len(lineages):
        return None
    if not all(isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p) for p in spans):
        return None  # the offsets themselves are checked against the statement file when read
    try:
        when = dt.date.fromisoformat(date)
    except ValueError:
        return None
    return Entry(stem, when, digest, fp, tuple(lineages), tuple((a, b) for a, b in spans))


@dataclass
class Stored:
    """What the store holds: each series' entries, and the key each history page was written for."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)


def load(reports: Path, model: str) -> Stored:
    """The stored entries of every series (only the well-formed ones, built with this model and algorithm)."""
    path = reports / STORE
    try:
        if path.stat().st_size > _MAX_BYTES:
            _warn(path, f"larger than {_MAX_BYTES // 2**20} MB")
            return Stored()
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Stored()
    except (OSError, ValueError):
        _warn(path, "unreadable")
        return Stored()
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("series"), dict):
        _warn(path, "not a lineage table of this statediff")
        return Stored()
    if data.get("model") != model or data.get("algorithm") != ALGORITHM or data.get("segmenter") != segmenter():
        return Stored()  # another model or rules: a rebuild, nothing wrong
    pages = data.get("pages")
    found = Stored(pages={k: v for k, v in pages.items() if isinstance(k, str) and isinstance(v, str)}
                   if isinstance(pages, dict) else {})
    out = found.entries
    for name, raw in data["series"].items():
        if not isinstance(name, str) or not isinstance(raw, list):
            continue
        entries: list[Entry] = []
        for item in raw:
            entry = _entry(item)
            if entry is None:
                _warn(path, f"series {name!r} has a damaged entry")
                break  # the entries after a damaged one depend on it: keep only the prefix
            entries.append(entry)
        out[name] = entries
    return found


def save(reports: Path, model: str, tables: Mapping[str, Table], kept: Mapping[str, list[Entry]],
         pages: Mapping[str, str]) -> None:
    """Write every series' entries (the ``tables`` built or checked in this run, ``kept`` as stored for the rest)
    and the key of each history page."""
    series: dict[str, list[dict[str, Any]]] = {name: [_raw(e) for e in entries] for name, entries in kept.items()}
    for name, table in tables.items():
        series[name] = [_raw(e) for e in table.entries]
    doc = {"schema": SCHEMA, "algorithm": ALGORITHM, "model": model, "segmenter": segmenter(),
           "series": dict(sorted(series.items())), "pages": dict(sorted(pages.items()))}
    write_atomic(reports / STORE, json.dumps(doc, separators=(",", ":")) + "\n")


def _raw(e: Entry) -> dict[str, Any]:
    return {"stem": e.stem, "date": e.date.isoformat(), "digest": e.digest, "fingerprint": e.fingerprint,
            "lineages": list(e.lineages), "spans": [list(p) for p in e.spans]}
