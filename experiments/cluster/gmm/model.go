package gmm

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// covLen returns the length of Covariances for the given shape.
func covLen(cov Covariance, dim, k int) int {
	switch cov {
	case Full:
		return k * dim * dim
	case Tied:
		return dim * dim
	case Diag:
		return k * dim
	case Spherical:
		return k
	}
	panic(fmt.Sprintf("gmm: unknown covariance %q", string(cov)))
}

func newModel(dim, k int, cov Covariance) *Model {
	l := covLen(cov, dim, k)
	return &Model{Dim: dim, K: k, Covariance: cov,
		Weights: make([]float64, k), Means: make([]float64, k*dim),
		Covariances: make([]float64, l), PrecisionsCholesky: make([]float64, l)}
}

// Check returns an error if cov is not one of the four shapes or the
// lengths of means and covariances do not fit len(weights) components in
// dim dimensions (see Model): the shape errors on which New panics, for
// parameters read from a file.
func Check(dim int, cov Covariance, weights, means, covariances []float64) error {
	k := len(weights)
	switch {
	case dim < 1 || k < 1:
		return fmt.Errorf("gmm: %d dimensions and %d weights; want at least 1 of each", dim, k)
	case cov != Full && cov != Tied && cov != Diag && cov != Spherical:
		return fmt.Errorf("gmm: unknown covariance %q (want full, tied, diag or spherical)", string(cov))
	case len(means) != k*dim:
		return fmt.Errorf("gmm: %d mean values for %d components of dim %d, want %d", len(means), k, dim, k*dim)
	case len(covariances) != covLen(cov, dim, k):
		return fmt.Errorf("gmm: %d covariance values for %d %s components of dim %d, want %d",
			len(covariances), k, cov, dim, covLen(cov, dim, k))
	}
	return nil
}

// New returns the model with the given parameters (copied) and their
// precision Cholesky factors, as scikit-learn's _compute_precision_cholesky
// derives them; it is how fixed parameters are scored. It panics if dim < 1,
// cov is unknown, weights is empty or the lengths of means and covariances
// do not match (see Model), and returns an error if a covariance is not
// positive definite.
func New(dim int, cov Covariance, weights, means, covariances []float64) (*Model, error) {
	k := len(weights)
	if dim < 1 || k < 1 {
		panic(fmt.Sprintf("gmm: dim %d and %d weights must be positive", dim, k))
	}
	m := newModel(dim, k, cov)
	if len(means) != k*dim || len(covariances) != len(m.Covariances) {
		panic(fmt.Sprintf("gmm: %d means and %d covariance values for %d components of dim %d (want %d and %d)",
			len(means), len(covariances), k, dim, k*dim, len(m.Covariances)))
	}
	copy(m.Weights, weights)
	copy(m.Means, means)
	copy(m.Covariances, covariances)
	if err := m.setPrecisions(); err != nil {
		return nil, err
	}
	return m, nil
}

// setPrecisions computes PrecisionsCholesky from Covariances.
func (m *Model) setPrecisions() error {
	d := m.Dim
	switch m.Covariance {
	case Full, Tied:
		for c := 0; c < len(m.Covariances); c += d * d {
			if err := precisionCholesky(m.Covariances[c:c+d*d], m.PrecisionsCholesky[c:c+d*d], d); err != nil {
				return fmt.Errorf("%w (component %d)", err, c/(d*d))
			}
		}
	default:
		for c, v := range m.Covariances {
			if !(v > 0) {
				return fmt.Errorf("gmm: variance %g of component %d is not positive: increase reg_covar or scale the data", v, c)
			}
			m.PrecisionsCholesky[c] = 1 / math.Sqrt(v)
		}
	}
	return nil
}

// precisionCholesky sets p (row-major, upper-triangular) to L⁻ᵀ for the
// Cholesky factor L of the symmetric d×d matrix cov; L⁻ᵀ = U⁻¹ for U = Lᵀ.
func precisionCholesky(cov, p []float64, d int) error {
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(d, append([]float64(nil), cov...))) {
		return fmt.Errorf("gmm: covariance is not positive definite: increase reg_covar or scale the data")
	}
	var u, inv mat.TriDense
	ch.UTo(&u)
	if err := inv.InverseTri(&u); err != nil {
		if _, ok := err.(mat.Condition); !ok {
			return fmt.Errorf("gmm: invert cholesky factor: %w", err)
		}
	}
	for a := range d {
		for b := range d {
			p[a*d+b] = inv.At(a, b)
		}
	}
	return nil
}

// EstimateWeightedLogProb sets out[i·K+k] to log π_k + log N(x_i | μ_k, Σ_k)
// for the rows x_i of x (scikit-learn's _estimate_weighted_log_prob). It
// panics if len(x) is not a multiple of Dim or len(out) != K·len(x)/Dim.
func (m *Model) EstimateWeightedLogProb(x, out []float64) {
	d, k := m.Dim, m.K
	checkShape(x, d)
	n := len(x) / d
	if len(out) != n*k {
		panic(fmt.Sprintf("gmm: len(out) %d, want %d rows × %d components", len(out), n, k))
	}
	var sc scorer
	sc.set(m)
	for i := range n {
		sc.row(x[i*d:i*d+d], out[i*k:i*k+k])
	}
}

// Predict sets labels[i] to the component with the highest weighted log
// probability for row i of x, the lowest index on ties (predict). It panics
// if len(x) is not a multiple of Dim or len(labels) != len(x)/Dim.
func (m *Model) Predict(x []float64, labels []int) {
	checkShape(x, m.Dim)
	n := len(x) / m.Dim
	if len(labels) != n {
		panic(fmt.Sprintf("gmm: %d labels for %d rows", len(labels), n))
	}
	w := make([]float64, n*m.K)
	m.EstimateWeightedLogProb(x, w)
	for i := range n {
		row := w[i*m.K : i*m.K+m.K]
		best := 0
		for c, v := range row {
			if v > row[best] {
				best = c
			}
		}
		labels[i] = best
	}
}

// LogLikelihood returns the mean log-likelihood (1/n) Σ_i log Σ_k π_k
// N(x_i | μ_k, Σ_k) of the rows of x (score). It panics if len(x) is not a
// positive multiple of Dim.
func (m *Model) LogLikelihood(x []float64) float64 {
	checkShape(x, m.Dim)
	n := len(x) / m.Dim
	if n == 0 {
		panic("gmm: no rows to score")
	}
	w := make([]float64, n*m.K)
	m.EstimateWeightedLogProb(x, w)
	var s float64
	for i := range n {
		s += logSumExp(w[i*m.K : i*m.K+m.K])
	}
	return s / float64(n)
}

// NParameters returns the number of free parameters (_n_parameters).
func (m *Model) NParameters() int {
	d, k := m.Dim, m.K
	var cov int
	switch m.Covariance {
	case Full:
		cov = k * d * (d + 1) / 2
	case Tied:
		cov = d * (d + 1) / 2
	case Diag:
		cov = k * d
	case Spherical:
		cov = k
	}
	return cov + k*d + k - 1
}

// BIC returns −2·n·LogLikelihood(x) + NParameters()·ln n (bic).
func (m *Model) BIC(x []float64) float64 {
	n := float64(len(x) / m.Dim)
	return -2*m.LogLikelihood(x)*n + float64(m.NParameters())*math.Log(n)
}

// AIC returns −2·n·LogLikelihood(x) + 2·NParameters() (aic).
func (m *Model) AIC(x []float64) float64 {
	n := float64(len(x) / m.Dim)
	return -2*m.LogLikelihood(x)*n + 2*float64(m.NParameters())
}

// degeneracy explains, in one line, components with less than one row's
// responsibility and covariances held up by reg_covar; "" when none.
func (m *Model) degeneracy(n int, reg float64) string {
	var notes []string
	for c, w := range m.Weights {
		if w*float64(n) < 1 {
			notes = append(notes, fmt.Sprintf("component %d is empty (weight %.3g: less than one row)", c, w))
		}
	}
	d := m.Dim
	for c := 0; c*covStride(m.Covariance, d) < len(m.Covariances); c++ {
		lo := m.smallestVariance(c)
		if lo < 10*reg {
			notes = append(notes, fmt.Sprintf("covariance %d is near-singular (smallest variance %.3g < 10·reg_covar): rows duplicated or without spread in some direction", c, lo))
		}
	}
	return strings.Join(notes, "; ")
}

func covStride(cov Covariance, d int) int {
	switch cov {
	case Full, Tied:
		return d * d
	case Diag:
		return d
	}
	return 1
}

// smallestVariance returns the smallest eigenvalue of covariance matrix c.
func (m *Model) smallestVariance(c int) float64 {
	d := m.Dim
	s := covStride(m.Covariance, d)
	v := m.Covariances[c*s : c*s+s]
	if m.Covariance == Full || m.Covariance == Tied {
		var es mat.EigenSym
		if !es.Factorize(mat.NewSymDense(d, append([]float64(nil), v...)), false) {
			return math.NaN()
		}
		return es.Values(nil)[0]
	}
	lo := math.Inf(1)
	for _, t := range v {
		lo = min(lo, t)
	}
	return lo
}
