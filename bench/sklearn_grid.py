#!/usr/bin/python3
"""The sweep's grid in scikit-learn, the way a notebook would run it.

Run with Debian's python3-sklearn (1.2.1 on bookworm), from the repository root:

    /usr/bin/python3 bench/sklearn_grid.py configs/fer2013.yaml DATA.csv.gz [-solver exact] [-out cells.csv]

It reads the same YAML config as `sweep -config` and runs the same grid on the
same data: pandas.read_csv of the file, the sweep's row selection and folds
(balanced classes by the FNV-1a row hash of experiments/plan.go, copied from
experiments/testdata/sklearn_fer2013.py so that both tools score the same
rows), then per fold MinMaxScaler fitted on the training rows, per (fold,
reducer) one PCA or TruncatedSVD at the grid's largest component count, and per
cell KMeans(n_clusters, n_init, max_iter, tol) on the leading components of
the training rows, predict on the held-out rows and silhouette_score on them
(all rows when folds is 1). Stage times go to standard error; with -out, one
CSV row per cell (reducer, components, clusters, fold, inertia, silhouette).

-solver default (the notebook's choice) keeps scikit-learn's default
solvers, randomized at these shapes (PCA: 'auto', TruncatedSVD:
'randomized', a few power iterations); -solver exact uses exact
decompositions as the sweep computes them and as
experiments/testdata/sklearn_fer2013.py does (PCA svd_solver='full', LAPACK;
TruncatedSVD algorithm='arpack').

bench/sidebyside (make side-by-side) runs it next to the sweep binary; OMP_NUM_THREADS
decides how many threads KMeans and BLAS use.
"""
import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
import yaml
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import MinMaxScaler

# The sweep's row selection, shared with the scikit-learn fixture script.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments", "testdata"))
from ferselect import USAGE, select  # noqa: E402


def int_list(v):
    """A config integer list: [a, b], a scalar, or {from, to}."""
    if isinstance(v, dict):
        return list(range(v["from"], v["to"] + 1))
    if isinstance(v, list):
        return v
    return [v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("data")
    ap.add_argument("-out", help="write per-cell results to this CSV file")
    ap.add_argument("-solver", choices=("default", "exact"), default="default",
                    help="PCA and TruncatedSVD solvers: scikit-learn's defaults or exact ones")
    args = ap.parse_args()
    with open(args.config) as f:
        cfg = yaml.safe_load(f)
    data, grid, km = cfg.get("data", {}), cfg["grid"], cfg.get("kmeans", {})
    seed = cfg.get("seed", 1)
    folds = grid.get("folds", 1)
    reducers = grid.get("reducer", ["pca"])
    comps = sorted(int_list(grid["components"]))
    ks = sorted(int_list(grid["clusters"]))
    n_init, max_iter, tol = km.get("n_init", 10), km.get("max_iter", 300), float(km.get("tol", 1e-4))
    if data.get("scale", "minmax") != "minmax":
        sys.exit("sklearn_grid.py: only data.scale minmax is implemented")

    t0 = time.perf_counter()
    stage = {"load": 0.0, "select": 0.0, "reduce": 0.0, "kmeans": 0.0, "silhouette": 0.0}
    df = pd.read_csv(args.data)
    pixels = np.stack([np.array(s.split(), dtype=np.uint8) for s in df["pixels"]])
    labels = df["emotion"].to_numpy()
    usage = df["Usage"].map(USAGE).to_numpy().astype(np.uint8)
    t1 = time.perf_counter()
    stage["load"] = t1 - t0
    rows, fold = select(labels, usage, pixels, seed, folds, data.get("balance"), data.get("usage"))
    stage["select"] = time.perf_counter() - t1

    out = []
    for f in range(folds):
        t = time.perf_counter()
        tr, te = (rows[fold != f], rows[fold == f]) if folds > 1 else (rows, rows)
        scaler = MinMaxScaler().fit(pixels[tr].astype(np.float64))
        xtr = scaler.transform(pixels[tr].astype(np.float64))
        xte = scaler.transform(pixels[te].astype(np.float64)) if folds > 1 else xtr
        stage["reduce"] += time.perf_counter() - t
        for reducer in reducers:
            t = time.perf_counter()
            if args.solver == "exact" and reducer == "pca":
                model = PCA(n_components=comps[-1], svd_solver="full")
            elif args.solver == "exact":
                model = TruncatedSVD(n_components=comps[-1], algorithm="arpack", random_state=seed)
            elif reducer == "pca":
                model = PCA(n_components=comps[-1], random_state=seed)
            else:
                model = TruncatedSVD(n_components=comps[-1], random_state=seed)
            model.fit(xtr)
            etr = model.transform(xtr)
            ete = model.transform(xte) if folds > 1 else etr
            stage["reduce"] += time.perf_counter() - t
            for c in comps:
                for k in ks:
                    t = time.perf_counter()
                    m = KMeans(n_clusters=k, n_init=n_init, max_iter=max_iter, tol=tol,
                               random_state=seed).fit(etr[:, :c])
                    pred = m.predict(ete[:, :c])
                    t2 = time.perf_counter()
                    stage["kmeans"] += t2 - t
                    sil = float("nan")
                    if 2 <= len(np.unique(pred)) <= len(pred) - 1:
                        sil = float(silhouette_score(ete[:, :c], pred))
                    stage["silhouette"] += time.perf_counter() - t2
                    out.append((reducer, c, k, f, float(m.inertia_), sil))
    total = time.perf_counter() - t0
    print("sklearn_grid: scikit-learn %s, %s solvers, %d rows, %d cells, %.1f s: %s" % (
        sklearn.__version__, args.solver, len(rows), len(out), total,
        ", ".join("%s %.1f s" % kv for kv in stage.items())), file=sys.stderr)
    if args.out:
        with open(args.out, "w") as f:
            f.write("reducer,components,clusters,fold,inertia,silhouette\n")
            for r in out:
                f.write("%s,%d,%d,%d,%r,%r\n" % r)


if __name__ == "__main__":
    main()
