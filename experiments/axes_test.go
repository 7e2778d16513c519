package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseCellRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in      string
		hasFold bool
		fold    int
		axes    int
	}{
		{"pca-2-7", false, 0, 0},
		{"pca-2-7/fold3", true, 3, 0},
		{"svd-5-15/seed=2", false, 0, 1},
		{"pca-2-7/seed=2/data.scale=unit/fold0", true, 0, 2},
		{"pca-2-7/data.balance=min/kmeans.tol=0.0001", false, 0, 2},
	} {
		c, hasFold, err := ParseCell(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if hasFold != tc.hasFold || c.Fold != tc.fold || c.Axes.Len() != tc.axes {
			t.Errorf("%s: fold %v %d, %d axes", tc.in, hasFold, c.Fold, c.Axes.Len())
		}
		got := c.Name()
		if hasFold {
			got = c.Key()
		}
		if got != tc.in {
			t.Errorf("%s: written back as %s", tc.in, got)
		}
	}
}

func TestParseCellErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"pca", `cell "pca": want reducer-components-clusters, e.g. pca-2-7`},
		{"pca-x-7", `cell "pca-x-7": want reducer-components-clusters, e.g. pca-2-7`},
		{"pca-2-0", `cell "pca-2-0": want reducer-components-clusters, e.g. pca-2-7`},
		{"pca-2-7/seed", `cell "pca-2-7/seed": "seed" is not key=value`},
		{"pca-2-7/seed=", `cell "pca-2-7/seed=": "seed=" is not key=value`},
		{"pca-2-7/fold-1", `cell "pca-2-7/fold-1": "fold-1" is not fold<n>`},
		{"pca-2-7/fold01", `cell "pca-2-7/fold01": "fold01" is not fold<n>`},
	} {
		if _, _, err := ParseCell(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func FuzzParseCell(f *testing.F) {
	for _, s := range []string{"pca-2-7", "pca-2-7/fold1", "svd-3-5/seed=2/data.scale=unit/fold4", "a-b-c", "-1-2", "x-1-2/=", "pca-2-7/a=b/c=d/e=f/g=h/i=j/k=l/m=n/o=p/q=r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, hasFold, err := ParseCell(s)
		if err != nil {
			return
		}
		// Whatever parses writes back to something that parses to the
		// same cell.
		back := c.Name()
		if hasFold {
			back = c.Key()
		}
		c2, hasFold2, err := ParseCell(back)
		if err != nil || c2 != c || hasFold2 != hasFold {
			t.Fatalf("%q -> %q -> %+v %v (%v)", s, back, c2, hasFold2, err)
		}
	})
}

// axisGrid is smallGrid with one extra axis line.
func axisGrid(axis string) string {
	return strings.Replace(smallGrid, "folds: 3}", "folds: 3, "+axis+"}", 1)
}

// TestAxisKinds runs a grid with one extra axis of each kind and checks
// that each variant's results equal those of a sweep with that value as
// the plain config value (the axis changes nothing but the key), and
// that the values differ from each other where they should.
func TestAxisKinds(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	for _, tc := range []struct {
		name, axis string
		values     []string
		plain      func(v string) string // the config with v in place
		// stages: shared scaling and reduction stages; a data axis gets
		// its own per value, any other axis shares them.
		stages int
	}{
		{"seed", "seed: [9, 10]", []string{"9", "10"},
			func(v string) string { return strings.Replace(smallGrid, "seed: 9", "seed: "+v, 1) }, 2 * (3 + 3*2)},
		{"data.scale", "data.scale: [minmax, unit]", []string{"minmax", "unit"},
			func(v string) string { return strings.Replace(smallGrid, "balance: min", "balance: min, scale: "+v, 1) }, 2 * (3 + 3*2)},
		{"kmeans.n_init", "kmeans.n_init: [1, 2]", []string{"1", "2"},
			func(v string) string { return strings.Replace(smallGrid, "n_init: 2", "n_init: "+v, 1) }, 3 + 3*2},
		{"data.balance", "data.balance: [7, min]", []string{"7", "min"},
			func(v string) string { return strings.Replace(smallGrid, "balance: min", "balance: "+v, 1) }, 2 * (3 + 3*2)},
		{"silhouette.sample", "silhouette.sample: [0, 8]", []string{"0", "8"},
			func(v string) string { return smallGrid + "silhouette: {sample: " + v + "}\n" }, 3 + 3*2},
		// Issue 19's options. Per-image scaling adds one shared stage (the
		// scaled copy of the rows) to its variant.
		{"data.scale", "data.scale: [minmax, image]", []string{"minmax", "image"},
			func(v string) string { return strings.Replace(smallGrid, "balance: min", "balance: min, scale: "+v, 1) }, 2*(3+3*2) + 1},
		{"data.balance_take", "data.balance_take: [hash, first]", []string{"hash", "first"},
			func(v string) string {
				return strings.Replace(smallGrid, "balance: min", "balance: min, balance_take: "+v, 1)
			}, 2 * (3 + 3*2)},
		{"silhouette.rows", "silhouette.rows: [test, train]", []string{"test", "train"},
			func(v string) string { return smallGrid + "silhouette: {rows: " + v + "}\n" }, 3 + 3*2},
		{"kmeans.init", "kmeans.init: [k-means++, random]", []string{"k-means++", "random"},
			func(v string) string { return strings.Replace(smallGrid, "n_init: 2", "n_init: 2, init: "+v, 1) }, 3 + 3*2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustConfig(t, axisGrid(tc.axis))
			if len(cfg.Grid.Axes) != 1 || cfg.Grid.Axes[0].Key != tc.name || !slices.Equal(cfg.Grid.Axes[0].Values, tc.values) {
				t.Fatalf("axes %+v", cfg.Grid.Axes)
			}
			sw, err := NewSweep(cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sw.Run(context.Background(), 2, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 2*36 {
				t.Fatalf("%d results, want 72", len(res))
			}
			if n := len(sw.Timings()); n != tc.stages {
				t.Errorf("%d shared stages, want %d", n, tc.stages)
			}
			var printed []string
			for vi, v := range tc.values {
				got := res[vi*36 : (vi+1)*36]
				if k, _ := got[0].Axes.Get(tc.name); k != v {
					t.Fatalf("variant %d has %s=%s, want %s", vi, tc.name, k, v)
				}
				plain, err := NewSweep(mustConfig(t, tc.plain(v)), d)
				if err != nil {
					t.Fatal(err)
				}
				want, err := plain.Run(context.Background(), 1, nil)
				if err != nil {
					t.Fatal(err)
				}
				printed = append(printed, fmt.Sprint(valuesOf(got)))
				if a, b := printed[vi], fmt.Sprint(valuesOf(want)); a != b {
					t.Errorf("%s=%s: results differ from the plain config with that value", tc.name, v)
				}
			}
			if printed[0] == printed[1] {
				t.Errorf("both values of %s give the same results", tc.name)
			}
		})
	}
}

// valuesOf returns every result's scores, cell without axes and labels.
func valuesOf(rs []*Result) [][]string {
	out := make([][]string, len(rs))
	for i, r := range rs {
		c := r.Cell
		c.Axes = Axes{}
		out[i] = append([]string{c.Key(), fmt.Sprint(r.TrainLabels, r.TestLabels)}, ResultValues(r)...)
	}
	return out
}

func TestAxisErrors(t *testing.T) {
	for _, tc := range []struct{ name, axis, want string }{
		{"unknown key", "colour: [red]", `test.yaml:4: grid.colour: unknown field (want one of reducer, components, clusters, folds, holdout, holdout_stratify, algorithm, features, or a config key as an extra axis, such as seed or kmeans.n_init)`},
		{"unknown nested key", "kmeans.n_inits: [1, 2]", `test.yaml:4: grid.kmeans.n_inits: unknown field (did you mean n_init?)`},
		{"not a scalar", "data.usage: [Training]", `test.yaml:4: grid.data.usage: not a scalar setting; only scalar keys can be axes`},
		{"mapping", "kmeans: [1]", `test.yaml:4: grid.kmeans: not a scalar setting; only scalar keys can be axes`},
		{"workers", "workers: [1, 2]", `test.yaml:4: grid.workers: workers cannot be an axis: it does not change results`},
		{"data path", "data.path: [a.csv, b.csv]", `test.yaml:4: grid.data.path: data.path cannot be an axis: a sweep reads one dataset`},
		{"bad value", "data.scale: [minmax, zscore]", `test.yaml:4: grid.data.scale[1]: data.scale: unknown value "zscore" (want minmax, image, unit or none)`},
		{"bad type", "seed: [1, x]", `test.yaml:4: grid.seed[1]: "x" is not an integer`},
		{"same value twice", "kmeans.tol: [1e-4, 0.0001]", `test.yaml:4: grid.kmeans.tol: 0.0001 listed twice`},
		{"empty", "seed: []", `test.yaml:4: grid.seed: empty`},
		{"nested list", "seed: [[1]]", `test.yaml:4: grid.seed[0]: want a scalar value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(axisGrid(tc.axis)), "test.yaml")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant  %s", err, tc.want)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	base := []byte("name: o\ngrid:\n  components: [2]\n  clusters: [3, 4]\n")
	for _, tc := range []struct {
		name string
		args []string
		chk  func(c *Config) bool
	}{
		{"scalar", []string{"seed=2"}, func(c *Config) bool { return c.Seed == 2 }},
		{"list", []string{"grid.clusters=[5,6,7]"}, func(c *Config) bool { return slices.Equal(c.Grid.Clusters, IntList{5, 6, 7}) }},
		{"range", []string{"grid.clusters={from: 5, to: 7}"}, func(c *Config) bool { return slices.Equal(c.Grid.Clusters, IntList{5, 6, 7}) }},
		{"axis", []string{"grid.seed=[1,2,3]"}, func(c *Config) bool {
			return len(c.Grid.Axes) == 1 && slices.Equal(c.Grid.Axes[0].Values, []string{"1", "2", "3"}) && len(c.Cells()) == 3*2
		}},
		{"balance", []string{"data.balance=200"}, func(c *Config) bool { return c.Data.Balance.N == 200 }},
		{"nested keeps siblings", []string{"kmeans.n_init=3"}, func(c *Config) bool { return c.KMeans.NInit == 3 && c.KMeans.MaxIter == 300 }},
		{"last wins", []string{"seed=2", "seed=5"}, func(c *Config) bool { return c.Seed == 5 }},
		{"axis replaced", []string{"grid.seed=[1,2]", "grid.seed=[7]"}, func(c *Config) bool {
			return len(c.Grid.Axes) == 1 && slices.Equal(c.Grid.Axes[0].Values, []string{"7"})
		}},
		// The named axes, as grid: in a file declares them.
		{"algorithm axis", []string{"grid.algorithm=[kmeans,gmm]"}, func(c *Config) bool {
			return len(c.Cells()) == 2*2 && slices.ContainsFunc(c.Cells(), func(x Cell) bool { return x.Name() == "pca-2-3/algorithm=gmm" })
		}},
		{"one algorithm", []string{"grid.algorithm=ward"}, func(c *Config) bool {
			v, _ := c.Variant(c.Cells()[0].Axes)
			return len(c.Cells()) == 2 && v.Algorithm == Ward
		}},
		{"features axis", []string{"grid.features=[pixels,hog]"}, func(c *Config) bool { return len(c.Cells()) == 2*2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig(base, "o.yaml", tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.chk(&c) {
				t.Errorf("%v: config %+v", tc.args, c)
			}
		})
	}
}

func TestOverrideErrors(t *testing.T) {
	base := []byte("grid:\n  components: [2]\n  clusters: [3, 4]\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"seed=2", "grid.clusterz=[5]"}, `override 2: grid.clusterz: unknown field (did you mean clusters?)`},
		{[]string{"colour=red"}, `override 1: colour: unknown field (want one of: name, seed, data, grid, kmeans, silhouette, gap, features, gmm, workers, report, mapping)`},
		{[]string{"kmeans.n_initt=3"}, `override 1: kmeans.n_initt: unknown field (did you mean n_init?)`},
		{[]string{"seed"}, `override 1: "seed" is not KEY=VALUE`},
		{[]string{"=3"}, `override 1: "=3" is not KEY=VALUE`},
		{[]string{"seed=abc"}, `override 1: seed: "abc" is not an integer`},
		{[]string{"grid.clusters=[5,"}, `override 1: grid.clusters: "[5," is not a YAML value: did not find expected node content`},
		{[]string{"grid.clusters=[1]"}, `override 1 (grid.clusters=[1]): grid.clusters: 1 is below 2`},
		{[]string{"grid.seed=[1, x]"}, `override 1: grid.seed[1]: "x" is not an integer`},
		{[]string{"grid.workers=[1,2]"}, `override 1: grid.workers: workers cannot be an axis: it does not change results`},
		{[]string{"grid.colour=[1]"}, `override 1: grid.colour: unknown field (want one of reducer, components, clusters, folds, holdout, holdout_stratify, algorithm, features, or a config key as an extra axis, such as seed or kmeans.n_init)`},
		{[]string{"grid.clusters.to=9"}, `override 1: grid.clusters.to: grid.clusters takes a whole value, as in grid.clusters=[5,6,7] or grid.clusters={from: 5, to: 15}`},
		{[]string{"data={scale: unit}"}, ``},
		{[]string{"grid.features.hog.orientations=[8, 12]"}, ``},
	} {
		_, err := ParseConfig(base, "o.yaml", tc.args...)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tc.args, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v: error %v\nwant  %s", tc.args, err, tc.want)
		}
	}
}

// A seed axis gives per-seed summaries and, after them, one summary per
// cell over seeds x folds.
func TestSummarizeOverSeeds(t *testing.T) {
	d := synthetic(t, []int{20, 12, 15, 9}, 0)
	cfg := mustConfig(t, axisGrid("seed: [9, 10, 11]"))
	sw, err := NewSweep(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sw.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	if len(sum) != 3*12+12 {
		t.Fatalf("%d summaries, want 48", len(sum))
	}
	pooled := sum[36:]
	sil := mustScore("silhouette")
	for _, p := range pooled {
		if p.Pooled != "seed" || p.Cell.Axes.Len() != 0 || p.Folds != 9 {
			t.Fatalf("pooled summary %s: pooled %q, %d folds", p.Cell.Name(), p.Pooled, p.Folds)
		}
		// The pooled mean is the mean of the per-seed means (equal folds).
		var m float64
		for _, s := range sum[:36] {
			c := s.Cell
			c.Axes = Axes{}
			if c == p.Cell {
				m += s.Stats[sil].Mean / 3
			}
		}
		if d := p.Stats[sil].Mean - m; d > 1e-12 || d < -1e-12 {
			t.Errorf("%s: pooled mean %v, mean of seed means %v", p.Cell.Name(), p.Stats[sil].Mean, m)
		}
		if p.Best {
			t.Errorf("%s: a pooled summary is marked best", p.Cell.Name())
		}
	}
}
