package gmm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"sweep/experiments/kmeans"
)

// Covariance names the shape of the component covariances, with
// scikit-learn's covariance_type spelling.
type Covariance string

// The four covariance shapes of scikit-learn's GaussianMixture.
const (
	Full      Covariance = "full"
	Tied      Covariance = "tied"
	Diag      Covariance = "diag"
	Spherical Covariance = "spherical"
)

// Options configures Fit. Zero values select scikit-learn 1.2.1's defaults,
// noted per field.
type Options struct {
	K          int        // components, 1 <= K <= n
	Covariance Covariance // default Full when ""
	NInit      int        // restarts, default 1 when 0; the highest lower bound is kept
	MaxIter    int        // EM iterations per restart, default 100 when 0
	Tol        float64    // on the change of the lower bound, default 1e-3 when 0
	RegCovar   float64    // added to every variance, default 1e-6 when 0
}

// Defaults of scikit-learn 1.2.1 GaussianMixture used for zero Options
// fields.
const (
	DefaultNInit    = 1
	DefaultMaxIter  = 100
	DefaultTol      = 1e-3
	DefaultRegCovar = 1e-6
)

// maxAbs bounds the magnitude of a coordinate so that squared distances
// times precisions (at most 1/RegCovar for data without spread) cannot
// overflow.
const maxAbs = 1e100

// Model is a fitted (or given, see New) Gaussian mixture. The layout of
// Covariances and PrecisionsCholesky depends on Covariance: K·Dim·Dim
// (full, row-major matrices), Dim·Dim (tied), K·Dim (diag) or K
// (spherical). For full and tied, PrecisionsCholesky holds upper-triangular
// matrices P with P Pᵀ = Σ⁻¹, as scikit-learn's precisions_cholesky_.
type Model struct {
	Dim, K     int
	Covariance Covariance

	Weights            []float64 // K, summing to 1
	Means              []float64 // K·Dim
	Covariances        []float64
	PrecisionsCholesky []float64

	LowerBound float64 // final lower bound of the kept restart (lower_bound_)
	NIter      int     // EM iterations of the kept restart (n_iter_)
	Converged  bool    // whether the kept restart met Tol (see Fit)
	Note       string  // empty, or why the fit is degenerate (see Fit)
}

// Fit fits a Gaussian mixture with opt.K components to the n = len(x)/dim
// rows of x (row-major) by EM, as described in the package documentation.
//
// Converged reports whether the kept restart stopped on Tol; scikit-learn's
// converged_ is true when any restart did. Note is non-empty when the kept
// model has a component with less than one row's worth of responsibility
// (n·π_k < 1, for instance when K exceeds the number of distinct rows) or a
// covariance whose smallest eigenvalue is below 10·RegCovar (duplicated
// rows, a direction without spread): the fit is finite, but only because
// RegCovar holds the variance up.
//
// Fit returns an error for K < 1, K > n, n == 0, NInit, MaxIter, Tol or
// RegCovar negative or NaN, an unknown Covariance, a NaN or infinite
// coordinate or one above 1e100 in magnitude, or a covariance that is not
// numerically positive definite (RegCovar too small for the data). It
// panics if dim < 1, len(x) is not a multiple of dim, or rng is nil.
// Results depend only on x, dim, opt and the state of rng.
func Fit(x []float64, dim int, opt Options, rng *rand.Rand) (*Model, error) {
	return FitContext(context.Background(), x, dim, opt, rng)
}

// FitContext is Fit that stops, returning ctx.Err(), when ctx ends: it is
// checked before each restart and each EM iteration.
func FitContext(ctx context.Context, x []float64, dim int, opt Options, rng *rand.Rand) (*Model, error) {
	checkShape(x, dim)
	if rng == nil {
		panic("gmm: nil rng")
	}
	opt, err := withDefaults(opt)
	if err != nil {
		return nil, err
	}
	n := len(x) / dim
	if err := validate(x, n, opt.K); err != nil {
		return nil, err
	}
	e := newEM(x, dim, opt)
	e.ctx = ctx
	var best *Model
	for range opt.NInit {
		labels, err := initialLabels(ctx, x, dim, opt.K, rng)
		if err != nil {
			return nil, err
		}
		m, err := e.run(labels)
		if err != nil {
			return nil, err
		}
		if best == nil || m.LowerBound > best.LowerBound {
			best = m
		}
	}
	best.Note = best.degeneracy(n, opt.RegCovar)
	return best, nil
}

// initialLabels is the only call into k-means: scikit-learn's
// KMeans(n_clusters=K, n_init=1, random_state) with its other defaults.
func initialLabels(ctx context.Context, x []float64, dim, k int, rng *rand.Rand) ([]int, error) {
	res, err := kmeans.FitContext(ctx, x, dim, kmeans.Options{K: k, NInit: 1}, rng)
	if err != nil {
		return nil, fmt.Errorf("k-means initialisation: %w", err)
	}
	return res.Labels, nil
}

func withDefaults(opt Options) (Options, error) {
	if opt.Covariance == "" {
		opt.Covariance = Full
	}
	switch opt.Covariance {
	case Full, Tied, Diag, Spherical:
	default:
		return opt, fmt.Errorf("gmm: unknown covariance %q (want full, tied, diag or spherical)", string(opt.Covariance))
	}
	if opt.NInit < 0 || opt.MaxIter < 0 {
		return opt, fmt.Errorf("gmm: n_init %d and max_iter %d must not be negative", opt.NInit, opt.MaxIter)
	}
	if !(opt.Tol >= 0) || !(opt.RegCovar >= 0) || math.IsInf(opt.Tol, 0) || math.IsInf(opt.RegCovar, 0) {
		return opt, fmt.Errorf("gmm: tol %g and reg_covar %g must be finite and not negative", opt.Tol, opt.RegCovar)
	}
	if opt.NInit == 0 {
		opt.NInit = DefaultNInit
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = DefaultMaxIter
	}
	if opt.Tol == 0 {
		opt.Tol = DefaultTol
	}
	if opt.RegCovar == 0 {
		opt.RegCovar = DefaultRegCovar
	}
	return opt, nil
}

func validate(x []float64, n, k int) error {
	if n == 0 {
		return errors.New("gmm: no rows")
	}
	if k < 1 || k > n {
		return fmt.Errorf("gmm: %d components for %d rows (want 1 <= k <= n)", k, n)
	}
	return checkFinite(x)
}

func checkFinite(x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.Abs(v) > maxAbs {
			return fmt.Errorf("gmm: value %d is %g (want finite, at most 1e100 in magnitude)", i, v)
		}
	}
	return nil
}

func checkShape(x []float64, dim int) {
	if dim < 1 {
		panic(fmt.Sprintf("gmm: dim %d < 1", dim))
	}
	if len(x)%dim != 0 {
		panic(fmt.Sprintf("gmm: len(x) %d is not a multiple of dim %d", len(x), dim))
	}
}
