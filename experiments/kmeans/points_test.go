package kmeans

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestPointsFitEqualsFit fits one Points at a sequence of k that goes up
// and down, with iteration limits and tolerances that change too, with and
// without the vector passes, and checks every result
// against Fit of the same points with an identically seeded rng, to the
// bit: the buffers one fit leaves behind change nothing in the next.
func TestPointsFitEqualsFit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n, dim int
		ks     []int
		nInit  int
	}{
		{"blobs 2d", 613, 2, []int{5, 9, 5, 15, 3, 9}, 3},
		{"5d", 301, 5, []int{7, 12, 2, 7}, 2},
		{"past the vector tables", 200, 3, []int{20, 5, 17}, 1},
		{"k = n", 9, 2, []int{9, 4, 9}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			x := make([]float64, tc.n*tc.dim)
			for i := range x {
				x[i] = rng.NormFloat64() + float64(i%5)
			}
			for _, vector := range []bool{true, false} {
				p, err := NewPoints(x, tc.dim)
				if err != nil {
					t.Fatal(err)
				}
				for i, k := range tc.ks {
					opt := Options{K: k, NInit: tc.nInit, MaxIter: 100 - 96*(i%2), Tol: 1e-4 * float64(1+i%3)}
					got, err := p.fit(context.Background(), opt, rand.New(rand.NewPCG(uint64(i), 9)), true, vector)
					if err != nil {
						t.Fatal(err)
					}
					want, err := fitWith(context.Background(), x, tc.dim, opt, rand.New(rand.NewPCG(uint64(i), 9)), true, vector)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("vector %v, fit %d (k=%d): Points.Fit gives inertia %v iter %d, Fit %v iter %d",
							vector, i, k, got.Inertia, got.Iter, want.Inertia, want.Iter)
					}
				}
			}
		})
	}
}

// TestNewPointsErrors checks that NewPoints refuses what Fit refuses.
func TestNewPointsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		want string
	}{
		{"empty", nil, "kmeans: points: no points"},
		{"nan", []float64{0, 1, math.NaN(), 2}, "kmeans: points: coordinate 2 is NaN"},
	} {
		if _, err := NewPoints(tc.x, 2); err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
