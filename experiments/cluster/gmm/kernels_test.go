package gmm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sameBits reports the first index where got and want differ in their
// bits, or -1.
func sameBits(got, want []float64) int {
	if len(got) != len(want) {
		return 0
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			return i
		}
	}
	return -1
}

// TestKernelsMatchPlain runs two EM iterations from the same random
// responsibilities with the unrolled kernels of kernels_gen.go and with the
// plain reference loops (em.plain), for dim 1..7 (1, 6 and 7 fall back to
// the plain loops) and every covariance type: the kernels sum in the same
// order, so responsibilities, lower bounds, weights, means, covariances and
// precision factors must agree to the bit.
func TestKernelsMatchPlain(t *testing.T) {
	for _, cov := range covTypes {
		for d := 1; d <= 7; d++ {
			for _, k := range []int{1, 3, 8} {
				seed := uint64(100*d + k)
				fast, mf := randomEM(150, d, k, cov, seed)
				plain, mp := randomEM(150, d, k, cov, seed)
				plain.plain = true
				for it := range 2 {
					if err := fast.mstep(mf, 0); err != nil {
						t.Fatal(err)
					}
					if err := plain.mstep(mp, 0); err != nil {
						t.Fatal(err)
					}
					lf, lp := fast.estep(mf), plain.estep(mp)
					for _, c := range []struct {
						name      string
						got, want []float64
					}{
						{"lower bound", []float64{lf}, []float64{lp}},
						{"resp", fast.resp, plain.resp},
						{"weights", mf.Weights, mp.Weights},
						{"means", mf.Means, mp.Means},
						{"covariances", mf.Covariances, mp.Covariances},
						{"precisions", mf.PrecisionsCholesky, mp.PrecisionsCholesky},
					} {
						if i := sameBits(c.got, c.want); i >= 0 {
							t.Fatalf("%s d=%d k=%d iteration %d: %s[%d] kernel %v, plain %v",
								cov, d, k, it, c.name, i, c.got[i], c.want[i])
						}
					}
				}
			}
		}
	}
}

// TestRowTriKernelsMatchPlain checks the E-step kernels alone on random
// rows, means and precision factors (not from a fit, so any sign and
// magnitude), full (one factor per component) and tied (one shared).
func TestRowTriKernelsMatchPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for d := 1; d <= 7; d++ {
		for _, cov := range []Covariance{Full, Tied} {
			const k = 6
			tri := d * (d + 1) / 2
			s := scorer{d: d, k: k, tri: tri, cov: cov, konst: make([]float64, k),
				pc: make([]float64, k*tri), means: make([]float64, k*d), diff: make([]float64, d)}
			for _, v := range [][]float64{s.konst, s.pc, s.means} {
				for i := range v {
					v[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64()*3)
				}
			}
			x := make([]float64, d)
			got, want := make([]float64, k), make([]float64, k)
			for range 200 {
				for i := range x {
					x[i] = rng.NormFloat64() * 10
				}
				s.plain = false
				s.rowTri(x, got)
				s.plain = true
				s.rowTri(x, want)
				if i := sameBits(got, want); i >= 0 {
					t.Fatalf("%s d=%d component %d: kernel %v, plain %v", cov, d, i, got[i], want[i])
				}
			}
		}
	}
}
