package kmeans

import (
	"context"
	"math"
	"math/rand/v2"
)

// seed writes k initial centres into s.centers by greedy k-means++
// (Arthur and Vassilvitskii, "k-means++: the advantages of careful seeding",
// SODA 2007, with the greedy local trials of scikit-learn 1.2.1
// sklearn/cluster/_kmeans.py:_kmeans_plusplus):
//
//   - the first centre is a point drawn uniformly;
//   - each further centre is the best of L = 2 + ⌊ln k⌋ candidates, each drawn
//     with probability D²(x)/Σ D², where D(x) is the distance from x to the
//     nearest centre chosen so far; the best candidate is the one giving the
//     smallest potential Σ_x min(D²(x), d²(x, candidate)), the first on ties.
//
// A candidate is the first point whose running sum of D² exceeds u·Σ D²,
// with u = rng.Float64() uniform in [0, 1), so a point with D² = 0 (a copy of
// a chosen centre) is never drawn while any D² is positive. When every D² is
// zero (the chosen centres already cover all distinct points) the candidates
// are drawn uniformly with rng.IntN instead, so the seeding never divides by
// zero. The first centre is x[rng.IntN(n)].
//
// It returns ctx.Err(), checked before each centre, when ctx ends.
func (s *state) seed(ctx context.Context, rng *rand.Rand) error {
	x, dim, n, k := s.x, s.dim, s.n, s.k
	cand := s.cand[:localTrials(k)]

	first := rng.IntN(n)
	copy(s.centers[:dim], x[first*dim:first*dim+dim])
	closest := s.closest
	for i := range closest {
		closest[i] = math.Inf(1)
	}
	s.minDist(s.centers[:dim], closest, closest)

	for c := 1; c < k; c++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Draw all candidates from the cumulative distribution of D² before
		// evaluating any, as scikit-learn does; s.trial holds the cumulative
		// sums until the first evaluation overwrites it.
		cum := s.trial
		var acc float64
		for i, d := range closest {
			acc += d
			cum[i] = acc
		}
		for t := range cand {
			if acc > 0 {
				cand[t] = sample(cum, closest, rng.Float64()*acc)
			} else {
				cand[t] = rng.IntN(n)
			}
		}

		bestPot := math.Inf(1)
		best := -1
		for t, id := range cand {
			p := s.minDist(x[id*dim:id*dim+dim], closest, s.trial)
			if p < bestPot || best < 0 {
				bestPot, best = p, t
				s.trial, s.best = s.best, s.trial
			}
		}
		// s.best holds the D² of the winning candidate.
		closest, s.best = s.best, closest
		s.closest = closest
		id := cand[best]
		copy(s.centers[c*dim:c*dim+dim], x[id*dim:id*dim+dim])
	}
	return nil
}

// seedRandom writes k initial centres into s.centers: k distinct points
// chosen uniformly at random, as scikit-learn 1.2.1's init="random" (the
// first k of a uniform random permutation of the points). It draws them by
// a partial Fisher-Yates shuffle, centre c taking the point at position
// c + rng.IntN(n-c) of the positions not yet taken, so each k-subset in
// each order is equally likely and only k numbers are drawn. Copies of a
// point are distinct points: two centres may coincide, and Lloyd's
// relocation of empty clusters then separates them.
//
// It returns ctx.Err() when ctx has ended.
func (s *state) seedRandom(ctx context.Context, rng *rand.Rand) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x, dim, n := s.x, s.dim, s.n
	perm := s.cand[:n]
	for i := range perm {
		perm[i] = i
	}
	for c := range s.k {
		j := c + rng.IntN(n-c)
		perm[c], perm[j] = perm[j], perm[c]
		id := perm[c]
		copy(s.centers[c*dim:c*dim+dim], x[id*dim:id*dim+dim])
	}
	return nil
}

// localTrials returns the number of k-means++ candidates per centre,
// 2 + ⌊ln k⌋ (scikit-learn 1.2.1 _kmeans_plusplus, n_local_trials).
func localTrials(k int) int {
	return 2 + int(math.Log(float64(k)))
}

// sample returns the first index i with cum[i] > r, where cum holds the
// running sums of w and 0 <= r < cum[len(cum)-1] should hold. If rounding
// left no such index it returns the last index with positive weight.
func sample(cum, w []float64, r float64) int {
	lo, hi := 0, len(cum)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cum[mid] > r {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo < len(cum) {
		return lo
	}
	for i := len(w) - 1; i > 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return 0
}

// minDist is minDist(s.x, q, closest, out), with the vector pass where the
// state has one; the sums are the same to the bit.
func (s *state) minDist(q, closest, out []float64) float64 {
	if s.vec == nil {
		return minDist(s.x, q, closest, out)
	}
	var lanes [8]float64
	n8 := s.vec.minDist(q, closest, out, &lanes)
	minDistLanes(s.x, q, closest, out, n8, &lanes)
	return hsum8(&lanes)
}
