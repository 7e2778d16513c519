#!/usr/bin/python3
"""The examples published with the kneed package, as a fixture for metrics.Knee.

Regenerate (from the repository root) with Debian's python3-numpy:

    /usr/bin/python3 metrics/testdata/kneed_ref.py > metrics/testdata/kneed_ref.json

kneed itself is not needed (nor installed): this script rebuilds the inputs
of the examples that kneed 0.8.6 (https://github.com/arvkevi/kneed, tag
v0.8.6) publishes in its README, kneed/data_generator.py and
tests/test_sample.py, and writes them with the knee those tests assert, all
with interp_method="interp1d" and online=False (the defaults). Each case
names its source. Floats are written with repr(), which round-trips float64.

Left out: examples with interp_method="polynomial" or online=True (Knee does
neither), and the sensitivity list of docs/user-guide/parameters.md
(S = 1, 3, ... -> [43, 137, ...]), which test_sensitivity does not actually
assert and which contradicts test_gamma_online_offline (offline, S = 1 -> 22).
"""

import json
import platform
import sys

import numpy as np


def figure2():
    # DataGenerator.figure2: the curve of Figure 2 of the Kneedle paper.
    x = np.linspace(0.0, 1, 10)
    return x, np.true_divide(-1, x + 0.1) + 5


# DataGenerator's small curves, x = 0..9.
CONCAVE_INC = [0, 60, 80, 85, 90, 95, 96, 97, 98, 99]
CONCAVE_DEC = [99, 98, 97, 96, 95, 90, 85, 80, 60, 0]
CONVEX_INC = [1, 2, 3, 4, 5, 10, 15, 20, 40, 100]
CONVEX_DEC = [100, 40, 20, 15, 10, 5, 4, 3, 2, 1]

# DataGenerator.bumpy, x = 0..89.
BUMPY = [
    7305.0, 6979.0, 6666.6, 6463.2, 6326.5, 6048.8, 6032.8, 5762.0, 5742.8,
    5398.2, 5256.8, 5227.0, 5001.7, 4942.0, 4854.2, 4734.6, 4558.7, 4491.1,
    4411.6, 4333.0, 4234.6, 4139.1, 4056.8, 4022.5, 3868.0, 3808.3, 3745.3,
    3692.3, 3645.6, 3618.3, 3574.3, 3504.3, 3452.4, 3401.2, 3382.4, 3340.7,
    3301.1, 3247.6, 3190.3, 3180.0, 3154.2, 3089.5, 3045.6, 2989.0, 2993.6,
    2941.3, 2875.6, 2866.3, 2834.1, 2785.1, 2759.7, 2763.2, 2720.1, 2660.1,
    2690.2, 2635.7, 2632.9, 2574.6, 2556.0, 2545.7, 2513.4, 2491.6, 2496.0,
    2466.5, 2442.7, 2420.5, 2381.5, 2388.1, 2340.6, 2335.0, 2318.9, 2319.0,
    2308.2, 2262.2, 2235.8, 2259.3, 2221.0, 2202.7, 2184.3, 2170.1, 2160.0,
    2127.7, 2134.7, 2102.0, 2101.4, 2066.4, 2074.3, 2063.7, 2048.1, 2031.9,
]

# test_flat_maxima: x = 0..17.
FLAT_MAXIMA = [
    1, 0.787701317715959, 0.7437774524158126, 0.6559297218155198,
    0.5065885797950219, 0.36749633967789164, 0.2547584187408492,
    0.16251830161054173, 0.10395314787701318, 0.06734992679355783,
    0.043923865300146414, 0.027818448023426062, 0.01903367496339678,
    0.013177159590043924, 0.010248901903367497, 0.007320644216691069,
    0.005856515373352855, 0.004392386530014641,
]


def gamma_curve():
    # test_gamma_online_offline: 1000 sorted gamma(0.5, 1) draws, seed 23.
    np.random.seed(23)
    n = 1000
    return list(range(1, n + 1)), sorted(np.random.gamma(0.5, 1.0, n), reverse=True)


def cases():
    out = []

    def add(name, source, x, y, curve, direction, s, knee):
        out.append(
            {
                "name": name,
                "source": source,
                "x": [float(v) for v in x],
                "y": [float(v) for v in y],
                "curve": curve,
                "direction": direction,
                "s": float(s),
                "knee": None if knee is None else float(knee),
            }
        )

    x, y = figure2()
    # README: print(round(kneedle.knee, 3)) -> 0.222, i.e. x[2] = 2/9.
    add("figure2", "README.md; test_figure2", x, y, "concave", "increasing", 1.0, x[2])
    r = np.arange(0, 10)
    add("concave_increasing", "test_concave_increasing", r, CONCAVE_INC, "concave", "increasing", 1.0, 2)
    add("concave_decreasing", "test_concave_decreasing", r, CONCAVE_DEC, "concave", "decreasing", 1.0, 7)
    add("convex_increasing", "test_convex_increasing", r, CONVEX_INC, "convex", "increasing", 1.0, 7)
    add("convex_decreasing", "test_convex_decreasing", r, CONVEX_DEC, "convex", "decreasing", 1.0, 2)
    for name, y, curve, direction, knee in [
        ("concave_increasing_truncated", CONCAVE_INC, "concave", "increasing", 0.2),
        ("concave_decreasing_truncated", CONCAVE_DEC, "concave", "decreasing", 0.4),
        ("convex_increasing_truncated", CONVEX_INC, "convex", "increasing", 0.4),
        ("convex_decreasing_truncated", CONVEX_DEC, "convex", "decreasing", 0.2),
    ]:
        add(name, "test_" + name, r[:-3] / 10, np.array(y)[:-3] / 10, curve, direction, 1.0, knee)
    add("bumpy", "test_convex_decreasing_bumpy", range(90), BUMPY, "convex", "decreasing", 1.0, 26)
    x, y = gamma_curve()
    add("gamma_offline", "test_gamma_online_offline", x, y, "convex", "decreasing", 1.0, 22)
    r = range(18)
    add("flat_maxima_s0", "test_flat_maxima", r, FLAT_MAXIMA, "convex", "decreasing", 0.0, 1.0)
    add("flat_maxima_s1", "test_flat_maxima", r, FLAT_MAXIMA, "convex", "decreasing", 1.0, 8.0)
    add(
        "no_knee",
        "test_y_no_knee",
        [1, 2, 3],
        [0.90483742, 0.81873075, 0.74081822],
        "convex",
        "decreasing",
        1.0,
        None,
    )
    add("flat_y", "test_x_equals_y", range(10), [1] * 10, "concave", "increasing", 1.0, None)
    return out


def main():
    out = {
        "generator": "metrics/testdata/kneed_ref.py",
        "kneed_version": "0.8.6",
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cases": cases(),
    }
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
