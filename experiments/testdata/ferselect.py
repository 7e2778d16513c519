"""sweep's row selection (experiments/plan.go:Select) in NumPy, shared by
the scikit-learn scripts (experiments/testdata/sklearn_fer2013.py,
bench/sklearn_grid.py) so that they run on exactly the sweep's rows and folds.

Every row gets the FNV-1a 64-bit hash of (seed as 8 little-endian bytes,
label as 8 little-endian bytes, usage code as 1 byte, grey levels as bytes);
rows are ordered by (hash, row index); each class keeps its first `balance`
rows in that order ("min": the size of the smallest class). The kept rows
are then grouped by identical pixels (whatever their label or usage), and
the groups are placed in folds like scikit-learn's StratifiedGroupKFold with
groups = identical images, by a simpler greedy rule: largest group first
(ties: the group whose first row comes first in hash order), each into the
fold holding the fewest rows of its labels, weighted by the group's rows of
each label; ties to the lowest fold. Without identical images this deals
each class's rows to folds 0, 1, ..., K-1 in turn.

With take_order="first" (data.balance_take: first) each class keeps its first
`balance` rows in file order instead; the kept rows stay in hash order.
holdout_split is grid.holdout (experiments/folds.go:holdoutSplit).
"""
import math

import numpy as np

USAGE = {"Training": 0, "PublicTest": 1, "PrivateTest": 2}
FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)


def row_hashes(labels, usage, pixels, seed):
    n = len(labels)
    h = np.full(n, FNV_OFFSET, dtype=np.uint64)

    def feed(col):
        nonlocal h
        h ^= col.astype(np.uint64)
        h *= FNV_PRIME  # wraps modulo 2**64

    with np.errstate(over="ignore"):
        for b in np.frombuffer(np.uint64(seed).tobytes(), dtype=np.uint8):
            feed(np.full(n, b, dtype=np.uint8))
        lab = labels.astype("<i8").view(np.uint8).reshape(n, 8)
        for j in range(8):
            feed(lab[:, j])
        feed(usage)
        for j in range(pixels.shape[1]):
            feed(pixels[:, j])
    return h


def select(labels, usage, pixels, seed, folds, balance, keep, take_order="hash"):
    """The rows and folds of experiments/selection.go:Select."""
    ok = np.isin(usage, [USAGE[u] for u in keep]) if keep else np.ones(len(labels), bool)
    h = row_hashes(labels, usage, pixels, seed)
    idx = np.nonzero(ok)[0]
    order = idx[np.lexsort((idx, h[idx]))]  # by hash, then row index
    classes = sorted(set(labels[order].tolist()))
    by_class = {c: order[labels[order] == c] for c in classes}
    if balance == "min":
        take = min(len(m) for m in by_class.values())
    elif balance in (None, "none", ""):
        take = None
    else:
        take = int(balance)
    chosen = np.zeros(len(labels), bool)
    for c in classes:
        members = np.sort(by_class[c]) if take_order == "first" else by_class[c]
        chosen[members[:take]] = True
    rows = order[chosen[order]]
    return rows, group_folds(labels[rows].tolist(), pixels[rows], folds)


def group_folds(labels, pixels, folds):
    """The fold of each row (rows in hash order), identical images together."""
    if folds == 1:
        return np.zeros(len(labels), int)
    _, first, group = np.unique(pixels, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    sizes = np.bincount(group)
    # Largest first, then by the hash-order position of the group's first row.
    ordered = sorted(range(len(sizes)), key=lambda g: (-sizes[g], first[g]))
    members = [[] for _ in sizes]
    for p, g in enumerate(group):
        members[g].append(p)
    count = {c: [0] * folds for c in set(labels)}
    fold = np.full(len(labels), -1)
    for g in ordered:
        n = {}
        for p in members[g]:
            n[labels[p]] = n.get(labels[p], 0) + 1
        costs = [sum(k * count[c][f] for c, k in n.items()) for f in range(folds)]
        best = costs.index(min(costs))  # the lowest fold on ties
        for c, k in n.items():
            count[c][best] += k
        fold[members[g]] = best
    return fold


def holdout_split(labels, pixels, fraction, stratify):
    """The side of each row (rows in hash order): 0 held out, 1 training.

    Groups of identical images, in the hash order of their first row, go
    to the held-out side while they fit in its target: ceil(fraction * n)
    rows, or per label ceil(fraction * n_label) when stratified.
    """
    lab = list(labels) if stratify else [0] * len(labels)
    target = {}
    for l in lab:
        target[l] = target.get(l, 0) + 1
    target = {l: math.ceil(fraction * n) for l, n in target.items()}
    _, first, group = np.unique(pixels, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    members = [[] for _ in first]
    for p, g in enumerate(group):
        members[g].append(p)
    side = np.ones(len(lab), int)
    used = {}
    for g in sorted(range(len(first)), key=lambda g: first[g]):
        need = {}
        for p in members[g]:
            need[lab[p]] = need.get(lab[p], 0) + 1
        if all(used.get(l, 0) + n <= target[l] for l, n in need.items()):
            for l, n in need.items():
                used[l] = used.get(l, 0) + n
            side[members[g]] = 0
    return side
