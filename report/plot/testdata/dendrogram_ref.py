#!/usr/bin/python3
"""Reference geometry for TestDendrogramLayoutMatchesScipy (dendrogram_test.go).

Run with Debian's python3-scipy: /usr/bin/python3 report/plot/testdata/dendrogram_ref.py
It builds Ward's hierarchy of 9 fixed points in the plane and prints the linkage matrix and
scipy.cluster.hierarchy.dendrogram's icoord, dcoord and ivl for truncate_mode='lastp', p=4 and p=9
(no_plot=True, default count_sort and distance_sort).
"""
import numpy as np
from scipy.cluster.hierarchy import dendrogram, linkage

x = np.array([[0, 0], [0.3, 0.1], [5, 5], [5.2, 4.9], [9, 0], [9.5, 0.4], [0.1, 0.5], [5.1, 5.6], [2, 8]], dtype=float)
z = linkage(x, method="ward")
print("Z =", [[int(r[0]), int(r[1]), float(r[2]), int(r[3])] for r in z])
for p in (4, 9):
    d = dendrogram(z, truncate_mode="lastp", p=p, no_plot=True)
    print("p =", p)
    print("icoord =", d["icoord"])
    print("dcoord =", d["dcoord"])
    print("ivl =", d["ivl"])
