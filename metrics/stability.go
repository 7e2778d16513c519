package metrics

import (
	"fmt"
	"math"
)

// Stability returns the mean and the sample standard deviation (n−1 in the
// denominator) of the adjusted Rand index over all pairs of labelings,
//
//	ARI(L_a, L_b),  0 <= a < b < m,
//
// where each labeling assigns the same points (for the sweep: every fold's
// model labelling all the selected rows). It measures how reproducible a
// clustering is under resampling, as in Lange, Roth, Braun & Buhmann (2004)
// and Hennig's clusterboot (R package fpc), here with ARI as the similarity.
// With two labelings there is one pair and sd is NaN.
//
// It panics if there are fewer than two labelings, if their lengths differ or
// if a label is negative.
//
// Reference: T. Lange, V. Roth, M. L. Braun and J. M. Buhmann (2004),
// "Stability-based validation of clustering solutions", Neural Computation
// 16(6), 1299-1323.
func Stability(labelings [][]int) (mean, sd float64) {
	m := len(labelings)
	if m < 2 {
		panic(fmt.Sprintf("metrics: stability of %d labelings, want at least 2", m))
	}
	for i, l := range labelings[1:] {
		if len(l) != len(labelings[0]) {
			panic(fmt.Sprintf("metrics: labeling %d has %d labels, labeling 0 has %d", i+1, len(l), len(labelings[0])))
		}
	}
	var ari []float64
	for a := range m {
		for b := a + 1; b < m; b++ {
			ari = append(ari, AdjustedRandIndex(labelings[a], labelings[b]))
		}
	}
	var sum float64
	for _, v := range ari {
		sum += v
	}
	mean = sum / float64(len(ari))
	if len(ari) == 1 {
		return mean, math.NaN()
	}
	var ss float64
	for _, v := range ari {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(ari)-1))
}

// SizeShares returns the smallest and the largest cluster share,
// min_c n_c/n and max_c n_c/n over the clusters c = 0..k−1, where n_c is the
// number of labels equal to c and n = len(labels). A cluster without points
// counts, with share 0. Both are NaN for empty labels.
//
// It panics if k <= 0 or a label is outside [0, k).
func SizeShares(labels []int, k int) (smallest, largest float64) {
	if k <= 0 {
		panic(fmt.Sprintf("metrics: %d clusters", k))
	}
	count := make([]int, k)
	for i, c := range labels {
		if c < 0 || c >= k {
			panic(fmt.Sprintf("metrics: label %d at index %d out of range [0, %d)", c, i, k))
		}
		count[c]++
	}
	lo, hi := count[0], count[0]
	for _, c := range count[1:] {
		lo, hi = min(lo, c), max(hi, c)
	}
	n := float64(len(labels))
	return float64(lo) / n, float64(hi) / n
}
