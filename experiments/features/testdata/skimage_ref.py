"""Reference HOG and LBP features from scikit-image for sweep/experiments/features.

Regenerate skimage_ref.json (beside this script) with Debian's
python3-skimage 0.19.3 (numpy 1.24.2), from the repository root:

    /usr/bin/python3 experiments/features/testdata/skimage_ref.py

The images are synthetic and seeded (no FER2013 data): 56 "FER-like" 48x48
faces made of smooth gaussian blobs, a shading ramp and pixel noise,
rounded to integers 0..255; and edge cases: constant images, a single
bright pixel (inside, on the border, in a corner), linear ramps (where many
interpolated LBP samples equal the centre up to rounding), a checkerboard,
saturated noise, 28x28, 64x64 and non-square sizes. Images are stored as
base64 uint8 bytes, row-major.

For every image the script records

    hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
        block_norm='L2-Hys', transform_sqrt=False, feature_vector=True)

and the uniform LBP histograms (P=8, R=1, method='uniform', 4x4 grid,
P+2 bins per cell, counts); for a few images also other parameters (every
block_norm, transform_sqrt, other cell and block sizes; LBP methods
default, ror and nri_uniform, other P and R, other grids). The LBP grid
cell (i, j) spans rows floor(i*h/grid_y) .. floor((i+1)*h/grid_y) - 1 and
likewise columns. HOG values are written with 9 significant digits, which
is far below the 1e-5 tolerance of the Go test (features_test.go).
"""

import base64
import json
import os

import numpy as np
import skimage
from skimage.feature import hog, local_binary_pattern

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "skimage_ref.json")


def fer_like(rng, h=48, w=48):
    """Smooth blobs (eyes, mouth, face) on a shading ramp, plus noise."""
    rr, cc = np.mgrid[0:h, 0:w].astype(float)
    img = rng.uniform(40, 120) + rng.uniform(-1, 1) * (rr + cc)
    for _ in range(rng.integers(3, 9)):
        r0, c0 = rng.uniform(0, h), rng.uniform(0, w)
        s = rng.uniform(2, w / 3)
        a = rng.uniform(-120, 120)
        img += a * np.exp(-((rr - r0) ** 2 + (cc - c0) ** 2) / (2 * s * s))
    img += rng.normal(0, rng.uniform(0, 12), size=(h, w))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def images():
    rng = np.random.default_rng(20240514)
    out = [(f"fer{i:02d}", fer_like(rng)) for i in range(56)]
    z = np.zeros((48, 48), np.uint8)
    out.append(("const0", z.copy()))
    out.append(("const128", z + 128))
    out.append(("const255", z + 255))
    for name, (r, c) in [("dot_mid", (20, 27)), ("dot_edge", (0, 13)), ("dot_corner", (47, 47))]:
        d = z.copy()
        d[r, c] = 255
        out.append((name, d))
    rr, cc = np.mgrid[0:48, 0:48]
    out.append(("ramp_col", (cc * 5).astype(np.uint8)))
    out.append(("ramp_row", (rr * 3 + 7).astype(np.uint8)))
    out.append(("ramp_diag", (rr + cc * 2).astype(np.uint8)))
    out.append(("checker", (((rr // 3 + cc // 3) % 2) * 200 + 20).astype(np.uint8)))
    out.append(("saturated", np.where(rng.random((48, 48)) < 0.5, 0, 255).astype(np.uint8)))
    out.append(("fer28", fer_like(rng, 28, 28)))
    out.append(("fer64", fer_like(rng, 64, 64)))
    out.append(("fer_h40_w56", fer_like(rng, 40, 56)))
    out.append(("fer_h37_w29", fer_like(rng, 37, 29)))
    return out


HOG_DEFAULT = dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
                   block_norm="L2-Hys", transform_sqrt=False)
LBP_DEFAULT = dict(P=8, R=1, method="uniform", grid_x=4, grid_y=4)

# Extra parameter sets, each applied to the images named.
HOG_EXTRA = [
    (dict(HOG_DEFAULT, block_norm="L1"), ["fer00", "fer_h40_w56"]),
    (dict(HOG_DEFAULT, block_norm="L1-sqrt"), ["fer01", "const0"]),
    (dict(HOG_DEFAULT, block_norm="L2"), ["fer02", "dot_mid"]),
    (dict(HOG_DEFAULT, transform_sqrt=True), ["fer03", "ramp_diag"]),
    (dict(HOG_DEFAULT, orientations=7, pixels_per_cell=(6, 5), cells_per_block=(3, 2)),
     ["fer04", "fer_h37_w29"]),
    (dict(HOG_DEFAULT, orientations=12, pixels_per_cell=(7, 7), cells_per_block=(1, 1)),
     ["fer05", "checker"]),
]
LBP_EXTRA = [
    (dict(LBP_DEFAULT, method="default"), ["fer00", "ramp_diag"]),
    (dict(LBP_DEFAULT, method="ror"), ["fer01", "checker"]),
    (dict(LBP_DEFAULT, method="nri_uniform"), ["fer02", "ramp_col"]),
    (dict(LBP_DEFAULT, P=16, R=2), ["fer03", "ramp_row"]),
    (dict(LBP_DEFAULT, P=4, R=1.5, grid_x=3, grid_y=5), ["fer04", "fer_h37_w29"]),
    (dict(LBP_DEFAULT, P=12, R=2.5, method="nri_uniform", grid_x=2, grid_y=1), ["fer05", "fer_h40_w56"]),
]


def lbp_bins(p):
    if p["method"] == "uniform":
        return p["P"] + 2
    if p["method"] == "nri_uniform":
        return p["P"] * (p["P"] - 1) + 3
    return 2 ** p["P"]


def lbp_hist(img, p):
    codes = local_binary_pattern(img, p["P"], p["R"], method=p["method"])
    h, w = img.shape
    bins = lbp_bins(p)
    out = []
    for i in range(p["grid_y"]):
        for j in range(p["grid_x"]):
            cell = codes[i * h // p["grid_y"]:(i + 1) * h // p["grid_y"],
                         j * w // p["grid_x"]:(j + 1) * w // p["grid_x"]]
            k = cell.astype(np.int64).ravel()
            assert np.all(k == cell.ravel()) and k.min() >= 0 and k.max() < bins
            out.extend(int(v) for v in np.bincount(k, minlength=bins))
    return out


def hog_vec(img, p):
    v = hog(img, orientations=p["orientations"], pixels_per_cell=p["pixels_per_cell"],
            cells_per_block=p["cells_per_block"], block_norm=p["block_norm"],
            transform_sqrt=p["transform_sqrt"], feature_vector=True)
    return [float(f"{x:.9g}") for x in v]


def main():
    imgs = images()
    index = {name: k for k, (name, _) in enumerate(imgs)}
    cases = []
    for k, (name, img) in enumerate(imgs):
        x = img.astype(np.float64)
        cases.append({"image": k, "kind": "hog", "hog": HOG_DEFAULT, "features": hog_vec(x, HOG_DEFAULT)})
        cases.append({"image": k, "kind": "lbp", "lbp": LBP_DEFAULT, "features": lbp_hist(x, LBP_DEFAULT)})
    for p, names in HOG_EXTRA:
        for name in names:
            x = imgs[index[name]][1].astype(np.float64)
            cases.append({"image": index[name], "kind": "hog", "hog": p, "features": hog_vec(x, p)})
    for p, names in LBP_EXTRA:
        for name in names:
            x = imgs[index[name]][1].astype(np.float64)
            cases.append({"image": index[name], "kind": "lbp", "lbp": p, "features": lbp_hist(x, p)})
    doc = {
        "skimage_version": skimage.__version__,
        "numpy_version": np.__version__,
        "images": [{"name": n, "w": int(i.shape[1]), "h": int(i.shape[0]),
                    "pixels": base64.b64encode(i.tobytes()).decode()} for n, i in imgs],
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
