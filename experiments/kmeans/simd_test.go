package kmeans

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestVectorPassMatchesScalar checks that Hamerly's algorithm gives the
// same result, to the bit, with the vector passes (simd.go; used where the
// CPU has AVX-512 and k <= 16, dim <= 5) and with the scalar ones, on
// point counts with and without a partial group of 8, including k = 16,
// the largest the vector tables hold, and k = 17, which falls back. On
// other CPUs and with the purego tag both runs take the scalar passes.
func TestVectorPassMatchesScalar(t *testing.T) {
	for _, dim := range []int{1, 2, 3, 4, 5, 6} {
		for _, n := range []int{8, 61, 1003} {
			rng := rand.New(rand.NewPCG(21, uint64(dim*n)))
			x, _ := blobs(rng, n, dim, 7, 4, 2)
			for _, k := range []int{1, 2, 5, 9, 15, 16, 17} {
				if k > n {
					continue
				}
				t.Run(fmt.Sprintf("dim%d_n%d_k%d", dim, n, k), func(t *testing.T) {
					opt := Options{K: k, NInit: 3}
					v, err := fitWith(context.Background(), x, dim, opt, rand.New(rand.NewPCG(3, 5)), true, true)
					if err != nil {
						t.Fatal(err)
					}
					s, err := fitWith(context.Background(), x, dim, opt, rand.New(rand.NewPCG(3, 5)), true, false)
					if err != nil {
						t.Fatal(err)
					}
					if diff := sameResult(v, s); diff != "" {
						t.Errorf("vector and scalar passes differ: %s", diff)
					}
				})
			}
		}
	}
}

// TestMinDistLanes checks minDist's 8-lane sum on a hand computation:
// points 0..9 on a line, q = 0, closest = +Inf, so out[i] = i² and lane t
// holds t² + (t+8)² for t < 2 and t² otherwise; hsum8 adds them in its
// fixed order, which here is exact: 0+1+4+...+81 = 285.
func TestMinDistLanes(t *testing.T) {
	x := make([]float64, 10)
	closest := make([]float64, 10)
	for i := range x {
		x[i] = float64(i)
		closest[i] = 1e300
	}
	out := make([]float64, 10)
	// Small integers: every sum is exact, so any tolerance below 1 decides.
	const tol = 1e-9
	if got := minDist(x, []float64{0}, closest, out); math.Abs(got-285) > tol {
		t.Errorf("minDist = %v, want 285", got)
	}
	var lanes [8]float64
	minDistLanes(x, []float64{0}, closest, out, 0, &lanes)
	for _, c := range []struct {
		lane int
		want float64
	}{{0, 0 + 64}, {1, 1 + 81}, {2, 4}, {7, 49}} {
		if math.Abs(lanes[c.lane]-c.want) > tol {
			t.Errorf("lane %d = %v, want %v", c.lane, lanes[c.lane], c.want)
		}
	}
}

// vecCase is the input of the three vector kernels: n points of dimension
// dim stored coordinate by coordinate with the given stride (>= n), k
// centres, and a state for the bound pass.
type vecCase struct {
	n, stride, dim, k int
	xt, centers       []float64 // dim x stride; k x dim
	tables            []float64 // see boundsGeneric
	labels            []int
	upper, lower      []float64
	up, down          float64
}

// newVecCase draws a case. With grid set the coordinates are small
// integers, so that distances tie and some are zero; otherwise they are
// normal. The bounds are the true distances to the own and second centre
// times factors in [0.5, 1.5), so that every test of the bound pass goes
// both ways (the slack factors are drawn from [1, 1.25) and (0.75, 1]);
// with k = 1 the half distance is +Inf, as centreDistances gives it.
func newVecCase(rng *rand.Rand, n, pad, dim, k int, grid bool) *vecCase {
	// Slack factors far from 1, so that up and up² give different tests.
	c := &vecCase{n: n, stride: n + pad, dim: dim, k: k, up: 1 + rng.Float64()/4, down: 1 - rng.Float64()/4}
	draw := func() float64 {
		if grid {
			return float64(rng.IntN(5) - 2)
		}
		return rng.NormFloat64()
	}
	c.xt = make([]float64, dim*c.stride)
	for i := range c.xt {
		c.xt[i] = draw()
	}
	c.centers = make([]float64, k*dim)
	for i := range c.centers {
		c.centers[i] = draw()
	}
	c.tables = make([]float64, (3+dim)*simdMaxK)
	for j := range k {
		c.tables[j] = rng.Float64() * 0.1          // shift
		c.tables[simdMaxK+j] = rng.Float64() * 0.1 // far
		c.tables[2*simdMaxK+j] = math.Inf(1)       // half
		if k > 1 {
			c.tables[2*simdMaxK+j] = rng.Float64() * 2
		}
		for d := range dim {
			c.tables[(3+d)*simdMaxK+j] = c.centers[j*dim+d]
		}
	}
	c.labels = make([]int, n)
	c.upper, c.lower = make([]float64, n), make([]float64, n)
	p := make([]float64, dim)
	for i := range n {
		for d := range dim {
			p[d] = c.xt[d*c.stride+i]
		}
		j, d1, d2 := nearest(p, c.centers)
		if rng.IntN(4) == 0 {
			j = rng.IntN(k) // a stale label
		}
		c.labels[i] = j
		c.upper[i] = math.Sqrt(d1) * (0.5 + rng.Float64())
		c.lower[i] = math.Sqrt(d2) * (0.5 + rng.Float64())
		if math.IsInf(c.lower[i], 1) {
			c.lower[i] = math.MaxFloat64
		}
	}
	return c
}

// vecResult is everything the three kernels write.
type vecResult struct {
	nc                 int
	cand               []int
	upper, lower       []float64
	best               []int
	r1, r2, out, dists []float64
	lanes              [8]float64
}

// runVec runs the three kernels of kern on c: the bound pass on the points
// [0, n8), nearest on idx, minDist for the query point q.
func runVec(kern vecKernels, c *vecCase, idx []int, q, closest []float64) *vecResult {
	n8 := c.n &^ 7
	r := &vecResult{cand: make([]int, n8), upper: append([]float64(nil), c.upper...),
		lower: append([]float64(nil), c.lower...)}
	r.nc = kern.bounds(c.xt, c.stride, c.tables, c.dim, c.labels[:n8], r.upper, r.lower,
		c.up, c.down, c.up*c.up, r.cand)
	r.cand = r.cand[:r.nc]
	r.best, r.r1, r.r2 = make([]int, len(idx)), make([]float64, len(idx)), make([]float64, len(idx))
	kern.nearest(c.xt, c.stride, idx, c.centers, c.dim, r.best, r.r1, r.r2)
	r.out = make([]float64, n8)
	kern.minDist(c.xt, c.stride, q, closest, r.out, &r.lanes)
	// The potentials again with out aliasing closest, as seed's first call.
	r.dists = append([]float64(nil), closest...)
	var lanes [8]float64
	kern.minDist(c.xt, c.stride, q, r.dists, r.dists[:n8], &lanes)
	return r
}

// diffVec describes the first difference between two results, to the bit,
// or returns "".
func diffVec(got, want *vecResult) string {
	if got.nc != want.nc || !slices.Equal(got.cand, want.cand) {
		return fmt.Sprintf("bounds kept %v, want %v", got.cand, want.cand)
	}
	if !slices.Equal(got.best, want.best) {
		return fmt.Sprintf("nearest best %v, want %v", got.best, want.best)
	}
	for _, f := range []struct {
		name      string
		got, want []float64
	}{
		{"upper", got.upper, want.upper}, {"lower", got.lower, want.lower},
		{"r1", got.r1, want.r1}, {"r2", got.r2, want.r2},
		{"out", got.out, want.out}, {"aliased out", got.dists, want.dists},
		{"lanes", got.lanes[:], want.lanes[:]},
	} {
		for i := range f.want {
			if math.Float64bits(f.got[i]) != math.Float64bits(f.want[i]) {
				return fmt.Sprintf("%s[%d] = %v, want %v", f.name, i, f.got[i], f.want[i])
			}
		}
	}
	return ""
}

// vecInputs draws the arguments of nearest and minDist for c: m point
// indices (repeats allowed), a query point and current potentials, some
// +Inf as before the first centre.
func vecInputs(rng *rand.Rand, c *vecCase, m int) (idx []int, q, closest []float64) {
	idx = make([]int, m)
	for t := range idx {
		idx[t] = rng.IntN(c.n)
	}
	q = c.centers[:c.dim]
	closest = make([]float64, c.n)
	for i := range closest {
		closest[i] = rng.Float64() * 4
		if rng.IntN(8) == 0 {
			closest[i] = math.Inf(1)
		}
	}
	return idx, q, closest
}

// TestVecKernelsMatchGeneric checks that the assembly kernels (where this
// build and CPU have them) give the Go definitions' results bit for bit,
// for every dimension they serve, k from 1 to 16, no points, one group of
// 8, strides with and without padding, and coordinates with ties.
func TestVecKernelsMatchGeneric(t *testing.T) {
	asm, ok := asmVecKernels()
	if !ok {
		t.Skip("no assembly kernels in this build or on this CPU (the Go ones are the definition)")
	}
	testVecKernels(t, asm, genericVecKernels())
}

// TestVecGenericMatchesScalar checks, in every build, that the Go
// definitions of the vector kernels equal the scalar passes that the fit
// runs without them (loosen and tighten, nearest, minDistLanes), bit for
// bit, so that the assembly, equal to the definitions, equals them too.
func TestVecGenericMatchesScalar(t *testing.T) {
	scalar := vecKernels{bounds: boundsScalar, nearest: nearestScalar, minDist: minDistScalar}
	testVecKernels(t, genericVecKernels(), scalar)
}

func testVecKernels(t *testing.T, got, want vecKernels) {
	rng := rand.New(rand.NewPCG(7, 8))
	for dim := 1; dim <= simdMaxDim; dim++ {
		for _, k := range []int{1, 2, 7, 16} {
			for _, sz := range []struct{ n, pad, m int }{{0, 0, 0}, {8, 0, 8}, {13, 3, 8}, {200, 0, 64}, {517, 5, 96}} {
				for _, grid := range []bool{false, true} {
					if k > max(sz.n, 1) {
						continue
					}
					name := fmt.Sprintf("dim%d_k%d_n%d_pad%d_grid%v", dim, k, sz.n, sz.pad, grid)
					t.Run(name, func(t *testing.T) {
						c := newVecCase(rng, max(sz.n, 1), sz.pad, dim, k, grid)
						c.n = sz.n
						idx, q, closest := vecInputs(rng, c, min(sz.m, 8*sz.n))
						if d := diffVec(runVec(got, c, idx, q, closest), runVec(want, c, idx, q, closest)); d != "" {
							t.Error(d)
						}
					})
				}
			}
		}
	}
}

// boundsScalar is the bound pass as the scalar code runs it: loosen, then
// tighten on the points loosen kept, on rows of the points.
func boundsScalar(xt []float64, stride int, tables []float64, dim int,
	labels []int, upper, lower []float64, up, down, up2 float64, cand []int) int {
	n := len(labels)
	x, c := rowMajor(xt, stride, dim, n), tableCentres(tables, dim)
	shift, far, half := tables[0:16], tables[16:32], tables[32:48]
	nc := loosen(labels, upper[:n], lower[:n], shift, far, half, cand, up, down)
	return tighten(x, dim, c, labels, upper, lower, half, cand[:nc], up)
}

// nearestScalar is nearest and math.Sqrt per point, as assignFull runs them.
func nearestScalar(xt []float64, stride int, idx []int, centers []float64, dim int, best []int, r1, r2 []float64) {
	x := rowMajor(xt, stride, dim, stride)
	for t, i := range idx {
		j, d1, d2 := nearest(x[i*dim:i*dim+dim], centers)
		best[t], r1[t], r2[t] = j, math.Sqrt(d1), math.Sqrt(d2)
	}
}

// minDistScalar is minDistLanes from lane sums of zero.
func minDistScalar(xt []float64, stride int, q, closest, out []float64, lanes *[8]float64) {
	*lanes = [8]float64{}
	minDistLanes(rowMajor(xt, stride, len(q), len(out)), q, closest, out, 0, lanes)
}

// rowMajor returns the first n points of xt as rows of dim values.
func rowMajor(xt []float64, stride, dim, n int) []float64 {
	x := make([]float64, n*dim)
	for i := range n {
		for d := range dim {
			x[i*dim+d] = xt[d*stride+i]
		}
	}
	return x
}

// tableCentres returns the 16 centres of the tables as rows of dim values.
func tableCentres(tables []float64, dim int) []float64 {
	c := make([]float64, simdMaxK*dim)
	for j := range simdMaxK {
		for d := range dim {
			c[j*dim+d] = tables[(3+d)*simdMaxK+j]
		}
	}
	return c
}

// BenchmarkVecKernels times each vector kernel, assembly against its Go
// definition, on one balanced FER2013 cell's training points (3,063, of
// which 3,056 in groups of 8), 5 dimensions and 15 clusters: the bound
// pass over all points, nearest on all of them, one k-means++ potential.
func BenchmarkVecKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	c := newVecCase(rng, 3063, 0, 5, 15, false)
	n8 := c.n &^ 7
	idx, q, closest := vecInputs(rng, c, n8)
	sets := []struct {
		name string
		kern vecKernels
	}{{"go", genericVecKernels()}}
	if asm, ok := asmVecKernels(); ok {
		sets = append(sets, struct {
			name string
			kern vecKernels
		}{"asm", asm})
	}
	upper, lower, cand := make([]float64, n8), make([]float64, n8), make([]int, n8)
	best, r1, r2, out := make([]int, n8), make([]float64, n8), make([]float64, n8), make([]float64, n8)
	for _, s := range sets {
		b.Run("bounds/"+s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				copy(upper, c.upper)
				copy(lower, c.lower)
				s.kern.bounds(c.xt, c.stride, c.tables, c.dim, c.labels[:n8], upper, lower, c.up, c.down, c.up*c.up, cand)
			}
		})
		b.Run("nearest/"+s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.kern.nearest(c.xt, c.stride, idx, c.centers, c.dim, best, r1, r2)
			}
		})
		b.Run("minDist/"+s.name, func(b *testing.B) {
			b.ReportAllocs()
			var lanes [8]float64
			for b.Loop() {
				s.kern.minDist(c.xt, c.stride, q, closest, out, &lanes)
			}
		})
	}
}
