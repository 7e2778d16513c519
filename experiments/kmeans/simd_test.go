package kmeans

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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
