package experiments

import (
	"strings"
	"testing"
)

// The options of issue 19 are validated with errors naming their field.
func TestNotebookOptionErrors(t *testing.T) {
	const g = "grid: {components: [2], clusters: [3]}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"balance_take", g + "data: {balance_take: last}\n", `c.yaml:2: data.balance_take: unknown value "last" (want hash or first)`},
		{"kmeans init", g + "kmeans: {init: kmeans++}\n", `c.yaml:2: kmeans.init: unknown value "kmeans++" (want k-means++ or random)`},
		{"silhouette rows", g + "silhouette: {rows: held}\n", `c.yaml:2: silhouette.rows: unknown value "held" (want test, train or all)`},
		{"holdout 1", "grid: {components: [2], clusters: [3], holdout: 1}\n", `c.yaml:1: grid.holdout: 1 is not a fraction above 0 and below 1`},
		{"holdout negative", "grid: {components: [2], clusters: [3], holdout: -0.1}\n", `c.yaml:1: grid.holdout: -0.1 is not a fraction above 0 and below 1`},
		{"holdout nan", "grid: {components: [2], clusters: [3], holdout: .nan}\n", `c.yaml:1: grid.holdout: NaN is not a fraction above 0 and below 1`},
		{"holdout and folds", "grid: {components: [2], clusters: [3], holdout: 0.1, folds: 5}\n",
			`c.yaml:1: grid.holdout and grid.folds: both set (holdout 0.1, folds 5); a hold-out split replaces the folds, so leave folds unset or 1`},
		{"stratify alone", "grid: {components: [2], clusters: [3], holdout_stratify: false}\n", `c.yaml:1: grid.holdout_stratify: set without grid.holdout`},
		{"stratify not bool", "grid: {components: [2], clusters: [3], holdout: 0.1, holdout_stratify: maybe}\n", `c.yaml:1: grid.holdout_stratify: "maybe" is not true or false`},
		{"holdout not a number", "grid: {components: [2], clusters: [3], holdout: tenth}\n", `c.yaml:1: grid.holdout: "tenth" is not a number`},
		{"holdout axis", "grid: {components: [2], clusters: [3], grid.holdout: [0.1]}\n", `grid.grid.holdout: grid.holdout cannot be an axis`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// Valid spellings parse; holdout with folds 1 is accepted; the new keys
// are axes, the data ones data axes.
func TestNotebookOptionsParse(t *testing.T) {
	c, err := ParseConfig([]byte(`
data: {balance_take: first, scale: image}
grid:
  components: [2]
  clusters: [3]
  folds: 1
  holdout: 0.1
  holdout_stratify: false
  data.scale: [minmax, image]
  data.balance_take: [hash, first]
  silhouette.rows: [test, train, all]
  kmeans.init: [k-means++, random]
kmeans: {init: random}
silhouette: {rows: train}
`), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Grid.Holdout != 0.1 || c.Grid.HoldoutStratified() || c.Data.BalanceTake != "first" || c.KMeans.Init != "random" || c.Silhouette.Rows != "train" {
		t.Errorf("parsed %+v %+v %+v %+v", c.Grid, c.Data, c.KMeans, c.Silhouette)
	}
	if n := len(c.Cells()); n != 2*2*3*2 {
		t.Errorf("%d cells, want 24", n)
	}
	for key, data := range map[string]bool{"data.scale": true, "data.balance_take": true, "silhouette.rows": false, "kmeans.init": false} {
		if IsDataAxis(key) != data {
			t.Errorf("IsDataAxis(%s) = %v", key, !data)
		}
	}
	d, err := ParseConfig([]byte("grid: {components: [2], clusters: [3], holdout: 0.25}\n"), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Grid.HoldoutStratified() || d.Grid.Folds != 1 {
		t.Errorf("holdout_stratify unset: stratified %v, folds %d", d.Grid.HoldoutStratified(), d.Grid.Folds)
	}
	// The holdout keys survive an override and a copy (Variant) keeps them.
	e, err := ParseConfig([]byte("grid: {components: [2], clusters: [3]}\n"), "e.yaml", "grid.holdout=0.2", "grid.holdout_stratify=false")
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Variant(Axes{})
	if err != nil || v.Grid.Holdout != 0.2 || v.Grid.HoldoutStratified() {
		t.Errorf("override: holdout %v stratified %v (%v)", v.Grid.Holdout, v.Grid.HoldoutStratified(), err)
	}
}
