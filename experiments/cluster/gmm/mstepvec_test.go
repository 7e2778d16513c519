package gmm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMStepAsmMatchesGo compares the assembly sums and covSums with their
// Go definitions bit for bit, for dim 1..7 and row counts with and
// without a partial group of 8, on rows, means and responsibilities of
// any sign and magnitude, a third of the responsibilities 0 (skipped) and
// some −0 (skipped as well, as r == 0 is true for −0).
func TestMStepAsmMatchesGo(t *testing.T) {
	asm, ok := asmMKernels()
	if !ok {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	rng := rand.New(rand.NewPCG(15, 16))
	for d := 1; d <= mVecMaxDim; d++ {
		for _, n := range []int{1, 13, 200} {
			const k = 6
			xp := make([]float64, n*8)
			for i := range n {
				for j := range d {
					xp[i*8+j] = wideFloat(rng)
				}
				xp[i*8+d] = 1
			}
			resp := make([]float64, n*k)
			for i := range resp {
				switch rng.IntN(6) {
				case 0, 1:
				case 2:
					resp[i] = math.Copysign(0, -1)
				default:
					resp[i] = rng.Float64()
				}
			}
			means8 := make([]float64, k*8)
			for c := range k {
				for j := range d {
					means8[c*8+j] = wideFloat(rng)
				}
			}
			tri := d * (d + 1) / 2
			m := (tri + 7) &^ 7
			idx := make([]int64, 2*m)
			o := 0
			for a := range d {
				for b := a; b < d; b++ {
					idx[o], idx[m+o] = int64(a), int64(b)
					o++
				}
			}
			for _, c := range []struct {
				name string
				size int
				run  func(mKernels, []float64)
			}{
				{"sums", k * 8, func(kk mKernels, acc []float64) { kk.sums(xp, resp, k, acc) }},
				{"covSums", k * m, func(kk mKernels, acc []float64) { kk.covSums(xp, resp, k, means8, idx, acc) }},
			} {
				got, want := make([]float64, c.size), make([]float64, c.size)
				for i := range got {
					got[i] = wideFloat(rng)
					want[i] = got[i]
				}
				c.run(asm, got)
				c.run(goMKernels(), want)
				if i := sameBits(got, want); i >= 0 {
					t.Fatalf("%s d=%d n=%d: acc[%d] asm %v, Go %v", c.name, d, n, i, got[i], want[i])
				}
			}
		}
	}
}

// TestMStepVecGoMatchesPlain checks the Go definitions of the vector
// M-step against the plain loops through em (sums and covSums), so that
// the kernel tests above tie the assembly to the reference.
func TestMStepVecGoMatchesPlain(t *testing.T) {
	for d := 1; d <= mVecMaxDim; d++ {
		const k = 4
		vec, mv := randomEM(77, d, k, Full, uint64(d))
		plain, mp := randomEM(77, d, k, Full, uint64(d))
		vec.mkern, vec.hasMKern = goMKernels(), true
		plain.plain = true
		for _, e := range []*em{vec, plain} {
			e.x[3*d] *= 1e6
		}
		vec.mvec = mVecBufs{}
		if err := vec.mstep(mv, 0); err != nil {
			t.Fatal(err)
		}
		if err := plain.mstep(mp, 0); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name      string
			got, want []float64
		}{
			{"weights", mv.Weights, mp.Weights},
			{"means", mv.Means, mp.Means},
			{"covariances", mv.Covariances, mp.Covariances},
		} {
			if i := sameBits(c.got, c.want); i >= 0 {
				t.Fatalf("d=%d: %s[%d] vector %v, plain %v", d, c.name, i, c.got[i], c.want[i])
			}
		}
	}
}
