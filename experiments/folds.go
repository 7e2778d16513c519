package experiments

import (
	"cmp"
	"math"
	"slices"

	"sweep/experiments/dataset"
)

// copyGroups partitions positions 0..len(rows)-1 of rows into groups of
// identical images (equal grey levels, whatever the label or usage).
// Rows are bucketed by pixelHashes and a bucket is split by comparing the
// pixels, so a hash collision never joins two different images. Each
// group lists its positions ascending; groups are ordered by their first
// position.
func copyGroups(d *dataset.Dataset, rows []int) [][]int {
	hashes := pixelHashes(d, rows)
	// Within a bucket, the groups of the images seen so far under that hash
	// (almost always one).
	buckets := map[uint64][]int{}
	var groups [][]int
	for p, h := range hashes {
		g := -1
		for _, cand := range buckets[h] {
			if slices.Equal(d.Row(rows[groups[cand][0]]), d.Row(rows[p])) {
				g = cand
				break
			}
		}
		if g < 0 {
			g = len(groups)
			groups = append(groups, nil)
			buckets[h] = append(buckets[h], g)
		}
		groups[g] = append(groups[g], p)
	}
	return groups
}

// assignFolds returns the fold of each of rows (rows in seeded hash
// order), keeping identical images in one fold and each class's rows
// spread evenly over the folds; see Select for the rule and its bound.
// Unlabelled rows (label -1) are one class.
func assignFolds(d *dataset.Dataset, rows []int, folds int) ([]int, error) {
	fold := make([]int, len(rows))
	if folds == 1 {
		return fold, nil
	}
	groups := copyGroups(d, rows)
	if len(groups) < folds {
		return nil, fieldErrorf("grid.folds", "%d folds need at least %d distinct images, and the %d rows hold %d (identical images share a fold)",
			folds, folds, len(rows), len(groups))
	}
	// Largest groups first, ties in hash order of their first row: big
	// groups are placed while the folds can still absorb them, and without
	// copies the order is the hash order itself.
	slices.SortStableFunc(groups, func(a, b []int) int { return cmp.Compare(len(b), len(a)) })
	count := map[int][]int{} // rows of each label per fold
	for _, r := range rows {
		if count[d.Labels[r]] == nil {
			count[d.Labels[r]] = make([]int, folds)
		}
	}
	size := make([]int, folds)
	for _, g := range groups {
		// The group's label counts, as (label, rows) in first-seen order.
		var labels, n []int
		for _, p := range g {
			l := d.Labels[rows[p]]
			if i := slices.Index(labels, l); i >= 0 {
				n[i]++
			} else {
				labels, n = append(labels, l), append(n, 1)
			}
		}
		// The fold holding the fewest rows of the group's labels, each
		// weighted by the group's rows of it; ties to the lowest fold.
		best, bestCost := 0, -1
		for f := 0; f < folds; f++ {
			cost := 0
			for i, l := range labels {
				cost += n[i] * count[l][f]
			}
			if bestCost < 0 || cost < bestCost {
				best, bestCost = f, cost
			}
		}
		for i, l := range labels {
			count[l][best] += n[i]
		}
		for _, p := range g {
			fold[p] = best
		}
		size[best] += len(g)
	}
	if f := slices.Index(size, 0); f >= 0 {
		return nil, fieldErrorf("grid.folds", "fold %d of %d gets no rows, since identical images share a fold; use fewer folds", f, folds)
	}
	return fold, nil
}

// holdoutSplit returns the side of each of rows (rows in seeded hash
// order): 0 for a held-out row, 1 for a training row. Identical images
// stay on one side: the groups of copyGroups are taken in the hash order
// of their first row, and each goes to the held-out side if it fits in
// what is left of the target there, else to training.
//
// Unstratified, the target is ⌈fraction × n⌉ rows of the n, the size
// scikit-learn's train_test_split holds out; without copies the held-out
// rows are the first of the hash order, a seeded uniform sample.
// Stratified, each label l has its own target ⌈fraction × n_l⌉ (so every
// class is held out, and the held-out side may be a few rows larger than
// ⌈fraction × n⌉), and a group fits if it fits for each of its labels;
// unlabelled rows are one class. Integer arithmetic after the one float
// product, so the NumPy copy (testdata/ferselect.py) reproduces it
// exactly.
func holdoutSplit(d *dataset.Dataset, rows []int, fraction float64, stratify bool) ([]int, error) {
	label := func(p int) int {
		if !stratify {
			return 0
		}
		return d.Labels[rows[p]]
	}
	target := map[int]int{}
	for p := range rows {
		target[label(p)]++
	}
	for l, n := range target {
		target[l] = int(math.Ceil(fraction * float64(n)))
	}
	side := make([]int, len(rows))
	held, used := 0, map[int]int{}
	for _, g := range copyGroups(d, rows) {
		need := map[int]int{}
		for _, p := range g {
			need[label(p)]++
		}
		fits := true
		for l, n := range need {
			fits = fits && used[l]+n <= target[l]
		}
		for _, p := range g {
			side[p] = 1
		}
		if !fits {
			continue
		}
		for l, n := range need {
			used[l] += n
		}
		for _, p := range g {
			side[p] = 0
		}
		held += len(g)
	}
	if held == 0 || held == len(rows) {
		return nil, fieldErrorf("grid.holdout", "%v of %d rows holds out %d, leaving no rows on one side (identical images stay on one side); use another fraction", fraction, len(rows), held)
	}
	return side, nil
}
