"""Average-linkage clustering of a similarity matrix, merging the most similar pair of groups while it is similar
enough. The topics of a comparison are found with it.

Each step needs the most similar pair of live groups. Searching the whole matrix for it made clustering cubic: a
quarter of a second for the 1,092 changes of two G7 communiqués. Each row's best value is kept instead; a merge
changes one row and one column, and a row whose best was there and dropped keeps it as a bound, searched again only
if it comes out on top.
"""

from __future__ import annotations

import numpy as np


def average_linkage(sims: np.ndarray, merge_at: float, *, own: bool = False) -> list[list[int]]:
    """Groups of row numbers of ``sims`` (square, symmetric): the two groups with the highest average pairwise
    similarity are merged while it is at least ``merge_at``. Ties go to the first pair in row-major order (as
    ``np.argmax`` of the whole matrix would pick); each group lists the rows merged into it in merge order, and the
    groups come in the order of their first row. With ``own`` a float64 ``sims`` is worked on in place (the caller's
    copy), which saves one copy of the matrix."""
    n = len(sims)
    groups = [[k] for k in range(n)]
    total = sims.astype(np.float64, copy=not own)  # total[i, j]: sum of pairwise similarities between groups i and j
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    avg = total.copy()  # average linkage between live groups; retired rows and columns are -inf
    np.fill_diagonal(avg, -np.inf)
    # best[r]: the highest value in row r; for a stale row only a bound (the row's own value may since have dropped).
    best = avg.max(axis=1) if n else np.zeros(0)
    stale = np.zeros(n, dtype=bool)
    live = n
    while live > 1:
        # The first row holding the overall maximum, then its first column: the whole matrix's first maximum. A stale
        # row on top is measured again first; rows above its bound cannot hide behind it, as bounds never undercount.
        i = int(np.argmax(best))
        while stale[i]:
            best[i] = avg[i].max()
            stale[i] = False
            i = int(np.argmax(best))
        j = int(np.argmax(avg[i]))
        if avg[i, j] < merge_at:
            break
        groups[i] += groups[j]
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        size[i] += size[j]
        alive[j] = False
        live -= 1
        # Only group i's links changed: recompute its row and column, retire j's.
        linked = np.where(alive, total[i, :] / (size[i] * size), -np.inf)
        linked[i] = -np.inf
        # A row whose best was in column i or j and is now lower keeps its old best as a bound, marked stale.
        dropped = ~stale & ((avg[:, i] == best) | (avg[:, j] == best)) & (linked < best)
        avg[i, :] = linked
        avg[:, i] = linked
        avg[j, :] = -np.inf
        avg[:, j] = -np.inf
        best = np.maximum(best, linked)  # exact for the other rows, still a bound for stale ones
        stale |= dropped
        best[i], stale[i] = avg[i].max(), False
        best[j], stale[j] = -np.inf, False
    return [groups[k] for k in range(n) if alive[k]]
