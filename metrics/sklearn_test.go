package metrics

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// sklearnRef is the layout of testdata/sklearn_ref.json, written by
// testdata/sklearn_ref.py (see its header for how to regenerate it).
type sklearnRef struct {
	SklearnVersion string `json:"sklearn_version"`
	Silhouette     []struct {
		Name    string    `json:"name"`
		Dim     int       `json:"dim"`
		X       []float64 `json:"x"`
		Labels  []int     `json:"labels"`
		Score   float64   `json:"score"`
		Samples []float64 `json:"samples"`
	} `json:"silhouette"`
	Partitions []struct {
		Name  string  `json:"name"`
		Truth []int   `json:"truth"`
		Pred  []int   `json:"pred"`
		ARI   float64 `json:"ari"`
		NMI   float64 `json:"nmi"`
	} `json:"partitions"`
	FormulaPartitions []struct {
		Name  string  `json:"name"`
		N     int     `json:"n"`
		Truth formula `json:"truth"`
		Pred  formula `json:"pred"`
		ARI   float64 `json:"ari"`
		NMI   float64 `json:"nmi"`
	} `json:"formula_partitions"`
}

// formula defines label(i) = ((a·i² + b·i + c) / div) mod m, as in
// sklearn_ref.py.
type formula struct {
	A, B, C, Div, M int
}

func (f formula) labels(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = ((f.A*i*i + f.B*i + f.C) / f.Div) % f.M
	}
	return out
}

// sklearnTol is the relative agreement required with scikit-learn 1.2.1.
// The Go code performs the same operations as scikit-learn except for the
// summation order and, for silhouettes, the distance formula: scikit-learn
// computes ‖x−y‖² as ‖x‖² + ‖y‖² − 2x·y, whose rounding error is about
// eps·‖x‖² ≈ 1e-16 for the fixture data (coordinates of order 1). The
// resulting differences are around 1e-15 relative, so 1e-12 leaves a wide
// margin while still catching any difference in definition (a divisor n
// instead of n−1, another normalisation, a missed special case), which would
// change the values by 1e-4 or more. Silhouettes are bounded by 1 and their
// error is absolute (a ratio of rounded distances), so for them the bound is
// 1e-12·max(|want|, 1).
const sklearnTol = 1e-12

func loadSklearnRef(t *testing.T) sklearnRef {
	t.Helper()
	const path = "testdata/sklearn_ref.json"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref sklearnRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if ref.SklearnVersion != "1.2.1" {
		t.Fatalf("%s made with scikit-learn %q, want 1.2.1", path, ref.SklearnVersion)
	}
	return ref
}

// relErr returns |got − want| / max(|want|, floor).
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

func TestSilhouetteSklearn(t *testing.T) {
	ref := loadSklearnRef(t)
	for _, tc := range ref.Silhouette {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := Silhouette(tc.X, tc.Dim, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(got, tc.Score, 1); e > sklearnTol {
				t.Errorf("Silhouette = %v, scikit-learn %v (error %.3g)", got, tc.Score, e)
			}
			batch, err := SilhouetteBatch(tc.X, tc.Dim, [][]int{tc.Labels})
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(batch[0], tc.Score, 1); e > sklearnTol {
				t.Errorf("SilhouetteBatch = %v, scikit-learn %v (error %.3g)", batch[0], tc.Score, e)
			}
			s, err := SilhouetteSamples(tc.X, tc.Dim, tc.Labels)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.Samples {
				if e := relErr(s[i], want, 1); e > sklearnTol {
					t.Errorf("s[%d] = %v, scikit-learn %v (error %.3g)", i, s[i], want, e)
				}
			}
		})
	}
}

func TestCompareSklearn(t *testing.T) {
	ref := loadSklearnRef(t)
	check := func(t *testing.T, truth, pred []int, ari, nmi float64) {
		t.Helper()
		// Relative error with a floor of the smallest positive float64: a zero
		// reference value must be matched exactly.
		if got := AdjustedRandIndex(truth, pred); relErr(got, ari, math.SmallestNonzeroFloat64) > sklearnTol {
			t.Errorf("AdjustedRandIndex = %v, scikit-learn %v", got, ari)
		}
		if got := NormalizedMutualInfo(truth, pred); relErr(got, nmi, math.SmallestNonzeroFloat64) > sklearnTol {
			t.Errorf("NormalizedMutualInfo = %v, scikit-learn %v", got, nmi)
		}
	}
	for _, tc := range ref.Partitions {
		t.Run(tc.Name, func(t *testing.T) { check(t, tc.Truth, tc.Pred, tc.ARI, tc.NMI) })
	}
	for _, tc := range ref.FormulaPartitions {
		t.Run(tc.Name, func(t *testing.T) {
			check(t, tc.Truth.labels(tc.N), tc.Pred.labels(tc.N), tc.ARI, tc.NMI)
		})
	}
}
