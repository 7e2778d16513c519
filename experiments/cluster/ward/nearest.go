package ward

// nearest returns the position, other than px, that minimises
// weighted(px, ·) over the live positions in increasing order, replacing
// the candidate best (with value cur; −1 and +Inf for none) only by a
// strictly smaller value. Dead positions have NaN centroids, so their
// values compare false and are never chosen.
//
// The scans for dim 2 to 5 are unrolled copies of scanN. Every scan sums
// the squares left to right with each product rounded on its own (the
// float64 conversions forbid fused multiply-add), so all compute the same
// values to the bit as weighted (TestScansAgree).
func (c *chain) nearest(px, best int, cur float64) int {
	scan := c.scanN
	switch c.dim {
	case 2:
		scan = c.scan2
	case 3:
		scan = c.scan3
	case 4:
		scan = c.scan4
	case 5:
		scan = c.scan5
	}
	cur, best = scan(px, 0, px, best, cur)
	_, best = scan(px, px+1, len(c.size), best, cur)
	return best
}

// scanN is the generic search over positions [from, to).
func (c *chain) scanN(px, from, to, best int, cur float64) (float64, int) {
	d := c.dim
	x := c.cen[px*d : px*d+d]
	nx := c.size[px]
	for p := from; p < to; p++ {
		q := c.cen[p*d : p*d+d]
		var s float64
		for j, v := range x {
			t := v - q[j]
			s += float64(t * t)
		}
		np := c.size[p]
		if w := s * np / (np + nx); w < cur {
			cur, best = w, p
		}
	}
	return cur, best
}

func (c *chain) scan2(px, from, to, best int, cur float64) (float64, int) {
	x0, x1 := c.cen[2*px], c.cen[2*px+1]
	nx := c.size[px]
	cen, size := c.cen[2*from:2*to], c.size[from:to]
	for i, np := range size {
		q := cen[2*i : 2*i+2]
		t0, t1 := x0-q[0], x1-q[1]
		s := float64(t0*t0) + float64(t1*t1)
		if w := s * np / (np + nx); w < cur {
			cur, best = w, from+i
		}
	}
	return cur, best
}

func (c *chain) scan3(px, from, to, best int, cur float64) (float64, int) {
	x0, x1, x2 := c.cen[3*px], c.cen[3*px+1], c.cen[3*px+2]
	nx := c.size[px]
	cen, size := c.cen[3*from:3*to], c.size[from:to]
	for i, np := range size {
		q := cen[3*i : 3*i+3]
		t0, t1, t2 := x0-q[0], x1-q[1], x2-q[2]
		s := float64(t0*t0) + float64(t1*t1) + float64(t2*t2)
		if w := s * np / (np + nx); w < cur {
			cur, best = w, from+i
		}
	}
	return cur, best
}

func (c *chain) scan4(px, from, to, best int, cur float64) (float64, int) {
	x := c.cen[4*px : 4*px+4]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	nx := c.size[px]
	cen, size := c.cen[4*from:4*to], c.size[from:to]
	for i, np := range size {
		q := cen[4*i : 4*i+4]
		t0, t1, t2, t3 := x0-q[0], x1-q[1], x2-q[2], x3-q[3]
		s := float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3)
		if w := s * np / (np + nx); w < cur {
			cur, best = w, from+i
		}
	}
	return cur, best
}

func (c *chain) scan5(px, from, to, best int, cur float64) (float64, int) {
	x := c.cen[5*px : 5*px+5]
	x0, x1, x2, x3, x4 := x[0], x[1], x[2], x[3], x[4]
	nx := c.size[px]
	cen, size := c.cen[5*from:5*to], c.size[from:to]
	for i, np := range size {
		q := cen[5*i : 5*i+5]
		t0, t1, t2, t3, t4 := x0-q[0], x1-q[1], x2-q[2], x3-q[3], x4-q[4]
		s := float64(t0*t0) + float64(t1*t1) + float64(t2*t2) + float64(t3*t3) + float64(t4*t4)
		if w := s * np / (np + nx); w < cur {
			cur, best = w, from+i
		}
	}
	return cur, best
}
