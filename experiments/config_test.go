package experiments

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig([]byte(`
name: t
seed: 7
data:
  usage: [Training]
  balance: min
grid:
  reducer: [pca, svd]
  components: {from: 2, to: 5}
  clusters: [7, 5]
  folds: 5
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Seed != 7 || !c.Data.Balance.Min || c.Grid.Folds != 5 {
		t.Errorf("decoded %+v", c)
	}
	if !reflect.DeepEqual([]int(c.Grid.Components), []int{2, 3, 4, 5}) {
		t.Errorf("components %v", c.Grid.Components)
	}
	// Defaults are scikit-learn's KMeans defaults and min-max scaling.
	if c.KMeans.NInit != 10 || c.KMeans.MaxIter != 300 || c.KMeans.Tol != 1e-4 || c.Data.Scale != "minmax" {
		t.Errorf("defaults not applied: %+v %q", c.KMeans, c.Data.Scale)
	}
	if got := len(c.Cells()); got != 2*4*2*5 {
		t.Errorf("%d cells, want 80", got)
	}
	if got, want := c.Cells()[0].Key(), "pca-2-5/fold0"; got != want {
		t.Errorf("first cell %s, want %s", got, want)
	}
}

// A range ending at MaxInt64 wrapped v++ and appended until memory ran
// out; it now holds its values and stops.
func TestRangeEndsAtMaxInt(t *testing.T) {
	var l IntList
	for _, tc := range []struct {
		yaml string
		want []int
	}{
		{"{from: 9223372036854775805, to: 9223372036854775807}", []int{9223372036854775805, 9223372036854775806, 9223372036854775807}},
		{"{from: -9223372036854775808, to: -9223372036854775807}", []int{-9223372036854775808, -9223372036854775807}},
		{"{from: 9223372036854775807, to: 9223372036854775807}", []int{9223372036854775807}},
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tc.yaml), &n); err != nil {
			t.Fatal(err)
		}
		if err := l.UnmarshalYAML(n.Content[0]); err != nil || !reflect.DeepEqual([]int(l), tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.yaml, l, err, tc.want)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown key", "name: x\ncolour: red\n", `c.yaml:2: colour: unknown field (want one of: name, seed, data, grid, kmeans, silhouette, gap, features, gmm, workers, report, mapping)`},
		{"unknown nested key", "data:\n  balanse: min\n", `c.yaml:2: data.balanse: unknown field (did you mean balance?)`},
		{"wrong type", "seed: abc\n", `c.yaml:1: seed: "abc" is not an integer`},
		{"balance text", "data:\n  balance: most\n", `c.yaml:2: data.balance: "most" is not an integer, min or none`},
		{"range key", "grid:\n  clusters: {from: 2, upto: 5}\n", `c.yaml:2: grid.clusters: unknown field "upto" (want from, to)`},
		{"empty range", "grid:\n  clusters: {from: 5, to: 2}\n", `c.yaml:2: grid.clusters: range from 5 to 2 is empty`},
		{"clusters below 2", "grid:\n  components: [2]\n  clusters: [1]\n", `c.yaml:3: grid.clusters: 1 is below 2`},
		{"empty grid", "grid:\n  components: []\n  clusters: [3]\n", `c.yaml:2: grid.components: empty`},
		{"negative n_init", "grid: {components: [2], clusters: [3]}\nkmeans:\n  n_init: -1\n", `c.yaml:3: kmeans.n_init: -1 is below 1`},
		{"negative workers", "grid: {components: [2], clusters: [3]}\nworkers: -2\n", `c.yaml:2: workers: -2 is below 0`},
		{"reducer", "grid: {reducer: [ica], components: [2], clusters: [3]}\n", `c.yaml:1: grid.reducer: unknown value "ica" (want pca or svd)`},
		{"scale", "data: {scale: zscore}\ngrid: {components: [2], clusters: [3]}\n", `c.yaml:1: data.scale: unknown value "zscore" (want minmax, image, unit or none)`},
		{"usage", "data: {usage: [Test]}\ngrid: {components: [2], clusters: [3]}\n", `c.yaml:1: data.usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`},
		{"folds", "grid: {components: [2], clusters: [3], folds: 0}\n", `c.yaml:1: grid.folds: 0 is below 1`},
		{"silhouette sample", "grid: {components: [2], clusters: [3]}\nsilhouette: {sample: 1}\n", `c.yaml:2: silhouette.sample: 1 is below 2 (0 scores all rows)`},
		{"negative silhouette sample", "grid: {components: [2], clusters: [3]}\nsilhouette: {sample: -5}\n", `c.yaml:2: silhouette.sample: -5 is below 2 (0 scores all rows)`},
		{"negative gap b", "grid: {components: [2], clusters: [3]}\ngap: {b: -1}\n", `c.yaml:2: gap.b: -1 is outside 0..1000 (0 turns the gap statistic off)`},
		{"huge gap b", "grid: {components: [2], clusters: [3]}\ngap: {b: 1001}\n", `c.yaml:2: gap.b: 1001 is outside 0..1000 (0 turns the gap statistic off)`},
		{"two documents", "grid: {components: [2], clusters: [3]}\n---\nname: y\n", `c.yaml:2: more than one YAML document`},
		// Ranges near MaxInt64: to-from overflows int and v++ wraps.
		{"range to MaxInt64", "grid:\n  components: [2]\n  clusters: {from: 2, to: 9223372036854775807}\n", `c.yaml:3: grid.clusters: range from 2 to 9223372036854775807 has more than 65536 values`},
		{"range from MinInt64", "grid:\n  components: {from: -9223372036854775808, to: 9223372036854775807}\n", `c.yaml:2: grid.components: range from -9223372036854775808 to 9223372036854775807 has more than 65536 values`},
		{"range from MinInt64 to 0", "grid:\n  components: {from: -9223372036854775808, to: 0}\n", `c.yaml:2: grid.components: range from -9223372036854775808 to 0 has more than 65536 values`},
		{"range too big for int64", "grid:\n  components: {from: 1, to: 9223372036854775808}\n", `c.yaml:2: grid.components: to: "9223372036854775808" is not an integer`},
		{"range of floats", "grid:\n  components: {from: 1.5, to: 3}\n", `c.yaml:2: grid.components: from: "1.5" is not an integer`},
		{"list float", "grid:\n  components: [2, 2.5]\n", `c.yaml:2: grid.components: "2.5" is not an integer`},
		// Floats: finite and in range.
		{"tol inf", "grid: {components: [2], clusters: [3]}\nkmeans: {tol: .inf}\n", `c.yaml:2: kmeans.tol: +Inf is not a finite number`},
		{"tol -inf", "grid: {components: [2], clusters: [3]}\nkmeans: {tol: -.inf}\n", `c.yaml:2: kmeans.tol: -Inf is not a finite number`},
		{"tol nan", "grid: {components: [2], clusters: [3]}\nkmeans: {tol: .nan}\n", `c.yaml:2: kmeans.tol: NaN is not a finite number`},
		{"tol negative", "grid: {components: [2], clusters: [3]}\nkmeans: {tol: -1e-3}\n", `c.yaml:2: kmeans.tol: -0.001 is below 0`},
		{"tol overflow", "grid: {components: [2], clusters: [3]}\nkmeans: {tol: 1e999}\n", `c.yaml:2: kmeans.tol: 1e999 is too large a number`},
		// yaml.v3 truncates a float into an int field; every int field refuses it.
		{"folds 2.5", "grid: {components: [2], clusters: [3], folds: 2.5}\n", `c.yaml:1: grid.folds: 2.5 is not an integer`},
		{"folds 3.0", "grid:\n  folds: 3.0\n", `c.yaml:2: grid.folds: 3.0 is not an integer`},
		{"seed 1.5", "seed: 1.5\n", `c.yaml:1: seed: 1.5 is not an integer`},
		{"seed 1e19", "seed: 1e19\n", `c.yaml:1: seed: 1e19 is not an integer`},
		{"seed null", "seed:\n", `c.yaml:1: seed: no value (want an integer)`},
		{"n_init 2.9", "kmeans:\n  n_init: 2.9\n", `c.yaml:2: kmeans.n_init: 2.9 is not an integer`},
		{"max_iter 1e3", "kmeans:\n  max_iter: 1e3\n", `c.yaml:2: kmeans.max_iter: 1e3 is not an integer`},
		{"workers 0.5", "workers: 0.5\n", `c.yaml:1: workers: 0.5 is not an integer`},
		{"silhouette sample", "silhouette:\n  sample: 100.5\n", `c.yaml:2: silhouette.sample: 100.5 is not an integer`},
		{"data size", "data:\n  size: 28.5\n", `c.yaml:2: data.size: 28.5 is not an integer`},
		{"data max_bytes", "data:\n  max_bytes: 1.5e9\n", `c.yaml:2: data.max_bytes: 1.5e9 is not an integer`},
		{"balance 2.5", "data:\n  balance: 2.5\n", `c.yaml:2: data.balance: "2.5" is not an integer, min or none`},
		{"mapping fold", "mapping:\n  - cell: pca-2-3\n    fold: 0.5\n", `c.yaml:3: mapping[0].fold: 0.5 is not an integer`},
		{"mapping cluster key", "mapping:\n  - cell: pca-2-3\n    clusters: {0: Happy, 1.5: Sad}\n", `c.yaml:3: mapping[0].clusters: 1.5 is not an integer`},
		{"float through an alias", "x: &f 2.5\n", `c.yaml:1: x: unknown field`},
		{"float through a merge key", "base: &b {folds: 2.5}\n", `c.yaml:1: base: unknown field`},
		{"float in a merged mapping", "grid:\n  <<: {folds: 2.5}\n", `c.yaml:2: grid.folds: 2.5 is not an integer`},
		{"float through an anchor", "data: {size: &s 2.5}\ngrid: {folds: *s}\n", `c.yaml:1: data.size: 2.5 is not an integer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), "c.yaml")
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestValidationErrorsWhere checks where Validate's messages say a field
// was set: the override that set it, else file:line of its key, else the
// file; and that every message of several gets its own place.
func TestValidationErrorsWhere(t *testing.T) {
	const base = "name: x\ngrid:\n  components: [2]\n  clusters: [3]\n  folds: 2\nkmeans:\n  n_init: 4\n"
	for _, tc := range []struct {
		name, yaml string
		overrides  []string
		want       string
	}{
		{"file line", base + "workers: -1\n", nil, "c.yaml:8: workers: -1 is below 0"},
		{"override", base, []string{"kmeans.n_init=-1"}, "override 1 (kmeans.n_init=-1): kmeans.n_init: -1 is below 1"},
		{"override of a parent", base, []string{"seed=3", "grid={components: [2], clusters: [3], folds: 0}"},
			"override 2 (grid={components: [2], clusters: [3], folds: 0}): grid.folds: 0 is below 1"},
		{"first of two overrides", base, []string{"grid.clusters=[1]", "seed=2"},
			"override 1 (grid.clusters=[1]): grid.clusters: 1 is below 2"},
		{"unrelated override", base + "workers: -1\n", []string{"kmeans.n_init=3"}, "c.yaml:8: workers: -1 is below 0"},
		{"two messages", base + "workers: -1\ngap: {b: -1}\n", nil,
			"c.yaml:9: gap.b: -1 is outside 0..1000 (0 turns the gap statistic off)\nc.yaml:8: workers: -1 is below 0"},
		{"through a merge", "name: x\ngrid: {components: [2], clusters: [3]}\nkmeans:\n  <<: {n_init: -1}\n", nil,
			"c.yaml:4: kmeans.n_init: -1 is below 1"},
		{"list element", base + "mapping:\n  - cell: pca-2-3\n    fold: 7\n    clusters: {0: Happy}\n", nil,
			"c.yaml:10: mapping[0].fold: 7 is not a fold (0..1)"},
		{"no key of its own", "name: x\ngrid: {components: [2], clusters: [3], folds: 0}\nkmeans: {n_init: 4}\n", nil,
			"c.yaml:2: grid.folds: 0 is below 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), "c.yaml", tc.overrides...)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Fatalf("error\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

// The committed configs parse and expand to the documented sizes.
func TestCommittedConfigs(t *testing.T) {
	for _, tc := range []struct {
		file  string
		cells int
	}{
		{"fer2013.yaml", 440},             // 2 reducers x 4 components x 11 clusters x 5 folds
		{"quick.yaml", 36},                // 2 x 2 x 3 x 3
		{"fer2013-full.yaml", 440},        // 2 x 4 x 11 x 5
		{"fer2013-full-nofolds.yaml", 88}, // 2 x 4 x 11 x 1
		{"seed-notebook.yaml", 88},        // 2 x 4 x 11 x 1 hold-out
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, err := LoadConfig(filepath.Join("..", "configs", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(c.Cells()); got != tc.cells {
				t.Errorf("%d cells, want %d", got, tc.cells)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"fer2013.yaml", "quick.yaml", "seed-notebook.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "configs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("grid: {clusters: {from: 0, to: 99999999}}"))
	f.Add([]byte("data: {balance: [1]}"))
	// Ranges at the ends of int64, floats in int fields, non-finite floats.
	for _, s := range []string{
		"grid: {components: [2], clusters: {from: 2, to: 9223372036854775807}}",
		"grid: {components: {from: -9223372036854775808, to: -9223372036854775800}, clusters: [2]}",
		"grid: {components: {from: 9223372036854775800, to: 9223372036854775807}, clusters: [2]}",
		"grid: {components: [2], clusters: [3], folds: 2.5}",
		"seed: 1.5\nkmeans: {n_init: 2.9, max_iter: 1e3, tol: .inf}",
		"kmeans: {tol: .nan}\nsilhouette: {sample: 1e2}\ndata: {size: 4.0, max_bytes: 1e9}",
		"mapping: [{cell: pca-2-3, fold: 0.5, clusters: {1.5: a}}]",
		"a: &x 2.5\ngrid: {folds: *x, <<: {folds: 1.5}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b, "fuzz.yaml")
		if err != nil {
			checkLocated(t, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseConfig accepted a config that Validate refuses: %v", err)
		}
		_ = c.Cells()
	})
}

// checkLocated fails unless every line of err says where: the file
// (fuzz.yaml, with or without a line) or an override.
func checkLocated(t *testing.T, err error) {
	t.Helper()
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, "fuzz.yaml") && !strings.HasPrefix(line, "override ") {
			t.Fatalf("error line %q says neither the file nor the override", line)
		}
	}
}

// FuzzOverrides applies two command-line overrides over a config: never a
// panic, every error says where, and what is accepted validates.
func FuzzOverrides(f *testing.F) {
	const base = "name: x\ngrid: {components: [2], clusters: [3], folds: 2}\n"
	for _, o := range [][2]string{
		{"seed=2", "grid.clusters=[5,6,7]"},
		{"grid.folds=0", "kmeans.n_init=-1"},
		{"grid.seed=[1,2]", "grid.algorithm=[kmeans, gmm]"},
		{"grid.clusters={from: 2, to: 9223372036854775807}", "data.balance=min"},
		{"features.hog.orientations=0", "grid.features=[hog]"},
		{"grid=", "=1"},
		{"grid.=[1]", "grid.grid.seed=[1]"},
		{"mapping=[{cell: pca-2-3, fold: 5, clusters: {0: a}}]", "report.inspect=[x]"},
	} {
		f.Add([]byte(base), o[0], o[1])
	}
	f.Fuzz(func(t *testing.T, b []byte, o1, o2 string) {
		c, err := ParseConfig(b, "fuzz.yaml", o1, o2)
		if err != nil {
			checkLocated(t, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseConfig accepted a config that Validate refuses: %v", err)
		}
		_ = c.Cells()
	})
}

// TestLoadConfigLimit: a config past MaxConfigBytes is refused after
// reading MaxConfigBytes+1 bytes.
func TestLoadConfigLimit(t *testing.T) {
	dir := t.TempDir()
	path := writeConfigFile(t, dir, "big.yaml", []byte("name: x\n"+strings.Repeat("#", MaxConfigBytes)))
	if _, err := LoadConfig(path); err == nil || err.Error() != "read config: "+path+" is larger than 1 MiB, the limit for a config file" {
		t.Errorf("big config: %v", err)
	}
	// /dev/zero, which never ends, is left to the check that config and
	// model paths are regular files; the bound covers files that grow.
}

func writeConfigFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigErrorsPlain checks issue 17's plain-language config errors,
// each exactly: file:line, the field, what was found and what was wanted;
// a tab explained; the nearest key suggested for an unknown one.
func TestConfigErrorsPlain(t *testing.T) {
	grid := "grid: {components: [2], clusters: [3]}\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"seed text", "seed: abc\n", `c.yaml:1: seed: "abc" is not an integer`},
		{"seed negative", "seed: -1\n", `c.yaml:1: seed: -1 is below 0`},
		{"seed list", "seed: [1, 2]\n", `c.yaml:1: seed: found a list, want an integer`},
		{"tol text", grid + "kmeans: {tol: small}\n", `c.yaml:2: kmeans.tol: "small" is not a number`},
		{"tol overflow", grid + "kmeans: {tol: 1e999}\n", `c.yaml:2: kmeans.tol: 1e999 is too large a number`},
		{"bool text", grid + "report: {assignments: maybe}\n", `c.yaml:2: report.assignments: "maybe" is not true or false`},
		{"string list", "name: [a, b]\n", `c.yaml:1: name: found a list, want one value`},
		{"mapping text", "data: fer.csv\n", `c.yaml:1: data: found "fer.csv", want a mapping of keys (path, format, size, labels, images, on_bad_image, usage, balance, balance_take, scale, label_names, max_bytes)`},
		{"unknown key suggested", "name: x\nseeds: 3\n", `c.yaml:2: seeds: unknown field (did you mean seed?)`},
		{"unknown nested key suggested", "data:\n  balanse: min\n", `c.yaml:2: data.balanse: unknown field (did you mean balance?)`},
		{"unknown key listed", "colour: red\n", `c.yaml:1: colour: unknown field (want one of: name, seed, data, grid, kmeans, silhouette, gap, features, gmm, workers, report, mapping)`},
		{"grid key suggested", "grid: {reducers: [pca], components: [2], clusters: [3]}\n", `c.yaml:1: grid.reducers: unknown field (did you mean reducer?)`},
		{"tab", "name: x\ngrid:\n\tcomponents: [2]\n", `c.yaml:3: a tab character: YAML indents with spaces only; replace the tab with spaces`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), "c.yaml")
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n  %v\nwant\n  %s", err, tc.want)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	known := []string{"reducer", "components", "clusters", "folds"}
	for _, tc := range []struct{ in, want string }{
		{"reducers", "reducer"}, {"componets", "components"}, {"cluster", "clusters"}, {"fold", "folds"},
		{"colour", ""}, {"x", ""}, {"", ""},
	} {
		if got := nearest(tc.in, known); got != tc.want {
			t.Errorf("nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
