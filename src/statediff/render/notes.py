"""What every format says beside a change: its secondary links, the closest counterpart of a one-sided
sentence, a weak match, and its series history. Plain text (1-based sentence numbers); each renderer escapes
it its own way."""

from __future__ import annotations

from statediff.model import Change


def _nums(side: str, indices: tuple[int, ...]) -> str:
    return f"{side} {', '.join(str(k + 1) for k in indices)}"


def notes(ch: Change) -> list[str]:
    """Short annotations, e.g. ``also restated in new 17, 42``, ``closest in the old statement: old 12, 0.58``."""
    out = []
    if ch.kind == "folded":
        out.append(f"folded into {_nums('new', ch.also_new)}")
    elif ch.kind == "restated":
        out.append(f"restates {_nums('old', ch.also_old)}" + (f", {ch.closest[1]:.2f}" if ch.closest else ""))
    else:
        if ch.also_new:
            out.append(f"also restated in {_nums('new', ch.also_new)}")
        if ch.also_old:
            out.append(f"also folds in {_nums('old', ch.also_old)}")
    if ch.kind in ("added", "removed") and ch.closest is not None:
        side = "old" if ch.kind == "added" else "new"
        out.append(f"closest in the {side} statement: {side} {ch.closest[0] + 1}, {ch.closest[1]:.2f}")
    if ch.weak and ch.similarity is not None:
        out.append(f"weak match, {ch.similarity:.2f}")
    return out


def history_notes(ch: Change) -> list[tuple[str, str]]:
    """The change's series history as ``(lead, statement text)`` lines, when the report was built in a statements
    folder: ``returns from …`` (no statement text) and each earlier wording. Only the text needs escaping."""
    h = ch.history
    if h is None:
        return []
    out = []
    if h.returns_from:
        out.append((f"returns from {h.returns_from}, last seen there (first seen {h.first_seen})", ""))
    for v in h.earlier:
        when = v.since if v.since == v.until else f"{v.since} to {v.until}"
        out.append((f"earlier, {when}: ", v.text))
    return out
