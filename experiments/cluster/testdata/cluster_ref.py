"""Reference values from scipy and scikit-learn for sweep/experiments/cluster.

Regenerate cluster_ref.json (beside this script) with Debian's
python3-sklearn 1.2.1 and python3-scipy 1.10.1 (numpy 1.24.2), from the
repository root:

    /usr/bin/python3 experiments/cluster/testdata/cluster_ref.py

Datasets (seeded, synthetic; no FER2013 data), every coordinate rounded to
4 decimals so that the JSON holds exactly the float64 values that scipy and
scikit-learn saw:

  blobs2d  sklearn.datasets.make_blobs, 500 rows, 4 centres, 2 dims
  fer5d    "FER-like": 1500 rows in 5 dims shaped like PCA scores of face
           images: 7 overlapping, correlated gaussian groups whose spread
           falls with the dimension (sd ~ 1, 0.7, 0.5, 0.35, 0.25 times a
           random correlation), centres close relative to the spread
  fer3d    the first 3 dims of 800 more rows of the same generator
  dupes    60 rows in 2 dims: 20 distinct integer points, each 3 times
           (ties at height 0; ward only)
  ward-*   twelve random sets for ward only (see ward_only)

ward (per dataset): Z = scipy.cluster.hierarchy.ward(X) as rows
[a, b, height, size], and AgglomerativeClustering(n_clusters=k,
linkage='ward').labels_ for k = 2..12 (the 11 values of the sweep grid).

gmm (blobs2d with K=4, fer5d with K=7, fer3d with K=5), per covariance type:
for random_state 0..4, GaussianMixture(n_components=K, covariance_type=t,
random_state=s) with every other setting at its default (n_init=1,
init_params='kmeans', max_iter=100, tol=1e-3, reg_covar=1e-6): lower_bound_,
bic(X), aic(X), score(X), n_iter_, converged_ ("runs"); the same with
n_init=10, the sweep's default n_init ("runs_ninit10"). The lower_bound_ of
random_state 0..99 with n_init 1 and with n_init 10 ("lower_bounds", keyed
by n_init; the first 5 are those of "runs" and "runs_ninit10"): the
distribution that TestLowerBoundAsSklearn (in ../gmm) compares with. The
labels of
KMeans(n_clusters=K, n_init=1, random_state=0), which are the initial
labels of the n_init=1, random_state=0 run ("init_labels"), so that EM can
be compared from the same start. And, for fixed parameters
given in the JSON (weights, means, covariances as scikit-learn stores
covariances_), _estimate_weighted_log_prob of the first 40 rows, with the
precisions' Cholesky factors from _compute_precision_cholesky.

mann_whitney: samples (seeded, rounded to 1 decimal so that they tie) and
scipy.stats.mannwhitneyu(x, y, alternative="less", method="asymptotic")
p-values, for the rank test that TestLowerBoundAsSklearn uses.
"""

import json
import os

# KMeans (the GMM initialisation) sums over OpenMP threads; one thread makes
# the fixture reproducible. Set before numpy and scikit-learn are imported.
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from scipy.cluster.hierarchy import ward  # noqa: E402
from scipy.stats import mannwhitneyu  # noqa: E402
from sklearn.cluster import AgglomerativeClustering, KMeans  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402
from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky  # noqa: E402

KS = range(2, 13)
SEEDS = range(5)
# Lower bounds of 100 draws per n_init: enough for a rank test between the
# two implementations and to tell how often scikit-learn's median of 5 draws
# moves by more than 1e-3 (see TestLowerBoundAsSklearn in ../gmm).
DRAWS = range(100)
N_INITS = (1, 10)
COV_TYPES = ("full", "tied", "diag", "spherical")
N_FIXED = 40


def fer_like(rng, n, groups=7):
    """PCA-score-like rows: overlapping correlated groups, shrinking spread."""
    dim = 5
    scale = np.array([1.0, 0.7, 0.5, 0.35, 0.25])
    centres = rng.normal(0.0, 1.2, size=(groups, dim)) * scale
    mixing = [rng.normal(size=(dim, dim)) * 0.4 + np.eye(dim) for _ in range(groups)]
    weights = rng.dirichlet(np.full(groups, 4.0))
    z = rng.choice(groups, size=n, p=weights)
    noise = rng.standard_normal((n, dim))
    out = np.empty((n, dim))
    for i in range(n):
        out[i] = centres[z[i]] + (mixing[z[i]] @ noise[i]) * scale
    return out * 3.0


def datasets():
    x, _ = make_blobs(n_samples=500, centers=4, n_features=2, cluster_std=1.2, random_state=7)
    yield "blobs2d", np.round(x, 4)
    rng = np.random.default_rng(20240615)
    yield "fer5d", np.round(fer_like(rng, 1500), 4)
    yield "fer3d", np.round(fer_like(rng, 800)[:, :3], 4)
    pts = rng.integers(-5, 6, size=(20, 2)).astype(float)
    yield "dupes", np.repeat(pts, 3, axis=0)
    yield from ward_only()


def ward_only():
    """Twelve more seeded sets for ward: 13-149 rows in 1-5 dims, gaussian,
    gaussian rows each repeated 3 times, and gaussian with one direction
    scaled by 1e3 and the others by 1e-3. Not rounded (the JSON holds the
    float64 values exactly): distinct rows have no tied distances."""
    rng = np.random.default_rng(31)
    for i in range(12):
        n, dim = int(rng.integers(13, 150)), int(rng.integers(1, 6))
        kind = ("gauss", "repeated", "scaled")[i % 3]
        x = rng.normal(size=(n, dim))
        if kind == "repeated":
            x = np.repeat(x[: n // 3 + 1], 3, axis=0)[:n]
        elif kind == "scaled":
            x = x * np.array([1e3] + [1e-3] * (dim - 1))
        yield f"ward-{kind}-{i}", x


def ward_ref(x):
    z = ward(x)
    labels = {}
    for k in KS:
        model = AgglomerativeClustering(n_clusters=k, linkage="ward").fit(x)
        labels[str(k)] = model.labels_.tolist()
    return {"linkage": z.tolist(), "labels": labels}


def fixed_params(rng, x, k, cov_type):
    dim = x.shape[1]
    weights = rng.dirichlet(np.full(k, 2.0))
    means = x[rng.choice(len(x), size=k, replace=False)]
    if cov_type == "full":
        cov = []
        for _ in range(k):
            a = rng.normal(size=(dim, dim))
            cov.append(a @ a.T / dim + 0.3 * np.eye(dim))
        cov = np.array(cov)
    elif cov_type == "tied":
        a = rng.normal(size=(dim, dim))
        cov = a @ a.T / dim + 0.3 * np.eye(dim)
    elif cov_type == "diag":
        cov = rng.uniform(0.2, 3.0, size=(k, dim))
    else:
        cov = rng.uniform(0.2, 3.0, size=k)
    return weights, means, cov


def gmm_ref(x, k, rng):
    km = KMeans(n_clusters=k, n_init=1, random_state=0).fit(x)
    out = {"k": k, "init_labels": km.labels_.tolist()}
    for cov_type in COV_TYPES:
        runs = {"runs": [], "runs_ninit10": [], "lower_bounds": {}}
        for n_init in N_INITS:
            key = "runs" if n_init == 1 else f"runs_ninit{n_init}"
            bounds = []
            for seed in DRAWS:
                g = GaussianMixture(n_components=k, covariance_type=cov_type, n_init=n_init,
                                    random_state=seed).fit(x)
                bounds.append(g.lower_bound_)
                if seed in SEEDS:
                    runs[key].append({
                        "lower_bound": g.lower_bound_, "bic": g.bic(x), "aic": g.aic(x),
                        "score": g.score(x), "n_iter": g.n_iter_,
                        "converged": bool(g.converged_),
                    })
            runs["lower_bounds"][str(n_init)] = bounds
        weights, means, cov = fixed_params(rng, x, k, cov_type)
        g = GaussianMixture(n_components=k, covariance_type=cov_type)
        g.weights_, g.means_, g.covariances_ = weights, means, cov
        g.precisions_cholesky_ = _compute_precision_cholesky(cov, cov_type)
        wlp = g._estimate_weighted_log_prob(x[:N_FIXED])
        out[cov_type] = {
            **runs,
            "fixed": {
                "weights": weights.tolist(), "means": means.ravel().tolist(),
                "covariances": np.asarray(cov).ravel().tolist(),
                "weighted_log_prob": wlp.ravel().tolist(),
            },
        }
    return out


def mann_whitney_ref():
    rng = np.random.default_rng(5)
    cases = []
    for n1, n2, shift in ((12, 9, 0.0), (40, 60, -0.3), (100, 100, 0.2), (7, 30, -1.0)):
        x = np.round(rng.normal(shift, 1.0, n1), 1)
        y = np.round(rng.normal(0.0, 1.0, n2), 1)
        res = mannwhitneyu(x, y, alternative="less", method="asymptotic")
        cases.append({"x": x.tolist(), "y": y.tolist(), "p_less": float(res.pvalue)})
    return cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    gmm_k = {"blobs2d": 4, "fer5d": 7, "fer3d": 5}
    rng = np.random.default_rng(99)
    ref = {"versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__,
                        "numpy": np.__version__}, "datasets": {}}
    for name, x in datasets():
        entry = {"dim": x.shape[1], "x": x.ravel().tolist(), "ward": ward_ref(x)}
        if name in gmm_k:
            entry["gmm"] = gmm_ref(x, gmm_k[name], rng)
        ref["datasets"][name] = entry
    ref["mann_whitney"] = mann_whitney_ref()
    with open(os.path.join(here, "cluster_ref.json"), "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
