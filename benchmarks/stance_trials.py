"""Stance ideas measured against the shipped model, with the same nested CV as ``positions.py`` (10 folds; rule
threshold and L2 chosen by a 5-fold CV inside each training fold), over several fold shuffles, paired per shuffle.

None of these is shipped: none beat the shipped model by more than the spread between shuffles (see the issue-10
notes). Kept so the figures can be checked and the next idea measured the same way. The sentence vectors come from
the packaged model behind the vector cache (``default_embedder``), as a compare would have them.

    .venv/bin/python benchmarks/stance_trials.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy: see positions.py

import numpy as np  # noqa: E402

import positions as bench  # noqa: E402  (the sibling benchmark: same data, fit and CV)
from positions import DEV, Data, cross_validate  # noqa: E402
from statediff.engine.embed import default_embedder  # noqa: E402
from statediff.positions import marking  # noqa: E402
from statediff.textnorm import normalize  # noqa: E402

Extra = Callable[[list[int]], np.ndarray]


class Trial(Data):
    """The benchmark's data with extra feature columns, computed from the training indices only."""

    def __init__(self, base: Data, extra: Extra | None = None, rules: dict[float, list[str | None]] | None = None,
                 average_l2: bool = False) -> None:
        self.gold, self.deltas, self.rules = base.gold, base.deltas, rules or base.rules
        self.base = np.array(base.feats)
        self.feats = base.feats
        self.extra = extra
        self.average_l2 = average_l2

    def fit_on(self, train: list[int], clear: float, l2: float) -> dict[str, list[float]]:
        if self.extra is not None:
            self.feats = np.hstack([self.base, self.extra(train)]).tolist()
        if not self.average_l2:
            return super().fit_on(train, clear, l2)
        # No L2 chosen: the four models' weights averaged (an ensemble of close linear models is near their mean).
        fits = [super(Trial, self).fit_on(train, clear, c) for c in (0.003, 0.01, 0.03, 0.1)]
        return {s: list(np.mean([f[s] for f in fits], axis=0)) for s in marking.STANCES}

    def choose(self, train: list[int], inner: int = 5) -> tuple[float, float]:
        return (1.01, 0.0) if self.average_l2 else super().choose(train, inner)


def ridge_crossfit(x: np.ndarray, y: np.ndarray, lam: float, train: list[int], k: int = 5) -> np.ndarray:
    """A ridge direction fitted on ``train`` projected for every row; the training rows get out-of-fold values
    (fitted on the other 4/5 of ``train``) so the model does not learn to trust a projection that saw its label."""

    def fit(rows: list[int]) -> Callable[[np.ndarray], np.ndarray]:
        mean_x, mean_y = x[rows].mean(0), y[rows].mean()
        xc = x[rows] - mean_x
        w = xc.T @ np.linalg.solve(xc @ xc.T + lam * np.eye(len(rows)), y[rows] - mean_y)
        return lambda z: (z - mean_x) @ w + mean_y

    out = fit(train)(x)
    for j in range(k):
        held = train[j::k]
        out[held] = fit([i for i in train if i not in set(held)])(x[held])
    return out[:, None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="fold shuffles")
    args = parser.parse_args()
    pairs = json.loads(DEV.read_text(encoding="utf-8"))
    data = Data(pairs)
    embedder = default_embedder()
    old = embedder.encode([normalize(p["old"]) for p in pairs])
    new = embedder.encode([normalize(p["new"]) for p in pairs])
    cos = (old * new).sum(1)[:, None]
    diff = new - old
    ordinal = np.array([{"stronger": 1.0, "weaker": -1.0}.get(g, 0.0) for g in data.gold])
    shifted = np.array([float(g == "shifted") for g in data.gold])

    def cos_rule(tau: float) -> dict[float, list[str | None]]:
        """The "same point" rule also when the sentences' cosine is at least ``tau``."""
        out = {}
        for clear, rules in data.rules.items():
            out[clear] = [r if r is not None or cos[i, 0] < tau else
                          marking.rule_stance(pairs[i]["old"], pairs[i]["new"], False, data.deltas[i], 0, clear)
                          for i, r in enumerate(rules)]
        return out

    trials: dict[str, Trial] = {
        "shipped model": Trial(data),
        "+ cosine of the pair": Trial(data, lambda t: cos),
        "+ new-old projected on a stronger/weaker ridge direction (lambda 0.3)":
            Trial(data, lambda t: ridge_crossfit(diff, ordinal, 0.3, t)),
        "+ that projection (lambda 3) and the cosine":
            Trial(data, lambda t: np.hstack([ridge_crossfit(diff, ordinal, 3.0, t), cos])),
        "+ [new-old, old*new] projected on a shifted ridge direction (lambda 0.3)":
            Trial(data, lambda t: ridge_crossfit(np.hstack([diff, old * new]), shifted, 0.3, t)),
        "no L2 chosen: weights averaged over 4 L2": Trial(data, average_l2=True),
        "weights averaged over 4 L2, + cosine": Trial(data, lambda t: cos, average_l2=True),
        "same-point rule also when cosine >= 0.9": Trial(data, rules=cos_rule(0.9)),
        "same-point rule also when cosine >= 0.95": Trial(data, rules=cos_rule(0.95)),
    }
    seeds = range(10, 10 + args.seeds)
    shipped: list[float] = []
    fomc = [i for i, p in enumerate(pairs) if bench.kind_of(p)]
    print(f"stance, 10-fold nested CV over {args.seeds} fold shuffles (paired: minus the shipped model, same shuffle)")
    for name, trial in trials.items():
        accs, first = [], None
        for seed in seeds:
            acc, _chosen, predicted = cross_validate(trial, 10, seed)
            accs.append(acc)
            first = first or predicted
        shipped = shipped or accs
        paired = np.array(accs) - np.array(shipped)
        assert first is not None
        on_fomc = sum(first[i] == data.gold[i] for i in fomc) / len(fomc)
        on_dipl = sum(first[i] == data.gold[i] for i in range(len(pairs)) if i not in fomc) / (len(pairs) - len(fomc))
        print(f"  {name}\n    mean {np.mean(accs):.3f} (range {min(accs):.3f}-{max(accs):.3f}); paired {paired.mean():+.3f} "
              f"({paired.min():+.3f} to {paired.max():+.3f}); first shuffle FOMC {on_fomc:.3f}, diplomatic {on_dipl:.3f}")


if __name__ == "__main__":
    main()
