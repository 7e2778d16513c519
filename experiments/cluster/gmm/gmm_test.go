package gmm

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// reference is the part of ../testdata/cluster_ref.json that gmm tests
// read; cluster_ref.py (beside it) made it with scikit-learn 1.2.1.
type reference struct {
	MannWhitney []struct {
		X     []float64 `json:"x"`
		Y     []float64 `json:"y"`
		PLess float64   `json:"p_less"`
	} `json:"mann_whitney"`
	Datasets map[string]struct {
		Dim int       `json:"dim"`
		X   []float64 `json:"x"`
		GMM *struct {
			K          int   `json:"k"`
			InitLabels []int `json:"init_labels"`
			Types      map[Covariance]covRef
		} `json:"gmm"`
	} `json:"datasets"`
}

type run struct {
	LowerBound float64 `json:"lower_bound"`
	BIC        float64 `json:"bic"`
	AIC        float64 `json:"aic"`
	Score      float64 `json:"score"`
	NIter      int     `json:"n_iter"`
}

type covRef struct {
	Runs   []run `json:"runs"`         // n_init=1, random_state 0..4
	Runs10 []run `json:"runs_ninit10"` // n_init=10, random_state 0..4
	// LowerBounds holds lower_bound_ for random_state 0..99, keyed by n_init.
	LowerBounds map[string][]float64 `json:"lower_bounds"`
	Fixed       struct {
		Weights         []float64 `json:"weights"`
		Means           []float64 `json:"means"`
		Covariances     []float64 `json:"covariances"`
		WeightedLogProb []float64 `json:"weighted_log_prob"`
	} `json:"fixed"`
}

var covTypes = []Covariance{Full, Tied, Diag, Spherical}

func loadReference(t testing.TB) reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "cluster_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	// The covariance types sit beside "k" in the JSON object.
	var raw struct {
		Datasets map[string]struct {
			GMM map[string]json.RawMessage `json:"gmm"`
		} `json:"datasets"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for name, d := range ref.Datasets {
		if d.GMM == nil {
			continue
		}
		d.GMM.Types = map[Covariance]covRef{}
		for _, c := range covTypes {
			var r covRef
			if err := json.Unmarshal(raw.Datasets[name].GMM[string(c)], &r); err != nil {
				t.Fatal(err)
			}
			d.GMM.Types[c] = r
		}
	}
	return ref
}

// median returns the median of v (the mean of the middle two for even n).
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	return (s[(n-1)/2] + s[n/2]) / 2
}

// TestWeightedLogProbMatchesSklearn scores fixed parameters (given in the
// fixture) and compares with scikit-learn's _estimate_weighted_log_prob.
func TestWeightedLogProbMatchesSklearn(t *testing.T) {
	for name, d := range loadReference(t).Datasets {
		if d.GMM == nil {
			continue
		}
		for _, c := range covTypes {
			f := d.GMM.Types[c].Fixed
			m, err := New(d.Dim, c, f.Weights, f.Means, f.Covariances)
			if err != nil {
				t.Fatal(err)
			}
			n := len(f.WeightedLogProb) / d.GMM.K
			got := make([]float64, len(f.WeightedLogProb))
			m.EstimateWeightedLogProb(d.X[:n*d.Dim], got)
			worst := 0.0
			for i, w := range f.WeightedLogProb {
				worst = max(worst, math.Abs(got[i]-w))
			}
			if worst > 1e-10 {
				t.Errorf("%s %s: largest difference %g > 1e-10", name, c, worst)
			}
			t.Logf("%s %s: largest difference %.3g", name, c, worst)
		}
	}
}

// TestBICMatchesSklearn fits every fixture and covariance type as the
// fixture fitted scikit-learn, with n_init 1 (scikit-learn's default) and
// 10 (the sweep's), seeds 0..4 here against random_state 0..4 there: the
// median BIC must be within 0.5% of scikit-learn's median BIC (issue #15).
// The lower bounds are compared by TestLowerBoundAsSklearn.
func TestBICMatchesSklearn(t *testing.T) {
	for name, d := range loadReference(t).Datasets {
		if d.GMM == nil {
			continue
		}
		for _, c := range covTypes {
			for nInit, runs := range map[int][]run{1: d.GMM.Types[c].Runs, 10: d.GMM.Types[c].Runs10} {
				var bic, skBIC []float64
				for seed, r := range runs {
					m := fitSeed(t, d.X, d.Dim, Options{K: d.GMM.K, Covariance: c, NInit: nInit}, uint64(seed))
					bic, skBIC = append(bic, m.BIC(d.X)), append(skBIC, r.BIC)
				}
				rel := math.Abs(median(bic)-median(skBIC)) / math.Abs(median(skBIC))
				if rel > 0.005 {
					t.Errorf("%s %s n_init %d: BIC %v, scikit-learn %v (medians differ by %.3g)",
						name, c, nInit, bic, skBIC, rel)
				}
			}
		}
	}
}

// fitSeed fits with the stream the sweep's tests use for seed s and fails
// the test on an error or a note.
func fitSeed(t *testing.T, x []float64, dim int, opt Options, s uint64) *Model {
	t.Helper()
	m, err := Fit(x, dim, opt, rand.New(rand.NewPCG(s, 15)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Note != "" {
		t.Errorf("%s seed %d: note %q", opt.Covariance, s, m.Note)
	}
	return m
}

// TestEMFromSklearnStart runs EM from the k-means labels that scikit-learn's
// GaussianMixture(random_state=0) starts from (in the fixture) and asks for
// scikit-learn's final lower bound (within 1e-9) after the same number of
// iterations: the same EM, free of the luck of the random draws.
func TestEMFromSklearnStart(t *testing.T) {
	for name, d := range loadReference(t).Datasets {
		if d.GMM == nil {
			continue
		}
		for _, c := range covTypes {
			opt, err := withDefaults(Options{K: d.GMM.K, Covariance: c})
			if err != nil {
				t.Fatal(err)
			}
			m, err := newEM(d.X, d.Dim, opt).run(d.GMM.InitLabels)
			if err != nil {
				t.Fatal(err)
			}
			want := d.GMM.Types[c].Runs[0]
			if math.Abs(m.LowerBound-want.LowerBound) > 1e-9 || m.NIter != want.NIter {
				t.Errorf("%s %s: lower bound %.12f after %d iterations, scikit-learn %.12f after %d",
					name, c, m.LowerBound, m.NIter, want.LowerBound, want.NIter)
			}
			if bic := m.BIC(d.X); math.Abs(bic-want.BIC) > 1e-9*math.Abs(want.BIC) {
				t.Errorf("%s %s: BIC %.9f, scikit-learn %.9f", name, c, bic, want.BIC)
			}
		}
	}
}

// TestOneComponent checks one full component against the closed form: the
// k-means initialisation already gives the maximum-likelihood mean μ and
// covariance Σ = S + reg·I (S the population covariance), so the first
// lower bound is −½(d·ln 2π + ln det Σ + tr(Σ⁻¹S)), and the second equals
// it, so EM stops after 2 iterations.
func TestOneComponent(t *testing.T) {
	x := []float64{0, 0, 2, 0, 0, 4, 2, 4} // mean (1, 2), S = diag(1, 4)
	m, err := Fit(x, 2, Options{K: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	reg := DefaultRegCovar
	want := -0.5 * (2*math.Log(2*math.Pi) + math.Log((1+reg)*(4+reg)) + 1/(1+reg) + 4/(4+reg))
	if math.Abs(m.LowerBound-want) > 1e-12 || m.NIter != 2 || !m.Converged {
		t.Errorf("lower bound %.15g after %d iterations (converged %v), want %.15g after 2", m.LowerBound, m.NIter, m.Converged, want)
	}
	if ll := m.LogLikelihood(x); math.Abs(ll-want) > 1e-12 {
		t.Errorf("LogLikelihood %.15g, want %.15g", ll, want)
	}
	// p = 2 means + 3 covariance entries + 0 free weights = 5.
	if p, bic := m.NParameters(), m.BIC(x); p != 5 || math.Abs(bic-(-2*4*want+5*math.Log(4))) > 1e-9 {
		t.Errorf("NParameters %d, BIC %g", p, bic)
	}
	if aic := m.AIC(x); math.Abs(aic-(-2*4*want+10)) > 1e-9 {
		t.Errorf("AIC %g", aic)
	}
}

// TestNParameters checks _n_parameters for K=3 components in 4 dims.
func TestNParameters(t *testing.T) {
	want := map[Covariance]int{Full: 3*10 + 12 + 2, Tied: 10 + 12 + 2, Diag: 12 + 12 + 2, Spherical: 3 + 12 + 2}
	for c, p := range want {
		if got := newModel(4, 3, c).NParameters(); got != p {
			t.Errorf("%s: %d, want %d", c, got, p)
		}
	}
}

func finite(m *Model) bool {
	for _, s := range [][]float64{m.Weights, m.Means, m.Covariances, m.PrecisionsCholesky, {m.LowerBound}} {
		for _, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}

// TestDegenerate fits duplicated rows, a direction without spread and more
// components than distinct rows: every result finite, with a note.
func TestDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var dup, flat []float64
	for i := range 60 {
		p := [][2]float64{{0, 0}, {3, 1}, {-2, 4}}[i%3]
		dup = append(dup, p[0], p[1])
		flat = append(flat, rng.NormFloat64()+float64(4*(i%2)), 7)
	}
	cases := []struct {
		name  string
		x     []float64
		k     int
		note  string
		types []Covariance
	}{
		{"duplicated rows", dup, 3, "near-singular", covTypes},
		// A spherical variance averages over the dimensions, so one flat
		// direction leaves it well above reg_covar: no note to expect.
		{"zero-variance direction", flat, 2, "near-singular", covTypes[:3]},
		{"k above distinct rows", dup, 5, "empty", covTypes},
	}
	for _, tc := range cases {
		for _, c := range tc.types {
			m, err := Fit(tc.x, 2, Options{K: tc.k, Covariance: c, NInit: 2}, rand.New(rand.NewPCG(4, 4)))
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, c, err)
			}
			ll := m.LogLikelihood(tc.x)
			if !finite(m) || math.IsNaN(ll) || math.IsInf(ll, 0) {
				t.Errorf("%s %s: not finite: %+v, log-likelihood %g", tc.name, c, m, ll)
			}
			if !strings.Contains(m.Note, tc.note) {
				t.Errorf("%s %s: note %q, want it to mention %q", tc.name, c, m.Note, tc.note)
			}
		}
	}
}

func TestFitErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := []float64{0, 0, 1, 1, 2, 2}
	for name, tc := range map[string]struct {
		x   []float64
		opt Options
	}{
		"k above n":    {x, Options{K: 4}},
		"k zero":       {x, Options{}},
		"no rows":      {nil, Options{K: 1}},
		"NaN":          {[]float64{0, math.NaN()}, Options{K: 1}},
		"infinite":     {[]float64{0, math.Inf(-1)}, Options{K: 1}},
		"covariance":   {x, Options{K: 1, Covariance: "banana"}},
		"negative tol": {x, Options{K: 1, Tol: -1}},
		"negative reg": {x, Options{K: 1, RegCovar: -1}},
		"n_init":       {x, Options{K: 1, NInit: -1}},
	} {
		if _, err := Fit(tc.x, 2, tc.opt, rng); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New(2, Full, []float64{1}, []float64{0, 0}, []float64{1, 2, 2, 1}); err == nil {
		t.Error("New with an indefinite covariance: no error")
	}
}

// TestPredict checks that Predict picks the largest weighted log probability
// and that weights sum to 1.
func TestPredict(t *testing.T) {
	ref := loadReference(t)
	d := ref.Datasets["blobs2d"]
	m, err := Fit(d.X, d.Dim, Options{K: 4, Covariance: Diag, NInit: 2}, rand.New(rand.NewPCG(9, 9)))
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.X) / d.Dim
	labels := make([]int, n)
	m.Predict(d.X, labels)
	w := make([]float64, n*m.K)
	m.EstimateWeightedLogProb(d.X, w)
	var sum float64
	for _, v := range m.Weights {
		sum += v
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("weights sum to %g", sum)
	}
	for i, l := range labels {
		if slices.Max(w[i*m.K:i*m.K+m.K]) != w[i*m.K+l] {
			t.Fatalf("row %d: label %d is not the argmax of %v", i, l, w[i*m.K:i*m.K+m.K])
		}
	}
}
