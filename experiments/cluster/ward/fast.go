package ward

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// bucketChain is the nearest-neighbour chain of chain (the plain reference
// in chain.go) with a pruned search; both give the same merges to the bit
// (TestBucketsMatchPlain).
//
// The clusters are kept in buckets: the rows are split recursively at the
// median of their widest coordinate (a k-d tree, Bentley 1975) into leaves
// of at most √(2n) rows, each bucket a contiguous range of positions with
// the bounding box [lo, hi] of its centroids. A merged cluster stays in the
// bucket of the larger slot, whose box widens to hold the new centroid (a
// convex combination of the two), and a dead cluster is replaced by the
// last of its bucket. A search for the tip A scans A's bucket first and
// then skips every bucket with
//
//	g² / (|A| + 1) > cur,   g = distance from c_A to the box,
//
// since every B in the bucket has |B|/(|A|+|B|)·‖c_A − c_B‖² ≥ g²/(|A|+1)
// (|B| ≥ 1). The bound is shrunk by 1e-12 of itself to cover rounding.
// Positions no longer follow slots, so ties are settled explicitly: on an
// equal value the previous chain element keeps its place, otherwise the
// lower slot wins, which is what the ordered scan of chain does.
type bucketChain struct {
	dim        int
	cen, size  []float64 // by position
	slot       []int32   // position → slot
	pos, bkt   []int32   // slot → position (−1 when dead), bucket
	start, end []int32   // bucket b holds positions [start[b], end[b])
	lo, hi     []float64 // bounding box of the centroids, dim per bucket
	lowest     int32     // no live slot below it
	links      []int32
}

func newBucketChain(x []float64, dim int) *bucketChain {
	n := len(x) / dim
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	per := max(16, int(math.Sqrt(2*float64(n))))
	var bounds []int32
	kdSplit(x, dim, order, 0, per, &bounds)
	nb := len(bounds)
	c := &bucketChain{dim: dim, cen: make([]float64, n*dim), size: make([]float64, n),
		slot: order, pos: make([]int32, n), bkt: make([]int32, n),
		start: make([]int32, nb), end: make([]int32, nb),
		lo: make([]float64, nb*dim), hi: make([]float64, nb*dim),
		links: make([]int32, 0, 16)}
	for b := range nb {
		c.end[b] = bounds[b]
		if b > 0 {
			c.start[b] = bounds[b-1]
		}
		for j := range dim {
			c.lo[b*dim+j], c.hi[b*dim+j] = math.Inf(1), math.Inf(-1)
		}
		for p := c.start[b]; p < c.end[b]; p++ {
			s := int(order[p])
			xs := x[s*dim : s*dim+dim]
			copy(c.cen[int(p)*dim:], xs)
			c.size[p], c.pos[s], c.bkt[s] = 1, p, int32(b)
			c.widen(b, xs)
		}
	}
	return c
}

// kdSplit splits idx (rows of x, placed from position off) at the median of
// its widest coordinate until at most per rows remain, appending the end
// position of every leaf to bounds in order.
func kdSplit(x []float64, dim int, idx []int32, off, per int, bounds *[]int32) {
	if len(idx) <= per {
		*bounds = append(*bounds, int32(off+len(idx)))
		return
	}
	axis, wide := 0, -1.0
	for j := range dim {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range idx {
			lo, hi = min(lo, x[int(i)*dim+j]), max(hi, x[int(i)*dim+j])
		}
		if hi-lo > wide {
			axis, wide = j, hi-lo
		}
	}
	slices.SortFunc(idx, func(a, b int32) int {
		return cmp.Or(cmp.Compare(x[int(a)*dim+axis], x[int(b)*dim+axis]), cmp.Compare(a, b))
	})
	h := len(idx) / 2
	kdSplit(x, dim, idx[:h], off, per, bounds)
	kdSplit(x, dim, idx[h:], off+h, per, bounds)
}

// widen grows the box of bucket b to hold point v.
func (c *bucketChain) widen(b int, v []float64) {
	d := c.dim
	lo, hi := c.lo[b*d:b*d+d], c.hi[b*d:b*d+d]
	for j, t := range v {
		lo[j], hi[j] = min(lo[j], t), max(hi[j], t)
	}
}

// boxDist returns the squared distance from v to the box of bucket b.
func (c *bucketChain) boxDist(b int, v []float64) float64 {
	d := c.dim
	lo, hi := c.lo[b*d:b*d+d], c.hi[b*d:b*d+d]
	var s float64
	for j, t := range v {
		g := max(lo[j]-t, t-hi[j], 0)
		s += g * g
	}
	return s
}

// run performs the n−1 merges in the order made, with slots for clusters.
func (c *bucketChain) run() []Merge {
	z, _ := c.runContext(context.Background())
	return z
}

// runContext is run that returns ctx.Err() when ctx ends, checked every
// 256 merges (a few milliseconds at most).
func (c *bucketChain) runContext(ctx context.Context) ([]Merge, error) {
	n := len(c.slot)
	z := make([]Merge, 0, n-1)
	for len(z) < n-1 {
		if len(z)%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(c.links) == 0 {
			for c.pos[c.lowest] < 0 {
				c.lowest++
			}
			c.links = append(c.links, c.lowest)
		}
		var x, y int32
		for {
			l := len(c.links)
			x = c.links[l-1]
			prev := int32(-1)
			if l > 1 {
				prev = c.links[l-2]
			}
			y = c.nearest(x, prev)
			if y == prev {
				break
			}
			c.links = append(c.links, y)
		}
		c.links = c.links[:len(c.links)-2]
		if x > y {
			x, y = y, x
		}
		z = append(z, c.merge(x, y))
	}
	return z, nil
}

// search is the running minimum of one nearest-neighbour search.
type search struct {
	cur    float64
	best   int32 // slot
	isPrev bool
}

// nearest returns the slot minimising weighted(x, ·), with chain's tie
// rule; prev is the previous chain element or −1.
func (c *bucketChain) nearest(x, prev int32) int32 {
	d := c.dim
	px := int(c.pos[x])
	xc := c.cen[px*d : px*d+d]
	nx := c.size[px]
	st := search{cur: math.Inf(1), best: -1}
	if prev >= 0 {
		pp := int(c.pos[prev])
		np := c.size[pp]
		st = search{cur: sqDist(xc, c.cen[pp*d:pp*d+d]) * np / (np + nx), best: prev, isPrev: true}
	}
	scale := (1 - 1e-12) / (nx + 1)
	b0 := int(c.bkt[x])
	c.scan(&st, xc, nx, px, int(c.start[b0]), int(c.end[b0]))
	for b := range c.start {
		if b == b0 || c.start[b] == c.end[b] || c.boxDist(b, xc)*scale > st.cur {
			continue
		}
		c.scan(&st, xc, nx, px, int(c.start[b]), int(c.end[b]))
	}
	return st.best
}

// scan updates st with the positions [from, to) other than px.
func (c *bucketChain) scan(st *search, xc []float64, nx float64, px, from, to int) {
	d := c.dim
	cur := st.cur
	for p := from; p < to; p++ {
		q := c.cen[p*d : p*d+d]
		var s float64
		for j, v := range xc {
			t := v - q[j]
			s += float64(t * t)
		}
		np := c.size[p]
		if w := s * np / (np + nx); w <= cur && p != px {
			if w < cur || (!st.isPrev && c.slot[p] < st.best) {
				cur, st.best, st.isPrev = w, c.slot[p], false
			}
		}
	}
	st.cur = cur
}

// merge merges slot x into slot y and returns the merge (see chain.merge).
func (c *bucketChain) merge(x, y int32) Merge {
	d := c.dim
	px, py := int(c.pos[x]), int(c.pos[y])
	cx, cy := c.cen[px*d:px*d+d], c.cen[py*d:py*d+d]
	nx, ny := c.size[px], c.size[py]
	h := math.Sqrt(2 * nx * ny / (nx + ny) * sqDist(cx, cy))
	for j := range d {
		cy[j] = (nx*cx[j] + ny*cy[j]) / (nx + ny)
	}
	c.size[py] = nx + ny
	c.widen(int(c.bkt[y]), cy)
	// Replace x by the last cluster of its bucket.
	bx := c.bkt[x]
	last := int(c.end[bx]) - 1
	if last != px {
		copy(cx, c.cen[last*d:last*d+d])
		c.size[px], c.slot[px] = c.size[last], c.slot[last]
		c.pos[c.slot[px]] = int32(px)
	}
	c.end[bx]--
	c.pos[x] = -1
	return Merge{A: int(x), B: int(y), Height: h, Size: int(nx + ny)}
}
