"""positions.linkage: the clustering topics use gives exactly what the plain cubic search gives, ties included."""

from __future__ import annotations

import numpy as np
import pytest

from statediff.positions import linkage
from statediff.positions.linkage import average_linkage

# Small matrices keep a matrix of averages, larger ones row bounds: both paths must give the same groups.
PATHS = pytest.mark.parametrize("small", [linkage.SMALL, 0], ids=["averages", "row-bounds"])


def reference(sims: np.ndarray, merge_at: float) -> list[list[int]]:
    """The whole matrix searched for its first maximum at every step (what topics did before)."""
    n = len(sims)
    groups = [[k] for k in range(n)]
    total = sims.astype(np.float64)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    avg = total.copy()
    np.fill_diagonal(avg, -np.inf)
    while alive.sum() > 1:
        i, j = divmod(int(np.argmax(avg)), n)
        if avg[i, j] < merge_at:
            break
        groups[i] += groups[j]
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        size[i] += size[j]
        alive[j] = False
        linked = np.where(alive, total[i, :] / (size[i] * size), -np.inf)
        linked[i] = -np.inf
        avg[i, :] = avg[:, i] = linked
        avg[j, :] = avg[:, j] = -np.inf
    return [groups[k] for k in range(n) if alive[k]]


def matrices(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for n in (0, 1, 2, 3, 7, 20, 45):
        vectors = rng.normal(size=(n, 6)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        out.append(vectors @ vectors.T)  # like topics: cosine similarities
        ties = np.round(rng.random((n, n)) * 4) / 4  # few distinct values: ties everywhere
        out.append((ties + ties.T) / 2)
        rough = rng.random((n, n))
        rough += rough.T  # symmetric, as the sums must be (averages are worked out from one side)
        out.append(rough + 0.12 * (rough > 1.6))
    return out


@PATHS
@pytest.mark.parametrize("seed", range(12))
def test_average_linkage_is_the_cubic_search_exactly(seed: int, small: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkage, "SMALL", small)
    for sims in matrices(seed):
        for merge_at in (-1.0, 0.2, 0.42, 0.6, 0.75, 2.0):
            assert average_linkage(sims, merge_at) == reference(sims, merge_at), (len(sims), merge_at)
            # Working on the caller's own float64 copy gives the same groups.
            assert average_linkage(sims.astype(np.float64), merge_at, own=True) == reference(sims, merge_at)


@PATHS
@pytest.mark.parametrize("seed", range(6))
def test_float32_sums_give_the_same_groups_where_sums_are_exact(seed: int, small: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkage, "SMALL", small)
    # Multiples of 1/8 sum exactly in float32 too: the long-statement path then merges exactly as the float64 one.
    rng = np.random.default_rng(seed)
    for n in (2, 7, 30, 80):
        ties = np.round(rng.random((n, n)) * 8) / 8
        sims = (ties + ties.T).astype(np.float32)
        for merge_at in (0.5, 1.0, 1.4):
            assert average_linkage(sims, merge_at, dtype=np.float32) == reference(sims, merge_at), (n, merge_at)
            assert average_linkage(sims.copy(), merge_at, own=True, dtype=np.float32) == reference(sims, merge_at)


@PATHS
def test_everything_similar_is_one_group_and_nothing_similar_stays_apart(small: int,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkage, "SMALL", small)
    assert average_linkage(np.ones((4, 4)), 0.5) == [[0, 1, 2, 3]]
    assert average_linkage(np.eye(4), 0.5) == [[0], [1], [2], [3]]
    assert average_linkage(np.zeros((0, 0)), 0.5) == []
