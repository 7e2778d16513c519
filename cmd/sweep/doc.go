/*
Sweep runs a grid of dimensionality reductions and k-means clusterings over
an image dataset and reports how well each cell separates the images.

It answers the question an image-clustering study starts with: which
reduction, how many components and how many clusters separate these images
best? Every cell of the grid is scored by the silhouette of held-out rows
over stratified cross-validation folds, and the report directory holds the
tables and pictures to read, compare and commit.

Usage:

	sweep -config grid.yaml [flags]

The flags are:

	-config file
		The YAML file describing the sweep (required; see below).
	-data file
		The data file, overriding data.path.
	-out dir
		The report directory, overriding report.dir.
	-workers n
		Cells computed at once, overriding workers; 0 means all cores.
		Results never depend on it.
	-dry-run
		Print the expanded cells and exit without reading data.
	-assignments
		Also write assignments.csv (same as report.assignments: true).

Exit status is 0 on success, 2 for misuse of the command line and 1 for a
failed run. Errors go to standard error prefixed "sweep:".

# Data

The data is a CSV file in FER2013's layout, plain or gzip-compressed (detected
from its first bytes): a header naming the columns emotion, pixels and Usage,
then one image per line with its label, its grey levels 0..255 separated by
spaces (row-major, a square image; 2304 = 48x48 for FER2013) and its split
(Training, PublicTest or PrivateTest). Only pixels is required. Every row is
validated; an error names the file, the line and the field.

FER2013 itself is fer2013.csv from the Kaggle challenge "Challenges in
Representation Learning: Facial Expression Recognition Challenge". Point
data.path, -data or the FER2013_CSV environment variable at it.

# Config

A config is YAML; unknown keys are errors that name the file and line.
Defaults are shown.

	name: sweep             # names the report
	seed: 1                 # seeds sampling, folds, reductions and k-means
	data:
	  path: ""              # empty: $FER2013_CSV
	  usage: []             # keep only these splits, e.g. [Training, PublicTest]; empty keeps all
	  balance: none         # N rows per class, or min (the smallest class's size)
	  scale: minmax         # minmax (per pixel, fitted on training rows), unit (x/255) or none
	grid:
	  reducer: [pca]        # pca (centred) and/or svd (truncated SVD, uncentred)
	  components: [2, 3]    # a list, or {from: 2, to: 5}
	  clusters: {from: 5, to: 15}
	  folds: 1              # 1: fit and score all rows; K >= 2: stratified K-fold
	kmeans:
	  n_init: 10            # restarts; the lowest inertia is kept
	  max_iter: 300
	  tol: 1e-4             # relative to the mean per-feature variance, as scikit-learn
	workers: 0              # 0: all cores
	report:
	  dir: reports/<name>
	  assignments: false    # write assignments.csv

Rows are chosen and dealt to folds by a seeded hash of their content, so the
result does not depend on the order of the file. With folds K >= 2 each cell
(reducer, components, clusters, fold) fits scaling, reduction and k-means on
the other K-1 folds, assigns the held-out rows to their nearest centre and
scores the silhouette of the held-out rows. Each (fold, reducer) is reduced
once, at the largest component count; smaller counts use its leading
components. Each cell draws its random numbers from a stream seeded by
(seed, cell key), so results are identical for any -workers.

# Report

The report directory holds:

	results.csv      one row per cell: silhouette, inertia, iterations, non-empty clusters
	summary.csv      mean and sd (n-1) over folds per reducer x components x clusters; best marked *
	summary.md       the same as tables per reducer
	heatmap_R.png    per reducer R: components x clusters, mean silhouette, one colour scale for all
	silhouette_vs_k.png  one line per reducer and component count, error bars over folds
	timings.csv      seconds per stage and cell
	manifest.json    resolved config, versions, dataset sha256 and class counts, stage times
	assignments.csv  with -assignments: cell, fold, row, line, split, cluster

results.csv and summary.csv hold no timings and are byte-identical across runs
and worker counts. Every file is written to a temporary name and renamed into
place.
*/
package main
