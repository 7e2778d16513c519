package gmm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// wideFloat returns a value of random sign and a magnitude spread over
// many orders (e^(3·N(0,1))).
func wideFloat(rng *rand.Rand) float64 {
	return rng.NormFloat64() * math.Exp(rng.NormFloat64()*3)
}

// expCases are arguments of math.Exp around each of its special cases:
// zeros, the subnormal results (x below about −708.4) and the underflow
// to 0 (below about −745.1), the overflow threshold 7.09782712893384e+02,
// the infinities and NaN.
var expCases = []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1, -1, 0.5, -0.5,
	-700, -708.3, -708.4, -708.5, -709, -720, -740, -745, -745.1, -745.13, -745.14, -746, -800,
	-1e10, -1e300, -math.MaxFloat64, 700, 709, 709.78, 7.09782712893384e+02,
	math.Nextafter(7.09782712893384e+02, 1000), 709.8, 710, 1e300, math.MaxFloat64,
	math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0x7ff8000000001234),
	math.Float64frombits(0xfff0000000000001), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64}

// TestExpShiftAsmMatchesGo compares the assembly expShift with its Go
// definition (math.Exp in every entry) bit for bit, on the special cases,
// on a sweep of the subnormal range and on random arguments, with random
// and zero shifts.
func TestExpShiftAsmMatchesGo(t *testing.T) {
	asm, ok := asmVecKernels()
	if !ok {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var vals []float64
	vals = append(vals, expCases...)
	for x := -746.0; x < -707; x += 0.0137 {
		vals = append(vals, x)
	}
	for range 3000 {
		vals = append(vals, wideFloat(rng), -rng.Float64()*800, rng.Float64()*1500-760)
	}
	for _, k := range []int{1, 3, 7} {
		for _, shift := range []bool{false, true} {
			n8 := (len(vals)/k + 7) &^ 7
			w := make([]float64, k*n8)
			for i := range w {
				w[i] = vals[i%len(vals)]
			}
			mx := make([]float64, n8)
			if shift {
				for i := range mx {
					mx[i] = vals[rng.IntN(len(vals))]
				}
			}
			got, want := append([]float64(nil), w...), append([]float64(nil), w...)
			sg, sw := make([]float64, n8), make([]float64, n8)
			asm.expShift(got, k, mx, sg)
			expShiftGo(want, k, mx, sw)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("k=%d shift=%v: exp(%v − %v) asm %v (%#x), math.Exp %v (%#x)", k, shift,
					w[i], mx[i%n8], got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
			}
			if i := sameBits(sg, sw); i >= 0 {
				t.Fatalf("k=%d shift=%v: sum %d asm %v, Go %v", k, shift, i, sg[i], sw[i])
			}
		}
	}
}

// TestColTriAsmMatchesGo compares the assembly colTri with its Go
// definition bit for bit, and the Go definition with rowTriPlain (the
// reference of estep), on random rows, means and factors of any sign and
// magnitude, including ones where q overflows to +Inf, for dim 1..7.
func TestColTriAsmMatchesGo(t *testing.T) {
	asm, ok := asmVecKernels()
	rng := rand.New(rand.NewPCG(13, 14))
	for d := 1; d <= 7; d++ {
		for _, n8 := range []int{8, 48, 160} {
			tri := d * (d + 1) / 2
			xt := make([]float64, d*n8)
			for i := range xt {
				xt[i] = wideFloat(rng) * 10
			}
			xt[0] = 1e200
			mu, p := make([]float64, d), make([]float64, tri)
			for i := range mu {
				mu[i] = wideFloat(rng)
			}
			for i := range p {
				p[i] = wideFloat(rng)
			}
			kc := wideFloat(rng)
			want := make([]float64, n8)
			colTriGo(xt, mu, p, kc, want)
			s := scorer{d: d, k: 1, tri: tri, cov: Tied, konst: []float64{kc}, pc: p, means: mu,
				diff: make([]float64, d), plain: true}
			x, w := make([]float64, d), make([]float64, 1)
			for i := range n8 {
				for a := range d {
					x[a] = xt[a*n8+i]
				}
				s.rowTri(x, w)
				if math.Float64bits(w[0]) != math.Float64bits(want[i]) {
					t.Fatalf("d=%d row %d: colTriGo %v, rowTriPlain %v", d, i, want[i], w[0])
				}
			}
			if !ok {
				continue
			}
			got := make([]float64, n8)
			asm.colTri(xt, mu, p, kc, got)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("d=%d n8=%d row %d: asm %v, Go %v", d, n8, i, got[i], want[i])
			}
		}
	}
}

// TestEstepVecMatchesPlain runs estepVec with the Go definitions and with
// the assembly (where available) against estep with the plain reference
// loops, for row counts with and without a partial group of 8, dim 1..6,
// full and tied, on data with far outliers (whose w lie so far below the
// row maximum that exp underflows to 0, and whose responsibilities are
// then exactly 0 or 1): responsibilities and lower bound agree to the bit.
func TestEstepVecMatchesPlain(t *testing.T) {
	asm, ok := asmVecKernels()
	kerns := map[string]vecKernels{"go": goVecKernels()}
	if ok {
		kerns["asm"] = asm
	}
	for _, cov := range []Covariance{Full, Tied} {
		for d := 1; d <= 6; d++ {
			for _, n := range []int{1, 7, 8, 61, 400} {
				k := 5
				if n < k {
					k = n
				}
				for name, kern := range kerns {
					t.Run(fmt.Sprintf("%s/%s/d%d/n%d", cov, name, d, n), func(t *testing.T) {
						seed := uint64(10*d + n)
						vec, mv := randomEM(n, d, k, cov, seed)
						plain, mp := randomEM(n, d, k, cov, seed)
						plain.plain = true
						for _, e := range []*em{vec, plain} {
							for i := 0; i < n; i += 5 {
								e.x[i*d] *= 1e4 // the same outliers in both
							}
							e.vec, e.mvec = vecBufs{}, mVecBufs{} // copies of the old x
						}
						if err := vec.mstep(mv, 0); err != nil {
							t.Fatal(err)
						}
						if err := plain.mstep(mp, 0); err != nil {
							t.Fatal(err)
						}
						for _, e := range []*em{vec, plain} {
							for i := 0; i < n; i += 5 {
								e.x[i*d] *= 1e3 // now far from every mean
							}
							e.vec, e.mvec = vecBufs{}, mVecBufs{}
						}
						lv, lp := vec.estepVec(mv, kern), plain.estep(mp)
						if math.Float64bits(lv) != math.Float64bits(lp) {
							t.Fatalf("lower bound: vector %v, plain %v", lv, lp)
						}
						if i := sameBits(vec.resp, plain.resp); i >= 0 {
							t.Fatalf("resp[%d]: vector %v, plain %v", i, vec.resp[i], plain.resp[i])
						}
					})
				}
			}
		}
	}
}
