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

grid.algorithm (one of kmeans, gmm, ward; default kmeans) picks the
clustering of every cell, as in the sweep (experiments/cellscores.go):
- gmm: GaussianMixture(n_components=k, covariance_type=gmm.covariance,
  init_params='kmeans', n_init=gmm.n_init, max_iter=100, tol=1e-3,
  reg_covar=1e-6, random_state=seed), predict on the held-out rows; the CSV
  adds loglik_train and loglik_test (score: the mean log-likelihood), bic
  and aic of the training rows.
- ward: AgglomerativeClustering(n_clusters=k, linkage='ward') per cell, as
  a notebook runs it (the sweep builds one tree per embedding and cuts it at
  each k); held-out rows go to the nearest training-cluster mean (squared
  Euclidean distance, ties to the lowest cluster), as the sweep assigns them.
For both, inertia is the sum of squared distances of the training rows to
the means of their clusters. With -labels FILE, each cell's training and
held-out labels go to FILE (reducer, components, clusters, fold, row,
split, cluster; row: the row of the data file counting from 0, as the
sweep's assignments.csv), for bench/sidebyside's ARI against the sweep.

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
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.mixture import GaussianMixture
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


ALGORITHMS = ("kmeans", "gmm", "ward")


def cluster_means(x, labels, k):
    """The mean of each cluster's rows (an empty cluster: the mean of all
    rows, as experiments/cellscores.go:clusterMeans) and the inertia of x
    to the means of its labels."""
    means = np.tile(x.mean(axis=0), (k, 1))
    for c in np.unique(labels):
        means[c] = x[labels == c].mean(axis=0)
    inertia = float(((x - means[labels]) ** 2).sum())
    return means, inertia


def nearest(x, means):
    """The index of the nearest mean of each row (ties: the lowest)."""
    d = ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def fit_cell(alg, k, xtr, xte, split, seed, km, gm):
    """Clusters xtr with alg; returns the training labels, the held-out
    labels, the inertia and the extra columns (gmm: loglik_train,
    loglik_test, bic, aic)."""
    if alg == "kmeans":
        m = KMeans(n_clusters=k, n_init=km["n_init"], max_iter=km["max_iter"], tol=km["tol"],
                   random_state=seed).fit(xtr)
        return m.labels_, m.predict(xte), float(m.inertia_), ()
    if alg == "gmm":
        m = GaussianMixture(n_components=k, covariance_type=gm["covariance"], init_params="kmeans",
                            n_init=gm["n_init"], max_iter=100, tol=1e-3, reg_covar=1e-6,
                            random_state=seed).fit(xtr)
        ltr = m.predict(xtr)
        lte = m.predict(xte) if split else ltr
        _, inertia = cluster_means(xtr, ltr, k)
        extra = (float(m.score(xtr)), float(m.score(xte)) if split else float("nan"),
                 float(m.bic(xtr)), float(m.aic(xtr)))
        return ltr, lte, inertia, extra
    ltr = AgglomerativeClustering(n_clusters=k, linkage="ward").fit(xtr).labels_
    means, inertia = cluster_means(xtr, ltr, k)
    lte = nearest(xte, means) if split else ltr
    return ltr, lte, inertia, ()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("data")
    ap.add_argument("-out", help="write per-cell results to this CSV file")
    ap.add_argument("-labels", help="write each cell's labels to this CSV file")
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
    km = {"n_init": n_init, "max_iter": max_iter, "tol": tol}
    gcfg = cfg.get("gmm") or {}
    gm = {"covariance": gcfg.get("covariance", "full"), "n_init": gcfg.get("n_init", 1) or 1}
    algs = grid.get("algorithm", ["kmeans"])
    if isinstance(algs, str):
        algs = [algs]
    if len(algs) != 1 or algs[0] not in ALGORITHMS:
        sys.exit("sklearn_grid.py: %s: grid.algorithm must be one of kmeans, gmm, ward (one per config), not %r"
                 % (args.config, algs))
    alg = algs[0]
    if data.get("scale", "minmax") != "minmax":
        sys.exit("sklearn_grid.py: only data.scale minmax is implemented")

    t0 = time.perf_counter()
    stage = {"load": 0.0, "select": 0.0, "reduce": 0.0, "cluster": 0.0, "silhouette": 0.0}
    df = pd.read_csv(args.data)
    pixels = np.stack([np.array(s.split(), dtype=np.uint8) for s in df["pixels"]])
    labels = df["emotion"].to_numpy()
    usage = df["Usage"].map(USAGE).to_numpy().astype(np.uint8)
    t1 = time.perf_counter()
    stage["load"] = t1 - t0
    rows, fold = select(labels, usage, pixels, seed, folds, data.get("balance"), data.get("usage"))
    stage["select"] = time.perf_counter() - t1

    out, cells_labels = [], []
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
                    ltr, pred, inertia, extra = fit_cell(alg, k, etr[:, :c], ete[:, :c], folds > 1, seed, km, gm)
                    t2 = time.perf_counter()
                    stage["cluster"] += t2 - t
                    sil = float("nan")
                    if 2 <= len(np.unique(pred)) <= len(pred) - 1:
                        sil = float(silhouette_score(ete[:, :c], pred))
                    stage["silhouette"] += time.perf_counter() - t2
                    out.append((reducer, c, k, f, inertia, sil) + extra)
                    if args.labels:
                        cells_labels.append((reducer, c, k, f, tr, ltr, te if folds > 1 else None, pred))
    total = time.perf_counter() - t0
    print("sklearn_grid: scikit-learn %s, %s, %s solvers, %d rows, %d cells, %.1f s: %s" % (
        sklearn.__version__, alg, args.solver, len(rows), len(out), total,
        ", ".join("%s %.1f s" % kv for kv in stage.items())), file=sys.stderr)
    if args.out:
        with open(args.out, "w") as f:
            if alg == "gmm":
                f.write("reducer,components,clusters,fold,inertia,silhouette,loglik_train,loglik_test,bic,aic\n")
                for r in out:
                    f.write("%s,%d,%d,%d,%r,%r,%r,%r,%r,%r\n" % r)
            else:
                f.write("reducer,components,clusters,fold,inertia,silhouette\n")
                for r in out:
                    f.write("%s,%d,%d,%d,%r,%r\n" % r)
    if args.labels:
        write_labels(args.labels, cells_labels)


def write_labels(path, cells):
    """One line per cell and row: reducer, components, clusters, fold, row,
    split (train, test, or all without folds), cluster."""
    with open(path, "w") as f:
        f.write("reducer,components,clusters,fold,row,split,cluster\n")
        for reducer, c, k, fold, tr, ltr, te, lte in cells:
            prefix = "%s,%d,%d,%d," % (reducer, c, k, fold)
            sides = [("train", tr, ltr), ("test", te, lte)] if te is not None else [("all", tr, ltr)]
            for split, rows, labels in sides:
                f.write("".join("%s%d,%s,%d\n" % (prefix, r, split, l) for r, l in zip(rows, labels)))


if __name__ == "__main__":
    main()
