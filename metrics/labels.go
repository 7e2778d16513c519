package metrics

import (
	"fmt"
	"slices"
)

// encoded is a labeling re-coded as dense ids 0..k-1, assigned in increasing
// order of the original labels (as scikit-learn's LabelEncoder does).
type encoded struct {
	codes  []int32 // codes[i] is the dense id of point i
	counts []int   // counts[c] is the number of points with dense id c
}

// k returns the number of distinct labels.
func (e encoded) k() int { return len(e.counts) }

// denseLimit bounds the lookup table used by encode: labels up to
// denseFactor*n+denseSlack are mapped through a slice, larger ones through a
// sorted list of the distinct labels. Either way encoding is O(n) memory.
const (
	denseFactor = 4
	denseSlack  = 64
)

// encode re-codes labels as dense ids. It panics if a label is negative.
func encode(labels []int) encoded {
	n := len(labels)
	hi := -1
	for i, v := range labels {
		if v < 0 {
			panic(fmt.Sprintf("metrics: negative label %d at index %d", v, i))
		}
		hi = max(hi, v)
	}
	codes := make([]int32, n)
	if hi < denseFactor*n+denseSlack {
		id := make([]int32, hi+1) // 0: label absent; c+1: label has dense id c
		for _, v := range labels {
			id[v] = 1
		}
		k := int32(0)
		for v, seen := range id {
			if seen != 0 {
				k++
				id[v] = k
			}
		}
		counts := make([]int, k)
		for i, v := range labels {
			c := id[v] - 1
			codes[i] = c
			counts[c]++
		}
		return encoded{codes: codes, counts: counts}
	}
	distinct := slices.Clone(labels)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	counts := make([]int, len(distinct))
	for i, v := range labels {
		c, _ := slices.BinarySearch(distinct, v)
		codes[i] = int32(c)
		counts[c]++
	}
	return encoded{codes: codes, counts: counts}
}

// checkSameLength panics unless truth and pred have the same length.
func checkSameLength(truth, pred []int) {
	if len(truth) != len(pred) {
		panic(fmt.Sprintf("metrics: len(truth) = %d != len(pred) = %d", len(truth), len(pred)))
	}
}

// checkPoints panics unless x holds n points of dimension dim.
func checkPoints(x []float64, dim, n int) {
	if dim <= 0 {
		panic(fmt.Sprintf("metrics: dimension %d is not positive", dim))
	}
	if len(x) != n*dim {
		panic(fmt.Sprintf("metrics: len(x) = %d, want n*dim = %d*%d", len(x), n, dim))
	}
}
