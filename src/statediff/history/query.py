"""Find lineages: by a query (its words, or its meaning) or by a sentence's anchor from a report.

The table comes from the stored lineages where they still match the statement files; what is missing is
built here (comparing the pairs after them, vectors from the cache) and stored for the next time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from statediff.engine.similarity import content, tokens
from statediff.errors import StatediffError
from statediff.folder.statements import list_series
from statediff.history import store
from statediff.history.build import build_table
from statediff.history.lineage import Table
from statediff.textnorm import normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from statediff.engine.embed import Embedder
    from statediff.folder.statements import Statement

QUERY_MEANING = 0.55
"""Least cosine between a query and a wording for a match by meaning alone."""
_ANCHOR = re.compile(r"(?:old-)?(s-[0-9a-f]{10})(?:-[0-9]+)?\Z")
_LINEAGE = re.compile(r"L[0-9a-f]{10}(?:-[0-9]{1,4})?\Z")


def series_table(statements: Path, reports: Path, series: str, embedder: Embedder,
                 items: Sequence[Statement] | None = None) -> Table:
    """The lineage table of ``series`` (an unknown series is an error that lists the series); ``items``: its
    statements when the caller has read them already."""
    if items is None:
        items = list_series(statements, series)[series]
    if not items:
        raise StatediffError(f"series {series!r} has no statements yet; add one with: statediff add FILE --series {series}")
    stored = store.load(reports, embedder.identity)
    before = stored.entries.get(series, [])
    table = build_table(series, items, embedder, before)
    if [e.digest for e in table.entries] != [e.digest for e in before] and reports.is_dir():
        kept = {n: e for n, e in stored.entries.items() if n != series}
        try:
            store.save(reports, embedder.identity, {series: table}, kept, stored.pages)
        except StatediffError as exc:  # a cache: not being able to keep it costs time only
            print(f"statediff: warning: {exc} (the lineages are not kept for next time)", file=sys.stderr)
    return table


def by_anchor(table: Table, anchor: str) -> list[str]:
    """Lineages holding the sentence ``anchor`` (``s-…`` from a report, ``L…`` a lineage id, or a link ending in one)."""
    from statediff.render.report_model import sentence_anchor

    wanted = anchor.strip().rsplit("#", 1)[-1]
    if _LINEAGE.match(wanted):
        if wanted not in table.occurrences:
            raise StatediffError(f"lineage {wanted!r} is not in series {table.series!r}; "
                                 "take a sentence's link from a report or the history page")
        return [wanted]
    match = _ANCHOR.match(wanted)
    if not match:
        raise StatediffError(f"--sentence {anchor!r} is not a sentence anchor; give the s-… id from a report's sentence "
                             "link (or an L… lineage id)")
    found: list[str] = []
    for entry, texts in zip(table.entries, table.texts, strict=True):
        for lineage, text in zip(entry.lineages, texts, strict=True):
            if sentence_anchor(text) == match.group(1) and lineage not in found:
                found.append(lineage)
    if not found:
        raise StatediffError(f"sentence {match.group(1)!r} is in no statement of series {table.series!r}; "
                             "check the series, or copy the link from a report of it")
    return found


def by_query(table: Table, query: str, embedder: Embedder, limit: int) -> list[tuple[str, float, str]]:
    """Lineages whose wordings hold the query's words or phrase, or are close to it in meaning: (id, score, how), best first."""
    phrase = normalize(query).lower().strip()
    if not phrase:
        raise StatediffError("--query is empty; give some words, e.g. --query 'target range'")
    words = set(content(tokens(phrase)) or tokens(phrase))
    wordings: dict[str, set[str]] = {}
    for entry, texts in zip(table.entries, table.texts, strict=True):
        for lineage, text in zip(entry.lineages, texts, strict=True):
            wordings.setdefault(normalize(text), set()).add(lineage)
    distinct = list(wordings)
    vectors = np.asarray(embedder.encode([phrase, *distinct]), dtype=np.float32)
    cos = vectors[1:] @ vectors[0]
    best: dict[str, tuple[float, str]] = {}
    for text, c in zip(distinct, cos, strict=True):
        low = text.lower()
        if phrase in low:
            score, how = 3.0 + float(c), "words"
        elif words and words <= set(tokens(low)):
            score, how = 2.0 + float(c), "words"
        elif c >= QUERY_MEANING:
            score, how = float(c), "meaning"
        else:
            continue
        for lineage in wordings[text]:
            if score > best.get(lineage, (-1.0, ""))[0]:
                best[lineage] = (score, how)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], table.occurrences[item[0]][0]))
    return [(lineage, score, how) for lineage, (score, how) in ranked[:limit]]
