package kmeans

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// blobs returns n points in dim dimensions drawn from k isotropic gaussians
// with standard deviation sd, whose centres are uniform in [-box, box]^dim,
// and the generating component of each point (points cycle through the
// components, so every component gets n/k or n/k+1 points).
func blobs(rng *rand.Rand, n, dim, k int, box, sd float64) ([]float64, []int) {
	centres := make([]float64, k*dim)
	for i := range centres {
		centres[i] = box * (2*rng.Float64() - 1)
	}
	x := make([]float64, n*dim)
	truth := make([]int, n)
	for i := range n {
		j := i % k
		truth[i] = j
		for d := range dim {
			x[i*dim+d] = centres[j*dim+d] + sd*rng.NormFloat64()
		}
	}
	return x, truth
}

// separated returns n points around k centres, each coordinate perturbed
// uniformly by at most 1, and the generating centre of each point. Centre j
// has coordinate 100·j on axis 0 (so centres are at least 100 apart) and
// 100·(j·(d+2) mod 7) on axis d > 0, so every cluster is far from every other.
func separated(rng *rand.Rand, n, dim, k int) ([]float64, []int) {
	x := make([]float64, n*dim)
	truth := make([]int, n)
	for i := range n {
		j := i % k
		truth[i] = j
		for d := range dim {
			c := 100 * float64(j)
			if d > 0 {
				c = 100 * float64((j*(d+2))%7)
			}
			x[i*dim+d] = c + 2*rng.Float64() - 1
		}
	}
	return x, truth
}

// samePartition reports whether labels equal truth up to a relabelling.
func samePartition(labels, truth []int) bool {
	fwd := map[int]int{}
	bwd := map[int]int{}
	for i, t := range truth {
		l := labels[i]
		if m, ok := fwd[t]; ok && m != l {
			return false
		}
		if m, ok := bwd[l]; ok && m != t {
			return false
		}
		fwd[t], bwd[l] = l, t
	}
	return true
}

// naiveSqDist is an independent squared Euclidean distance for checks.
func naiveSqDist(x []float64, i int, c []float64, j, dim int) float64 {
	var s float64
	for d := range dim {
		s += math.Pow(x[i*dim+d]-c[j*dim+d], 2)
	}
	return s
}

func TestFitRecoversSeparatedBlobs(t *testing.T) {
	for _, tc := range []struct {
		n, dim, k int
	}{
		{n: 300, dim: 2, k: 3},
		{n: 1000, dim: 2, k: 7},
		{n: 1500, dim: 3, k: 5},
		{n: 2000, dim: 5, k: 7},
		{n: 500, dim: 7, k: 4},
		{n: 40, dim: 1, k: 2},
	} {
		t.Run(fmt.Sprintf("n%d_dim%d_k%d", tc.n, tc.dim, tc.k), func(t *testing.T) {
			x, truth := separated(rand.New(rand.NewPCG(1, uint64(tc.n))), tc.n, tc.dim, tc.k)
			res, err := Fit(x, tc.dim, Options{K: tc.k}, rand.New(rand.NewPCG(2, 3)))
			if err != nil {
				t.Fatal(err)
			}
			if !samePartition(res.Labels, truth) {
				t.Errorf("partition differs from the generating clusters")
			}
			if res.NonEmpty != tc.k {
				t.Errorf("NonEmpty = %d, want %d", res.NonEmpty, tc.k)
			}
		})
	}
}

func TestFitInertiaAndNearestLabels(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, dim, k int
		sd        float64
	}{
		{name: "overlap2d", n: 1200, dim: 2, k: 5, sd: 3},
		{name: "overlap3d", n: 1500, dim: 3, k: 12, sd: 2},
		{name: "overlap4d", n: 800, dim: 4, k: 8, sd: 2},
		{name: "overlap5d", n: 3000, dim: 5, k: 15, sd: 2},
		{name: "generic6d", n: 700, dim: 6, k: 6, sd: 4},
		{name: "k1", n: 100, dim: 3, k: 1, sd: 1},
		{name: "kEqualsN", n: 30, dim: 2, k: 30, sd: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, _ := blobs(rand.New(rand.NewPCG(4, 5)), tc.n, tc.dim, tc.k, 5, tc.sd)
			opt := Options{K: tc.k, NInit: 3}
			res, err := Fit(x, tc.dim, opt, rand.New(rand.NewPCG(6, 7)))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Centers) != tc.k*tc.dim || len(res.Labels) != tc.n {
				t.Fatalf("shapes: %d centre values, %d labels", len(res.Centers), len(res.Labels))
			}
			var inertia float64
			seen := make(map[int]bool)
			for i, a := range res.Labels {
				seen[a] = true
				da := naiveSqDist(x, i, res.Centers, a, tc.dim)
				inertia += da
				for j := range tc.k {
					// Relative 1e-12: the two distance routines differ
					// only by rounding (a few ulps).
					if dj := naiveSqDist(x, i, res.Centers, j, tc.dim); da > dj*(1+1e-12) {
						t.Fatalf("point %d: label %d at d²=%v but centre %d at d²=%v", i, a, da, j, dj)
					}
				}
			}
			// Relative 1e-12: summation order and rounding differ only.
			if math.Abs(inertia-res.Inertia) > 1e-12*inertia {
				t.Errorf("Inertia = %v, recomputed %v", res.Inertia, inertia)
			}
			if res.NonEmpty != len(seen) {
				t.Errorf("NonEmpty = %d, distinct labels %d", res.NonEmpty, len(seen))
			}
			if res.Iter < 1 || res.Iter > defaultMaxIter {
				t.Errorf("Iter = %d out of [1, %d]", res.Iter, defaultMaxIter)
			}
			for _, v := range res.Centers {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite centre coordinate %v", v)
				}
			}
		})
	}
}

func TestFitFewerDistinctPointsThanK(t *testing.T) {
	for _, tc := range []struct {
		name     string
		distinct [][]float64 // distinct points, each repeated reps times
		reps, k  int
	}{
		{name: "allSame", distinct: [][]float64{{1, 2}}, reps: 10, k: 3},
		{name: "allZero5d", distinct: [][]float64{{0, 0, 0, 0, 0}}, reps: 20, k: 15},
		{name: "twoPoints", distinct: [][]float64{{0, 0, 0}, {1, 1, 1}}, reps: 6, k: 5},
		{name: "threePoints", distinct: [][]float64{{0}, {3}, {-2}}, reps: 4, k: 12},
		{name: "singlePointK1", distinct: [][]float64{{7, 7}}, reps: 1, k: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dim := len(tc.distinct[0])
			var x []float64
			for r := range tc.reps {
				for i := range tc.distinct {
					// Interleave copies so duplicates are not adjacent.
					x = append(x, tc.distinct[(i+r)%len(tc.distinct)]...)
				}
			}
			res, err := Fit(x, dim, Options{K: tc.k}, rand.New(rand.NewPCG(8, 9)))
			if err != nil {
				t.Fatal(err)
			}
			// k-means++ only samples points at positive distance, so every
			// distinct point gets a centre and the inertia is exactly 0
			// (hand computation).
			if want := min(len(tc.distinct), tc.k); res.NonEmpty != want {
				t.Errorf("NonEmpty = %d, want %d", res.NonEmpty, want)
			}
			if math.Abs(res.Inertia) > 1e-12 {
				t.Errorf("Inertia = %v, want 0", res.Inertia)
			}
			for _, v := range res.Centers {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite centre coordinate %v", v)
				}
			}
		})
	}
}

// sameResult reports the first difference between a and b, comparing floats
// bit for bit, or "" when they are identical.
func sameResult(a, b *Result) string {
	switch {
	case len(a.Centers) != len(b.Centers) || len(a.Labels) != len(b.Labels):
		return "shapes differ"
	case math.Float64bits(a.Inertia) != math.Float64bits(b.Inertia):
		return fmt.Sprintf("Inertia %v vs %v", a.Inertia, b.Inertia)
	case a.Iter != b.Iter:
		return fmt.Sprintf("Iter %d vs %d", a.Iter, b.Iter)
	case a.NonEmpty != b.NonEmpty:
		return fmt.Sprintf("NonEmpty %d vs %d", a.NonEmpty, b.NonEmpty)
	}
	for i := range a.Centers {
		if math.Float64bits(a.Centers[i]) != math.Float64bits(b.Centers[i]) {
			return fmt.Sprintf("Centers[%d] %v vs %v", i, a.Centers[i], b.Centers[i])
		}
	}
	for i := range a.Labels {
		if a.Labels[i] != b.Labels[i] {
			return fmt.Sprintf("Labels[%d] %d vs %d", i, a.Labels[i], b.Labels[i])
		}
	}
	return ""
}

func TestFitDeterministic(t *testing.T) {
	for _, tc := range []struct {
		n, dim, k int
	}{
		{n: 1000, dim: 2, k: 5},
		{n: 2000, dim: 5, k: 12},
		{n: 500, dim: 8, k: 6},
	} {
		t.Run(fmt.Sprintf("n%d_dim%d_k%d", tc.n, tc.dim, tc.k), func(t *testing.T) {
			x, _ := blobs(rand.New(rand.NewPCG(10, 11)), tc.n, tc.dim, tc.k, 3, 2)
			fitSeed := func(seed uint64) *Result {
				res, err := Fit(x, tc.dim, Options{K: tc.k}, rand.New(rand.NewPCG(seed, 1)))
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			a, b := fitSeed(1), fitSeed(1)
			if diff := sameResult(a, b); diff != "" {
				t.Fatalf("same seed, different results: %s", diff)
			}
			differs := false
			for seed := uint64(2); seed < 7 && !differs; seed++ {
				differs = sameResult(a, fitSeed(seed)) != ""
			}
			if !differs {
				t.Errorf("seeds 2..6 all reproduce seed 1 bit for bit")
			}
		})
	}
}

// gridPoints returns n points with integer coordinates in [0, m), which
// produce many exactly tied distances.
func gridPoints(rng *rand.Rand, n, dim, m int) []float64 {
	x := make([]float64, n*dim)
	for i := range x {
		x[i] = float64(rng.IntN(m))
	}
	return x
}

func TestHamerlyMatchesLloyd(t *testing.T) {
	type dataset struct {
		name string
		x    []float64
		dim  int
	}
	var sets []dataset
	for _, dim := range []int{1, 2, 3, 4, 5, 7} {
		rng := rand.New(rand.NewPCG(12, uint64(dim)))
		bx, _ := blobs(rng, 1500, dim, 8, 4, 2)
		ux := make([]float64, 1000*dim)
		for i := range ux {
			ux[i] = rng.Float64()
		}
		// Far from the origin, so that coordinate differences lose most of
		// their significant bits.
		ox := make([]float64, len(bx))
		for i, v := range bx {
			ox[i] = 1e6 + v
		}
		sets = append(sets,
			dataset{fmt.Sprintf("blobs%dd", dim), bx, dim},
			dataset{fmt.Sprintf("offset%dd", dim), ox, dim},
			dataset{fmt.Sprintf("uniform%dd", dim), ux, dim},
			dataset{fmt.Sprintf("grid%dd", dim), gridPoints(rng, 600, dim, 4), dim},
		)
	}
	for _, ds := range sets {
		for _, k := range []int{1, 2, 5, 9, 15, 40} {
			for _, tol := range []float64{0, 1e-12} {
				t.Run(fmt.Sprintf("%s_k%d_tol%g", ds.name, k, tol), func(t *testing.T) {
					opt := Options{K: k, NInit: 2, Tol: tol}
					h, err := fit(ds.x, ds.dim, opt, rand.New(rand.NewPCG(13, 14)), true)
					if err != nil {
						t.Fatal(err)
					}
					l, err := fit(ds.x, ds.dim, opt, rand.New(rand.NewPCG(13, 14)), false)
					if err != nil {
						t.Fatal(err)
					}
					if diff := sameResult(h, l); diff != "" {
						t.Errorf("Hamerly and Lloyd differ: %s", diff)
					}
				})
			}
		}
	}
}

func TestFitIterationLimit(t *testing.T) {
	x, _ := blobs(rand.New(rand.NewPCG(15, 16)), 2000, 2, 10, 3, 3)
	for _, maxIter := range []int{1, 2, 5} {
		t.Run(fmt.Sprint(maxIter), func(t *testing.T) {
			for _, hamerly := range []bool{true, false} {
				res, err := fit(x, 2, Options{K: 10, NInit: 3, MaxIter: maxIter}, rand.New(rand.NewPCG(1, 1)), hamerly)
				if err != nil {
					t.Fatal(err)
				}
				if res.Iter > maxIter {
					t.Errorf("hamerly=%t: Iter = %d > MaxIter %d", hamerly, res.Iter, maxIter)
				}
				// The final assignment makes labels nearest to the centres
				// even when the iteration limit stopped the run.
				got := make([]int, len(res.Labels))
				Predict(x, 2, res.Centers, got)
				for i := range got {
					if got[i] != res.Labels[i] {
						t.Fatalf("hamerly=%t: Labels[%d] = %d, nearest centre %d", hamerly, i, res.Labels[i], got[i])
					}
				}
			}
		})
	}
}

func TestPredict(t *testing.T) {
	for _, tc := range []struct {
		name    string
		x       []float64
		dim     int
		centers []float64
		want    []int
	}{
		// Hand computation; ties go to the lowest index.
		{
			name: "1d", x: []float64{-1, 0.4, 0.5, 0.6, 9}, dim: 1,
			centers: []float64{0, 1}, want: []int{0, 0, 0, 1, 1},
		},
		{
			name: "2dTie", x: []float64{0, 0, 2, 2, 1, 1}, dim: 2,
			centers: []float64{2, 2, 0, 0}, want: []int{1, 0, 0},
		},
		{
			name: "6d", x: []float64{0, 0, 0, 0, 0, 1, 5, 5, 5, 5, 5, 4}, dim: 6,
			centers: []float64{5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0}, want: []int{1, 0},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]int, len(tc.want))
			Predict(tc.x, tc.dim, tc.centers, got)
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("labels = %v, want %v", got, tc.want)
					break
				}
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	x := []float64{0, 0, 1, 1, 2, 2}
	for _, tc := range []struct {
		name string
		x    []float64
		opt  Options
		want string
	}{
		{name: "noPoints", x: nil, opt: Options{K: 1}, want: "no points"},
		{name: "kZero", x: x, opt: Options{}, want: "k = 0"},
		{name: "kNegative", x: x, opt: Options{K: -2}, want: "k = -2"},
		{name: "kAboveN", x: x, opt: Options{K: 4}, want: "exceeds"},
		{name: "nInit", x: x, opt: Options{K: 2, NInit: -1}, want: "restart"},
		{name: "maxIter", x: x, opt: Options{K: 2, MaxIter: -1}, want: "iteration"},
		{name: "tolNegative", x: x, opt: Options{K: 2, Tol: -1e-4}, want: "tolerance"},
		{name: "tolNaN", x: x, opt: Options{K: 2, Tol: math.NaN()}, want: "tolerance"},
		{name: "nan", x: []float64{0, 0, math.NaN(), 1}, opt: Options{K: 1}, want: "coordinate 2"},
		{name: "inf", x: []float64{0, math.Inf(-1)}, opt: Options{K: 1}, want: "coordinate 1"},
		// √(MaxFloat64/2)/2 ≈ 4.7e153 for dim 2.
		{name: "huge", x: []float64{0, 0, 1e154, 0}, opt: Options{K: 1}, want: "coordinate 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Fit(tc.x, 2, tc.opt, rand.New(rand.NewPCG(1, 2)))
			if err == nil {
				t.Fatalf("no error, result %+v", res)
			}
			if res != nil {
				t.Errorf("non-nil result with error")
			}
			if !strings.HasPrefix(err.Error(), "kmeans: fit: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q and %q", err, "kmeans: fit: ", tc.want)
			}
		})
	}
}

func TestPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{name: "fitDim0", f: func() { _, _ = Fit([]float64{1}, 0, Options{K: 1}, rng) }},
		{name: "fitRagged", f: func() { _, _ = Fit([]float64{1, 2, 3}, 2, Options{K: 1}, rng) }},
		{name: "fitNilRNG", f: func() { _, _ = Fit([]float64{1, 2}, 2, Options{K: 1}, nil) }},
		{name: "predictDim0", f: func() { Predict([]float64{1}, 0, []float64{1}, make([]int, 1)) }},
		{name: "predictRagged", f: func() { Predict([]float64{1, 2, 3}, 2, []float64{1, 2}, make([]int, 1)) }},
		{name: "predictNoCenters", f: func() { Predict([]float64{1, 2}, 2, nil, make([]int, 1)) }},
		{name: "predictRaggedCenters", f: func() { Predict([]float64{1, 2}, 2, []float64{1}, make([]int, 1)) }},
		{name: "predictLabels", f: func() { Predict([]float64{1, 2}, 2, []float64{1, 2}, make([]int, 2)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "kmeans: ") {
					t.Errorf("panic value %v, want a string with prefix %q", r, "kmeans: ")
				}
			}()
			tc.f()
		})
	}
}

// FuzzHamerlyMatchesLloyd checks on arbitrary small inputs that Hamerly's
// algorithm reproduces plain Lloyd bit for bit and never yields NaN.
func FuzzHamerlyMatchesLloyd(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(2), uint8(3), uint64(1))
	f.Add([]byte{5, 5, 5, 5, 5, 5}, uint8(1), uint8(4), uint64(2))
	f.Add([]byte{1, 200, 3, 40, 5, 60, 7, 80, 9, 100, 11, 120}, uint8(3), uint8(2), uint64(3))
	f.Fuzz(func(t *testing.T, data []byte, dim, k uint8, seed uint64) {
		d := int(dim%6) + 1
		n := len(data) / d
		if n == 0 {
			return
		}
		x := make([]float64, n*d)
		for i := range x {
			x[i] = float64(data[i]) / 7
		}
		opt := Options{K: int(k)%n + 1, NInit: 2}
		h, err := fit(x, d, opt, rand.New(rand.NewPCG(seed, 0)), true)
		if err != nil {
			t.Fatal(err)
		}
		l, err := fit(x, d, opt, rand.New(rand.NewPCG(seed, 0)), false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := sameResult(h, l); diff != "" {
			t.Fatalf("Hamerly and Lloyd differ: %s", diff)
		}
		for _, v := range h.Centers {
			if math.IsNaN(v) {
				t.Fatal("NaN centre")
			}
		}
	})
}

func TestRelocateEmptyCluster(t *testing.T) {
	// Hand computation: with centres 1 and 100 every point of
	// {0, 1, 2, 10} is nearest to centre 0, so cluster 1 is empty and takes
	// the point farthest from its centre, 10 (d² = 81); cluster 0 keeps the
	// mean of {0, 1, 2}, 1. The next assignment reproduces that partition
	// and no centre moves, so the run stops on the tolerance after 2
	// iterations.
	x := []float64{0, 1, 2, 10}
	for _, hamerly := range []bool{true, false} {
		t.Run(fmt.Sprintf("hamerly=%t", hamerly), func(t *testing.T) {
			s := newState(x, 1, 2, defaultMaxIter, defaultTol*meanVariance(x, 1))
			copy(s.centers, []float64{1, 100})
			iter, err := s.run(context.Background(), hamerly)
			if err != nil {
				t.Fatal(err)
			}
			wantCenters := []float64{1, 10}
			wantLabels := []int{0, 0, 0, 1}
			for j, c := range s.centers {
				// (0+1+2)/3 and 10/1 are exact in floating point; the
				// tolerance only allows for rounding.
				if math.Abs(c-wantCenters[j]) > 1e-12 {
					t.Errorf("centers = %v, want %v", s.centers, wantCenters)
					break
				}
			}
			for i, l := range s.labels {
				if l != wantLabels[i] {
					t.Errorf("labels = %v, want %v", s.labels, wantLabels)
					break
				}
			}
			if iter != 2 {
				t.Errorf("iterations = %d, want 2", iter)
			}
		})
	}
}

func TestMeanVariance(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		dim  int
		want float64
	}{
		// Hand computation: mean 2.5, squared deviations 2.25, 0.25, 0.25,
		// 2.25, population variance 5/4.
		{name: "1d", x: []float64{1, 2, 3, 4}, dim: 1, want: 1.25},
		// Feature variances 1 and 4, mean 2.5.
		{name: "2d", x: []float64{0, 0, 2, 4}, dim: 2, want: 2.5},
		{name: "constant", x: []float64{3, 3, 3}, dim: 1, want: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Tolerance: a few ulps of the hand-computed value.
			if got := meanVariance(tc.x, tc.dim); math.Abs(got-tc.want) > 1e-15*math.Max(1, tc.want) {
				t.Errorf("meanVariance = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFitLargeToleranceStopsAfterOneIteration(t *testing.T) {
	// With Tol = 1e12 the centre shift of the first iteration is within
	// tolerance for this data (coordinates below 10), so every restart stops
	// after one iteration and the final assignment step makes the labels
	// nearest to the centres.
	x, _ := blobs(rand.New(rand.NewPCG(17, 18)), 500, 3, 6, 3, 2)
	res, err := Fit(x, 3, Options{K: 6, NInit: 3, Tol: 1e12}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Iter != 1 {
		t.Errorf("Iter = %d, want 1", res.Iter)
	}
	got := make([]int, len(res.Labels))
	Predict(x, 3, res.Centers, got)
	for i := range got {
		if got[i] != res.Labels[i] {
			t.Fatalf("Labels[%d] = %d, nearest centre %d", i, res.Labels[i], got[i])
		}
	}
}

func TestSample(t *testing.T) {
	w := []float64{0, 0, 1, 0, 2, 0}
	cum := []float64{0, 0, 1, 1, 3, 3}
	for _, tc := range []struct {
		r    float64
		want int
	}{
		// Hand computation: the first index whose running sum exceeds r.
		{r: 0, want: 2},
		{r: 0.999, want: 2},
		{r: 1, want: 4},
		{r: 2.999, want: 4},
		// r at or beyond the total (rounding): the last positive weight.
		{r: 3, want: 4},
	} {
		t.Run(fmt.Sprint(tc.r), func(t *testing.T) {
			if got := sample(cum, w, tc.r); got != tc.want {
				t.Errorf("sample(%v) = %d, want %d", tc.r, got, tc.want)
			}
		})
	}
	// Property: a point of weight zero is never drawn.
	rng := rand.New(rand.NewPCG(19, 20))
	for range 1000 {
		if i := sample(cum, w, 3*rng.Float64()); w[i] <= 0 {
			t.Fatalf("drew index %d of weight %v", i, w[i])
		}
	}
}

func TestSeedPicksDistinctPoints(t *testing.T) {
	// k-means++ draws only points at positive distance from the chosen
	// centres, so with k distinct points (each repeated) it chooses all of
	// them.
	distinct := []float64{0, 0, 5, 5, -3, 4, 8, -1}
	var x []float64
	for range 5 {
		x = append(x, distinct...)
	}
	for seed := range uint64(20) {
		s := newState(x, 2, 4, defaultMaxIter, 0)
		if err := s.seed(context.Background(), rand.New(rand.NewPCG(seed, 0))); err != nil {
			t.Fatal(err)
		}
		seen := map[[2]float64]bool{}
		for j := range 4 {
			seen[[2]float64{s.centers[2*j], s.centers[2*j+1]}] = true
		}
		if len(seen) != 4 {
			t.Fatalf("seed %d: centres %v are not the 4 distinct points", seed, s.centers)
		}
	}
}
