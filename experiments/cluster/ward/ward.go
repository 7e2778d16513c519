package ward

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"sweep/experiments/kmeans"
)

// Merge is one row of scipy's linkage matrix: clusters A < B (ids below n
// are rows, id n+i is the cluster made by merge i) merged at Height into a
// cluster of Size rows.
type Merge struct {
	A, B   int
	Height float64
	Size   int
}

// Tree is the Ward hierarchy of N rows: N−1 merges in increasing height.
type Tree struct {
	N      int
	Merges []Merge
}

// maxAbs bounds coordinates so that squared distances times cluster sizes
// cannot overflow.
const maxAbs = 1e100

// Build returns the Ward hierarchy of the n = len(x)/dim rows of x
// (row-major), as described in the package documentation. It returns an
// error for n == 0 or a coordinate that is NaN, infinite or above 1e100 in
// magnitude, and panics if dim < 1 or len(x) is not a multiple of dim. It
// uses O(n·dim) memory and does not retain x.
func Build(x []float64, dim int) (*Tree, error) {
	return BuildContext(context.Background(), x, dim)
}

// BuildContext is Build that stops, returning ctx.Err(), when ctx ends.
func BuildContext(ctx context.Context, x []float64, dim int) (*Tree, error) {
	checkShape(x, dim)
	n := len(x) / dim
	if n == 0 {
		return nil, errors.New("ward: no rows")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.Abs(v) > maxAbs {
			return nil, fmt.Errorf("ward: value %d is %g (want finite, at most 1e100 in magnitude)", i, v)
		}
	}
	z, err := newBucketChain(x, dim).runContext(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(z, func(a, b Merge) int {
		switch {
		case a.Height < b.Height:
			return -1
		case a.Height > b.Height:
			return 1
		}
		return 0
	})
	relabel(z, n)
	return &Tree{N: n, Merges: z}, nil
}

// relabel turns the slot numbers of the sorted merges into cluster ids
// (scipy's label): each slot names the newest cluster holding its row.
func relabel(z []Merge, n int) {
	parent := make([]int32, 2*n-1)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(v int) int {
		r := v
		for int(parent[r]) != r {
			r = int(parent[r])
		}
		for int(parent[v]) != r { // path compression
			v, parent[v] = int(parent[v]), int32(r)
		}
		return r
	}
	for i := range z {
		a, b := find(z[i].A), find(z[i].B)
		if a > b {
			a, b = b, a
		}
		z[i].A, z[i].B = a, b
		parent[a], parent[b] = int32(n+i), int32(n+i)
	}
}

// Cut returns the labels of the n rows after the first n−k merges, that
// is with the last k−1 merges undone, numbered by smallest row index (see
// the package documentation). It returns an error unless 1 <= k <= n.
func (t *Tree) Cut(k int) ([]int, error) {
	n := t.N
	if k < 1 || k > n {
		return nil, fmt.Errorf("ward: cannot cut %d rows into %d clusters (want 1 <= k <= n)", n, k)
	}
	// root[v] is the cluster holding node v after n−k merges; parents have
	// larger ids than children, so one pass from the top settles every node.
	root := make([]int32, 2*n-1)
	for i := range root {
		root[i] = int32(i)
	}
	for i := n - k - 1; i >= 0; i-- {
		m := t.Merges[i]
		r := root[n+i]
		root[m.A], root[m.B] = r, r
	}
	labels := make([]int, n)
	next := int32(0)
	num := make([]int32, 2*n-1)
	for i := range num {
		num[i] = -1
	}
	for i := range n {
		r := root[i]
		if num[r] < 0 {
			num[r] = next
			next++
		}
		labels[i] = int(num[r])
	}
	return labels, nil
}

// Means returns the k·dim centroids of the clusters of the rows of x given
// by labels in [0, k). It returns an error if a cluster has no row and
// panics on mismatched lengths or a label out of range.
func Means(x []float64, dim int, labels []int, k int) ([]float64, error) {
	checkShape(x, dim)
	n := len(x) / dim
	if len(labels) != n || k < 1 {
		panic(fmt.Sprintf("ward: %d labels for %d rows, k = %d", len(labels), n, k))
	}
	sum := make([]float64, k*dim)
	cnt := make([]int, k)
	for i, l := range labels {
		if l < 0 || l >= k {
			panic(fmt.Sprintf("ward: label %d of row %d outside [0, %d)", l, i, k))
		}
		cnt[l]++
		for j := range dim {
			sum[l*dim+j] += x[i*dim+j]
		}
	}
	for c, m := range cnt {
		if m == 0 {
			return nil, fmt.Errorf("ward: cluster %d has no rows", c)
		}
		for j := range dim {
			sum[c*dim+j] /= float64(m)
		}
	}
	return sum, nil
}

// Assign sets labels[i] to the index of the row of means nearest to row i
// of x (Euclidean, the lowest index on ties): how held-out rows join the
// training clusters. It panics on mismatched lengths.
func Assign(x []float64, dim int, means []float64, labels []int) {
	kmeans.Predict(x, dim, means, labels)
}

func checkShape(x []float64, dim int) {
	if dim < 1 {
		panic(fmt.Sprintf("ward: dim %d < 1", dim))
	}
	if len(x)%dim != 0 {
		panic(fmt.Sprintf("ward: len(x) %d is not a multiple of dim %d", len(x), dim))
	}
}
