package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCompareHand(t *testing.T) {
	ln2 := math.Ln2
	for _, tc := range []struct {
		name                 string
		truth, pred          []int
		ari, nmi, pur, accur float64
	}{
		{
			// Contingency rows (2,0,0), (0,1,1); n = 4. Ordered pair counts:
			// Σn_ij² = 6, tp = 6-4 = 2, Σb_j² = 4+1+1 = 6, fp = 0, Σa_i² = 8, fn = 2,
			// tn = 16-0-2-6 = 8. ARI = 2(2·8 - 0)/((2+2)(2+8) + (2+0)(0+8)) = 32/56 = 4/7.
			// H(truth) = ln 2, H(pred) = 1.5 ln 2, MI = ½ln2 + ¼ln2 + ¼ln2 = ln 2,
			// NMI = ln2/(1.25 ln2) = 0.8. Purity (2+1+1)/4 = 1. Accuracy 3/4.
			name: "doc example", truth: []int{0, 0, 1, 1}, pred: []int{0, 0, 1, 2},
			ari: 4.0 / 7, nmi: 0.8, pur: 1, accur: 3.0 / 4,
		},
		{
			// Clusters {0,1,2}: classes 0,0,1 (max 2); {3,4,5}: classes 1,1,2 (max 2).
			// Purity 4/6. Accuracy: positions 0, 1, 3, 4 agree: 4/6.
			// Contingency rows (2,0), (1,2), (0,1): Σn² = 4+1+4+1 = 10, tp = 4;
			// a = (2,3,1): Σa² = 14, fn = 4; b = (3,3): Σb² = 18, fp = 8;
			// tn = 36-8-4-10 = 14. ARI = 2(4·14 - 4·8)/((8)(18) + (12)(22)) = 48/408 = 2/17.
			// MI = (2/6)ln(6·2/(2·3)) + (1/6)ln(6/(3·3)) + (2/6)ln(6·2/(3·3)) + (1/6)ln(6/(1·3))
			//    = (1/3)ln2 + (1/6)ln(2/3) + (1/3)ln(4/3) + (1/6)ln2,
			// H(truth) = -(1/3)ln(1/3) - ½ln(½) - (1/6)ln(1/6), H(pred) = ln 2.
			name: "three classes", truth: []int{0, 0, 1, 1, 1, 2}, pred: []int{0, 0, 0, 1, 1, 1},
			ari: 2.0 / 17, pur: 4.0 / 6, accur: 4.0 / 6,
			nmi: (ln2/3 + math.Log(2.0/3)/6 + math.Log(4.0/3)/3 + ln2/6) /
				((math.Log(3)/3 + ln2/2 + math.Log(6)/6 + ln2) / 2),
		},
		{
			// Identical up to relabelling: fn = fp = 0, ARI = 1; MI = H = ln 3, NMI = 1.
			// Purity 1; no label equal: accuracy 0.
			name: "relabelled", truth: []int{0, 0, 1, 1, 2, 2}, pred: []int{5, 5, 3, 3, 9, 9},
			ari: 1, nmi: 1, pur: 1, accur: 0,
		},
		{
			// scikit-learn special cases: both single-cluster -> ARI = NMI = 1.
			name: "both single", truth: []int{2, 2, 2}, pred: []int{0, 0, 0},
			ari: 1, nmi: 1, pur: 1, accur: 0,
		},
		{
			// Truth single, pred all distinct: Σn² = 4, tp = 0, fp = 4-4 = 0,
			// fn = 16-4 = 12, tn = 0. ARI = 2(0 - 0)/(12·12) = 0. MI = 0 -> NMI = 0.
			// Purity 4/4 (every cluster is pure).
			name: "single vs distinct", truth: []int{0, 0, 0, 0}, pred: []int{0, 1, 2, 3},
			ari: 0, nmi: 0, pur: 1, accur: 1.0 / 4,
		},
		{
			// Pred single, truth two halves: MI = 0 -> NMI = 0; ARI: Σn² = 8, tp = 4,
			// fn = 8-8 = 0, fp = 16-8 = 8, tn = 16-8-0-8 = 0; ARI = 2(0-0)/(...) = 0.
			// Purity 2/4.
			name: "pred single", truth: []int{0, 0, 1, 1}, pred: []int{7, 7, 7, 7},
			ari: 0, nmi: 0, pur: 0.5, accur: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, m := range []struct {
				name      string
				got, want float64
			}{
				{"AdjustedRandIndex", AdjustedRandIndex(tc.truth, tc.pred), tc.ari},
				{"NormalizedMutualInfo", NormalizedMutualInfo(tc.truth, tc.pred), tc.nmi},
				{"Purity", Purity(tc.truth, tc.pred), tc.pur},
				{"Accuracy", Accuracy(tc.truth, tc.pred), tc.accur},
			} {
				if math.Abs(m.got-m.want) > 1e-15 {
					t.Errorf("%s = %v, want %v", m.name, m.got, m.want)
				}
			}
		})
	}
}

func TestCompareEmpty(t *testing.T) {
	// scikit-learn 1.2.1: adjusted_rand_score([], []) = normalized_mutual_info_score([], []) = 1.0;
	// accuracy_score([], []) is nan (mean of an empty array).
	if got := AdjustedRandIndex(nil, nil); math.Abs(got-1) > 0 {
		t.Errorf("ARI = %v, want 1", got)
	}
	if got := NormalizedMutualInfo(nil, nil); math.Abs(got-1) > 0 {
		t.Errorf("NMI = %v, want 1", got)
	}
	if got := Purity(nil, nil); !math.IsNaN(got) {
		t.Errorf("Purity = %v, want NaN", got)
	}
	if got := Accuracy(nil, nil); !math.IsNaN(got) {
		t.Errorf("Accuracy = %v, want NaN", got)
	}
	if got := Contingency(nil, nil); len(got) != 0 {
		t.Errorf("Contingency = %v, want empty", got)
	}
}

func TestContingency(t *testing.T) {
	// Counted by hand: (0,0) ×2, (1,0) ×1, (1,2) ×1, (3,2) ×1; sizes 4×3.
	got := Contingency([]int{0, 1, 0, 3, 1}, []int{0, 2, 0, 2, 0})
	want := [][]int{
		{2, 0, 0},
		{1, 0, 1},
		{0, 0, 0},
		{0, 0, 1},
	}
	if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestInertia(t *testing.T) {
	// Points (0,0), (2,0) with centre (1,0): 1 + 1; point (5,5) with centre (4,4): 1 + 1.
	// Total 4.
	x := []float64{0, 0, 2, 0, 5, 5}
	centers := []float64{1, 0, 4, 4}
	if got := Inertia(x, 2, centers, []int{0, 0, 1}); math.Abs(got-4) > 1e-15 {
		t.Errorf("Inertia = %v, want 4", got)
	}
	if got := Inertia(nil, 3, nil, nil); math.Abs(got) > 0 {
		t.Errorf("empty Inertia = %v, want 0", got)
	}
}

func TestComparePanics(t *testing.T) {
	a, b := []int{0, 1, 1}, []int{0, 1}
	neg := []int{0, -1, 1}
	x := []float64{0, 0, 1, 1}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"ARI length", func() { AdjustedRandIndex(a, b) }},
		{"NMI length", func() { NormalizedMutualInfo(a, b) }},
		{"Purity length", func() { Purity(a, b) }},
		{"Accuracy length", func() { Accuracy(a, b) }},
		{"Contingency length", func() { Contingency(a, b) }},
		{"ARI negative", func() { AdjustedRandIndex(a, neg) }},
		{"NMI negative", func() { NormalizedMutualInfo(neg, a) }},
		{"Purity negative", func() { Purity(a, neg) }},
		{"Accuracy negative", func() { Accuracy(neg, a) }},
		{"Contingency negative", func() { Contingency(a, neg) }},
		{"Inertia label range", func() { Inertia(x, 2, []float64{0, 0}, []int{0, 1}) }},
		{"Inertia negative label", func() { Inertia(x, 2, []float64{0, 0}, []int{0, -1}) }},
		{"Inertia centres", func() { Inertia(x, 2, []float64{0, 0, 1}, []int{0, 0}) }},
		{"Inertia points", func() { Inertia(x, 2, []float64{0, 0}, []int{0}) }},
		{"Inertia dim", func() { Inertia(x, 0, []float64{0, 0}, []int{0, 0}) }},
	} {
		mustPanic(t, tc.name, tc.f)
	}
}

func TestCompareProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, sh := range []struct{ n, kt, kp int }{
		{2, 2, 1}, {10, 3, 3}, {50, 2, 7}, {200, 7, 11}, {1000, 7, 15}, {300, 300, 5},
	} {
		t.Run(fmt.Sprintf("n=%d,k=%d,%d", sh.n, sh.kt, sh.kp), func(t *testing.T) {
			truth := randomLabels(rng, sh.n, sh.kt, 1, 0)
			pred := randomLabels(rng, sh.n, sh.kp, 1, 0)
			// Make pred partly follow truth so that the scores are not all near 0.
			for i := range pred {
				if rng.IntN(2) == 0 {
					pred[i] = truth[i] % sh.kp
				}
			}
			ari := AdjustedRandIndex(truth, pred)
			nmi := NormalizedMutualInfo(truth, pred)
			if !(ari <= 1) {
				t.Errorf("ARI = %v > 1", ari)
			}
			if !(nmi >= 0 && nmi <= 1+1e-15) {
				t.Errorf("NMI = %v outside [0, 1]", nmi)
			}
			if p := Purity(truth, pred); !(p > 0 && p <= 1) {
				t.Errorf("Purity = %v outside (0, 1]", p)
			}

			// Symmetry. ARI is computed exactly in integers and rounded once,
			// so it is bit-for-bit symmetric; NMI sums the same terms in another
			// order (1e-12).
			if got := AdjustedRandIndex(pred, truth); math.Abs(got-ari) > 0 {
				t.Errorf("ARI(pred, truth) = %v, want %v", got, ari)
			}
			if got := NormalizedMutualInfo(pred, truth); math.Abs(got-nmi) > 1e-12 {
				t.Errorf("NMI(pred, truth) = %v, want %v", got, nmi)
			}

			// Invariance under a bijective relabelling of either side.
			rt := relabel(rng, truth)
			rp := relabel(rng, pred)
			if got := AdjustedRandIndex(rt, rp); math.Abs(got-ari) > 0 {
				t.Errorf("relabelled ARI = %v, want %v", got, ari)
			}
			if got := NormalizedMutualInfo(rt, rp); math.Abs(got-nmi) > 1e-12 {
				t.Errorf("relabelled NMI = %v, want %v", got, nmi)
			}
			if got := Purity(rt, rp); math.Abs(got-Purity(truth, pred)) > 0 {
				t.Errorf("relabelled Purity = %v", got)
			}

			// Identical partitions score 1 (NMI = MI/H with MI and H computed by
			// different formulas, so up to rounding).
			if got := AdjustedRandIndex(truth, rt); math.Abs(got-1) > 0 {
				t.Errorf("ARI(truth, relabelled truth) = %v, want 1", got)
			}
			if got := NormalizedMutualInfo(truth, rt); math.Abs(got-1) > 1e-12 {
				t.Errorf("NMI(truth, relabelled truth) = %v, want 1", got)
			}
			if got := Accuracy(truth, truth); math.Abs(got-1) > 0 {
				t.Errorf("Accuracy(truth, truth) = %v, want 1", got)
			}

			// Contingency totals: every point counted once, and the Purity and
			// Accuracy read off the table agree.
			m := Contingency(truth, pred)
			var total, diag, best int
			for j := range m[0] {
				var colMax int
				for i := range m {
					total += m[i][j]
					colMax = max(colMax, m[i][j])
				}
				best += colMax
			}
			for i := range min(len(m), len(m[0])) {
				diag += m[i][i]
			}
			if total != sh.n {
				t.Errorf("Contingency total %d, want %d", total, sh.n)
			}
			if got, want := Purity(truth, pred), float64(best)/float64(sh.n); math.Abs(got-want) > 1e-15 {
				t.Errorf("Purity = %v, table gives %v", got, want)
			}
			if got, want := Accuracy(truth, pred), float64(diag)/float64(sh.n); math.Abs(got-want) > 1e-15 {
				t.Errorf("Accuracy = %v, table gives %v", got, want)
			}
		})
	}
}

// relabel maps the distinct values of labels through a random bijection onto
// values spread over [0, 1000·k).
func relabel(rng *rand.Rand, labels []int) []int {
	m := make(map[int]int)
	for _, l := range labels {
		m[l] = 0
	}
	keys := make([]int, 0, len(m))
	for l := range m {
		keys = append(keys, l)
	}
	slices.Sort(keys)
	for i, p := range rng.Perm(len(keys)) {
		m[keys[i]] = p*1000 + rng.IntN(1000)
	}
	out := make([]int, len(labels))
	for i, l := range labels {
		out[i] = m[l]
	}
	return out
}

// TestDenseCellsEqualSortedCells checks the two ways newTable counts the
// contingency cells against each other on random labellings: few and many
// labels, gaps in the label values, and the empty input.
func TestDenseCellsEqualSortedCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	for _, tc := range []struct{ n, kt, kp int }{
		{0, 1, 1}, {1, 1, 1}, {50, 3, 7}, {3829, 7, 15}, {1000, 1000, 3}, {500, 2, 5000},
	} {
		truth, pred := make([]int, tc.n), make([]int, tc.n)
		for i := range truth {
			truth[i] = 3 * rng.IntN(tc.kt)
			pred[i] = rng.IntN(tc.kp)
		}
		et, ep := encode(truth), encode(pred)
		if d, s := denseCells(et, ep), sortedCells(et, ep); !slices.Equal(d, s) {
			t.Errorf("n=%d kt=%d kp=%d: dense cells %v, sorted cells %v", tc.n, tc.kt, tc.kp, d, s)
		}
	}
}
