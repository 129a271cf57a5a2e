"""The history page of a series: every lineage on the timeline, one row each, a mark per statement it is in.

Marks are coloured by what happened there (new, unchanged, reworded, returned after a gap); a run of
unchanged statements is one element spanning those columns, so a page of 200 statements and a few thousand
lineages stays light. Self-contained like the reports (CSS and the small search script inlined, a
Content-Security-Policy that allows nothing else); every statement string is autoescaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

from statediff.folder.statements import Statement
from statediff.history.lineage import Table
from statediff.history.story import versions


def _marks(table: Table, lineage: str) -> list[dict[str, Any]]:
    """The row's marks: ``{"kind", "col" (1-based), "span", "title", "href", "since"}``; unchanged runs merged."""
    out: list[dict[str, Any]] = []
    entries = table.entries
    prev_k, prev_text = -2, ""
    for k, j in table.occurrences[lineage]:
        text = table.texts[k][j]
        date = entries[k].date.isoformat()
        if prev_k < 0:
            kind = "new"
        elif k > prev_k + 1:
            kind = "returned"
        elif not table.same(text, prev_text):
            kind = "reworded"
        else:
            kind = "same"
        if kind == "same" and out and out[-1]["kind"] == "same" and out[-1]["col"] + out[-1]["span"] == k + 1:
            out[-1]["span"] += 1
            out[-1]["title"] = f"{out[-1]['since']} to {date}: unchanged"
        else:
            label = {"new": "first appears", "returned": "returns", "reworded": "reworded", "same": "unchanged"}[kind]
            href = f"{entries[k - 1].stem}__{entries[k].stem}.html" if k else None
            out.append({"kind": kind, "col": k + 1, "span": 1, "title": f"{date}: {label}", "href": href, "since": date})
        prev_k, prev_text = k, text
    return out


def timeline_data(table: Table, statements: Sequence[Statement]) -> dict[str, Any]:
    """Everything the page shows, as plain data."""
    entries = table.entries
    years: list[dict[str, Any]] = []
    for k, e in enumerate(entries):
        if not years or years[-1]["year"] != e.date.year:
            years.append({"year": e.date.year, "col": k + 1})
    rows = []
    latest = len(entries) - 1
    order = sorted(table.occurrences, key=lambda lin: table.occurrences[lin][0])
    for lineage in order:
        occ = table.occurrences[lineage]
        wordings = versions(table, lineage, len(entries))
        current = occ[-1][0] == latest
        marks = _marks(table, lineage)
        rows.append({
            "id": lineage,
            "text": table.text_of(occ[-1]),
            "first": entries[occ[0][0]].date.isoformat(),
            "last": entries[occ[-1][0]].date.isoformat(),
            "count": len(occ),
            "current": current,
            "changes": sum(1 for m in marks if m["kind"] in ("reworded", "returned")),
            "marks": marks,
            "versions": [{"since": v.since, "until": v.until, "text": v.text} for v in reversed(wordings)],
        })
    titles = {s.stem: s.title for s in statements}
    return {
        "series": table.series,
        "columns": [{"date": e.date.isoformat(), "title": titles.get(e.stem, e.stem)} for e in entries],
        "years": years,
        "rows": rows,
        "first": entries[0].date.isoformat() if entries else None,
        "last": entries[-1].date.isoformat() if entries else None,
    }


def render_timeline(table: Table, statements: Sequence[Statement]) -> str:
    """The history page as one HTML string."""
    from markupsafe import Markup

    from statediff.render.html import page_environment

    env = page_environment()
    source, _, _ = env.loader.get_source(env, "history.js")
    source = source.replace("</", "<\\/")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return str(env.get_template("history.html.j2").render(
        script=Markup(source), script_hash=f"'sha256-{digest}'", **timeline_data(table, statements)))
