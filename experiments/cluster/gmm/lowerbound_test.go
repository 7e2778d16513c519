package gmm

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestLowerBoundAsSklearn checks that Fit reaches the lower bounds that
// scikit-learn's GaussianMixture reaches, for every fixture, covariance type
// and n_init (1, scikit-learn's default, and 10, the sweep's), from 100 draws
// on each side: seeds 0..99 here, random_state 0..99 in the fixture
// (cluster_ref.py). Which local optimum EM ends in depends on the k-means
// starts, and the random streams of numpy and math/rand differ, so the
// final lower bound is a random variable on both sides. (TestEMFromSklearnStart
// checks EM itself, from scikit-learn's own start, to 1e-9.) Two checks:
//
//  1. Issue #15's check, as worded: each of the first 5 lower bounds here is
//     at least scikit-learn's median over random_state 0..4, minus 1e-3. It
//     is applied where it can only fail for a real difference: where one
//     draw of scikit-learn itself passes it against the median of 5 other
//     draws with probability at least 0.99 (selfFail, exact on its 100
//     draws). That holds for every covariance type on blobs2d and for
//     spherical with n_init 10 on fer5d and fer3d. On the other FER-like
//     cases scikit-learn fails the check against itself up to 42% of the
//     time (fer3d, full, n_init 10): their local optima lie further apart
//     than 1e-3, and which of them the median of 5 draws lands in is luck.
//     There the test logs the numbers and relies on check 2.
//  2. The lower bounds here are not stochastically smaller than scikit-
//     learn's: a one-sided Mann-Whitney U test of the 100 against the 100
//     must not reject at p < 0.001 (0.05 shared among the 24 comparisons,
//     rounded down). The bounds are rounded to 1e-9 first, so that the one
//     optimum that both reach on blobs2d ties instead of differing by 1e-15.
//
// With -short only n_init 1 is checked.
func TestLowerBoundAsSklearn(t *testing.T) {
	nInits := []int{1, 10}
	if testing.Short() {
		nInits = nInits[:1]
	}
	literal := 0
	for name, d := range loadReference(t).Datasets {
		if d.GMM == nil {
			continue
		}
		for _, c := range covTypes {
			for _, nInit := range nInits {
				sk := d.GMM.Types[c].LowerBounds[fmt.Sprint(nInit)]
				if len(sk) != 100 {
					t.Fatalf("%s %s n_init %d: %d reference draws, want 100", name, c, nInit, len(sk))
				}
				opt := Options{K: d.GMM.K, Covariance: c, NInit: nInit}
				lb := make([]float64, len(sk))
				for s := range lb {
					// Some draws end with a component on a few rows and a
					// note saying so (fer5d, full, n_init 10, seed 47:
					// 5 rows in 5 dims), as scikit-learn's can: they
					// count like any other draw.
					m, err := Fit(d.X, d.Dim, opt, rand.New(rand.NewPCG(uint64(s), 15)))
					if err != nil {
						t.Fatal(err)
					}
					lb[s] = m.LowerBound
				}
				what := fmt.Sprintf("%s %s n_init %d", name, c, nInit)
				if checkLiteral(t, what, lb, sk) {
					literal++
				}
				if p := mannWhitneyLess(round9(lb), round9(sk)); p < 0.001 {
					t.Errorf("%s: lower bounds stochastically smaller than scikit-learn's (Mann-Whitney p = %.2g; medians %.5f and %.5f)",
						what, p, median(lb), median(sk))
				}
			}
		}
	}
	if want := 4 * len(nInits); literal < want {
		t.Errorf("the literal check applied to %d cases, want at least %d (every covariance type on blobs2d)", literal, want)
	}
}

// checkLiteral applies issue #15's check to the lower bounds lb (seeds
// 0..) against scikit-learn's sk (random_state 0..) where scikit-learn
// passes it against itself with probability at least 0.99, and reports
// whether it did.
func checkLiteral(t *testing.T, what string, lb, sk []float64) bool {
	t.Helper()
	const tol = 1e-3
	bar := median(sk[:5]) - tol
	if self := selfFail(sk, tol); self > 0.01 {
		t.Logf("%s: not applied (scikit-learn fails it against itself with probability %.2f); first 5 here %.5f, bar %.5f",
			what, self, lb[:5], bar)
		return false
	}
	t.Logf("%s: applied (scikit-learn fails it against itself with probability %.3f); first 5 here %.6f, bar %.6f",
		what, selfFail(sk, tol), lb[:5], bar)
	for s, v := range lb[:5] {
		if v < bar {
			t.Errorf("%s seed %d: lower bound %.6f below scikit-learn's median of 5 (%.6f) minus %g",
				what, s, v, bar+tol, tol)
		}
	}
	return true
}

// selfFail returns the probability that one draw from the sample v falls
// below the median of 5 other independent draws from v minus tol, exactly:
// the median of 5 exceeds u when at least 3 of the 5 do, so the probability
// is the mean over draws x of Σ_{j=3..5} C(5,j) q^j (1−q)^(5−j), where q is
// the share of v above x + tol.
func selfFail(v []float64, tol float64) float64 {
	var p float64
	for _, x := range v {
		var above int
		for _, y := range v {
			if y > x+tol {
				above++
			}
		}
		q := float64(above) / float64(len(v))
		p += 10*q*q*q*(1-q)*(1-q) + 5*q*q*q*q*(1-q) + q*q*q*q*q
	}
	return p / float64(len(v))
}

func round9(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x*1e9) / 1e9
	}
	return out
}

// mannWhitneyLess returns the p-value of the one-sided Mann-Whitney U test
// whose alternative is that x is stochastically smaller than y: with U₁ the
// rank sum of x (mid-ranks for ties) minus n₁(n₁+1)/2, μ = n₁n₂/2 and
// σ² = n₁n₂/12 · (n+1 − Σ(t³−t)/(n(n−1))) over tie groups of size t,
// p = Φ((U₁ − μ + ½)/σ), the normal approximation with continuity
// correction that scipy.stats.mannwhitneyu(method="asymptotic",
// alternative="less") computes. When every value ties (σ = 0) there is no
// evidence either way and it returns 1.
func mannWhitneyLess(x, y []float64) float64 {
	type obs struct {
		v   float64
		inX bool
	}
	all := make([]obs, 0, len(x)+len(y))
	for _, v := range x {
		all = append(all, obs{v, true})
	}
	for _, v := range y {
		all = append(all, obs{v, false})
	}
	slices.SortFunc(all, func(a, b obs) int { return cmp.Compare(a.v, b.v) })
	n1, n2, n := float64(len(x)), float64(len(y)), float64(len(all))
	var r1, ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1..j
		for _, o := range all[i:j] {
			if o.inX {
				r1 += rank
			}
		}
		tSize := float64(j - i)
		ties += tSize*tSize*tSize - tSize
		i = j
	}
	u1 := r1 - n1*(n1+1)/2
	sigma := math.Sqrt(n1 * n2 / 12 * (n + 1 - ties/(n*(n-1))))
	if sigma == 0 {
		return 1
	}
	return distuv.UnitNormal.CDF((u1 - n1*n2/2 + 0.5) / sigma)
}

// TestMannWhitneyLess compares mannWhitneyLess with scipy's p-values in the
// fixture (cluster_ref.py: mannwhitneyu, asymptotic, alternative "less",
// samples with ties), and checks the all-ties case.
func TestMannWhitneyLess(t *testing.T) {
	cases := loadReference(t).MannWhitney
	if len(cases) == 0 {
		t.Fatal("no mann_whitney cases in the fixture")
	}
	for i, c := range cases {
		// 1e-12: the same formula in float64, summed in another order.
		if got := mannWhitneyLess(c.X, c.Y); math.Abs(got-c.PLess) > 1e-12 {
			t.Errorf("case %d: p = %.15g, scipy %.15g", i, got, c.PLess)
		}
	}
	if got := mannWhitneyLess([]float64{1, 1, 1}, []float64{1, 1}); got != 1 {
		t.Errorf("all ties: p = %g, want 1", got)
	}
}

// TestSelfFail checks selfFail on samples with known answers: one value
// repeated never fails; two values 1 apart, half each, fail when the draw
// is the low one and at least 3 of 5 are high: ½ · ½ = ¼.
func TestSelfFail(t *testing.T) {
	for _, c := range []struct {
		v    []float64
		want float64
	}{
		{[]float64{2, 2, 2, 2}, 0},
		{[]float64{0, 1, 0, 1}, 0.25},
		{[]float64{0, 0.0005, 0, 0.0005}, 0}, // within tol
	} {
		if got := selfFail(c.v, 1e-3); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("selfFail(%v) = %g, want %g", c.v, got, c.want)
		}
	}
}
