"""Lineages kept in step with the reports: the history hook that ``folder.reports.build_reports`` calls.

Each report built (previous statement -> new one) extends its series' lineage table by the new statement,
using the very comparison the report shows, and the report's rows get their history notes from the table.
The table is stored (``store.py``); the next build starts from the stored entries that still match the
statement files and compares only the pairs after them, so adding a statement costs one comparison.
Each report's key includes the files of every statement before it: a statement inserted or edited earlier
in a series rebuilds the later reports, whose history notes may have changed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from statediff import __version__
from statediff.errors import StatediffError
from statediff.folder.pairs import Pair
from statediff.folder.statements import Statement, shown
from statediff.history import store
from statediff.history.lineage import ALGORITHM, Entry, Table, extend, fingerprint
from statediff.history.story import annotate
from statediff.model import Comparison
from statediff.output import not_a_real_subfolder, write_atomic
from statediff.textnorm import collapse_whitespace, normalize

if TYPE_CHECKING:
    import numpy as np

    from statediff.engine.embed import Embedder

PAGE = "history.html"
"""Each series' history page: ``reports/<series>/history.html``."""


def load_table(name: str, statements: Sequence[Statement], stored: Sequence[Entry]) -> Table:
    """The stored entries of a series that still match its statement files, as a table.

    Each sentence's text is cut from the statement file at its stored place (never taken from the store),
    so reading a stored table costs no segmentation; an entry whose places do not fit its file ends the table.
    """
    table = Table(name)
    for entry, statement in zip(stored, statements, strict=False):
        if entry.stem != statement.stem or entry.digest != statement.digest:
            break
        texts = _cut(statement.body, entry.spans)
        if texts is None or len(texts) != len(entry.lineages) or fingerprint(texts) != entry.fingerprint:
            break
        table.add(entry, texts)
    return table


def _cut(body: str, spans: Sequence[tuple[int, int]]) -> list[str] | None:
    texts, end = [], 0
    for a, b in spans:
        if not end <= a < b <= len(body):
            return None
        texts.append(collapse_whitespace(body[a:b]))
        end = b
    return texts


def _vectors(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    import numpy as np

    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    return np.asarray(embedder.encode([normalize(t) for t in texts]), dtype=np.float32)


def fill_vectors(table: Table, embedder: Embedder) -> None:
    """Vectors of every lineage's latest wording that the table lacks (cached vectors: no model work)."""
    missing = [lin for lin in table.occurrences if lin not in table.vectors]
    if not missing:
        return
    vecs = _vectors(embedder, [table.text_of(table.latest(lin)) for lin in missing])
    table.vectors.update(zip(missing, vecs, strict=True))


def extend_with(table: Table, statements: Sequence[Statement], embedder: Embedder,
                comparison: Comparison | None = None) -> None:
    """Add the next statement of the series to ``table``; ``comparison`` is its report's, else it is compared here."""
    k = len(table.entries)
    statement = statements[k]
    if k == 0:
        from statediff.engine.segment import segment

        sentences = segment(statement.body)
        texts = [s.text for s in sentences]
        extend(table, statement.stem, statement.date, statement.digest, texts, _vectors(embedder, texts), None,
               [(s.start, s.end) for s in sentences])
        return
    if comparison is None:
        from statediff.engine.pipeline import compare

        comparison = compare(statements[k - 1].document(), statement.document(), embedder=embedder)
    fill_vectors(table, embedder)
    texts = [s.text for s in comparison.new_sentences]
    extend(table, statement.stem, statement.date, statement.digest, texts, _vectors(embedder, texts), comparison.changes,
           [(s.start, s.end) for s in comparison.new_sentences])


def build_table(name: str, statements: Sequence[Statement], embedder: Embedder, stored: Sequence[Entry] = ()) -> Table:
    """The whole lineage table of a series (from the ``stored`` entries that still hold, then compared)."""
    table = load_table(name, statements, stored)
    while len(table.entries) < len(statements):
        extend_with(table, statements, embedder)
    return table


class History:
    """The lineages of every series, built along with the reports (see ``folder.reports.HistoryHook``)."""

    def __init__(self, reports: Path, identity: str) -> None:
        self.reports = reports
        self.identity = identity
        self.stored = store.load(reports, identity)
        self.series: dict[str, list[Statement]] = {}
        self.tables: dict[str, Table] = {}
        self._chains: dict[tuple[str, str], str] = {}

    def prepare(self, series: Mapping[str, Sequence[Statement]]) -> None:
        """Take note of every series' statements (the keys depend on those before each pair)."""
        self.series = {name: list(items) for name, items in series.items()}
        for name, items in self.series.items():
            running = hashlib.sha256(f"history/{ALGORITHM}".encode())
            for statement in items:
                running.update(statement.digest.encode())
                self._chains[(name, statement.stem)] = running.hexdigest()

    def key(self, pair: Pair) -> str:
        """What the report's history notes depend on besides its own two statements: every statement before them."""
        return self._chains.get((pair.series, pair.old.stem), "")

    def _table(self, name: str, upto: int, embedder: Embedder) -> Table:
        """The series' table holding at least its first ``upto`` statements."""
        table = self.tables.get(name)
        if table is None:
            table = load_table(name, self.series[name], self.stored.entries.get(name, ()))
            self.tables[name] = table
        while len(table.entries) < upto:
            extend_with(table, self.series[name], embedder)
        return table

    def annotate(self, pair: Pair, comparison: Comparison, embedder: Embedder) -> Comparison:
        """The report's comparison with history notes; the series' lineages extended by its new statement first."""
        items = self.series[pair.series]
        k = next(n for n, s in enumerate(items) if s.path == pair.new.path)
        table = self._table(pair.series, k, embedder)
        if len(table.entries) == k:
            extend_with(table, items, embedder, comparison)
        return annotate(comparison, table, k)

    def finish(self, names: Sequence[str], embedder: Callable[[], Embedder]) -> dict[str, str]:
        """Complete and store the tables of the series ``names``, write their history pages; the pages' links by series."""
        links: dict[str, str] = {}
        stale_pages: list[str] = []
        for name in names:
            items = self.series.get(name, [])
            stored = self.stored.entries.get(name, [])
            page = self.reports / name / PAGE
            complete = [(e.stem, e.digest) for e in stored] == [(s.stem, s.digest) for s in items]
            if name not in self.tables and complete and page.is_file() and self.stored.pages.get(name) == self._page_key(name):
                links[name] = f"{name}/{PAGE}"
                continue
            if not items:
                continue
            table = self._table(name, len(items), embedder())
            stale_pages.append(name)
            links[name] = f"{name}/{PAGE}"
            del table  # the table stays in self.tables for saving
        pages = {n: k for n, k in self.stored.pages.items() if n in self.series}
        for name in stale_pages:
            if self._write_page(name):
                pages[name] = self._page_key(name)
        if self.tables or stale_pages:
            kept = {n: e for n, e in self.stored.entries.items() if n not in self.tables and n in self.series}
            store.save(self.reports, self.identity, self.tables, kept, pages)
        return links

    def _page_key(self, name: str) -> str:
        chain = self._chains.get((name, self.series[name][-1].stem), "") if self.series.get(name) else ""
        return hashlib.sha256(json.dumps([chain, __version__, self.identity]).encode()).hexdigest()

    def _write_page(self, name: str) -> bool:
        from statediff.history.timeline import render_timeline

        folder = self.reports / name
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            print(f"statediff: warning: {shown(folder)}: cannot create it ({exc.strerror}); no history page", file=sys.stderr)
            return False
        if not_a_real_subfolder(folder, self.reports):
            raise StatediffError(f"{shown(folder)}: is a link; a report folder must be a real folder, remove the link")
        write_atomic(folder / PAGE, render_timeline(self.tables[name], self.series[name]))
        return True
