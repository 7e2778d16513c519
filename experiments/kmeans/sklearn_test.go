package kmeans

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sklearnRef mirrors testdata/sklearn_ref.json, written by
// testdata/sklearn_ref.py with scikit-learn 1.2.1.
type sklearnRef struct {
	SklearnVersion string `json:"sklearn_version"`
	Datasets       []struct {
		Name string    `json:"name"`
		N    int       `json:"n"`
		Dim  int       `json:"dim"`
		X    []float64 `json:"x"`
		Runs []struct {
			K             int       `json:"k"`
			Inertia       float64   `json:"inertia"`
			NIter         int       `json:"n_iter"`
			InertiaBySeed []float64 `json:"inertia_by_seed"`
		} `json:"runs"`
	} `json:"datasets"`
}

// sklearnTolerance is the project's acceptance bound: an inertia within 0.5%
// of scikit-learn's or lower.
const sklearnTolerance = 1.005

func TestFitVersusScikitLearn(t *testing.T) {
	path := filepath.Join("testdata", "sklearn_ref.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var ref sklearnRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if ref.SklearnVersion != "1.2.1" || len(ref.Datasets) == 0 {
		t.Fatalf("%s: scikit-learn %q, %d datasets", path, ref.SklearnVersion, len(ref.Datasets))
	}
	for _, ds := range ref.Datasets {
		if len(ds.X) != ds.N*ds.Dim {
			t.Fatalf("%s: %d values for %d×%d", ds.Name, len(ds.X), ds.N, ds.Dim)
		}
		for _, run := range ds.Runs {
			t.Run(fmt.Sprintf("%s_k%d", ds.Name, run.K), func(t *testing.T) {
				opt := Options{K: run.K, NInit: 10}
				res, err := Fit(ds.X, ds.Dim, opt, rand.New(rand.NewPCG(0, 0)))
				if err != nil {
					t.Fatal(err)
				}
				ratio := res.Inertia / run.Inertia
				lo, hi := slices.Min(run.InertiaBySeed), slices.Max(run.InertiaBySeed)
				t.Logf("inertia %.6f, scikit-learn %.6f (random_state 0, %d iter), ratio %.5f; "+
					"scikit-learn over random_state 0..9 spans ratios %.5f..%.5f",
					res.Inertia, run.Inertia, run.NIter, ratio, lo/run.Inertia, hi/run.Inertia)
				if ratio > sklearnTolerance {
					t.Errorf("inertia %v > %v × scikit-learn %v (ratio %.5f)",
						res.Inertia, sklearnTolerance, run.Inertia, ratio)
				}
			})
		}
	}
}
