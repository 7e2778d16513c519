#!/usr/bin/python3
"""Reference values for the seed study's notebook protocol options
(issue 19): first-N balancing and per-image min-max scaling.

Run with Debian's python3-numpy (1.24.2), from the repository root:

    /usr/bin/python3 experiments/testdata/notebook_ref.py

It writes two files beside itself:

- notebook_fixture.csv: a small synthetic FER2013-layout file (4x4 images,
  three classes in shuffled file order, mixed usages). The grey levels of
  each image span a random sub-range of 0..255, so the images are not
  contrast-stretched; one image is constant and one is stored twice.
- notebook_ref.json: for several (usage filter, N), the 0-based data rows
  that balance_first keeps, which is what the study's balancingscript.py
  does (per class, the first N rows in file order); and every row scaled
  by image_minmax, NumPy's (x - x.min()) / (x.max() - x.min()) per row,
  with a constant row mapped to 0 as MinMaxScaler maps a constant feature.

The Go tests (experiments/notebook_test.go) check Select with
data.balance_take first and the per-image scaling against these.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
USAGES = ["Training", "PublicTest", "PrivateTest"]


def balance_first(labels, usage, n, keep=None):
    """Per class, the first n rows in file order (after the usage filter)."""
    chosen = []
    for c in sorted(set(labels)):
        rows = [i for i, l in enumerate(labels) if l == c and (keep is None or usage[i] in keep)]
        chosen.extend(rows[:n])
    return sorted(chosen)


def image_minmax(x):
    """Each row min-max scaled over its own values; a constant row is 0."""
    x = x.astype(np.float64)
    lo = x.min(axis=1, keepdims=True)
    rng = x.max(axis=1, keepdims=True) - lo
    out = np.zeros_like(x)
    ok = rng[:, 0] > 0
    out[ok] = (x[ok] - lo[ok]) / rng[ok]
    return out


def fixture():
    rng = np.random.default_rng(19)
    sizes = {0: 9, 1: 7, 2: 12}
    labels = np.repeat(list(sizes), list(sizes.values()))
    rng.shuffle(labels)
    pixels = []
    for i, c in enumerate(labels):
        lo = int(rng.integers(20, 120))
        hi = lo + int(rng.integers(10, 100))
        img = rng.integers(lo, hi + 1, size=16)
        img[c] = hi  # a class-specific bright pixel
        pixels.append(img)
    pixels = np.array(pixels)
    pixels[5] = 77       # a constant image
    pixels[17] = pixels[3]  # a copy of row 3
    usage = [USAGES[int(u)] for u in rng.integers(0, 3, size=len(labels))]
    return labels, pixels, usage


def main():
    labels, pixels, usage = fixture()
    with open(os.path.join(HERE, "notebook_fixture.csv"), "w") as f:
        f.write("emotion,pixels,Usage\n")
        for l, p, u in zip(labels, pixels, usage):
            f.write("%d,%s,%s\n" % (l, " ".join(str(int(v)) for v in p), u))
    cases = []
    for n, keep in ((5, None), (7, None), (3, ["Training", "PublicTest"])):
        cases.append({"n": n, "usage": keep or [],
                      "rows": balance_first(labels.tolist(), usage, n, keep)})
    out = {
        "generator": "experiments/testdata/notebook_ref.py",
        "numpy_version": np.__version__,
        "balance_first": cases,
        "image_minmax": [[float(v) for v in row] for row in image_minmax(pixels)],
    }
    with open(os.path.join(HERE, "notebook_ref.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
