"""What the index page of the reports folder shows: every series, its statements on a timeline, each report's counts."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from statediff import __version__
from statediff.folder.pairs import Pair
from statediff.folder.statements import Statement

#: Counts shown for every report; the rarer kinds appear only when present.
MAIN_KINDS = ("added", "removed", "modified", "moved")
OTHER_KINDS = ("split", "merged")


def relative_link(target: Path, start: Path) -> str:
    """A link from a page in ``start`` to ``target`` (POSIX separators)."""
    return os.path.relpath(target.resolve(), start.resolve()).replace(os.sep, "/")


def _report(pair: Pair | None, entries: Mapping[str, Any], key: Callable[[Pair], str]) -> dict[str, Any] | None:
    if pair is None:
        return None
    entry = entries.get(pair.html)
    if not isinstance(entry, dict) or not isinstance(entry.get("counts"), dict):
        return {"href": None, "counts": [], "current": False}
    counts = entry["counts"]
    shown = [(k, int(counts.get(k, 0))) for k in MAIN_KINDS] + [(k, int(counts[k])) for k in OTHER_KINDS if counts.get(k)]
    return {"href": pair.html, "counts": shown, "current": entry.get("key") == key(pair)}


def index_data(
    series: Mapping[str, Sequence[Statement]],
    entries: Mapping[str, Any],
    pairs: Sequence[Pair],
    statements: Path,
    reports: Path,
    identity: str,
    key: Callable[[Pair], str] | None = None,
    history: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the index page shows, as plain data (its hash tells whether the page must be rewritten).

    ``key`` gives each report's current key (default: its statements, model and version); ``history`` the
    link of each series' history page, relative to the reports folder.
    """
    key = key or (lambda pair: pair.key(identity))
    by_new = {(p.series, p.new.path.name): p for p in pairs}
    dates = [s.date for items in series.values() for s in items]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    span = max((last - first).days, 1) if first and last else 1
    out = []
    for name, items in series.items():
        rows = []
        for statement in items:
            rows.append({
                "date": statement.date.isoformat(),
                "title": statement.title,
                "file": statement.path.name,
                "href": relative_link(statement.path, reports),
                "anchor": f"{name}--{statement.stem}",
                "pos": round(100 * (statement.date - first).days / span, 2) if first else 0,
                "report": _report(by_new.get((name, statement.path.name)), entries, key),
            })
        out.append({"name": name, "count": len(items), "rows": rows, "history": (history or {}).get(name),
                    "first": rows[0]["date"] if rows else None, "last": rows[-1]["date"] if rows else None})
    return {
        "series": out,
        "first": first.isoformat() if first else None,
        "last": last.isoformat() if last else None,
        "model": identity,
        "version": __version__,
        "statements": relative_link(statements, reports),
    }
