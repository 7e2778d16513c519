#!/usr/bin/python3
"""Reference values for the sweep/metrics scores that choose k.

Regenerate (from the repository root) with Debian's python3-sklearn 1.2.1:

    /usr/bin/python3 metrics/testdata/sklearn_ref2.py > metrics/testdata/sklearn_ref2.json

The output is deterministic: every dataset, labeling and uniform draw comes
from a numpy.random.RandomState with a fixed seed. Floats are written with
repr(), which round-trips float64 exactly. The scikit-learn, numpy and Python
versions are recorded in the JSON.

Contents:
  ami: label pairs with sklearn.metrics.adjusted_mutual_info_score
      (average_method="arithmetic").
  internal: points x (row-major, n*dim floats) and labels, with
      sklearn.metrics.calinski_harabasz_score and davies_bouldin_score, and
      db_direct, the Davies-Bouldin index computed in NumPy with distances
      sqrt(sum((a-b)**2)) (see db_direct below).
  gap: the gap statistic (Tibshirani, Walther & Hastie 2001, reference
      distribution "b") computed in NumPy from the data x and the uniform
      numbers u (B sets of n*dim numbers in [0, 1)). The clustering whose
      within-cluster sum of squares W_k enters the gap is a deterministic
      stand-in for k-means, so that Go and NumPy cluster identically: sort the
      points by their first coordinate (stable) and cut them into k
      contiguous groups of nearly equal size, as numpy.array_split does.
"""

import json
import platform
import sys

import numpy as np
import sklearn
from sklearn.metrics import (
    adjusted_mutual_info_score,
    calinski_harabasz_score,
    davies_bouldin_score,
)


def blobs(rs, n, dim, k, spread):
    """n points around k centres uniform in [-1, 1]^dim; labels = blob id."""
    centres = rs.uniform(-1.0, 1.0, size=(k, dim))
    labels = rs.randint(0, k, size=n)
    x = centres[labels] + rs.normal(0.0, spread, size=(n, dim))
    return x, labels


def voronoi(x, rs, k):
    """Labels of the nearest of k points drawn from x (a k-means-like partition)."""
    centres = x[rs.choice(len(x), size=k, replace=False)]
    d = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def ami_cases():
    cases = []

    def add(name, truth, pred):
        truth = [int(v) for v in truth]
        pred = [int(v) for v in pred]
        cases.append(
            {
                "name": name,
                "truth": truth,
                "pred": pred,
                "ami": float(
                    adjusted_mutual_info_score(truth, pred, average_method="arithmetic")
                ),
            }
        )

    add("doc_example", [0, 0, 1, 1], [0, 0, 1, 2])
    add("doc_example_swapped", [0, 0, 1, 2], [0, 0, 1, 1])
    add("relabelled", [0, 0, 1, 1, 2, 2], [7, 7, 3, 3, 0, 0])
    add("split", [0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    add("both_single", [3, 3, 3, 3], [1, 1, 1, 1])
    add("truth_single", [0, 0, 0, 0], [0, 1, 2, 3])
    add("pred_single", [0, 1, 2, 3], [5, 5, 5, 5])
    add("both_all_distinct", [0, 1, 2, 3], [3, 2, 1, 0])
    add("one_point", [0], [4])
    add("empty", [], [])
    add("huge_labels", [10**9, 10**9, 1, 1, 5], [0, 2, 2, 2**40, 2**40])
    add("independent_2x2", [0, 0, 1, 1], [0, 1, 0, 1])

    rs = np.random.RandomState(20)
    add("random_500_k5_k8", rs.randint(0, 5, size=500), rs.randint(0, 8, size=500))

    rs = np.random.RandomState(21)
    truth = rs.randint(0, 7, size=2000)
    pred = np.where(rs.uniform(size=2000) < 0.7, truth, rs.randint(0, 11, size=2000))
    add("correlated_2000_k7_k11", truth, pred)

    # The sweep's shape: 7 classes against 15 clusters on 3000 points.
    rs = np.random.RandomState(22)
    truth = rs.randint(0, 7, size=3000)
    pred = np.where(rs.uniform(size=3000) < 0.4, truth * 2, rs.randint(0, 15, size=3000))
    add("correlated_3000_k7_k15", truth, pred)
    add("random_3000_k7_k15", rs.randint(0, 7, size=3000), rs.randint(0, 15, size=3000))

    # Very unequal cluster sizes.
    rs = np.random.RandomState(23)
    truth = np.minimum(rs.geometric(0.3, size=1500) - 1, 9)
    pred = np.minimum(rs.geometric(0.5, size=1500) - 1, 12)
    add("geometric_1500", truth, pred)
    return cases


def db_direct(x, labels):
    """The Davies-Bouldin index with distances computed as sqrt(sum((a-b)**2)).

    scikit-learn computes Euclidean distances as sqrt(|a|^2 - 2 a.b + |b|^2),
    whose rounding error grows with the distance of the data from the origin;
    this value is the same definition without that error.
    """
    _, codes = np.unique(labels, return_inverse=True)
    k = codes.max() + 1
    cent = np.array([x[codes == c].mean(axis=0) for c in range(k)])
    intra = np.array(
        [np.sqrt(((x[codes == c] - cent[c]) ** 2).sum(axis=1)).mean() for c in range(k)]
    )
    dist = np.sqrt(((cent[:, None, :] - cent[None, :, :]) ** 2).sum(axis=2))
    if np.allclose(intra, 0) or np.allclose(dist, 0):
        return 0.0
    dist[dist == 0] = np.inf
    return float(np.mean(np.max((intra[:, None] + intra) / dist, axis=1)))


def internal_cases():
    cases = []

    def add(name, x, labels):
        x = np.asarray(x, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        cases.append(
            {
                "name": name,
                "dim": int(x.shape[1]),
                "x": [float(v) for v in x.ravel()],
                "labels": [int(v) for v in labels],
                "ch": float(calinski_harabasz_score(x, labels)),
                "db": float(davies_bouldin_score(x, labels)),
                "db_direct": db_direct(x, labels),
            }
        )

    rs = np.random.RandomState(31)
    x, y = blobs(rs, 60, 2, 3, 0.2)
    add("blobs2d_k3", x, y)

    rs = np.random.RandomState(32)
    x, y = blobs(rs, 150, 5, 7, 0.3)
    add("blobs5d_k7", x, y)

    rs = np.random.RandomState(33)
    x = rs.uniform(0.0, 1.0, size=(80, 3))
    add("uniform3d_random_k4", x, rs.randint(0, 4, size=80))

    # Singletons (intra-cluster distance 0) and non-contiguous label ids.
    rs = np.random.RandomState(34)
    x, y = blobs(rs, 30, 2, 2, 0.25)
    y = np.where(y == 0, 5, 41)
    y[[3, 17, 29]] = [2, 9, 1000000007]
    add("singletons2d_noncontiguous", x, y)

    # Duplicated points: a cluster of one repeated point.
    x = np.array([[0], [0], [0], [1], [1], [4], [4], [4], [9], [9]], dtype=np.float64)
    add("duplicates1d", x, [0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    add("duplicates1d_same_point_cluster", x, [0, 0, 0, 1, 1, 2, 2, 2, 3, 3])
    # Every cluster is one repeated point: no within-cluster dispersion
    # (Calinski-Harabasz special case 1, Davies-Bouldin special case 0).
    add("zero_intra2d", [[0, 0], [0, 0], [3, 1], [3, 1], [3, 1]], [0, 0, 1, 1, 1])
    # Two clusters with the same centroid (Davies-Bouldin special case 0).
    add("same_centroids", [[-1, 0], [1, 0], [0, -2], [0, 2]], [0, 0, 1, 1])
    # Three clusters, two with the same centroid (centroid distance 0 -> inf).
    add(
        "two_same_centroids",
        [[-1, 0], [1, 0], [0, -2], [0, 2], [5, 5], [6, 5], [5, 6]],
        [0, 0, 1, 1, 2, 2, 2],
    )

    # Min-max scaled data with Voronoi labelings, like the sweep's k-means.
    rs = np.random.RandomState(36)
    x, _ = blobs(rs, 200, 5, 7, 0.3)
    x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    for k in (2, 5, 9, 15):
        add("minmax5d_voronoi_k%d" % k, x, voronoi(x, rs, k))

    # Offset data: coordinates far from the origin.
    rs = np.random.RandomState(37)
    x, y = blobs(rs, 100, 3, 4, 0.2)
    add("offset3d_k4", x + 1000.0, y)
    return cases


def split_wss(z, k):
    """W_k of the stand-in clustering described in the module docstring."""
    order = np.argsort(z[:, 0], kind="stable")
    w = 0.0
    for g in np.array_split(order, k):
        zg = z[g]
        w += float(((zg - zg.mean(axis=0)) ** 2).sum())
    return w


def gap_reference(x, u):
    """Tibshirani's reference "b": uniform in the box of the principal axes.

    The right singular vectors of the centred data are signed so that the
    entry of largest magnitude of each is positive.
    """
    mu = x.mean(axis=0)
    xc = x - mu
    _, _, vt = np.linalg.svd(xc, full_matrices=False)
    big = np.argmax(np.abs(vt), axis=1)
    vt = vt * np.sign(vt[np.arange(len(vt)), big])[:, None]
    xp = xc @ vt.T
    lo, hi = xp.min(axis=0), xp.max(axis=0)
    return [(lo + ub * (hi - lo)) @ vt + mu for ub in u], vt


def gap_cases():
    cases = []
    for name, seed, n, dim, k, spread, scale, nref in [
        ("blobs3d_anisotropic", 41, 60, 3, 4, 0.15, [3.0, 1.0, 0.3], 5),
        ("blobs2d", 42, 40, 2, 3, 0.1, [1.0, 0.5], 8),
    ]:
        rs = np.random.RandomState(seed)
        x, _ = blobs(rs, n, dim, k, spread)
        x = x * np.array(scale)
        u = rs.uniform(size=(nref, n, dim))
        refs, vt = gap_reference(x, u)
        ks = list(range(1, 7))
        gap, s, logw, logwref = [], [], [], []
        for kk in ks:
            lw = np.log(split_wss(x, kk))
            lr = np.array([np.log(split_wss(z, kk)) for z in refs])
            gap.append(float(lr.mean() - lw))
            s.append(float(lr.std() * np.sqrt(1.0 + 1.0 / nref)))
            logw.append(float(lw))
            logwref.append([float(v) for v in lr])
        cases.append(
            {
                "name": name,
                "dim": dim,
                "x": [float(v) for v in x.ravel()],
                "u": [[float(v) for v in ub.ravel()] for ub in u],
                "axes": [float(v) for v in vt.ravel()],
                "refs": [[float(v) for v in z.ravel()] for z in refs],
                "ks": ks,
                "logw": logw,
                "logwref": logwref,
                "gap": gap,
                "s": s,
            }
        )
    return cases


def main():
    out = {
        "generator": "metrics/testdata/sklearn_ref2.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "ami": ami_cases(),
        "internal": internal_cases(),
        "gap": gap_cases(),
    }
    # One case per line keeps the diffs readable.
    w = sys.stdout.write
    w("{\n")
    keys = list(out)
    for key in keys:
        value = out[key]
        if isinstance(value, list):
            w(' "%s": [\n  ' % key)
            w(",\n  ".join(json.dumps(c) for c in value))
            w("\n ]")
        else:
            w(" %s: %s" % (json.dumps(key), json.dumps(value)))
        w(",\n" if key != keys[-1] else "\n")
    w("}\n")


if __name__ == "__main__":
    main()
