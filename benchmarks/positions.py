"""Positions quality on ../shared/eval/positions-dev: statediff.marks against 120 hand-labelled pairs.

Scores: stance accuracy, tilt accuracy (FOMC pairs, read as ``kind: monetary-policy``), whether any figure changed,
actors added/removed F1 (names matched after lower-casing and dropping articles, or as one actor under two names),
substantive accuracy. The stance model (a small logistic regression over lexicon and overlap features) is fitted
on this set with ``--fit``; ``--cv K`` refits it on K-1 folds and scores the held-out fold (K=120: leave-one-out),
which is the figure to trust.

    .venv/bin/python benchmarks/positions.py [--fit] [--cv 10] [--l2 0.05] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import statediff  # noqa: E402
from statediff.positions import marking as marks_module  # noqa: E402
from statediff.positions.actors import registry_for  # noqa: E402
from statediff.positions.lexicons import STANCE_FAMILIES, lexicon_for  # noqa: E402

MODEL_FILE = ROOT / "src" / "statediff" / "positions" / "data" / "stance_model.json"
DEV = ROOT.parent / "shared" / "eval" / "positions-dev" / "positions-dev.json"


def kind_of(pair: dict) -> str | None:
    return "monetary-policy" if pair["old_file"].startswith("fomc") else None


def norm_actor(name: str) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip().lower())
    return re.sub(r"[’']s$", "", name)


def actor_key(name: str) -> str:
    """Both label and prediction go through the registry, so "the DPRK" and "North Korea" are one actor."""
    registry = registry_for()
    bare = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    return registry.keys.get(bare, norm_actor(name))


def prf(pred: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    np_, ng = sum(map(len, pred)), sum(map(len, gold))
    precision = tp / np_ if np_ else 1.0
    recall = tp / ng if ng else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


CLEAR_CHOICES = (0.5, 0.65, 0.8)


def features_of(pair: dict, clear: float = marks_module.CLEAR_OVERLAP) -> list[float] | None:
    """The stance model's input for one pair (None: a rule decides it, see marking.rule_stance)."""
    m = marks_module
    old, new = pair["old"], pair["new"]
    lex = lexicon_for()
    delta = m._family_delta(lex, old, new, STANCE_FAMILIES)
    if m.rule_stance(old, new, m.negation_flipped(old, new), delta, clear) is not None:
        return None
    monetary = kind_of(pair) == "monetary-policy"
    tilt_score = m.tilt_of(lex, old, new)[2] if monetary else 0
    added, removed = m.actor_changes(old, new, registry_for())
    return m.stance_features(old, new, delta, tilt_score, monetary, len(added) + len(removed), m.changed_figures(old, new))


def fit(xs: list[list[float]], ys: list[str], l2: float = 0.05, steps: int = 3000) -> dict[str, list[float]]:
    """Multinomial logistic regression by gradient descent (numpy only), L2 on all but the bias."""
    x = np.array(xs)
    y = np.zeros((len(ys), len(marks_module.STANCES)))
    for i, label in enumerate(ys):
        y[i, marks_module.STANCES.index(label)] = 1
    # Class weights: the rare stances (weaker) count as much in total as the common ones.
    cw = (y.sum(0).clip(1) ** -0.5)
    w = np.zeros((x.shape[1], y.shape[1]))
    reg = np.full((x.shape[1], 1), l2)
    reg[0] = 0
    for _ in range(steps):
        z = x @ w
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = x.T @ ((p - y) * cw) / len(x) + reg * w
        w -= 0.5 * grad
    return {s: [round(float(v), 4) for v in w[:, k]] for k, s in enumerate(marks_module.STANCES)}


def rule_of(pair: dict, clear: float) -> str | None:
    m = marks_module
    delta = m._family_delta(lexicon_for(), pair["old"], pair["new"], STANCE_FAMILIES)
    return m.rule_stance(pair["old"], pair["new"], m.negation_flipped(pair["old"], pair["new"]), delta, clear)


def cross_validate(pairs: list[dict], k: int, l2: float) -> tuple[float, Counter[float]]:
    """K-fold CV of the whole stance decision: per fold, the rule's overlap threshold is chosen among CLEAR_CHOICES
    and the model fitted, on the other folds only."""
    rules = {clear: [rule_of(p, clear) for p in pairs] for clear in CLEAR_CHOICES}
    feats = {clear: [features_of(p, clear) for p in pairs] for clear in CLEAR_CHOICES}
    order = list(range(len(pairs)))
    random.Random(10).shuffle(order)
    hits = 0
    chosen: Counter[float] = Counter()

    def predict(i: int, clear: float, weights: dict[str, list[float]]) -> str:
        f = feats[clear][i]
        if f is None:
            return rules[clear][i]  # type: ignore[return-value]
        delta = marks_module._family_delta(lexicon_for(), pairs[i]["old"], pairs[i]["new"], STANCE_FAMILIES)
        return marks_module.agree(marks_module.decide_stance(f, weights), delta, f[marks_module.FEATURES.index("overlap")])

    for fold in (order[i::k] for i in range(k)):
        held = set(fold)
        train = [i for i in order if i not in held]
        best = None
        for clear in CLEAR_CHOICES:
            usable = [i for i in train if feats[clear][i] is not None]
            weights = fit([feats[clear][i] for i in usable], [pairs[i]["stance"] for i in usable], l2)  # type: ignore[misc]
            score = sum(predict(i, clear, weights) == pairs[i]["stance"] for i in train)
            if best is None or score > best[0]:
                best = (score, clear, weights)
        assert best is not None
        chosen[best[1]] += 1
        hits += sum(predict(i, best[1], best[2]) == pairs[i]["stance"] for i in fold)
    return hits / len(pairs), chosen


COST_OLD = ROOT.parent / "shared" / "corpus" / "us-japan-rok-trilateral" / "2023-08-18-spirit-of-camp-david-joint-statement.txt"
COST_NEW = ROOT.parent / "shared" / "corpus" / "us-japan-rok-trilateral" / "2024-11-15-lima-joint-leaders-statement.txt"
_COST_RUN = """
import sys, time
t0, c0 = time.perf_counter(), time.process_time()
from statediff.read.ingest import read_document
from statediff.engine.pipeline import compare
from statediff.render import render
from statediff.positions.digest import Positions, analyse
c = compare(read_document(sys.argv[1]), read_document(sys.argv[2]))
p = analyse(c) if sys.argv[3] == "full" else Positions((None,) * len(c.changes), (), (0,) * len(c.changes), ())
render(c, "html", positions=p)
render(c, "json", positions=p)
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def cost(runs: int) -> None:
    """Warm compare of Camp David vs Lima to HTML and JSON, in fresh processes: without the positions layer
    (an empty digest) and with it, alternating; medians."""
    import statistics
    import subprocess

    if not COST_OLD.exists():
        sys.exit(f"positions.py: corpus not found at {COST_OLD}")
    wall: dict[str, list[float]] = {"base": [], "full": []}
    cpu: dict[str, list[float]] = {"base": [], "full": []}
    for _ in range(runs):
        for mode in ("base", "full"):
            out = subprocess.run([sys.executable, "-c", _COST_RUN, str(COST_OLD), str(COST_NEW), mode],
                                 capture_output=True, text=True, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
            w, c = out.stdout.strip().splitlines()[-1].split()
            wall[mode].append(float(w))
            cpu[mode].append(float(c))
    print(f"warm compare + HTML + JSON, Camp David -> Lima, {runs} runs each, load {os.getloadavg()[0]:.2f} (medians):")
    # CPU time is the steadier figure on a shared machine; wall time is what a user waits.
    for name, times in (("CPU", cpu), ("wall", wall)):
        base, full = statistics.median(times["base"]), statistics.median(times["full"])
        print(f"  {name:4}  without positions {base:.3f} s, with {full:.3f} s: +{100 * (full - base) / base:.0f}%   target < 30%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=10, help="folds for cross-validating the stance model (0: skip)")
    parser.add_argument("--l2", type=float, default=0.003, help="L2 penalty of the stance model")
    parser.add_argument("--fit", action="store_true", help=f"fit the stance model on all pairs and write {MODEL_FILE.name}")
    parser.add_argument("--show-errors", action="store_true", help="print each pair the stance or tilt gets wrong")
    parser.add_argument("--cost", type=int, default=0, metavar="RUNS", help="time the positions layer on a warm compare")
    args = parser.parse_args()
    if args.cost:
        cost(args.cost)
        return
    if not DEV.exists():
        sys.exit(f"positions.py: dev set not found at {DEV}")
    pairs = json.loads(DEV.read_text(encoding="utf-8"))
    if args.fit:
        feats = [(f, p["stance"]) for p in pairs if (f := features_of(p)) is not None]
        weights = fit([f for f, _ in feats], [s for _, s in feats], args.l2)
        MODEL_FILE.write_text(json.dumps({
            "about": "Stance model: multinomial logistic regression over FEATURES, fitted by benchmarks/positions.py --fit "
                     f"on shared/eval/positions-dev (120 pairs, l2={args.l2}).",
            "features": list(marks_module.FEATURES), "weights": weights}, indent=1) + "\n", encoding="utf-8")
        marks_module.stance_weights.cache_clear()
        print(f"wrote {MODEL_FILE}")
    results = [statediff.marks(p["old"], p["new"], kind=kind_of(p)) for p in pairs]

    stance_hits = [r.stance == p["stance"] for r, p in zip(results, pairs, strict=True)]
    fomc = [(r, p) for r, p in zip(results, pairs, strict=True) if kind_of(p)]
    tilt_hits = [r.tilt == p["tilt"] for r, p in fomc]
    figure_hits = [bool(r.figures) == bool(p["figures"]) for r, p in zip(results, pairs, strict=True)]
    sub_hits = [r.substantive == p["substantive"] for r, p in zip(results, pairs, strict=True)]
    pred_actors = [{("+", actor_key(a)) for a in r.actors_added} | {("-", actor_key(a)) for a in r.actors_removed}
                   for r in results]
    gold_actors = [{("+", actor_key(a)) for a in p["actors_added"]} | {("-", actor_key(a)) for a in p["actors_removed"]}
                   for p in pairs]
    precision, recall, f1 = prf(pred_actors, gold_actors)  # type: ignore[arg-type]

    print(f"pairs: {len(pairs)} ({len(fomc)} FOMC)")
    print(f"stance accuracy (model fitted on all 120, optimistic): {sum(stance_hits) / len(pairs):.3f}")
    if args.cv:
        acc, chosen = cross_validate(pairs, args.cv, args.l2)
        print(f"stance accuracy, {args.cv}-fold CV (rule threshold chosen and model refitted per fold): {acc:.3f}   "
              f"target >= 0.70; thresholds chosen {dict(chosen)}")
    print(f"tilt accuracy (FOMC):        {sum(tilt_hits) / len(fomc):.3f}   target >= 0.75 (nothing fitted)")
    print(f"any figure changed:          {sum(figure_hits) / len(pairs):.3f}   target >= 0.90 (nothing fitted)")
    print(f"actors added/removed:        P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}   target >= 0.75 (nothing fitted)")
    print(f"substantive accuracy:        {sum(sub_hits) / len(pairs):.3f}")
    confusion = Counter((p["stance"], r.stance) for r, p in zip(results, pairs, strict=True))
    print("stance confusion (gold -> predicted):", dict(sorted(confusion.items())))
    if args.show_errors:
        for r, p in zip(results, pairs, strict=True):
            if r.stance != p["stance"] or (kind_of(p) and r.tilt != p["tilt"]):
                print(f"\n#{p['id']} stance {p['stance']} -> {r.stance} {r.stance_words}; "
                      f"tilt {p['tilt']} -> {r.tilt} {r.tilt_words}")
                print(f"  overlap {marks_module.overlap(p['old'], p['new']):.2f}  note: {p['note']}")
                print(f"  OLD {p['old']}\n  NEW {p['new']}")


if __name__ == "__main__":
    main()
