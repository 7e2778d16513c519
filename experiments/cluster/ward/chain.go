package ward

import "math"

// chain is the state of the nearest-neighbour chain: the live clusters in
// increasing slot order, stored contiguously (dead ones are marked by NaN
// centroids until the next compaction), and the chain of slots.
type chain struct {
	dim   int
	cen   []float64 // centroids, dim per position
	size  []float64 // cluster sizes per position; 0 when dead
	slot  []int32   // slot of each position, increasing
	pos   []int32   // position of each slot
	dead  int       // dead positions not yet compacted
	links []int32   // the chain, slots
}

func newChain(x []float64, dim int) *chain {
	n := len(x) / dim
	c := &chain{dim: dim, cen: append([]float64(nil), x...), size: make([]float64, n),
		slot: make([]int32, n), pos: make([]int32, n), links: make([]int32, 0, 16)}
	for i := range n {
		c.size[i], c.slot[i], c.pos[i] = 1, int32(i), int32(i)
	}
	return c
}

// run performs the n−1 merges and returns them in the order made, with
// slots for clusters.
func (c *chain) run() []Merge {
	n := len(c.slot)
	z := make([]Merge, 0, n-1)
	for len(z) < n-1 {
		if len(c.links) == 0 {
			c.links = append(c.links, c.firstLive())
		}
		var x, y int32
		for {
			l := len(c.links)
			x = c.links[l-1]
			px := int(c.pos[x])
			best, cur := -1, math.Inf(1)
			if l > 1 {
				best = int(c.pos[c.links[l-2]])
				cur = c.weighted(px, best)
			}
			best = c.nearest(px, best, cur)
			y = c.slot[best]
			if l > 1 && y == c.links[l-2] {
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
	return z
}

func (c *chain) firstLive() int32 {
	for p, s := range c.size {
		if s > 0 {
			return c.slot[p]
		}
	}
	panic("ward: no live cluster")
}

// weighted returns |B|/(|A|+|B|)·‖c_A − c_B‖² for A at position pa and B at
// pb, the quantity the searches compare.
func (c *chain) weighted(pa, pb int) float64 {
	d := c.dim
	s := sqDist(c.cen[pa*d:pa*d+d], c.cen[pb*d:pb*d+d])
	nb := c.size[pb]
	return s * nb / (nb + c.size[pa])
}

// merge merges slot x into slot y and returns the merge, with height
// d(x, y) = √(2 n_x n_y/(n_x+n_y)·‖c_x − c_y‖²).
func (c *chain) merge(x, y int32) Merge {
	d := c.dim
	px, py := int(c.pos[x]), int(c.pos[y])
	cx, cy := c.cen[px*d:px*d+d], c.cen[py*d:py*d+d]
	nx, ny := c.size[px], c.size[py]
	h := math.Sqrt(2 * nx * ny / (nx + ny) * sqDist(cx, cy))
	for j := range d {
		cy[j] = (nx*cx[j] + ny*cy[j]) / (nx + ny)
		cx[j] = math.NaN()
	}
	c.size[py], c.size[px] = nx+ny, 0
	c.dead++
	if c.dead*4 > len(c.slot) {
		c.compact()
	}
	return Merge{A: int(x), B: int(y), Height: h, Size: int(nx + ny)}
}

// compact removes the dead positions, keeping the slot order.
func (c *chain) compact() {
	d := c.dim
	w := 0
	for p, s := range c.size {
		if s == 0 {
			continue
		}
		copy(c.cen[w*d:w*d+d], c.cen[p*d:p*d+d])
		c.size[w], c.slot[w] = s, c.slot[p]
		c.pos[c.slot[w]] = int32(w)
		w++
	}
	c.cen, c.size, c.slot = c.cen[:w*d], c.size[:w], c.slot[:w]
	c.dead = 0
}

// sqDist returns ‖p − q‖², summed left to right without fused
// multiply-add, as the scans in nearest.go sum it.
func sqDist(p, q []float64) float64 {
	q = q[:len(p)]
	var s float64
	for j, v := range p {
		t := v - q[j]
		s += float64(t * t)
	}
	return s
}
