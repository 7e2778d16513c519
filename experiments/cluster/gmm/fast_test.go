package gmm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomEM returns an em over n random rows of dimension d with random
// responsibilities (rows summing to 1, some entries exactly 0, as
// k-means labels give) and a model whose weights and means come from them.
func randomEM(n, d, k int, cov Covariance, seed uint64) (*em, *Model) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()*3 + float64(i%d)
	}
	e := newEM(x, d, Options{K: k, Covariance: cov, RegCovar: DefaultRegCovar})
	for i := range n {
		row := e.resp[i*k : i*k+k]
		var s float64
		for c := range row {
			if rng.IntN(3) > 0 {
				row[c] = rng.Float64()
				s += row[c]
			}
		}
		if s == 0 {
			row[0], s = 1, 1
		}
		for c := range row {
			row[c] /= s
		}
	}
	m := newModel(d, k, cov)
	e.weightsMeans(m)
	return e, m
}

// TestFullCovMatchesScatter checks fullCov, which reads each row once for
// all components into packed triangles, against the plain per-component
// scatter (the tied path's): the sums run in the same order, so the
// covariances must agree to the bit.
func TestFullCovMatchesScatter(t *testing.T) {
	for _, tc := range []struct{ n, d, k int }{{1, 1, 1}, {50, 1, 3}, {200, 2, 4}, {300, 5, 7}, {100, 9, 2}} {
		e, m := randomEM(tc.n, tc.d, tc.k, Full, uint64(tc.n*tc.d))
		e.fullCov(m)
		d := tc.d
		for c := range tc.k {
			want := make([]float64, d*d)
			e.scatter(m, c, want)
			finishCov(want, d, m.Weights[c], e.opt.RegCovar)
			got := m.Covariances[c*d*d : (c+1)*d*d]
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d d=%d k=%d component %d entry %d: fullCov %v, scatter %v", tc.n, d, tc.k, c, i, got[i], want[i])
				}
			}
		}
	}
}

// plainLogProb is the weighted log probability of x under component c of
// m written from the package formula with the unpacked factor
// PrecisionsCholesky: log π_c − ½(dim·log 2π + ‖(x − μ_c)ᵀP_c‖²) + Σ_j log (P_c)_jj.
func plainLogProb(m *Model, x []float64, c int) float64 {
	d := m.Dim
	var q, logDet float64
	switch m.Covariance {
	case Full, Tied:
		o := 0
		if m.Covariance == Full {
			o = c * d * d
		}
		p := m.PrecisionsCholesky[o : o+d*d]
		for b := range d {
			var y float64
			for a := range d {
				y += (x[a] - m.Means[c*d+a]) * p[a*d+b]
			}
			q += y * y
			logDet += math.Log(p[b*d+b])
		}
	case Diag:
		for j := range d {
			p := m.PrecisionsCholesky[c*d+j]
			v := (x[j] - m.Means[c*d+j]) * p
			q += v * v
			logDet += math.Log(p)
		}
	case Spherical:
		p := m.PrecisionsCholesky[c]
		for j := range d {
			v := (x[j] - m.Means[c*d+j]) * p
			q += v * v
		}
		logDet = float64(d) * math.Log(p)
	}
	return math.Log(m.Weights[c]) - 0.5*(float64(d)*math.Log(2*math.Pi)+q) + logDet
}

// TestScorerMatchesPlain checks the scorer's packed layouts against
// plainLogProb for every covariance type, to a relative 1e-12 (the two
// sum in different orders).
func TestScorerMatchesPlain(t *testing.T) {
	for _, cov := range covTypes {
		for _, tc := range []struct{ n, d, k int }{{40, 1, 2}, {60, 3, 4}, {80, 5, 7}, {30, 8, 3}} {
			e, m := randomEM(tc.n, tc.d, tc.k, cov, 11)
			if err := e.mstep(m, 0); err != nil {
				t.Fatal(err)
			}
			out := make([]float64, tc.n*tc.k)
			m.EstimateWeightedLogProb(e.x, out)
			for i := range tc.n {
				for c := range tc.k {
					want := plainLogProb(m, e.x[i*tc.d:(i+1)*tc.d], c)
					if got := out[i*tc.k+c]; math.Abs(got-want) > 1e-12*max(1, math.Abs(want)) {
						t.Fatalf("%s d=%d row %d component %d: %v, plain %v", cov, tc.d, i, c, got, want)
					}
				}
			}
		}
	}
}
