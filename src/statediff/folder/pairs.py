"""Consecutive statements of a series, one report each: what a report is of, and the hash of its inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass

from statediff import __version__
from statediff.folder.statements import Statement

#: Bump when the report files change shape, so every report is rebuilt once.
REPORT_FORMAT = "1"

@dataclass(frozen=True)
class Pair:
    """Two consecutive statements of a series: one report."""

    series: str
    """The series both belong to."""
    old: Statement
    """The earlier statement."""
    new: Statement
    """The later statement."""

    @property
    def html(self) -> str:
        """The HTML report, relative to the reports folder (POSIX separators: also its link in the index)."""
        return f"{self.series}/{self.old.stem}__{self.new.stem}.html"

    @property
    def json(self) -> str:
        """The JSON report, relative to the reports folder."""
        return self.html.removesuffix(".html") + ".json"

    def key(self, model: str, extra: str = "", positions: str = "") -> str:
        """Hash of everything the report depends on (``extra``: what the series history notes depend on;
        ``positions``: the series' own positions data files, when it has any)."""
        parts = (self.old.digest, self.new.digest, model, __version__, REPORT_FORMAT, *((extra,) if extra else ()),
                 *((f"positions:{positions}",) if positions else ()))  # absent: the key of a series without them
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def pairs_of(series: dict[str, list[Statement]], since: dt.date | None = None) -> list[Pair]:
    """Consecutive pairs of every series, those whose newer statement is on or after ``since``."""
    pairs = [Pair(name, a, b) for name, items in series.items() for a, b in itertools.pairwise(items)]
    return [p for p in pairs if since is None or p.new.date >= since]
