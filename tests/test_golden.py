"""Golden cases: tests/cases/NAME/{old.txt,new.txt,expected.json}, compared with the real packaged model.

Each ``expected.json`` holds two things:

- ``requires``, written by hand: what the case is about and must stay true whatever the aligner's tuning
  (``only``: the kinds allowed; ``include``: kinds that must occur; ``changes``: exact changes that must occur);
- ``old``/``new``/``changes``, a snapshot of the pipeline's output (sentences, and kind/indices/ops per change;
  similarities are left out as they move with every tuning).

When the pipeline changes on purpose, regenerate the snapshots and review them:

    .venv/bin/pytest tests/test_golden.py --regen-golden
    git diff tests/cases

Regeneration never rewrites ``requires``; a case whose requirements fail is not regenerated.

The sides are passed to ``statediff.compare`` as strings, so an empty file is an empty statement here (every
sentence of the other side added or removed); the command line refuses an empty FILE instead (exit 2, see
test_cli_compare.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import statediff
from invariants import assert_sound

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "old.txt").is_file())
REGEN = ".venv/bin/pytest tests/test_golden.py --regen-golden"


def snapshot(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "old": [s["text"] for s in doc["old"]["sentences"]],
        "new": [s["text"] for s in doc["new"]["sentences"]],
        "changes": [{"kind": ch["kind"], "old": ch["old"], "new": ch["new"], "ops": ch["ops"]} for ch in doc["changes"]],
        # Every link, secondary (many-to-many) ones included: a change of those is a change of the alignment too.
        "links": doc["links"],
    }


def unmet(requires: dict[str, Any], changes: list[dict[str, Any]]) -> list[str]:
    kinds = [ch["kind"] for ch in changes]
    out = [f"kind {k!r} is not allowed here (only {requires['only']})" for k in kinds if k not in requires["only"]]
    out += [f"no {k!r} change" for k in requires.get("include", []) if k not in kinds]
    brief = [{"kind": ch["kind"], "old": ch["old"], "new": ch["new"]} for ch in changes]
    out += [f"missing change {want}" for want in requires.get("changes", []) if want not in brief]
    return out


def brief(changes: list[dict[str, Any]]) -> str:
    return "\n".join(f"    {ch['kind']:9} old={ch['old']} new={ch['new']} ops={json.dumps(ch['ops'])[:100]}" for ch in changes)


@pytest.mark.model
@pytest.mark.parametrize("name", NAMES)
def test_golden_case(name: str, request: pytest.FixtureRequest) -> None:
    case = CASES / name
    old = (case / "old.txt").read_text(encoding="utf-8")
    new = (case / "new.txt").read_text(encoding="utf-8")
    doc = statediff.compare(old, new).to_dict()  # embedder=None: the real packaged model
    assert_sound(doc)
    got = snapshot(doc)
    path = case / "expected.json"
    expected = json.loads(path.read_text(encoding="utf-8"))
    problems = unmet(expected["requires"], got["changes"])
    assert not problems, f"golden case {name!r} ({expected['about']}):\n  " + "\n  ".join(problems) + "\n" + brief(got["changes"])
    if request.config.getoption("--regen-golden"):
        fresh = {"about": expected["about"], "requires": expected["requires"], **got}
        path.write_text(json.dumps(fresh, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert got == {k: expected.get(k) for k in got}, (
        f"golden case {name!r} differs from {path.relative_to(CASES.parent.parent)}:\n{difference(expected, got)}\n"
        f"If the change is intended, regenerate and review:  {REGEN}  &&  git diff tests/cases"
    )


def difference(expected: dict[str, Any], got: dict[str, Any]) -> str:
    lines = []
    for side in ("old", "new"):
        if expected.get(side) != got[side]:
            lines.append(f"  {side} sentences differ (segmentation changed):\n    {expected.get(side)}\n    {got[side]}")
    was = [json.dumps(ch, ensure_ascii=False) for ch in expected.get("changes") or []]
    now = [json.dumps(ch, ensure_ascii=False) for ch in got["changes"]]
    lines += [f"  - expected {ch}" for ch in was if ch not in now] + [f"  + got      {ch}" for ch in now if ch not in was]
    return "\n".join(lines)


def test_every_case_is_complete() -> None:
    assert len(NAMES) >= 9
    for name in NAMES:
        expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
        assert (CASES / name / "new.txt").is_file(), name
        assert expected["about"] and isinstance(expected["requires"]["only"], list), name


def test_a_requirement_catches_a_wrong_kind() -> None:
    changes = [{"kind": "removed", "old": [0], "new": []}, {"kind": "added", "old": [], "new": [0]}]
    assert unmet({"only": ["unchanged", "moved"], "include": ["moved"]}, changes) == [
        "kind 'removed' is not allowed here (only ['unchanged', 'moved'])",
        "kind 'added' is not allowed here (only ['unchanged', 'moved'])",
        "no 'moved' change",
    ]
