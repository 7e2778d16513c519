package metrics

import (
	"fmt"
	"math"
	"slices"
)

// KneeShape says which kind of bend Knee looks for: the curve's shape
// (concave or convex) and direction (increasing or decreasing), the curve
// and direction arguments of kneed's KneeLocator. An elbow of inertia
// against k is ConvexDecreasing.
type KneeShape int

const (
	ConcaveIncreasing KneeShape = iota // rises steeply, then flattens (a knee)
	ConcaveDecreasing                  // flat, then falls steeply
	ConvexIncreasing                   // flat, then rises steeply
	ConvexDecreasing                   // falls steeply, then flattens (an elbow)
)

// Knee returns the knee (or elbow) of the curve y(x) found by Kneedle
// (Satopää et al. 2011) with sensitivity s, as kneed 0.8.6's
// KneeLocator(x, y, S=s, curve, direction, interp_method="interp1d",
// online=False) finds it (yellowbrick's KElbowVisualizer carries an earlier
// copy of the same procedure):
//
//  1. the curve is the linear interpolation of the points, evaluated at x:
//     y'_0 = y_0 and y'_i = ((y_i − y_{i−1})/(x_i − x_{i−1}))·(x_i − x_{i−1}) + y_{i−1};
//  2. x and y' are normalised to [0, 1]: (v − min) / (max − min);
//  3. the normalised y is turned into a concave increasing curve: flipped
//     (reversed) when concave decreasing, max − y when convex decreasing,
//     reversed max − y when convex increasing;
//  4. the difference curve is d_i = y_i − x_i; its local maxima (d_i ≥ both
//     neighbours) and minima (≤), an end point compared with itself;
//  5. each maximum i gets the threshold T = d_i − s·|mean(x_{j+1} − x_j)|;
//  6. walking from the first maximum, a maximum sets the threshold and
//     enables detection, a minimum sets it to 0 and disables detection until
//     the next maximum; the first i with detection on and d_{i+1} < T gives
//     the knee at the last maximum m: x_m for concave increasing and convex
//     decreasing, x_{N−1−m} otherwise.
//
// ok is false when there is no knee: no local maximum, fewer than two
// points, a flat x or y (normalisation by 0), or no drop below a threshold.
//
// It panics if the lengths differ or x is not strictly increasing.
//
// References: V. Satopää, J. Albrecht, D. Irwin and B. Raghavan (2011),
// "Finding a 'kneedle' in a haystack: detecting knee points in system
// behavior", ICDCS Workshops, 166-171; K. Arvai, kneed
// (https://github.com/arvkevi/kneed), knee_locator.py.
func Knee(x, y []float64, shape KneeShape, s float64) (knee float64, ok bool) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("metrics: len(x) = %d != len(y) = %d", len(x), len(y)))
	}
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			panic(fmt.Sprintf("metrics: x is not strictly increasing at index %d", i))
		}
	}
	if shape < ConcaveIncreasing || shape > ConvexDecreasing {
		panic(fmt.Sprintf("metrics: unknown knee shape %d", shape))
	}
	n := len(x)
	if n < 2 {
		return 0, false
	}
	ys := make([]float64, n)
	ys[0] = y[0]
	for i := 1; i < n; i++ {
		dx := x[i] - x[i-1]
		ys[i] = (y[i]-y[i-1])/dx*dx + y[i-1]
	}
	xn, yn := normalize(x), normalize(ys)
	switch shape {
	case ConcaveDecreasing:
		slices.Reverse(yn)
	case ConvexDecreasing, ConvexIncreasing:
		top := math.Inf(-1)
		for _, v := range yn {
			top = max(top, v)
		}
		for i, v := range yn {
			yn[i] = top - v
		}
		if shape == ConvexIncreasing {
			slices.Reverse(yn)
		}
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = yn[i] - xn[i]
		if math.IsNaN(d[i]) {
			return 0, false
		}
	}
	m, found := kneeIndex(d, s*math.Abs(meanStep(xn)))
	if !found {
		return 0, false
	}
	if shape == ConcaveIncreasing || shape == ConvexDecreasing {
		return x[m], true
	}
	return x[n-1-m], true
}

// kneeIndex walks the difference curve d as step 6 of Knee describes, with
// thresholds d_i − drop at the local maxima, and returns the index of the
// maximum whose threshold is crossed first.
func kneeIndex(d []float64, drop float64) (int, bool) {
	n := len(d)
	at := func(i int) float64 { return d[min(max(i, 0), n-1)] }
	isMax := func(i int) bool { return d[i] >= at(i+1) && d[i] >= at(i-1) }
	isMin := func(i int) bool { return d[i] <= at(i+1) && d[i] <= at(i-1) }
	first := -1
	for i := range d {
		if isMax(i) {
			first = i
			break
		}
	}
	if first < 0 {
		return 0, false
	}
	var threshold float64
	index := 0
	active := true
	for i := first; i < n-1; i++ {
		if isMax(i) {
			threshold, index, active = d[i]-drop, i, true
		}
		if isMin(i) {
			threshold, active = 0, false
		}
		if active && d[i+1] < threshold {
			return index, true
		}
	}
	return 0, false
}

// normalize returns (v − min v) / (max v − min v) for each v.
func normalize(v []float64) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}

// meanStep returns the mean of the differences v[i+1] − v[i], summed in
// order (numpy.mean sums pairwise in blocks, which can differ in the last
// bit for more than 8 values).
func meanStep(v []float64) float64 {
	var sum float64
	for i := 1; i < len(v); i++ {
		sum += v[i] - v[i-1]
	}
	return sum / float64(len(v)-1)
}
