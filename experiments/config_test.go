package experiments

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
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

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown key", "name: x\ncolour: red\n", `c.yaml:2: unknown field "colour"`},
		{"unknown nested key", "data:\n  balanse: min\n", `c.yaml:2: unknown field "balanse"`},
		{"wrong type", "seed: abc\n", `c.yaml:1: cannot use str "abc" as uint64`},
		{"balance text", "data:\n  balance: most\n", `c.yaml:2: data.balance: "most" is not an integer, min or none`},
		{"range key", "grid:\n  clusters: {from: 2, upto: 5}\n", `c.yaml:2: unknown field "upto" (want from, to)`},
		{"empty range", "grid:\n  clusters: {from: 5, to: 2}\n", `c.yaml:2: range from 5 to 2 is empty`},
		{"clusters below 2", "grid:\n  components: [2]\n  clusters: [1]\n", `c.yaml: grid.clusters: 1 is below 2`},
		{"empty grid", "grid:\n  components: []\n  clusters: [3]\n", `c.yaml: grid.components: empty`},
		{"negative n_init", "grid: {components: [2], clusters: [3]}\nkmeans:\n  n_init: -1\n", `c.yaml: kmeans.n_init: -1 is below 1`},
		{"negative workers", "grid: {components: [2], clusters: [3]}\nworkers: -2\n", `c.yaml: workers: -2 is below 0`},
		{"reducer", "grid: {reducer: [ica], components: [2], clusters: [3]}\n", `c.yaml: grid.reducer: unknown value "ica" (want pca or svd)`},
		{"scale", "data: {scale: zscore}\ngrid: {components: [2], clusters: [3]}\n", `c.yaml: data.scale: unknown value "zscore" (want minmax, unit or none)`},
		{"usage", "data: {usage: [Test]}\ngrid: {components: [2], clusters: [3]}\n", `c.yaml: data.usage: unknown value "Test" (want Training, PublicTest or PrivateTest)`},
		{"folds", "grid: {components: [2], clusters: [3], folds: 0}\n", `c.yaml: grid.folds: 0 is below 1`},
		{"silhouette sample", "grid: {components: [2], clusters: [3]}\nsilhouette: {sample: 1}\n", `c.yaml: silhouette.sample: 1 is below 2 (0 scores all rows)`},
		{"negative silhouette sample", "grid: {components: [2], clusters: [3]}\nsilhouette: {sample: -5}\n", `c.yaml: silhouette.sample: -5 is below 2 (0 scores all rows)`},
		{"two documents", "grid: {components: [2], clusters: [3]}\n---\nname: y\n", `c.yaml:2: more than one YAML document`},
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
	for _, name := range []string{"fer2013.yaml", "quick.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "configs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("grid: {clusters: {from: 0, to: 99999999}}"))
	f.Add([]byte("data: {balance: [1]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b, "fuzz.yaml")
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseConfig accepted a config that Validate refuses: %v", err)
		}
		_ = c.Cells()
	})
}
