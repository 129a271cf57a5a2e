"""Tilt on FOMC pairs that are not in positions-dev: an estimate of how the tilt does on pairs its lexicon never saw.

The tilt lexicon was partly written while reading the 49 FOMC pairs of ../shared/eval/positions-dev, so its 0.78
there is optimistic (``positions.py`` prints a held-out-words estimate of ~0.60). ``data/tilt-annotated.json`` holds
430 other modified sentences of consecutive statements in ../shared/corpus/fomc-2000-2026-novote (sampled at random,
none of them a dev pair), each labelled hawkish/dovish/neutral by annotator sessions that were shown 11 labelled dev
pairs as a guide and the positions-dev definitions. How far to trust those labels: on 24 other dev FOMC pairs, given
blind, they agreed with the dev labels on 23. One known difference of convention: a rate move repeated at the same
size ("raise ... by 25 basis points" twice) they call neutral, the dev labels call it the move's direction (dev
pair 73); those pairs are counted apart below. References only (file and sentence index as ``segment`` numbers
them), no statement text.

    .venv/bin/python benchmarks/tilt_annotated.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import statediff  # noqa: E402
from statediff.engine.segment import segment  # noqa: E402
from statediff.read.ingest import read_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parent / "data" / "tilt-annotated.json"
TILTS = ("hawkish", "dovish", "neutral")
_MOVE = re.compile(r"decided (?:today )?to (raise|lower)")


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"tilt_annotated.py: corpus not found at {CORPUS}")
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    sentences: dict[str, list[str]] = {}

    def sentence(name: str, index: int) -> str:
        if name not in sentences:
            sentences[name] = [s.text for s in segment(read_document(CORPUS / name).body)]
        return sentences[name][index]

    confusion: Counter[tuple[str, str]] = Counter()
    repeated = Counter[bool]()
    for row in rows:
        old, new = sentence(row["old_file"], row["old_index"]), sentence(row["new_file"], row["new_index"])
        tilt = statediff.marks(old, new, kind="monetary-policy").tilt
        assert tilt is not None
        confusion[(row["tilt"], tilt)] += 1
        moves = _MOVE.search(old), _MOVE.search(new)
        if moves[0] and moves[1] and moves[0][1] == moves[1][1]:
            repeated[tilt == row["tilt"]] += 1
    total = sum(confusion.values())
    right = sum(n for (gold, got), n in confusion.items() if gold == got)
    print(f"tilt on {total} annotated FOMC pairs (not in positions-dev): {right / total:.3f}   (dev target >= 0.75)")
    others = total - sum(repeated.values())
    print(f"  without the {sum(repeated.values())} repeated rate moves (a convention the labels read otherwise): "
          f"{(right - repeated[True]) / others:.3f} of {others}")
    print("  annotated \\ statediff " + " ".join(f"{t:>8}" for t in TILTS))
    for gold in TILTS:
        print(f"  {gold:>21} " + " ".join(f"{confusion[(gold, got)]:>8}" for got in TILTS))


if __name__ == "__main__":
    main()
