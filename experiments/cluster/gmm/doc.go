// Package gmm fits Gaussian mixture models by expectation-maximisation,
// following scikit-learn 1.2.1 GaussianMixture (sklearn/mixture/_base.py and
// _gaussian_mixture.py) so that lower bounds, BIC and AIC can be compared
// with it. It is not a Bayesian mixture, does no model selection and draws
// no samples.
//
// Points are stored row-major in a []float64 of length n*dim. A model with
// K components has weights π_k, means μ_k and covariances Σ_k of one of four
// shapes (Covariance): full (one dim×dim matrix per component), tied (one
// matrix shared by all components), diag (one diagonal per component) and
// spherical (one variance per component, Σ_k = σ_k² I).
//
// The model keeps, as scikit-learn does, the Cholesky factors of the
// precisions: for full and tied covariances the upper-triangular P with
// P Pᵀ = Σ⁻¹, namely P = L⁻ᵀ for the Cholesky factor L of Σ = L Lᵀ
// (_compute_precision_cholesky); for diag and spherical the elementwise
// 1/σ. The log density of a row x under component k is then
//
//	log N(x | μ_k, Σ_k) = −½ (dim·log 2π + ‖(x − μ_k)ᵀ P_k‖²) + Σ_j log (P_k)_jj
//
// (_estimate_log_gaussian_prob; for diag and spherical the squared norm is
// Σ_j (x_j − μ_kj)² / σ_kj² and the log-determinant Σ_j log(1/σ_kj)). The
// weighted log probabilities are w_ik = log π_k + log N(x_i | μ_k, Σ_k)
// (_estimate_weighted_log_prob).
//
// EM runs in log space. The E-step computes ℓ_i = logsumexp_k w_ik and the
// log responsibilities log r_ik = w_ik − ℓ_i; the lower bound is the mean
// (1/n) Σ_i ℓ_i. The M-step sets
//
//	n_k = Σ_i r_ik + 10ε        (ε = 2⁻⁵², so that no n_k is zero)
//	μ_k = Σ_i r_ik x_i / n_k
//	Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / n_k + reg·I        (full)
//	Σ   = Σ_k Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / Σ_k n_k + reg·I  (tied)
//	σ_kj² = Σ_i r_ik (x_ij − μ_kj)² / n_k + reg                 (diag)
//	σ_k² = (1/dim) Σ_j σ_kj²                                  (spherical)
//	π_k = n_k / Σ_k n_k
//
// (_estimate_gaussian_parameters). scikit-learn computes the tied and diag
// covariances as differences of second moments (XᵀX − Σ n_k μ_k μ_kᵀ and
// x̄² − 2 x̄μ + μ²); this package sums centred squares, which equals them up
// to rounding and the 10ε of n_k and does not cancel catastrophically when
// the data sit far from the origin.
//
// Each of NInit restarts initialises the responsibilities from the labels of
// a k-means fit with one restart (init_params='kmeans', KMeans(n_init=1),
// here sweep/experiments/kmeans with NInit 1, drawing from the same rng in
// turn), takes one M-step from them (with π_k = n_k / n), then iterates
// E-step, M-step until the lower bound changes by less than Tol in absolute
// value or MaxIter iterations have run. As in scikit-learn the lower bound
// of an iteration is computed in its E-step, that is for the parameters
// before its M-step, and the parameters kept are those after the M-step.
// The restart with the highest final lower bound is kept, the first on
// ties.
//
// Scores: LogLikelihood is the mean of ℓ_i (score), BIC = −2 n·score +
// p·ln n and AIC = −2 n·score + 2p with p the number of free parameters
// (_n_parameters): K·dim means, K−1 weights and K·dim(dim+1)/2 (full),
// dim(dim+1)/2 (tied), K·dim (diag) or K (spherical) covariance parameters.
//
// Degenerate data (duplicated rows, a direction without spread, more
// components than distinct rows) give finite results because reg is added
// to every variance; Fit then explains the situation in Model.Note.
package gmm
