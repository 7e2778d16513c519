package kmeans

// simdMaxK is the largest cluster count of the vector passes: their
// per-cluster tables are two 8-lane registers of 16 values each.
// simdMaxDim is the largest dimension: the nearest-centre pass holds a
// point's coordinates in 5 registers.
const (
	simdMaxK   = 16
	simdMaxDim = 5
)

// bounds holds what the vector bound pass of assignHamerly reads besides
// the state: the points stored coordinate by coordinate (row d holds
// coordinate d of every point) and the per-cluster tables.
type bounds struct {
	xt     []float64 // dim x stride
	stride int
	tables []float64 // 3*16 + dim*16: shift, far, half, then the centres by coordinate
	all    []int     // 0, 1, ..., n-1, then n-1 up to a multiple of 8
	// Results of nearest, by position in its index list: the nearest
	// centre, the distance to it and to the second nearest.
	best   []int
	r1, r2 []float64
}

func newBoundsTables(x []float64, dim int) *bounds {
	n := len(x) / dim
	m := (n + 7) &^ 7
	b := &bounds{stride: n, xt: make([]float64, dim*n), tables: make([]float64, (3+dim)*simdMaxK),
		all: make([]int, m), best: make([]int, m), r1: make([]float64, m), r2: make([]float64, m)}
	for i := range b.all {
		b.all[i] = min(i, n-1)
	}
	for i := range n {
		for d := range dim {
			b.xt[d*n+i] = x[i*dim+d]
		}
	}
	return b
}

// fill copies the shifts, the largest other shifts, the (shrunk) half
// distances and the centres into the tables.
func (b *bounds) fill(s *state) {
	t := b.tables
	copy(t[0:], s.shift)
	copy(t[simdMaxK:], s.far)
	copy(t[2*simdMaxK:], s.half)
	for j := range s.k {
		for d := range s.dim {
			t[(3+d)*simdMaxK+j] = s.centers[j*s.dim+d]
		}
	}
}
