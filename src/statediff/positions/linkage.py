"""Average-linkage clustering of a similarity matrix, merging the most similar pair of groups while it is similar
enough. The topics of a comparison are found with it.

Each step needs the most similar pair of live groups. Searching the whole matrix for it made clustering cubic: a
quarter of a second for the 1,092 changes of two G7 communiqués. Each row's best value is kept instead; a merge
changes one row and one column, and a row whose best was there and dropped keeps it as a bound, searched again only
if it comes out on top.

Only the sums of similarities between groups are stored (one matrix): an average is worked out from its row when
needed, as total / (size x size). That gives the very values a stored matrix of averages held, because the sums are
symmetric, and it halves the memory (a 5,000-sentence statement's clustering held two 250 MB matrices).

A small matrix (most comparisons: a hundred changes or so) keeps the averages too, as a second matrix, and takes
each step's pair from it in one search: half the array operations per merge, a third of the time at 100 changes.
Searching it all makes a merge cost the matrix's size, so from SMALL rows on the row bounds above are cheaper.
Both give the same groups (the same values, the same first maximum).
"""

from __future__ import annotations

import numpy as np

SMALL = 256
"""Up to this many rows, the averages are kept in a matrix of their own (measured: faster up to ~300)."""


def average_linkage(sims: np.ndarray, merge_at: float, *, own: bool = False,
                    dtype: type[np.floating] = np.float64) -> list[list[int]]:
    """Groups of row numbers of ``sims`` (square and exactly symmetric, as ``a @ a.T`` is): the two groups with the
    highest average pairwise similarity are merged while it is at least ``merge_at``. Ties go to the first pair in
    row-major order (as ``np.argmax`` of the whole matrix would pick); each group lists the rows merged into it in
    merge order, and the groups come in the order of their first row. With ``own`` a ``sims`` of ``dtype`` is worked
    on in place (the caller's copy), which saves one copy of the matrix. The sums are kept in ``dtype``: float32
    halves the memory of a long statement's clustering, at the cost of rounding (near-ties may go the other way)."""
    n = len(sims)
    groups = [[k] for k in range(n)]
    total = sims.astype(dtype, copy=not own)  # total[i, j]: sum of pairwise similarities between groups i and j
    # A group is never its own candidate: -inf on the diagonal stays -inf through every sum below.
    np.fill_diagonal(total, -np.inf)
    size = np.ones(n)
    if n <= SMALL:
        return _with_averages(total, size, groups, merge_at)
    alive = np.ones(n, dtype=bool)

    def averages(r: int) -> np.ndarray:
        """Average linkage of group r to every group (-inf for itself and retired ones)."""
        return np.where(alive, total[r] / (size[r] * size), -np.inf)

    # best[r]: the highest value in row r; for a stale row only a bound (the row's own value may since have dropped).
    best = total.max(axis=1) if n else np.zeros(0)
    stale = np.zeros(n, dtype=bool)
    live = n
    while live > 1:
        # The first row holding the overall maximum, then its first column: the whole matrix's first maximum. A stale
        # row on top is measured again first; rows above its bound cannot hide behind it, as bounds never undercount.
        i = int(np.argmax(best))
        while stale[i]:
            best[i] = averages(i).max()
            stale[i] = False
            i = int(np.argmax(best))
        row_i = averages(i)
        j = int(np.argmax(row_i))
        if row_i[j] < merge_at:
            break
        row_j = averages(j)  # by symmetry, the columns i and j of the averages before this merge
        groups[i] += groups[j]
        total[i, :] += total[j, :]
        total[:, i] = total[i, :]  # the sums stay symmetric (the one strided write of a merge)
        size[i] += size[j]
        alive[j] = False
        live -= 1
        # Only group i's links changed.
        linked = averages(i)
        # A row whose best was in column i or j and is now lower keeps its old best as a bound, marked stale.
        dropped = ~stale & ((row_i == best) | (row_j == best)) & (linked < best)
        best = np.maximum(best, linked)  # exact for the other rows, still a bound for stale ones
        stale |= dropped
        best[i], stale[i] = linked.max(), False
        best[j], stale[j] = -np.inf, False
    return [groups[k] for k in range(n) if alive[k]]


def _with_averages(total: np.ndarray, size: np.ndarray, groups: list[list[int]], merge_at: float) -> list[list[int]]:
    """``average_linkage`` for a small matrix: the averages kept in a matrix, each step's pair its first maximum.
    A retired group's column is -inf in both matrices (and so in every sum that takes it in)."""
    n = len(total)
    average = total.astype(np.float64)  # total / (1 x 1): the averages of single rows
    for _live in range(n, 1, -1):
        i, j = divmod(int(np.argmax(average)), n)
        if average[i, j] < merge_at:
            break
        groups[i] += groups[j]
        groups[j] = []
        total[i, :] += total[j, :]
        total[:, i] = total[i, :]
        total[:, j] = -np.inf
        size[i] += size[j]
        # Row i as average_linkage's averages(i) works it out, so the same values (and ties) as on the long path.
        linked = total[i] / (size[i] * size)
        average[i, :] = linked
        average[:, i] = linked
        average[j, :] = -np.inf
        average[:, j] = -np.inf
    return [g for g in groups if g]
