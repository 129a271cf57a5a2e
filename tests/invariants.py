"""What every comparison document (schema statediff/comparison/2) must satisfy, whatever the alignment decides.

Shapes: each sentence is in exactly one change; a change with both sides is one-to-one, a split (one to many)
or a merge (many to one). Many-to-many lives in ``links``: every pair inside a change is a link, and every other
link is a secondary one, named by ``also_old``/``also_new`` on the changes of its two sentences; a sentence whose
only links are secondary is ``restated`` (new) or ``folded`` (old), never ``added`` or ``removed``.
"""

from __future__ import annotations

import re
from typing import Any

from statediff.model import KINDS
from statediff.textnorm import normalize

SCHEMA = "statediff/comparison/2"


def _side_ok(side: dict[str, Any], name: str) -> list[str]:
    problems = []
    if set(side) != {"title", "date", "source", "sentences"}:
        problems.append(f"{name}: keys {sorted(side)}")
    for key in ("title", "source"):
        if side.get(key) is not None and not isinstance(side[key], str):
            problems.append(f"{name}.{key} is {type(side[key]).__name__}")
    if side.get("date") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(side["date"])):
        problems.append(f"{name}.date {side['date']!r}")
    for k, s in enumerate(side.get("sentences", [])):
        if set(s) != {"index", "text", "paragraph"} or s["index"] != k or not isinstance(s["paragraph"], int) or not s["text"]:
            problems.append(f"{name}.sentences[{k}] = {s!r}")
    return problems


def _covered_once(changes: list[dict[str, Any]], side: str, count: int) -> list[str]:
    seen = sorted(i for ch in changes for i in ch[side])
    if seen != list(range(count)):
        missing = sorted(set(range(count)) - set(seen))
        twice = sorted({i for i in seen if seen.count(i) > 1})
        return [f"{side} indices: missing {missing}, repeated {twice}, out of range {[i for i in seen if not 0 <= i < count]}"]
    return []


def _change_ok(ch: dict[str, Any], old: list[str], new: list[str]) -> list[str]:
    where = f"{ch['kind']} old={ch['old']} new={ch['new']}"
    problems = []
    n_old, n_new = len(ch["old"]), len(ch["new"])
    shape = {
        "added": n_old == 0 and n_new >= 1,
        "removed": n_new == 0 and n_old >= 1,
        "split": n_old == 1 and n_new >= 2,
        "merged": n_old >= 2 and n_new == 1,
        "unchanged": n_old == 1 and n_new == 1,
        "modified": n_old == 1 and n_new == 1,
        "moved": n_old == 1 and n_new == 1,
        "restated": n_old == 0 and n_new == 1 and bool(ch["also_old"]),
        "folded": n_old == 1 and n_new == 0 and bool(ch["also_new"]),
    }
    if ch["kind"] not in shape:
        return [f"unknown kind {where}"]
    if not shape[ch["kind"]]:
        problems.append(f"shape: {where}")
    old_text = " ".join(old[i] for i in ch["old"] if 0 <= i < len(old))
    new_text = " ".join(new[j] for j in ch["new"] if 0 <= j < len(new))
    if (ch["similarity"] is None) != (n_old == 0 or n_new == 0):
        problems.append(f"similarity {ch['similarity']!r}: {where}")
    if ch["similarity"] is not None and not (isinstance(ch["similarity"], float) and -1e-6 <= ch["similarity"] <= 1 + 1e-6):
        problems.append(f"similarity {ch['similarity']!r} not in [0, 1]: {where}")
    if any(len(op) != 2 or op[0] not in ("=", "-", "+") or not isinstance(op[1], str) for op in ch["ops"]):
        problems.append(f"ops malformed: {where}: {ch['ops']!r}")
        return problems
    joined_old = "".join(text for tag, text in ch["ops"] if tag in "=-")
    joined_new = "".join(text for tag, text in ch["ops"] if tag in "=+")
    if normalize(joined_old) != normalize(old_text):
        problems.append(f"= and - ops do not give the old text: {where}: {joined_old!r} vs {old_text!r}")
    if normalize(joined_new) != normalize(new_text):
        problems.append(f"= and + ops do not give the new text: {where}: {joined_new!r} vs {new_text!r}")
    same = normalize(old_text) == normalize(new_text)
    if ch["kind"] == "unchanged" and not same:
        problems.append(f"unchanged but the texts differ: {where}")
    if ch["kind"] == "modified" and same:
        problems.append(f"modified but the texts are the same: {where}")
    return problems


def _links_ok(doc: dict[str, Any], changes: list[dict[str, Any]], n: int, m: int) -> list[str]:
    """``links`` holds every pair inside a change plus the secondary links that ``also_*`` name, and nothing else."""
    out = []
    links = [tuple(lk) for lk in doc["links"]]
    if links != sorted(set(links)) or any(not (0 <= i < n and 0 <= j < m) for i, j in links):
        return [f"links not sorted, unique and in range: {links[:10]}"]
    inside = {(i, j) for ch in changes for i in ch["old"] for j in ch["new"]}
    if not inside <= set(links):
        out.append(f"pairs inside changes missing from links: {sorted(inside - set(links))[:10]}")
    secondary = set(links) - inside
    holder_old = {i: ch for ch in changes for i in ch["old"]}
    holder_new = {j: ch for ch in changes for j in ch["new"]}
    for i, j in secondary:  # named on both sentences' changes
        if j not in holder_old[i]["also_new"] or i not in holder_new[j]["also_old"]:
            out.append(f"secondary link {(i, j)} not named by also_new of old {i}'s change and also_old of new {j}'s")
    for ch in changes:
        for j in ch["also_new"]:
            if not any((i, j) in secondary for i in ch["old"]):
                out.append(f"also_new {j} of {ch['kind']} old={ch['old']} is no secondary link")
        for i in ch["also_old"]:
            if not any((i, j) in secondary for j in ch["new"]):
                out.append(f"also_old {i} of {ch['kind']} new={ch['new']} is no secondary link")
        if set(ch["also_new"]) & set(ch["new"]) or set(ch["also_old"]) & set(ch["old"]):
            out.append(f"also_* repeats the change's own sentences: {ch['kind']} old={ch['old']} new={ch['new']}")
        closest = ch["closest"]
        if closest is not None and (set(closest) != {"index", "similarity"} or not 0 <= closest["similarity"] <= 1):
            out.append(f"closest malformed: {closest!r}")
        if ch["kind"] in ("added", "removed") and (ch["also_old"] or ch["also_new"]):
            out.append(f"{ch['kind']} sentence has links: old={ch['old']} new={ch['new']}")
        if ch["weak"] and (ch["similarity"] is None or ch["kind"] == "unchanged"):
            out.append(f"weak without a pair: {ch['kind']} old={ch['old']} new={ch['new']}")
    return out


def problems(doc: dict[str, Any]) -> list[str]:
    """Every violated invariant, as readable lines (empty when the document is sound)."""
    out: list[str] = []
    # The CLI's JSON adds the positions layer: "positions" at the top and "marks" under each change.
    layer = "positions" in doc
    if set(doc) - {"positions"} != {"schema", "old", "new", "changes", "summary", "links"}:
        out.append(f"top-level keys {sorted(doc)}")
    if doc.get("schema") != SCHEMA:
        out.append(f"schema {doc.get('schema')!r}")
    out += _side_ok(doc["old"], "old") + _side_ok(doc["new"], "new")
    old = [s["text"] for s in doc["old"]["sentences"]]
    new = [s["text"] for s in doc["new"]["sentences"]]
    changes = doc["changes"]
    out += _covered_once(changes, "old", len(old)) + _covered_once(changes, "new", len(new))
    for ch in changes:
        if set(ch) != {"kind", "old", "new", "similarity", "ops", "weak", "also_old", "also_new", "closest"} | (
            {"marks"} if layer else set()
        ):
            out.append(f"change keys {sorted(ch)}")
            continue
        if layer and not 0 <= ch["marks"]["topic"] < len(doc["positions"]["topics"]):
            out.append(f"marks name topic {ch['marks']['topic']}, not one of the {len(doc['positions']['topics'])}")
        out += _change_ok(ch, old, new)
    out += _links_ok(doc, changes, len(old), len(new))
    firsts = [min(ch["new"]) for ch in changes if ch["new"]]
    if firsts != sorted(firsts):
        out.append(f"changes not in the new statement's reading order: {firsts}")
    expected = {k: sum(1 for ch in changes if ch["kind"] == k) for k in KINDS}
    if doc["summary"] != expected:
        out.append(f"summary {doc['summary']} but the changes count {expected}")
    return out


def assert_sound(doc: dict[str, Any]) -> None:
    found = problems(doc)
    assert not found, "comparison document breaks its invariants:\n  " + "\n  ".join(found[:20])
