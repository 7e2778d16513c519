package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"sweep/metrics"
)

// algorithmsHeading starts the section on the gmm and ward grids; it is
// the last section of results.md, so that a run of only k-means grids or
// only algorithm grids can keep the other part of the file as it was.
const algorithmsHeading = "## Algorithms: gmm and ward against scikit-learn"

// gmmLogLikSlack is the allowance on the lower bound: the sweep's
// may lie at most 1e-3 below scikit-learn's.
const gmmLogLikSlack = 1e-3

// configAlgorithm returns the one value of grid.algorithm in config file
// path, kmeans when it has none.
func configAlgorithm(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var c struct {
		Grid struct {
			Algorithm []string `yaml:"algorithm"`
		} `yaml:"grid"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	switch a := c.Grid.Algorithm; {
	case len(a) == 0:
		return "kmeans", nil
	case len(a) == 1 && slices.Contains([]string{"kmeans", "gmm", "ward"}, a[0]):
		return a[0], nil
	}
	return "", fmt.Errorf("read %s: grid.algorithm %v: side by side takes one of kmeans, gmm, ward per config", path, c.Grid.Algorithm)
}

// agreement compares a gmm or ward grid's cells with scikit-learn's.
type agreement struct {
	cells int
	// ward: ARI of the training labels per cell.
	ariMin, ariMean float64
	ariOne          int // cells with ARI 1 (to 1e-12)
	// gmm: mean training log-likelihood, sweep minus scikit-learn.
	llMean, llMin, llMax float64
	llAbove              int // cells with the sweep's >= scikit-learn's - 1e-3
	// gmm: BIC, |sweep - scikit-learn| / |scikit-learn|.
	bicRelMean, bicRelMax float64
}

// cellKey names a cell by reducer, components, clusters and fold.
func cellKey(reducer, components, clusters, fold string) string {
	return reducer + "/" + components + "/" + clusters + "/" + fold
}

// readTable reads a CSV file whose first row names the columns, checking
// that want are among them.
func readTable(path string, want ...string) (rows [][]string, col map[string]int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, err = csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("read %s: empty", path)
	}
	col = map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range want {
		if _, ok := col[h]; !ok {
			return nil, nil, fmt.Errorf("read %s: no column %s", path, h)
		}
	}
	return rows[1:], col, nil
}

// gmmScores reads loglik_train and bic per cell key.
func gmmScores(path string) (map[string][2]float64, error) {
	rows, col, err := readTable(path, "reducer", "components", "clusters", "fold", "loglik_train", "bic")
	if err != nil {
		return nil, err
	}
	out := map[string][2]float64{}
	for i, r := range rows {
		ll, err1 := strconv.ParseFloat(r[col["loglik_train"]], 64)
		bic, err2 := strconv.ParseFloat(r[col["bic"]], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("read %s: line %d: %w", path, i+2, err)
		}
		out[cellKey(r[col["reducer"]], r[col["components"]], r[col["clusters"]], r[col["fold"]])] = [2]float64{ll, bic}
	}
	return out, nil
}

// compareGMM compares the sweep's results.csv with sklearn_grid.py's
// output of a gmm grid, cell by cell.
func compareGMM(sweepCSV, sklearnCSV string) (agreement, error) {
	a, err := gmmScores(sweepCSV)
	if err != nil {
		return agreement{}, err
	}
	b, err := gmmScores(sklearnCSV)
	if err != nil {
		return agreement{}, err
	}
	g := agreement{llMin: math.Inf(1), llMax: math.Inf(-1)}
	for key, x := range a {
		y, ok := b[key]
		if !ok {
			continue
		}
		g.cells++
		d := x[0] - y[0]
		g.llMean += d
		g.llMin, g.llMax = min(g.llMin, d), max(g.llMax, d)
		if d >= -gmmLogLikSlack {
			g.llAbove++
		}
		rel := math.Abs(x[1]-y[1]) / math.Abs(y[1])
		g.bicRelMean += rel
		g.bicRelMax = max(g.bicRelMax, rel)
	}
	if g.cells > 0 {
		g.llMean /= float64(g.cells)
		g.bicRelMean /= float64(g.cells)
	}
	return g, nil
}

// labeling is one cell's training labels by row.
type labeling map[int]int

// readLabels reads the training labels per cell key from a file with the
// columns row, split and cluster, and either cell (the sweep's
// assignments.csv, cell names such as "pca-2-5/algorithm=ward") and fold,
// or reducer, components, clusters and fold (sklearn_grid.py -labels).
// Without folds the split is "all".
func readLabels(path string) (map[string]labeling, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	_, byName := col["cell"]
	for _, h := range []string{"fold", "row", "split", "cluster"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("read %s: no column %s", path, h)
		}
	}
	out := map[string]labeling{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if s := rec[col["split"]]; s != "train" && s != "all" {
			continue
		}
		var key string
		if byName {
			name, _, _ := strings.Cut(rec[col["cell"]], "/")
			p := strings.Split(name, "-")
			if len(p) != 3 {
				return nil, fmt.Errorf("read %s: line %d: cell %q is not reducer-components-clusters", path, line, rec[col["cell"]])
			}
			key = cellKey(p[0], p[1], p[2], rec[col["fold"]])
		} else {
			key = cellKey(rec[col["reducer"]], rec[col["components"]], rec[col["clusters"]], rec[col["fold"]])
		}
		row, err1 := strconv.Atoi(rec[col["row"]])
		c, err2 := strconv.Atoi(rec[col["cluster"]])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("read %s: line %d: %w", path, line, err)
		}
		if out[key] == nil {
			out[key] = labeling{}
		}
		out[key][row] = c
	}
}

// compareWard returns the ARI between the sweep's training labels
// (assignments.csv) and scikit-learn's (sklearn_grid.py -labels) per cell;
// a cell whose training rows differ is an error.
func compareWard(assignments, sklearnLabels string) (agreement, error) {
	a, err := readLabels(assignments)
	if err != nil {
		return agreement{}, err
	}
	b, err := readLabels(sklearnLabels)
	if err != nil {
		return agreement{}, err
	}
	g := agreement{ariMin: math.Inf(1)}
	for _, key := range slices.Sorted(maps.Keys(a)) {
		y, ok := b[key]
		if !ok {
			continue
		}
		x := a[key]
		if len(x) != len(y) {
			return g, fmt.Errorf("cell %s: %d training rows in the sweep's labels, %d in scikit-learn's", key, len(x), len(y))
		}
		rows := slices.Sorted(maps.Keys(x))
		p, q := make([]int, len(rows)), make([]int, len(rows))
		for i, r := range rows {
			l, ok := y[r]
			if !ok {
				return g, fmt.Errorf("cell %s: row %d has a label in the sweep's labels only", key, r)
			}
			p[i], q[i] = x[r], l
		}
		ari := metrics.AdjustedRandIndex(p, q)
		g.cells++
		g.ariMean += ari
		g.ariMin = min(g.ariMin, ari)
		if math.Abs(ari-1) <= 1e-12 {
			g.ariOne++
		}
	}
	if g.cells > 0 {
		g.ariMean /= float64(g.cells)
	}
	return g, nil
}

// splitResults splits an existing results.md at algorithmsHeading into
// the k-means part and the algorithms section (empty when absent).
func splitResults(b []byte) (kmeansPart, algorithmsPart []byte) {
	i := bytes.Index(b, []byte("\n"+algorithmsHeading+"\n"))
	if i < 0 {
		return b, nil
	}
	return b[:i+1], b[i+1:]
}

// writeAlgorithms is the section on the gmm and ward grids: wall times and
// agreement with scikit-learn.
func writeAlgorithms(w *bytes.Buffer, o options, m machine, grids []gridResult) {
	fmt.Fprintf(w, "%s\n\n", algorithmsHeading)
	fmt.Fprintf(w, "Written by `go run ./bench/sidebyside` (make side-by-side SIDE_CONFIGS=...) on %s, load average at the\n", m.date)
	fmt.Fprintf(w, "start %s, at the end %s (the machine is shared: medians). The configs are configs/fer2013.yaml's grid\n", m.load, m.loadEnd)
	fmt.Fprintf(w, "(440 cells: 5 folds of the balanced rows, PCA and SVD, 2-5 components, k = 5-15) with grid.algorithm gmm\n")
	fmt.Fprintf(w, "or ward. scikit-learn (bench/sklearn_grid.py) uses exact PCA and TruncatedSVD, as the sweep does, so that\n")
	fmt.Fprintf(w, "both cluster the same embeddings; it runs GaussianMixture(n_components=k, covariance_type, init_params='kmeans',\n")
	fmt.Fprintf(w, "n_init, max_iter=100, tol=1e-3, reg_covar=1e-6, random_state=seed) and AgglomerativeClustering(n_clusters=k,\n")
	fmt.Fprintf(w, "linkage='ward') per cell, as a notebook would (the sweep builds one Ward tree per embedding and cuts it at\n")
	fmt.Fprintf(w, "every k), then predicts the held-out rows (ward: nearest training-cluster mean) and scores their silhouette.\n")
	fmt.Fprintf(w, "The sweep's wall time also covers its other scores (gap, stability, label scores) and the report; for ward\n")
	fmt.Fprintf(w, "grids both tools also write every cell's labels (sweep -assignments, sklearn_grid.py -labels) in every run.\n\n")
	fmt.Fprintln(w, "| grid | algorithm | cells | sweep wall | scikit-learn wall | wall ratio | sweep peak RSS | scikit-learn peak RSS |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|")
	for _, g := range grids {
		sk := g.best("exact")
		fmt.Fprintf(w, "| %s | %s | %d | %.2f s (median of %d) | %.1f s (median of %d; threads %s) | %.1fx | %.0f MB | %.0f MB |\n",
			g.config, g.algorithm, g.ncells, median(walls(g.sweep)), len(g.sweep), median(walls(sk)), len(sk), g.faster["exact"],
			median(walls(sk))/median(walls(g.sweep)), median(rsss(g.sweep)), median(rsss(sk)))
	}
	fmt.Fprintf(w, "\nAgreement, per cell, last sweep run against the last scikit-learn run:\n\n")
	for _, g := range grids {
		a, acc := g.agree, g.accuracy["exact"]
		switch g.algorithm {
		case "ward":
			fmt.Fprintf(w, "- %s (ward): ARI of the training labels, sweep against AgglomerativeClustering(linkage='ward'): 1 in %d of %d cells; smallest %.12f, mean %.12f.\n",
				g.config, a.ariOne, a.cells, a.ariMin, a.ariMean)
		case "gmm":
			fmt.Fprintf(w, "- %s (gmm): mean training log-likelihood (loglik_train against GaussianMixture.score), sweep minus scikit-learn: mean %.2e, smallest %.2e, largest %.2e over %d cells; the sweep's at least scikit-learn's - 1e-3 in %d cells. BIC |sweep - scikit-learn| / |scikit-learn|: mean %.2e, largest %.2e. One scikit-learn seed is a draw: EM from other k-means starts can end in another local optimum.\n",
				g.config, a.llMean, a.llMin, a.llMax, a.cells, a.llAbove, a.bicRelMean, a.bicRelMax)
		}
		fmt.Fprintf(w, "  Inertia to the cluster means, sweep / scikit-learn: geometric mean %.5f, largest %.5f; held-out silhouette |difference|: mean %.4f, largest %.4f (%d cells).\n",
			acc.inertiaGeo, acc.inertiaHi, acc.silMeanAbs, acc.silMaxAbs, acc.cells)
	}
	fmt.Fprintf(w, "\nCommands:\n\n```\n")
	for _, g := range grids {
		extra, skExtra := "", ""
		if g.algorithm == "ward" {
			extra, skExtra = " -assignments", " -labels FILE"
		}
		fmt.Fprintf(w, "sweep -q -config configs/%s.yaml -data %s -out DIR%s\n", g.config, o.data, extra)
		fmt.Fprintf(w, "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 %s bench/sklearn_grid.py configs/%s.yaml %s -solver exact -out FILE%s\n", o.python, g.config, o.data, skExtra)
	}
	fmt.Fprintf(w, "```\n")
}
