#!/usr/bin/python3
"""Reference values for sweep's pipeline on FER2013, from scikit-learn.

Run with Debian's python3-sklearn (1.2.1 on bookworm), from the repository root:

    /usr/bin/python3 experiments/testdata/sklearn_fer2013.py ../shared/data/fer2013.csv.gz \
        > experiments/testdata/sklearn_fer2013.json

It reproduces sweep's row selection exactly (ferselect.py beside it, as in
experiments/plan.go), balanced to the smallest class. Then, per fold, it fits
MinMaxScaler on the training rows, PCA (exact LAPACK solver) or TruncatedSVD
(arpack, exact to its tolerance) at the largest component count, KMeans
(n_init=10, random_state=0, and 1..10 for its spread) on the leading components, labels the held-out rows
by their nearest centre and scores silhouette_score on them. It also records
majority-mapping accuracy (each cluster takes the most frequent true label of
its training members; ties to the smallest label).

Only summary numbers are written; no pixel data leaves the CSV.
"""
import gzip
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import MinMaxScaler

from ferselect import USAGE, select  # beside this script

SEED = 1
FOLDS = 5
SEEDS = 11  # KMeans random_state 0..SEEDS-1


def load(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    labels, usage, pixels = [], [], []
    with opener(path, "rt") as f:
        header = f.readline().strip().split(",")
        ie, ip, iu = header.index("emotion"), header.index("pixels"), header.index("Usage")
        for line in f:
            parts = line.strip().split(",")
            labels.append(int(parts[ie]))
            usage.append(USAGE[parts[iu]])
            pixels.append(np.array(parts[ip].split(), dtype=np.uint8))
    return np.array(labels), np.array(usage, dtype=np.uint8), np.stack(pixels)


def majority(train_true, train_pred, k):
    m = {}
    for c in range(k):
        members = train_true[train_pred == c]
        if len(members):
            counts = np.bincount(members)
            m[c] = int(np.argmax(counts))  # argmax takes the smallest label on ties
    return m


def main():
    labels, usage, pixels = load(sys.argv[1])
    rows, fold = select(labels, usage, pixels, SEED, FOLDS, "min", None)
    cells = []
    for f in range(FOLDS):
        tr, te = rows[fold != f], rows[fold == f]
        scaler = MinMaxScaler().fit(pixels[tr].astype(np.float64))
        xtr = scaler.transform(pixels[tr].astype(np.float64))
        xte = scaler.transform(pixels[te].astype(np.float64))
        for reducer in ("pca", "svd"):
            if reducer == "pca":
                red = PCA(n_components=5, svd_solver="full").fit(xtr)
            else:
                red = TruncatedSVD(n_components=5, algorithm="arpack", random_state=0).fit(xtr)
            etr, ete = red.transform(xtr), red.transform(xte)
            for comps in (2, 5):
                for k in (5, 7, 15):
                    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(etr[:, :comps])
                    # KMeans is itself random: record the inertia it reaches
                    # under other seeds too, so a comparison can use its spread.
                    seeds = [float(KMeans(n_clusters=k, n_init=10, random_state=rs).fit(etr[:, :comps]).inertia_)
                             for rs in range(1, SEEDS)]
                    pred = km.predict(ete[:, :comps])
                    m = majority(labels[tr], km.labels_, k)
                    mapped = np.array([m.get(c, -1) for c in pred])
                    cells.append({
                        "reducer": reducer, "components": comps, "clusters": k, "fold": f,
                        "inertia": float(km.inertia_),
                        "inertia_seeds": [float(km.inertia_)] + seeds,
                        "silhouette": float(silhouette_score(ete[:, :comps], pred)),
                        "accuracy_majority": float((mapped == labels[te]).mean()),
                        "explained_variance_ratio": [float(v) for v in red.explained_variance_ratio_],
                        "singular_values": [float(v) for v in red.singular_values_],
                    })
    json.dump({
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "seed": SEED, "folds": FOLDS, "balance": "min",
        "selected_rows": int(len(rows)),
        "cells": cells,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
