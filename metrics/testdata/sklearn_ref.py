#!/usr/bin/python3
"""Reference values from scikit-learn for the sweep/metrics tests.

Regenerate (from the repository root) with Debian's python3-sklearn 1.2.1:

    /usr/bin/python3 metrics/testdata/sklearn_ref.py > metrics/testdata/sklearn_ref.json

The output is deterministic: every dataset and labeling comes from a
numpy.random.RandomState with a fixed seed, or from an integer formula that
the Go test evaluates itself. Floats are written with repr(), which
round-trips float64 exactly. The scikit-learn, numpy and Python versions are
recorded in the JSON.

Contents:
  silhouette: points x (row-major, n*dim floats) and labels, with
      sklearn.metrics.silhouette_score and silhouette_samples.
  partitions: label pairs with adjusted_rand_score and
      normalized_mutual_info_score (average_method="arithmetic").
  formula_partitions: label pairs too long to store, defined by
      label(i) = ((a*i*i + b*i + c) // div) % m for i in range(n).
"""

import json
import platform
import sys

import numpy as np
import sklearn
from sklearn.metrics import (
    adjusted_rand_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
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


def silhouette_cases():
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
                "score": float(silhouette_score(x, labels)),
                "samples": [float(v) for v in silhouette_samples(x, labels)],
            }
        )

    rs = np.random.RandomState(1)
    x, y = blobs(rs, 60, 2, 3, 0.2)
    add("blobs2d_k3", x, y)

    rs = np.random.RandomState(2)
    x, y = blobs(rs, 150, 5, 7, 0.3)
    add("blobs5d_k7", x, y)

    rs = np.random.RandomState(3)
    x = rs.uniform(0.0, 1.0, size=(80, 3))
    add("uniform3d_random_k4", x, rs.randint(0, 4, size=80))

    # Three singletons and two clusters, with non-contiguous label ids.
    rs = np.random.RandomState(4)
    x, y = blobs(rs, 30, 2, 2, 0.25)
    y = np.where(y == 0, 5, 41)
    y[[3, 17, 29]] = [2, 9, 1000000007]
    add("singletons2d_noncontiguous", x, y)

    # k = n - 1: one pair, all other points alone.
    rs = np.random.RandomState(5)
    x = rs.normal(0.0, 1.0, size=(12, 4))
    y = np.arange(12)
    y[11] = 4
    add("k_n_minus_1_4d", x, y)

    # Integer points with duplicates (a = 0 or a = b = 0 for some points).
    x = np.array([[0], [0], [0], [1], [1], [4], [4], [4], [9], [9]], dtype=np.float64)
    add("duplicates1d", x, [0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    add("duplicates1d_same_point_cluster", x, [0, 0, 0, 1, 1, 2, 2, 2, 3, 3])

    # Min-max scaled data with Voronoi labelings, like the sweep's k-means.
    rs = np.random.RandomState(6)
    x, _ = blobs(rs, 200, 5, 7, 0.3)
    x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    for k in (5, 9, 15):
        add("minmax5d_voronoi_k%d" % k, x, voronoi(x, rs, k))
    return cases


def partition_cases():
    cases = []

    def add(name, truth, pred):
        truth = [int(v) for v in truth]
        pred = [int(v) for v in pred]
        cases.append(
            {
                "name": name,
                "truth": truth,
                "pred": pred,
                "ari": float(adjusted_rand_score(truth, pred)),
                "nmi": float(
                    normalized_mutual_info_score(truth, pred, average_method="arithmetic")
                ),
            }
        )

    add("doc_example", [0, 0, 1, 1], [0, 0, 1, 2])
    add("relabelled", [0, 0, 1, 1, 2, 2], [7, 7, 3, 3, 0, 0])
    add("split", [0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    add("both_single", [3, 3, 3, 3], [1, 1, 1, 1])
    add("truth_single", [0, 0, 0, 0], [0, 1, 2, 3])
    add("pred_single", [0, 1, 2, 3], [5, 5, 5, 5])
    add("one_point", [0], [4])
    add("empty", [], [])
    add("huge_labels", [10**9, 10**9, 1, 1, 5], [0, 2, 2, 2**40, 2**40])

    rs = np.random.RandomState(10)
    add("random_500_k5_k8", rs.randint(0, 5, size=500), rs.randint(0, 8, size=500))

    # Seven classes against eleven clusters that mostly follow them.
    rs = np.random.RandomState(11)
    truth = rs.randint(0, 7, size=2000)
    pred = np.where(rs.uniform(size=2000) < 0.7, truth, rs.randint(0, 11, size=2000))
    add("correlated_2000_k7_k11", truth, pred)
    return cases


def formula_labels(f, n):
    return [((f["a"] * i * i + f["b"] * i + f["c"]) // f["div"]) % f["m"] for i in range(n)]


def formula_cases():
    cases = []
    # n = 100000: the pair counts' products (about n^4/4) overflow int64.
    for name, n, t, p in [
        (
            "formula_100000_quadratic_k7_k21",
            100000,
            {"a": 1, "b": 3, "c": 0, "div": 1, "m": 7},
            {"a": 1, "b": 3, "c": 0, "div": 1, "m": 21},
        ),
        (
            "formula_100000_nested",
            100000,
            {"a": 0, "b": 1, "c": 0, "div": 1000, "m": 10},
            {"a": 0, "b": 1, "c": 0, "div": 500, "m": 20},
        ),
    ]:
        truth, pred = formula_labels(t, n), formula_labels(p, n)
        cases.append(
            {
                "name": name,
                "n": n,
                "truth": t,
                "pred": p,
                "ari": float(adjusted_rand_score(truth, pred)),
                "nmi": float(
                    normalized_mutual_info_score(truth, pred, average_method="arithmetic")
                ),
            }
        )
    return cases


def main():
    out = {
        "generator": "metrics/testdata/sklearn_ref.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "silhouette": silhouette_cases(),
        "partitions": partition_cases(),
        "formula_partitions": formula_cases(),
    }
    # One case per line keeps the file small and its diffs readable.
    w = sys.stdout.write
    w("{\n")
    for key, value in out.items():
        if isinstance(value, list):
            w(' "%s": [\n  ' % key)
            w(",\n  ".join(json.dumps(c) for c in value))
            w("\n ]")
        else:
            w(" %s: %s" % (json.dumps(key), json.dumps(value)))
        w(",\n" if key != "formula_partitions" else "\n")
    w("}\n")


if __name__ == "__main__":
    main()
