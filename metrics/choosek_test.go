package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// wantPanic fails t unless f panics with a "metrics: " message.
func wantPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "metrics: ") {
			t.Errorf("panic %v, want one with the metrics: prefix", r)
		}
	}()
	f()
}

func TestAdjustedMutualInfoHand(t *testing.T) {
	for _, tc := range []struct {
		name        string
		truth, pred []int
		want        float64
	}{
		// MI = 0, H = ln 2 for both. E[MI]: a = b = (2, 2), n = 4; n_ij ∈ {1, 2}
		// with hypergeometric probabilities 4/6 and 1/6; the n_ij = 1 term has
		// log(4·1/(2·2)) = 0 and the n_ij = 2 term (2/4)·ln 2, so each of the 4
		// cells adds (1/6)(ln 2)/2 and E[MI] = ln2/3.
		// AMI = (0 − ln2/3) / (ln 2 − ln2/3) = −1/2.
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		// Identical partitions: MI = H, AMI = 1.
		{"relabelled", []int{0, 0, 1, 1, 2, 2}, []int{9, 9, 4, 4, 0, 0}, 1},
		// scikit-learn's special cases.
		{"both single", []int{1, 1, 1}, []int{7, 7, 7}, 1},
		{"empty", nil, nil, 1},
		{"one single", []int{0, 0, 1, 1}, []int{3, 3, 3, 3}, 0},
		// All points distinct in both: MI = E[MI] = H = ln 4, so the
		// numerator is 0 (the denominator is held at eps).
		{"all distinct", []int{0, 1, 2, 3}, []int{3, 1, 0, 2}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AdjustedMutualInfo(tc.truth, tc.pred); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("AdjustedMutualInfo = %v, want %v", got, tc.want)
			}
		})
	}
	wantPanic(t, func() { AdjustedMutualInfo([]int{0}, []int{0, 1}) })
	wantPanic(t, func() { AdjustedMutualInfo([]int{0, -1}, []int{0, 1}) })
}

// permuteLabels maps each label c to perm[c]*1000+7: the same partition
// under other, non-contiguous ids.
func permuteLabels(rng *rand.Rand, l []int, k int) []int {
	perm := rng.Perm(k)
	out := make([]int, len(l))
	for i, c := range l {
		out[i] = perm[c]*1000 + 7
	}
	return out
}

func TestAdjustedMutualInfoProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	for trial := range 30 {
		n, ka, kb := 20+rng.IntN(400), 2+rng.IntN(8), 1+rng.IntN(12)
		a, b := randomLabels(rng, n, ka, 1, 0), randomLabels(rng, n, kb, 1, 0)
		ab, ba := AdjustedMutualInfo(a, b), AdjustedMutualInfo(b, a)
		// Symmetric up to the order of the sums.
		if math.Abs(ab-ba) > 1e-12 {
			t.Errorf("trial %d: AMI(a, b) = %v, AMI(b, a) = %v", trial, ab, ba)
		}
		if ab > 1+1e-12 {
			t.Errorf("trial %d: AMI = %v > 1", trial, ab)
		}
		// Invariant under renaming the clusters.
		if p := AdjustedMutualInfo(permuteLabels(rng, a, ka), b); math.Abs(p-ab) > 1e-12 {
			t.Errorf("trial %d: AMI after relabelling = %v, before %v", trial, p, ab)
		}
		// A labeling against itself, renamed: 1.
		if s := AdjustedMutualInfo(a, permuteLabels(rng, a, ka)); math.Abs(s-1) > 1e-12 {
			t.Errorf("trial %d: AMI of a labeling with itself = %v", trial, s)
		}
	}
	// Random labelings score 0 in expectation: the mean over 200 pairs is
	// within 4 standard errors of 0 (the sd of one AMI is about 0.007
	// here), while an unadjusted NMI is clearly positive.
	var sum, nmi float64
	for range 200 {
		a, b := randomLabels(rng, 300, 5, 1, 0), randomLabels(rng, 300, 8, 1, 0)
		sum += AdjustedMutualInfo(a, b)
		nmi += NormalizedMutualInfo(a, b)
	}
	if m := sum / 200; math.Abs(m) > 0.002 {
		t.Errorf("mean AMI of random labelings = %v, want about 0", m)
	}
	if m := nmi / 200; m < 0.01 {
		t.Errorf("mean NMI of random labelings = %v, want clearly positive", m)
	}
}

func TestInternalHand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x      []float64
		dim    int
		labels []int
		ch, db float64
	}{
		// {0, 1} and {4, 5}: m = 2.5, m_0 = 0.5, m_1 = 4.5. B = 2·4 + 2·4 = 16,
		// W = 4·0.25 = 1, CH = (16/1)/(1/2) = 32. s_0 = s_1 = 0.5, d = 4,
		// DB = mean of (0.5+0.5)/4 = 0.25.
		{"two pairs", []float64{0, 1, 4, 5}, 1, []int{0, 0, 1, 1}, 32, 0.25},
		// A third cluster {10}: m = 4, B = 2·12.25 + 2·0.25 + 1·36 = 61,
		// W = 1, CH = (61/2)/(1/2) = 61. s = (0.5, 0.5, 0); the worst ratios:
		// cluster 0 (0.5+0.5)/4, cluster 1 (0.5+0.5)/4, cluster 2 (0+0.5)/5.5;
		// DB = (0.25 + 0.25 + 1/11)/3.
		{"with singleton", []float64{0, 1, 4, 5, 10}, 1, []int{0, 0, 1, 1, 2}, 61, (0.5 + 1.0/11) / 3},
		// Each cluster one repeated point: W = 0, CH = 1 and DB = 0 by
		// scikit-learn's convention.
		{"no dispersion", []float64{1, 1, 1, 1, 3, 3}, 2, []int{0, 0, 1}, 1, 0},
		// Equal centroids: every centroid distance is 0, DB = 0. B = 0, so
		// CH = 0.
		{"equal centroids", []float64{-1, 1, -2, 2}, 1, []int{0, 0, 1, 1}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := CalinskiHarabasz(tc.x, tc.dim, tc.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ch-tc.ch) > 1e-12*math.Max(1, tc.ch) {
				t.Errorf("CalinskiHarabasz = %v, want %v", ch, tc.ch)
			}
			db, err := DaviesBouldin(tc.x, tc.dim, tc.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(db-tc.db) > 1e-15 {
				t.Errorf("DaviesBouldin = %v, want %v", db, tc.db)
			}
		})
	}
}

func TestInternalErrors(t *testing.T) {
	for name, f := range map[string]func([]float64, int, []int) (float64, error){
		"CalinskiHarabasz": CalinskiHarabasz,
		"DaviesBouldin":    DaviesBouldin,
	} {
		t.Run(name, func(t *testing.T) {
			var lce *LabelCountError
			for _, labels := range [][]int{{0, 0, 0}, {0, 1, 2}, {}} {
				x := make([]float64, len(labels))
				if _, err := f(x, 1, labels); !errors.As(err, &lce) {
					t.Errorf("labels %v: error %v, want a *LabelCountError", labels, err)
				}
			}
			if _, err := f([]float64{0, math.NaN(), 2}, 1, []int{0, 0, 1}); err == nil || !strings.Contains(err.Error(), "NaN") {
				t.Errorf("NaN coordinate: error %v", err)
			}
			if _, err := f([]float64{0, 1, math.Inf(1)}, 1, []int{0, 0, 1}); err == nil {
				t.Error("infinite coordinate: no error")
			}
			wantPanic(t, func() { f([]float64{0, 1}, 1, []int{0, 1, 1}) })
			wantPanic(t, func() { f([]float64{0, 1, 2}, 0, []int{0, 1, 1}) })
			wantPanic(t, func() { f([]float64{0, 1, 2}, 1, []int{0, -1, 1}) })
		})
	}
}

func TestInternalProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	for trial := range 20 {
		dim, n, k := 1+rng.IntN(5), 30+rng.IntN(200), 2+rng.IntN(8)
		x := blobPoints(rng, n, dim)
		labels := kmeansLabels(rng, x, dim, k)
		if len(slices.Compact(slices.Sorted(slices.Values(labels)))) < 2 {
			continue
		}
		ch, err1 := CalinskiHarabasz(x, dim, labels)
		db, err2 := DaviesBouldin(x, dim, labels)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !(ch > 0) || !(db > 0) {
			t.Errorf("trial %d: CH = %v, DB = %v, want positive", trial, ch, db)
		}
		// Invariant under renaming the clusters.
		p := permuteLabels(rng, labels, k)
		ch2, _ := CalinskiHarabasz(x, dim, p)
		db2, _ := DaviesBouldin(x, dim, p)
		if relErr(ch2, ch, 1e-300) > 1e-12 || relErr(db2, db, 1e-300) > 1e-12 {
			t.Errorf("trial %d: after relabelling CH %v -> %v, DB %v -> %v", trial, ch, ch2, db, db2)
		}
		// Invariant under translation and scaling of the points (up to
		// rounding): both are ratios of distances.
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = 3*v + 2
		}
		ch3, _ := CalinskiHarabasz(y, dim, labels)
		db3, _ := DaviesBouldin(y, dim, labels)
		if relErr(ch3, ch, 1e-300) > 1e-12 || relErr(db3, db, 1e-300) > 1e-12 {
			t.Errorf("trial %d: after 3x+2 CH %v -> %v, DB %v -> %v", trial, ch, ch3, db, db3)
		}
	}
}

func TestGapHand(t *testing.T) {
	// mean(1, 2, 3) = 2, gap = 2 − 1; sd with 1/B: √(2/3); s = √(2/3)·√(4/3).
	gap, s := Gap(1, []float64{1, 2, 3})
	if gap != 1 || math.Abs(s-math.Sqrt(8.0/9)) > 1e-15 {
		t.Errorf("Gap = %v, %v; want 1, %v", gap, s, math.Sqrt(8.0/9))
	}
	wantPanic(t, func() { Gap(1, nil) })

	for _, tc := range []struct {
		name   string
		ks     []int
		gap, s []float64
		k      int
		ok     bool
	}{
		// k=1: 0.1 < 0.5 − 0.1; k=2: 0.5 ≥ 0.55 − 0.1.
		{"k=2", []int{1, 2, 3, 4}, []float64{0.1, 0.5, 0.55, 0.6}, []float64{0.1, 0.1, 0.1, 0.1}, 2, true},
		// Equality counts.
		{"tie", []int{2, 3}, []float64{0.5, 0.75}, []float64{0, 0.25}, 2, true},
		// Always rising by more than s: the last k has no successor.
		{"none", []int{1, 2, 3}, []float64{0, 1, 2}, []float64{0.1, 0.1, 0.1}, 0, false},
		{"NaN", []int{1, 2}, []float64{math.NaN(), 1}, []float64{0.1, 0.1}, 0, false},
		{"empty", nil, nil, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if k, ok := GapPick(tc.ks, tc.gap, tc.s); k != tc.k || ok != tc.ok {
				t.Errorf("GapPick = %d, %v; want %d, %v", k, ok, tc.k, tc.ok)
			}
		})
	}
	wantPanic(t, func() { GapPick([]int{1, 2}, []float64{1}, []float64{1, 2}) })
}

func TestGapReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	const n, dim, nb = 50, 3, 4
	x := blobPoints(rng, n, dim)
	refs, err := GapReference(x, dim, nb, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	// The same draws through gapReferenceFrom give the same sets: the rng
	// is read set after set, point after point, axis after axis.
	src := rand.New(rand.NewPCG(7, 7))
	u := make([][]float64, nb)
	for b := range u {
		u[b] = make([]float64, n*dim)
		for i := range u[b] {
			u[b][i] = src.Float64()
		}
	}
	again, err := gapReferenceFrom(x, dim, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != nb {
		t.Fatalf("%d reference sets, want %d", len(refs), nb)
	}
	for b := range refs {
		if !slices.Equal(refs[b], again[b]) {
			t.Fatalf("set %d differs from the one made from the same draws", b)
		}
	}
	// Every reference point lies in the box of the data's principal axes.
	mean := make([]float64, dim)
	for i := range n {
		for d := range dim {
			mean[d] += x[i*dim+d] / n
		}
	}
	proj := func(z []float64, i int, v []float64) float64 {
		var s float64
		for d := range dim {
			s += (z[i*dim+d] - mean[d]) * v[d]
		}
		return s
	}
	xc := make([]float64, 0, n*dim)
	for i := range n {
		for d := range dim {
			xc = append(xc, x[i*dim+d]-mean[d])
		}
	}
	axes, err := principalAxes(mat.NewDense(n, dim, xc))
	if err != nil {
		t.Fatal(err)
	}
	for j := range dim {
		v := []float64{axes.At(0, j), axes.At(1, j), axes.At(2, j)}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			lo, hi = min(lo, proj(x, i, v)), max(hi, proj(x, i, v))
		}
		for b, z := range refs {
			for i := range n {
				if p := proj(z, i, v); p < lo-1e-12 || p > hi+1e-12 {
					t.Fatalf("set %d point %d: coordinate %v on axis %d outside [%v, %v]", b, i, p, j, lo, hi)
				}
			}
		}
	}

	// Fewer points than dimensions: r = n principal axes; one point: every
	// reference point is that point.
	for _, tc := range []struct {
		x   []float64
		dim int
	}{{[]float64{0, 0, 0, 1, 2, 3}, 3}, {[]float64{4, 5}, 2}} {
		refs, err := GapReference(tc.x, tc.dim, 2, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range refs {
			if len(z) != len(tc.x) {
				t.Fatalf("x = %v: reference set of %d values", tc.x, len(z))
			}
		}
		if len(tc.x) == tc.dim && !slices.Equal(refs[0], tc.x) {
			t.Errorf("one point %v: reference set %v", tc.x, refs[0])
		}
	}

	if _, err := GapReference(nil, 2, 1, rng); err == nil {
		t.Error("no points: no error")
	}
	if _, err := GapReference([]float64{1, math.NaN()}, 2, 1, rng); err == nil {
		t.Error("NaN: no error")
	}
	wantPanic(t, func() { GapReference([]float64{1, 2, 3}, 2, 1, rng) })
	wantPanic(t, func() { GapReference([]float64{1, 2}, 2, 0, rng) })
}

func TestGapStatisticErrors(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	refs := [][]float64{{0, 1, 2, 3}}
	failing := func(x []float64, dim, k int, rng *rand.Rand) (float64, error) {
		return 0, errors.New("no convergence")
	}
	if _, _, err := GapStatistic(x, 1, refs, []int{2}, failing, nil); err == nil || !strings.Contains(err.Error(), "k = 2, data: no convergence") {
		t.Errorf("error %v", err)
	}
	zero := func(x []float64, dim, k int, rng *rand.Rand) (float64, error) {
		if &x[0] == &refs[0][0] {
			return 0, nil
		}
		return 1, nil
	}
	if _, _, err := GapStatistic(x, 1, refs, []int{3}, zero, nil); err == nil || !strings.Contains(err.Error(), "k = 3, reference set 0") {
		t.Errorf("error %v", err)
	}
	wantPanic(t, func() { GapStatistic(x, 1, nil, []int{2}, zero, nil) })
}

func TestStability(t *testing.T) {
	// L0 and L1 are the same partition (ARI 1); each against L2 has
	// contingency rows (2,0), (1,1), (0,2): Σn² = 10, tp = 4, Σa² = 12,
	// fn = 2, Σb² = 18, fp = 8, tn = 36−8−2−10 = 16,
	// ARI = 2(4·16 − 2·8)/((4+2)(2+16) + (4+8)(8+16)) = 96/396 = 8/33.
	// Pairs: 1, 8/33, 8/33; mean 49/99; deviations 50/99, −25/99, −25/99;
	// sd = √((2500 + 625 + 625)/99² / 2) = √1875/99.
	l := [][]int{
		{0, 0, 1, 1, 2, 2},
		{1, 1, 0, 0, 2, 2},
		{0, 0, 0, 1, 1, 1},
	}
	mean, sd := Stability(l)
	if math.Abs(mean-49.0/99) > 1e-15 || math.Abs(sd-math.Sqrt(1875)/99) > 1e-15 {
		t.Errorf("Stability = %v, %v; want %v, %v", mean, sd, 49.0/99, math.Sqrt(1875)/99)
	}
	// Two labelings: one pair, no sd.
	mean, sd = Stability(l[1:])
	if math.Abs(mean-8.0/33) > 1e-15 || !math.IsNaN(sd) {
		t.Errorf("Stability of 2 = %v, %v; want %v, NaN", mean, sd, 8.0/33)
	}
	wantPanic(t, func() { Stability(l[:1]) })
	wantPanic(t, func() { Stability([][]int{{0, 1}, {0}}) })
}

func TestSizeShares(t *testing.T) {
	labels := []int{0, 0, 0, 1, 2, 2}
	if lo, hi := SizeShares(labels, 3); lo != 1.0/6 || hi != 0.5 {
		t.Errorf("SizeShares(k=3) = %v, %v; want 1/6, 1/2", lo, hi)
	}
	// An empty cluster has share 0.
	if lo, hi := SizeShares(labels, 4); lo != 0 || hi != 0.5 {
		t.Errorf("SizeShares(k=4) = %v, %v; want 0, 1/2", lo, hi)
	}
	if lo, hi := SizeShares(nil, 2); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("SizeShares(empty) = %v, %v; want NaN", lo, hi)
	}
	wantPanic(t, func() { SizeShares(labels, 2) })
	wantPanic(t, func() { SizeShares([]int{-1}, 2) })
	wantPanic(t, func() { SizeShares(labels, 0) })
}
