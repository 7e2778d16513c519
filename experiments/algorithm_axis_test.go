package experiments

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"sweep/experiments/cluster/ward"
)

const algorithmGrid = `
seed: 3
data: {scale: unit}
grid: {reducer: [pca], components: [3], clusters: [5, 6, 7], folds: 3, algorithm: [kmeans, gmm, ward]}
kmeans: {n_init: 4}
gmm: {covariance: diag, n_init: 2}
gap: {b: 3}
`

// TestAlgorithmAxis runs k-means, gmm and ward on five blobs: the k-means
// cells equal a sweep without the axis (the default, [kmeans], keeps the
// cell names), the embeddings are shared (3 reductions, one per fold),
// every score is defined for every algorithm, the gmm scores only for gmm,
// ward's training labels are the cut of one hierarchy of the fold's
// embedding, and nothing depends on the number of workers.
func TestAlgorithmAxis(t *testing.T) {
	d := blobs(t, 40)
	cfg := mustConfig(t, algorithmGrid)
	var ref string
	for _, w := range []int{1, 3} {
		sw, err := NewSweep(cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sw.Run(context.Background(), w, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(valuesOf(res))
		if ref != "" && got != ref {
			t.Fatalf("workers %d: results differ from workers 1", w)
		}
		ref = got
		stages := map[string]int{}
		for _, st := range sw.Timings() {
			stages[strings.SplitN(st.Stage, "/", 2)[0]]++
		}
		if stages["reduce"] != 3 {
			t.Errorf("stages %v, want 3 reductions shared by the algorithms", stages)
		}
		per := len(res) / 3
		plain, err := NewSweep(mustConfig(t, strings.Replace(algorithmGrid, ", algorithm: [kmeans, gmm, ward]", "", 1)), d)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Run(context.Background(), 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(valuesOf(res[:per])) != fmt.Sprint(valuesOf(want)) {
			t.Errorf("the kmeans cells differ from a sweep without the axis")
		}
		for k, name := range []string{KMeans, GMM, Ward} {
			for _, r := range res[k*per : (k+1)*per] {
				if v, _ := r.Axes.Get(AlgorithmAxis); v != name {
					t.Fatalf("%s: algorithm %q, want %s", r.Key(), v, name)
				}
				if !strings.Contains(r.Key(), "algorithm="+name) {
					t.Errorf("cell key %s does not name the algorithm", r.Key())
				}
				checkAlgorithmScores(t, r, name == GMM)
				if name == Ward {
					checkWardCut(t, sw, r)
				}
			}
		}
	}
}

func checkAlgorithmScores(t *testing.T, r *Result, isGMM bool) {
	t.Helper()
	for _, sc := range Scores() {
		v := sc.Get(r)
		gmmScore := strings.HasPrefix(sc.Name, "loglik") || sc.Name == "bic" || sc.Name == "aic" || sc.Name == "converged"
		switch {
		case sc.Name == "accuracy_manual":
		case gmmScore && !isGMM:
			if !math.IsNaN(v) {
				t.Errorf("%s: %s = %g, want NaN", r.Key(), sc.Name, v)
			}
		case math.IsNaN(v) || math.IsInf(v, 0):
			t.Errorf("%s: %s = %g, want a value (note %q)", r.Key(), sc.Name, v, r.Note)
		}
	}
	if r.Inertia <= 0 || r.NonEmpty != r.Clusters {
		t.Errorf("%s: inertia %g, %d non-empty clusters", r.Key(), r.Inertia, r.NonEmpty)
	}
}

// checkWardCut compares a ward cell's training labels with the cut of a
// hierarchy built here on the same embedding.
func checkWardCut(t *testing.T, sw *Sweep, r *Result) {
	t.Helper()
	g := sw.Groups([]int{sw.index[r.Cell]})[0]
	gc, err := sw.clustering(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := ward.Build(gc.xtr, gc.dim)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := tree.Cut(r.Clusters)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(labels) != fmt.Sprint(r.TrainLabels) {
		t.Errorf("%s: training labels differ from the cut of the fold's hierarchy", r.Key())
	}
}

func TestAlgorithmConfigErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"grid: {algorithm: [kmeans, spectral]}", `grid.algorithm[1]: unknown algorithm "spectral"`},
		{"grid: {algorithm: [gmm, gmm]}", "grid.algorithm: gmm listed twice"},
		{"gmm: {covariance: round}", `gmm.covariance: unknown value "round"`},
		{"gmm: {n_init: -1}", "gmm.n_init: -1 is below 1"},
	} {
		_, err := ParseConfig([]byte(tc.yaml), "test.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.yaml, err, tc.want)
		}
	}
	c := mustConfig(t, strings.Replace(algorithmGrid, "[kmeans, gmm, ward]", "[kmeans]", 1))
	if len(c.Grid.Axes) != 0 {
		t.Errorf("grid.algorithm: [kmeans] makes axes %v, want none", c.Grid.Axes)
	}
}

// TestDataErrorsWhere checks the errors NewSweep finds once the data is
// read: they name the line of the field (or the override) and, when the
// grid has data axes, the data variant, but not the axes that do not
// change the rows (an algorithm axis used to prefix "algorithm=kmeans:").
func TestDataErrorsWhere(t *testing.T) {
	d := blobs(t, 10) // 10 rows per class
	for _, tc := range []struct {
		name, yaml string
		overrides  []string
		want       string
	}{
		{"algorithm axis", "name: x\ngrid: {components: [2], clusters: [3], folds: 11, algorithm: [kmeans, ward]}\n", nil,
			"test.yaml:2: grid.folds: 11 is more than the 10 rows of class 0"},
		{"data axis", "name: x\ngrid:\n  components: [2]\n  clusters: [3]\n  folds: 3\n  algorithm: [kmeans, gmm]\n  data.balance: [4, 2]\n", nil,
			"test.yaml:5: data.balance=2: grid.folds: 3 is more than the 2 rows of class 0"},
		{"override", "name: x\ngrid: {components: [2], clusters: [3], folds: 2}\n", []string{"grid.clusters=[30]"},
			"override 1 (grid.clusters=[30]): grid.clusters: 30 is more than the 25 training rows of a fold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tc.yaml), "test.yaml", tc.overrides...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = NewSweep(cfg, d)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if got := cfg.Locate(err).Error(); got != tc.want {
				t.Errorf("error\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
