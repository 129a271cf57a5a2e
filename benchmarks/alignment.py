"""Alignment quality on the gold sets in ../shared/eval: link precision / recall / F1, statediff vs difflib.

Segmentation is held fixed (the gold files give the sentences). Scores are micro-averaged over all pairs, on
all links and on links between non-identical sentences (the hard part). Prints a table per set.

    .venv/bin/python benchmarks/alignment.py [--set argrewrite|statements-dev] [--model PATH]
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from statediff.engine.align import DEFAULT_CONFIG, AlignConfig, align  # noqa: E402
from statediff.engine.embed import default_embedder  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SETS = ("argrewrite", "statements-dev")

Link = tuple[int, int]
Pair = dict  # one gold file: old, new, links


def load(name: str) -> list[Pair]:
    folder = EVAL / name
    if not folder.is_dir():
        sys.exit(f"alignment.py: gold set not found at {folder}")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def difflib_links(old: list[str], new: list[str]) -> set[Link]:
    """The baseline: difflib over the sentence lists; inside replace blocks, pairs with character ratio > 0.5, best first."""
    links: set[Link] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            links.update((i1 + k, j1 + k) for k in range(i2 - i1))
        elif tag == "replace":
            ratios = sorted(
                ((difflib.SequenceMatcher(None, old[i], new[j]).ratio(), i, j) for i in range(i1, i2) for j in range(j1, j2)),
                reverse=True,
            )
            used_old: set[int] = set()
            used_new: set[int] = set()
            for ratio, i, j in ratios:
                if ratio <= 0.5:
                    break
                if i not in used_old and j not in used_new:
                    links.add((i, j))
                    used_old.add(i)
                    used_new.add(j)
    return links


def statediff_links(old: list[str], new: list[str], old_vecs: np.ndarray, new_vecs: np.ndarray,
                    config: AlignConfig = DEFAULT_CONFIG) -> set[Link]:
    return {(i, j) for ch in align(old, new, old_vecs, new_vecs, config) for i in ch.old for j in ch.new}


def score(pairs: list[Pair], predicted: Iterable[set[Link]]) -> dict[str, tuple[float, float, float]]:
    """Micro P/R/F1 over all links and over links whose two sentences differ."""
    tp = fp = fn = 0
    tp_d = fp_d = fn_d = 0
    for pair, pred in zip(pairs, predicted, strict=True):
        gold = {tuple(link) for link in pair["links"]}
        differs = {lk for lk in gold | pred if pair["old"][lk[0]].strip() != pair["new"][lk[1]].strip()}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        tp_d += len(gold & pred & differs)
        fp_d += len((pred - gold) & differs)
        fn_d += len((gold - pred) & differs)

    def prf(t: int, f_p: int, f_n: int) -> tuple[float, float, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    return {"all": prf(tp, fp, fn), "non-identical": prf(tp_d, fp_d, fn_d)}


def embed_pairs(pairs: list[Pair], model: str | None) -> list[tuple[np.ndarray, np.ndarray]]:
    embedder = default_embedder(model)
    out = []
    for pair in pairs:
        vecs = embedder.encode([*pair["old"], *pair["new"]])
        out.append((vecs[: len(pair["old"])], vecs[len(pair["old"]) :]))
    return out


Scores = dict[str, tuple[float, float, float]]


def run_set(name: str, model: str | None, config: AlignConfig = DEFAULT_CONFIG) -> dict[str, Scores]:
    from statediff.textnorm import normalize

    pairs = load(name)
    vectors = embed_pairs(pairs, model)
    methods: dict[str, Callable[[int], set[Link]]] = {
        "statediff": lambda k: statediff_links(pairs[k]["old"], pairs[k]["new"], *vectors[k], config),
        "difflib": lambda k: difflib_links(pairs[k]["old"], pairs[k]["new"]),
        "exact match": lambda k: {
            (i, j) for i, a in enumerate(pairs[k]["old"]) for j, b in enumerate(pairs[k]["new"]) if normalize(a) == normalize(b)
        },
    }
    return {m: score(pairs, (fn(k) for k in range(len(pairs)))) for m, fn in methods.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, action="append", help="gold set(s) to score [default: both]")
    parser.add_argument("--model", default=None, help="sentence-transformers model folder [default: packaged MiniLM]")
    args = parser.parse_args()
    for name in args.set or SETS:
        start = time.perf_counter()
        results = run_set(name, args.model)
        pairs = load(name)
        gold = sum(len(p["links"]) for p in pairs)
        print(f"\n{name}: {len(pairs)} pairs, {gold} gold links ({time.perf_counter() - start:.1f} s)")
        print(f"{'method':<12} {'P':>6} {'R':>6} {'F1':>6}   {'P≠':>6} {'R≠':>6} {'F1≠':>6}")
        for method, res in results.items():
            a, d = res["all"], res["non-identical"]
            print(f"{method:<12} {a[0]:6.3f} {a[1]:6.3f} {a[2]:6.3f}   {d[0]:6.3f} {d[1]:6.3f} {d[2]:6.3f}")


if __name__ == "__main__":
    main()
