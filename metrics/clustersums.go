package metrics

import (
	"context"
	"math"
)

// Tile sizes for the pair loop of newClusterSums. A column block of
// blockCols points in structure-of-arrays form (dim+1 float64 per point with
// the column accumulator) is 24 KiB at dim 5 and stays in L1 while a chunk of
// up to blockRows rows sweeps over it.
const (
	blockRows = 256
	blockCols = 512
)

// checkPairs is how many pairs newClusterSums visits between two checks of
// its context: about a millisecond of work, against a few nanoseconds per
// check.
const checkPairs = 1 << 19

// clusterSums holds, for several labelings of the same points, the sum of
// distances from every point to every cluster:
//
//	sums[(off[l]+c)*n + q] = Σ_{j ≠ p, label_l(j) = c} ‖x_p − x_j‖,  p = perm[q],
//
// where c is a dense cluster id of labeling l and q is the position of point p
// in the sorted order used for the computation.
type clusterSums struct {
	n    int
	off  []int     // off[l]: first accumulator row of labeling l
	perm []int32   // perm[q]: original index of the point at sorted position q
	sums []float64 // Σk rows of n values
}

// newClusterSums computes the cluster distance sums of the n points in x
// (n = len(encs[0].codes), below 2³¹) for every labeling in encs, visiting
// each pair i < j once. len(encs) must be at least 1.
//
// The points are sorted by their tuple of cluster ids across the labelings,
// so that points with equal tuples ("groups") are contiguous. The pairs are
// visited in tiles: a chunk of at most blockRows rows from one group against a
// block of blockCols later columns. For a row i, the distances to each run of
// one group h within the block are summed by a branch-free loop that also
// adds each distance to a per-column accumulator; the run's sum is then added
// to row i's accumulator of each of h's clusters (one per labeling). After the
// chunk, the per-column sums are added to the columns' accumulators of the
// chunk's clusters. So each distance is computed once, and each labeling costs
// one addition per (row, run) and per (chunk, column) rather than per pair.
//
// It returns ctx.Err(), checked every checkPairs pairs or so, when ctx ends.
func newClusterSums(ctx context.Context, x []float64, dim int, encs []encoded) (*clusterSums, error) {
	n := len(encs[0].codes)
	nl := len(encs)
	off := make([]int, nl)
	rows := 0
	for l, e := range encs {
		off[l] = rows
		rows += e.k()
	}
	perm := sortByTuple(encs)
	grp, end, tup := groups(encs, perm, off)

	// Coordinates in sorted order, one slice per dimension.
	cols := make([][]float64, dim)
	flat := make([]float64, n*dim)
	for d := range cols {
		cols[d] = flat[d*n : (d+1)*n]
	}
	for q, p := range perm {
		pt := x[int(p)*dim : int(p)*dim+dim]
		for d, v := range pt {
			cols[d][q] = v
		}
	}

	sums := make([]float64, rows*n)
	acc := make([]float64, n) // per-column distance sums of the current tile
	pt := make([]float64, dim)
	gs := 0
	work := 0 // pairs visited since the last check of ctx
	for g, ge32 := range end {
		ge := int(ge32)
		tg := tup[g*nl : (g+1)*nl]
		for a := gs; a < ge; a += blockRows {
			b := min(a+blockRows, ge)
			for j0 := a + 1; j0 < n; j0 += blockCols {
				j1 := min(j0+blockCols, n)
				if work += (b - a) * (j1 - j0); work >= checkPairs {
					work = 0
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
				for i := a; i < b; i++ {
					lo := max(j0, i+1)
					if lo >= j1 {
						break
					}
					for d := range pt {
						pt[d] = cols[d][i]
					}
					// Sum the distances over each run of equal tuples and credit
					// the run's clusters, one per labeling.
					for t := lo; t < j1; {
						h := int(grp[t])
						e := min(int(end[h]), j1)
						var s float64
						switch dim {
						case 1:
							s = distSum1(pt[0], cols[0][t:e], acc[t:e])
						case 2:
							s = distSum2(pt[0], pt[1], cols[0][t:e], cols[1][t:e], acc[t:e])
						case 3:
							s = distSum3(pt[0], pt[1], pt[2], cols[0][t:e], cols[1][t:e], cols[2][t:e], acc[t:e])
						case 4:
							s = distSum4(pt[0], pt[1], pt[2], pt[3], cols[0][t:e], cols[1][t:e], cols[2][t:e], cols[3][t:e], acc[t:e])
						case 5:
							s = distSum5(pt[0], pt[1], pt[2], pt[3], pt[4], cols[0][t:e], cols[1][t:e], cols[2][t:e], cols[3][t:e], cols[4][t:e], acc[t:e])
						default:
							s = distSumN(pt, cols, t, e, acc[t:e])
						}
						for _, r := range tup[h*nl : (h+1)*nl] {
							sums[int(r)*n+i] += s
						}
						t = e
					}
				}
				// Every row of the chunk has tuple tg: credit the columns.
				ac := acc[j0:j1]
				for _, r := range tg {
					row := sums[int(r)*n+j0 : int(r)*n+j1]
					ac := ac[:len(row)]
					for j, v := range ac {
						row[j] += v
					}
				}
				clear(ac)
			}
		}
		gs = ge
	}
	return &clusterSums{n: n, off: off, perm: perm, sums: sums}, nil
}

// sortByTuple returns the permutation that sorts the points by their tuple of
// codes, lexicographically (LSD radix sort: a stable counting sort per
// labeling, last labeling first). perm[q] is the point at sorted position q.
func sortByTuple(encs []encoded) []int32 {
	n := len(encs[0].codes)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	tmp := make([]int32, n)
	for l := len(encs) - 1; l >= 0; l-- {
		e := encs[l]
		start := make([]int, e.k()+1)
		for _, c := range e.codes {
			start[c+1]++
		}
		for c := 1; c < len(start); c++ {
			start[c] += start[c-1]
		}
		for _, p := range perm {
			c := e.codes[p]
			tmp[start[c]] = p
			start[c]++
		}
		perm, tmp = tmp, perm
	}
	return perm
}

// groups splits the sorted positions into maximal runs of equal tuples.
// grp[q] is the group of position q, end[g] the position after group g, and
// tup[g*len(encs)+l] = off[l] + (cluster of group g in labeling l), the
// accumulator row of that cluster.
func groups(encs []encoded, perm []int32, off []int) (grp, end, tup []int32) {
	grp = make([]int32, len(perm))
	for q, p := range perm {
		if q == 0 || !sameTuple(encs, p, perm[q-1]) {
			if q > 0 {
				end = append(end, int32(q))
			}
			for l, e := range encs {
				tup = append(tup, int32(off[l])+e.codes[p])
			}
		}
		grp[q] = int32(len(end))
	}
	end = append(end, int32(len(perm)))
	return grp, end, tup
}

// sameTuple reports whether points p and q have the same code in every
// labeling.
func sameTuple(encs []encoded, p, q int32) bool {
	for _, e := range encs {
		if e.codes[p] != e.codes[q] {
			return false
		}
	}
	return true
}

// The distSum functions return Σ_{k} ‖p − y_k‖ over the points y_k = (c0[k],
// c1[k], ...) and add each distance to acc[k]; distSumN does so for the points
// y_j = (cols[0][j], ..., cols[dim-1][j]), t <= j < e, with acc[j-t]. They are
// specialised for dim 1 to 5: each pair costs one square root and no branch.

func distSumN(pt []float64, cols [][]float64, t, e int, acc []float64) float64 {
	acc = acc[:e-t]
	var s float64
	for k := range acc {
		var ss float64
		for d, v := range pt {
			u := cols[d][t+k] - v
			ss += u * u
		}
		dist := math.Sqrt(ss)
		s += dist
		acc[k] += dist
	}
	return s
}

func distSum1(p0 float64, c0, acc []float64) float64 {
	acc = acc[:len(c0)]
	var s float64
	for k, v := range c0 {
		dist := math.Abs(v - p0)
		s += dist
		acc[k] += dist
	}
	return s
}

func distSum2(p0, p1 float64, c0, c1, acc []float64) float64 {
	c1 = c1[:len(c0)]
	acc = acc[:len(c0)]
	var s float64
	for k, v := range c0 {
		d0 := v - p0
		d1 := c1[k] - p1
		dist := math.Sqrt(d0*d0 + d1*d1)
		s += dist
		acc[k] += dist
	}
	return s
}

func distSum3(p0, p1, p2 float64, c0, c1, c2, acc []float64) float64 {
	c1 = c1[:len(c0)]
	c2 = c2[:len(c0)]
	acc = acc[:len(c0)]
	var s float64
	for k, v := range c0 {
		d0 := v - p0
		d1 := c1[k] - p1
		d2 := c2[k] - p2
		dist := math.Sqrt(d0*d0 + d1*d1 + d2*d2)
		s += dist
		acc[k] += dist
	}
	return s
}

func distSum4(p0, p1, p2, p3 float64, c0, c1, c2, c3, acc []float64) float64 {
	c1 = c1[:len(c0)]
	c2 = c2[:len(c0)]
	c3 = c3[:len(c0)]
	acc = acc[:len(c0)]
	var s float64
	for k, v := range c0 {
		d0 := v - p0
		d1 := c1[k] - p1
		d2 := c2[k] - p2
		d3 := c3[k] - p3
		dist := math.Sqrt(d0*d0 + d1*d1 + d2*d2 + d3*d3)
		s += dist
		acc[k] += dist
	}
	return s
}

func distSum5(p0, p1, p2, p3, p4 float64, c0, c1, c2, c3, c4, acc []float64) float64 {
	c1 = c1[:len(c0)]
	c2 = c2[:len(c0)]
	c3 = c3[:len(c0)]
	c4 = c4[:len(c0)]
	acc = acc[:len(c0)]
	var s float64
	for k, v := range c0 {
		d0 := v - p0
		d1 := c1[k] - p1
		d2 := c2[k] - p2
		d3 := c3[k] - p3
		d4 := c4[k] - p4
		dist := math.Sqrt(d0*d0 + d1*d1 + d2*d2 + d3*d3 + d4*d4)
		s += dist
		acc[k] += dist
	}
	return s
}
