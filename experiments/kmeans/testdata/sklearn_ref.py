"""Reference k-means inertias from scikit-learn for sweep/experiments/kmeans.

Regenerate sklearn_ref.json (beside this script) with Debian's
python3-sklearn 1.2.1 (numpy 1.24.2), from the repository root:

    /usr/bin/python3 experiments/kmeans/testdata/sklearn_ref.py

The script builds seeded datasets (overlapping gaussian mixtures that are not
separable, and uniform noise), rounds every coordinate to 4 decimals so that
the JSON holds exactly the float64 values that scikit-learn clustered, and for
k in {5, 8, 12} runs

    KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd")

recording inertia_ and n_iter_. For context it also records the inertias for
random_state 1..9 ("inertia_by_seed", index = random_state), which show how
much the best-of-10 result varies with the seed alone. The Go test
(sklearn_test.go) asserts that Fit's inertia is <= 1.005 * inertia.
"""

import json
import os

# KMeans parallelises over OpenMP threads, whose chunked sums round
# differently from run to run of different thread counts; one thread makes
# the fixture reproducible. Set before numpy and scikit-learn are imported.
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402

N = 1500
KS = (5, 8, 12)
SEEDS = range(10)


def mixture(rng, n, dim, comps, box, sd_lo, sd_hi):
    """n points from `comps` anisotropic gaussians, means uniform in [-box, box]."""
    means = rng.uniform(-box, box, size=(comps, dim))
    sds = rng.uniform(sd_lo, sd_hi, size=(comps, dim))
    weights = rng.dirichlet(np.full(comps, 3.0))
    z = rng.choice(comps, size=n, p=weights)
    return means[z] + sds[z] * rng.standard_normal((n, dim))


def datasets():
    rng = np.random.default_rng(20240601)
    yield "mixture2d", mixture(rng, N, 2, 6, 3.0, 0.8, 2.0)
    yield "mixture3d", mixture(rng, N, 3, 10, 3.0, 0.6, 1.5)
    yield "mixture5d", mixture(rng, N, 5, 8, 2.0, 0.5, 1.5)
    yield "uniform4d", rng.uniform(0.0, 1.0, size=(N, 4))


def main():
    out = {
        "generator": "experiments/kmeans/testdata/sklearn_ref.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "estimator": 'KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd")',
        "datasets": [],
    }
    for name, x in datasets():
        x = np.round(x, 4)
        runs = []
        for k in KS:
            by_seed = []
            n_iter = None
            for seed in SEEDS:
                km = KMeans(n_clusters=k, n_init=10, random_state=seed, algorithm="lloyd").fit(x)
                by_seed.append(float(km.inertia_))
                if seed == 0:
                    n_iter = int(km.n_iter_)
            runs.append(
                {"k": k, "inertia": by_seed[0], "n_iter": n_iter, "inertia_by_seed": by_seed}
            )
        out["datasets"].append(
            {"name": name, "n": int(x.shape[0]), "dim": int(x.shape[1]), "runs": runs,
             "x": [float(v) for v in x.ravel()]}
        )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_ref.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
