package gmm

import "math"

// scorer holds what the E-step needs of a model, computed once per
// iteration rather than once per row: per component the constant
// log π_k − ½ dim·log 2π + Σ_j log (P_k)_jj, and the precision factors in
// the layout the inner loop reads contiguously (for full and tied the
// transpose of P, so that (x − μ)ᵀP column b is a dot product of
// contiguous values; for diag and spherical the squared precisions).
// Reusing a scorer allocates nothing.
type scorer struct {
	d, k  int
	cov   Covariance
	konst []float64 // k
	pt    []float64 // full: k·d·d, tied: d·d, diag: k·d, spherical: k
	means []float64
	diff  []float64 // d
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
	if len(s.pt) != len(m.PrecisionsCholesky) {
		s.pt = make([]float64, len(m.PrecisionsCholesky))
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
		for o := 0; o < len(p); o += d * d {
			for a := range d {
				for b := range d {
					s.pt[o+b*d+a] = p[o+a*d+b]
				}
			}
		}
	default:
		for i, v := range p {
			s.pt[i] = v * v
		}
	}
}

// row sets w[c] to the weighted log probability of row x under component
// c, for every c.
func (s *scorer) row(x, w []float64) {
	d := s.d
	diff := s.diff[:d]
	x = x[:d]
	for c := range w[:s.k] {
		mu := s.means[c*d : c*d+d]
		for j := range diff {
			diff[j] = x[j] - mu[j]
		}
		var q float64
		switch s.cov {
		case Full, Tied:
			o := 0
			if s.cov == Full {
				o = c * d * d
			}
			pt := s.pt[o : o+d*d]
			// y_b = Σ_{a<=b} diff_a P_ab; summed in increasing a, as
			// mahalanobis does.
			for b := range d {
				col := pt[b*d : b*d+b+1]
				var y float64
				for a, v := range col {
					y += diff[a] * v
				}
				q += y * y
			}
		case Diag:
			p2 := s.pt[c*d : c*d+d]
			for j, v := range diff {
				q += v * v * p2[j]
			}
		case Spherical:
			for _, v := range diff {
				q += v * v
			}
			q *= s.pt[c]
		}
		w[c] = s.konst[c] - 0.5*q
	}
}
