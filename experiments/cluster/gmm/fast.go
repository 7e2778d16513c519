package gmm

//go:generate go run genkernels.go

import "math"

// scorer holds what the E-step needs of a model, computed once per
// iteration rather than once per row: per component the constant
// log π_k − ½ dim·log 2π + Σ_j log (P_k)_jj, and the precision factors in
// the layout the inner loop reads contiguously (for full and tied the
// upper triangle of P packed by columns, so that column b of (x − μ)ᵀP is
// a dot product of the next b+1 values; for diag and spherical the squared
// precisions).
// Reusing a scorer allocates nothing.
type scorer struct {
	d, k  int
	tri   int // d(d+1)/2
	cov   Covariance
	konst []float64 // k
	pc    []float64 // full: k·tri, tied: tri, diag: k·d, spherical: k
	means []float64
	diff  []float64 // d
	plain bool      // use the reference loops, not kernels_gen.go (tests)
}

func (s *scorer) set(m *Model) {
	d, k := m.Dim, m.K
	s.d, s.k, s.cov, s.means = d, k, m.Covariance, m.Means
	if len(s.konst) != k {
		s.konst = make([]float64, k)
	}
	if len(s.diff) != d {
		s.diff = make([]float64, d)
	}
	s.tri = d * (d + 1) / 2
	npc := len(m.PrecisionsCholesky)
	if m.Covariance == Full || m.Covariance == Tied {
		npc = npc / (d * d) * s.tri
	}
	if len(s.pc) != npc {
		s.pc = make([]float64, npc)
	}
	base := float64(d) * math.Log(2*math.Pi)
	p := m.PrecisionsCholesky
	for c := range k {
		var logDet float64
		switch m.Covariance {
		case Full:
			for j := range d {
				logDet += math.Log(p[c*d*d+j*d+j])
			}
		case Tied:
			for j := range d {
				logDet += math.Log(p[j*d+j])
			}
		case Diag:
			for j := range d {
				logDet += math.Log(p[c*d+j])
			}
		case Spherical:
			logDet = float64(d) * math.Log(p[c])
		}
		s.konst[c] = -0.5*base + logDet + math.Log(m.Weights[c])
	}
	switch m.Covariance {
	case Full, Tied:
		i := 0
		for o := 0; o < len(p); o += d * d {
			for b := range d {
				for a := 0; a <= b; a++ {
					s.pc[i] = p[o+a*d+b]
					i++
				}
			}
		}
	default:
		for i, v := range p {
			s.pc[i] = v * v
		}
	}
}

// row sets w[c] to the weighted log probability of row x under component
// c, for every c.
func (s *scorer) row(x, w []float64) {
	switch s.cov {
	case Full, Tied:
		s.rowTri(x, w)
	case Diag:
		s.rowDiag(x, w)
	default:
		s.rowSpherical(x, w)
	}
}

// rowTri is row for full and tied covariances: w_c = konst_c − ½q with
// q = ‖(x − μ_c)ᵀP_c‖², by an unrolled kernel of kernels_gen.go for dim
// 2..5 (unless s.plain) and by rowTriPlain otherwise; both give the same
// bits.
func (s *scorer) rowTri(x, w []float64) {
	x = x[:s.d]
	w = w[:s.k]
	step := s.tri
	if s.cov == Tied {
		step = 0
	}
	if !s.plain {
		switch s.d {
		case 2:
			s.rowTri2(x, w, step)
			return
		case 3:
			s.rowTri3(x, w, step)
			return
		case 4:
			s.rowTri4(x, w, step)
			return
		case 5:
			s.rowTri5(x, w, step)
			return
		}
	}
	s.rowTriPlain(x, w, step)
}

// rowTriPlain is the reference rowTri for any dim: y_b = Σ_{a<=b} diff_a P_ab
// summed in increasing a, as mahalanobis does, reading the packed columns
// of P_c in order, and q = Σ_b y_b² in increasing b. The float64
// conversions forbid fused multiply-adds, so every architecture rounds
// each product, as amd64 does.
func (s *scorer) rowTriPlain(x, w []float64, step int) {
	d, tri := s.d, s.tri
	diff := s.diff[:d]
	konst := s.konst[:len(w)]
	for c := range w {
		mu := s.means[c*d : c*d+d]
		for j := range diff {
			diff[j] = x[j] - mu[j]
		}
		pc := s.pc[c*step : c*step+tri]
		var q float64
		for b := range diff {
			col := pc[:b+1]
			head := diff[:len(col)]
			var y float64
			for a, v := range col {
				y += float64(head[a] * v)
			}
			q += float64(y * y)
			pc = pc[len(col):]
		}
		w[c] = konst[c] - float64(0.5*q)
	}
}

// rowDiag is row for diag covariances: q = Σ_j diff_j² / σ_cj².
func (s *scorer) rowDiag(x, w []float64) {
	d := s.d
	x = x[:d]
	w = w[:s.k]
	konst := s.konst[:len(w)]
	for c := range w {
		mu := s.means[c*d : c*d+d]
		p2 := s.pc[c*d : c*d+d]
		var q float64
		for j, xj := range x {
			v := xj - mu[j]
			q += float64(v * v * p2[j])
		}
		w[c] = konst[c] - float64(0.5*q)
	}
}

// rowSpherical is row for spherical covariances: q = ‖diff‖² / σ_c².
func (s *scorer) rowSpherical(x, w []float64) {
	d := s.d
	x = x[:d]
	w = w[:s.k]
	konst := s.konst[:len(w)]
	p := s.pc[:len(w)]
	for c := range w {
		mu := s.means[c*d : c*d+d]
		var q float64
		for j, xj := range x {
			v := xj - mu[j]
			q += float64(v * v)
		}
		w[c] = konst[c] - float64(0.5*q*p[c])
	}
}
