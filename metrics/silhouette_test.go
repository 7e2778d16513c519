package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// refTol is the agreement required between the implementations and the
// plain O(n²) reference below. Both sum the same distances in different
// orders; silhouettes lie in [-1, 1], so 1e-9 absolute is far above
// float64 rounding (about 1e-13 for n in the thousands) and far below any
// real difference (a wrong divisor changes values by more than 1e-4 here).
const refTol = 1e-9

// refSilhouetteSamples is a plain O(n²) implementation of the definition in
// the Silhouette doc comment, written independently of the package code.
func refSilhouetteSamples(x []float64, dim int, labels []int) []float64 {
	n := len(labels)
	size := make(map[int]int)
	for _, l := range labels {
		size[l]++
	}
	s := make([]float64, n)
	for i := range n {
		if size[labels[i]] == 1 {
			continue // singleton: s = 0
		}
		sum := make(map[int]float64)
		for j := range n {
			if j == i {
				continue
			}
			var d2 float64
			for d := range dim {
				u := x[i*dim+d] - x[j*dim+d]
				d2 += u * u
			}
			sum[labels[j]] += math.Sqrt(d2)
		}
		a := sum[labels[i]] / float64(size[labels[i]]-1)
		b := math.Inf(1)
		for c, m := range size {
			if c != labels[i] {
				b = math.Min(b, sum[c]/float64(m))
			}
		}
		if m := math.Max(a, b); m > 0 {
			s[i] = (b - a) / m
		}
	}
	return s
}

func refSilhouette(x []float64, dim int, labels []int) float64 {
	var sum float64
	for _, v := range refSilhouetteSamples(x, dim, labels) {
		sum += v
	}
	return sum / float64(len(labels))
}

// randomPoints returns n points of dimension dim with coordinates uniform
// in [0, 1), or on the integer grid {0, 1, 2} when grid is set (to create
// exact duplicates).
func randomPoints(rng *rand.Rand, n, dim int, grid bool) []float64 {
	x := make([]float64, n*dim)
	for i := range x {
		if grid {
			x[i] = float64(rng.IntN(3))
		} else {
			x[i] = rng.Float64()
		}
	}
	return x
}

// randomLabels returns n labels using exactly k distinct values (k <= n),
// each value being label*stride + base.
func randomLabels(rng *rand.Rand, n, k, stride, base int) []int {
	labels := make([]int, n)
	for i, p := range rng.Perm(n) {
		c := i // the first k points of the permutation cover every cluster
		if i >= k {
			c = rng.IntN(k)
		}
		labels[p] = c*stride + base
	}
	return labels
}

func TestSilhouetteHand(t *testing.T) {
	for _, tc := range []struct {
		name    string
		x       []float64
		dim     int
		labels  []int
		samples []float64
		mean    float64
	}{
		{
			// Line 0, 1 | 4, 5. Point 0: a = 1, b = (4+5)/2 = 4.5, s = 3.5/4.5 = 7/9;
			// point 1: a = 1, b = (3+4)/2 = 3.5, s = 2.5/3.5 = 5/7; 4 and 5 mirror 1 and 0.
			// Mean (7/9 + 5/7)/2 = 47/63.
			name: "line", x: []float64{0, 1, 4, 5}, dim: 1, labels: []int{0, 0, 1, 1},
			samples: []float64{7.0 / 9, 5.0 / 7, 5.0 / 7, 7.0 / 9}, mean: 47.0 / 63,
		},
		{
			// Line 0, 1 | 4 with 4 alone. Point 0: a = 1, b = 4, s = 3/4; point 1:
			// a = 1, b = 3, s = 2/3; point 4: singleton, s = 0. Mean (3/4 + 2/3)/3 = 17/36.
			name: "singleton", x: []float64{0, 1, 4}, dim: 1, labels: []int{3, 3, 8},
			samples: []float64{3.0 / 4, 2.0 / 3, 0}, mean: 17.0 / 36,
		},
		{
			// (0,0), (3,4) | (6,8), (9,12): collinear, 5 apart, i.e. the line 0, 1, 2, 3
			// scaled by 5. Point 0: a = 1, b = (2+3)/2 = 2.5, s = 1.5/2.5 = 3/5;
			// point 1: a = 1, b = (1+2)/2 = 1.5, s = 0.5/1.5 = 1/3. Mean (3/5 + 1/3)/2 = 7/15.
			name: "3-4-5", x: []float64{0, 0, 3, 4, 6, 8, 9, 12}, dim: 2, labels: []int{1, 1, 0, 0},
			samples: []float64{3.0 / 5, 1.0 / 3, 1.0 / 3, 3.0 / 5}, mean: 7.0 / 15,
		},
		{
			// Duplicates: 0, 0 | 2. Points 0 and 1: a = 0, b = 2, s = 2/2 = 1; point 2
			// alone: 0. Mean 2/3.
			name: "duplicates", x: []float64{0, 0, 2}, dim: 1, labels: []int{0, 0, 1},
			samples: []float64{1, 1, 0}, mean: 2.0 / 3,
		},
		{
			// All points equal: a = b = 0 for points 0, 1 and 2, so s = 0 (scikit-learn's
			// nan_to_num of 0/0); point 3 is alone. Mean 0.
			name: "all equal", x: []float64{5, 5, 5, 5}, dim: 1, labels: []int{0, 0, 1, 2},
			samples: []float64{0, 0, 0, 0}, mean: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := SilhouetteSamples(tc.x, tc.dim, tc.labels)
			if err != nil {
				t.Fatal(err)
			}
			for i := range s {
				if math.Abs(s[i]-tc.samples[i]) > 1e-15 {
					t.Errorf("s[%d] = %v, want %v", i, s[i], tc.samples[i])
				}
			}
			m, err := Silhouette(tc.x, tc.dim, tc.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(m-tc.mean) > 1e-15 {
				t.Errorf("Silhouette = %v, want %v", m, tc.mean)
			}
			b, err := SilhouetteBatch(tc.x, tc.dim, [][]int{tc.labels})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(b[0]-tc.mean) > 1e-15 {
				t.Errorf("SilhouetteBatch = %v, want %v", b[0], tc.mean)
			}
		})
	}
}

// shapes covers the specialised distance loops (dim 1-5) and the generic one
// (dim 7), singletons, k = n-1, exact duplicates, sparse label values and the
// tiling (n above blockCols, clusters above blockRows).
var shapes = []struct {
	n, dim, k int
	grid      bool
	stride    int // label value stride: labels are c*stride + 1
}{
	{n: 3, dim: 1, k: 2, stride: 1},
	{n: 5, dim: 2, k: 4, stride: 1},   // k = n-1
	{n: 12, dim: 3, k: 11, stride: 3}, // k = n-1
	{n: 20, dim: 2, k: 8, stride: 1},  // singletons likely
	{n: 40, dim: 3, k: 3, grid: true, stride: 1},
	{n: 60, dim: 4, k: 6, stride: 1 << 40}, // sparse encoding path
	{n: 100, dim: 5, k: 7, stride: 1},
	{n: 90, dim: 7, k: 5, stride: 2},
	{n: 700, dim: 5, k: 2, stride: 1},
	{n: 1100, dim: 2, k: 3, stride: 1},
}

func TestSilhouetteMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range shapes {
		t.Run(fmt.Sprintf("n=%d,dim=%d,k=%d", sh.n, sh.dim, sh.k), func(t *testing.T) {
			x := randomPoints(rng, sh.n, sh.dim, sh.grid)
			labels := randomLabels(rng, sh.n, sh.k, sh.stride, 1)
			want := refSilhouetteSamples(x, sh.dim, labels)
			got, err := SilhouetteSamples(x, sh.dim, labels)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if math.Abs(got[i]-want[i]) > refTol {
					t.Fatalf("s[%d] = %v, want %v", i, got[i], want[i])
				}
			}
			wantMean := refSilhouette(x, sh.dim, labels)
			m, err := Silhouette(x, sh.dim, labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(m-wantMean) > refTol {
				t.Errorf("Silhouette = %v, want %v", m, wantMean)
			}
		})
	}
}

func TestSilhouetteBatchMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sh := range shapes {
		t.Run(fmt.Sprintf("n=%d,dim=%d", sh.n, sh.dim), func(t *testing.T) {
			x := randomPoints(rng, sh.n, sh.dim, sh.grid)
			// Random labelings (almost every point its own group), a coarse one
			// and nested ones (long runs), with k from 2 to n-1.
			labelings := [][]int{
				randomLabels(rng, sh.n, sh.k, sh.stride, 0),
				randomLabels(rng, sh.n, 2, 1, 0),
				randomLabels(rng, sh.n, sh.n-1, 1, 0),
			}
			coarse := make([]int, sh.n)
			fine := make([]int, sh.n)
			for i := range coarse {
				coarse[i] = i * 2 / sh.n
				fine[i] = i * min(sh.n-1, 5) / sh.n
			}
			labelings = append(labelings, coarse, fine)
			got, err := SilhouetteBatch(x, sh.dim, labelings)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(labelings) {
				t.Fatalf("len = %d, want %d", len(got), len(labelings))
			}
			for l, labels := range labelings {
				want := refSilhouette(x, sh.dim, labels)
				if math.Abs(got[l]-want) > refTol {
					t.Errorf("labeling %d: %v, want %v", l, got[l], want)
				}
			}
		})
	}
}

func TestSilhouetteProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range shapes {
		t.Run(fmt.Sprintf("n=%d,dim=%d,k=%d", sh.n, sh.dim, sh.k), func(t *testing.T) {
			x := randomPoints(rng, sh.n, sh.dim, sh.grid)
			labels := randomLabels(rng, sh.n, sh.k, sh.stride, 0)
			s, err := SilhouetteSamples(x, sh.dim, labels)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range s {
				if !(v >= -1 && v <= 1) {
					t.Errorf("s[%d] = %v outside [-1, 1]", i, v)
				}
			}
			base, err := Silhouette(x, sh.dim, labels)
			if err != nil {
				t.Fatal(err)
			}

			// Relabelling the clusters by a bijection changes only the summation
			// order (the points are sorted by label internally): 1e-12.
			relabel := make(map[int]int)
			for i, c := range rng.Perm(sh.k) {
				relabel[i*sh.stride] = c*7 + 3
			}
			perm := make([]int, sh.n)
			for i, l := range labels {
				perm[i] = relabel[l]
			}
			got, err := Silhouette(x, sh.dim, perm)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-base) > 1e-12 {
				t.Errorf("relabelled: %v, want %v", got, base)
			}

			// Reordering the points (with their labels) does not change the mean, and
			// permutes the samples.
			order := rng.Perm(sh.n)
			px := make([]float64, 0, len(x))
			pl := make([]int, sh.n)
			for pos, i := range order {
				px = append(px, x[i*sh.dim:(i+1)*sh.dim]...)
				pl[pos] = labels[i]
			}
			ps, err := SilhouetteSamples(px, sh.dim, pl)
			if err != nil {
				t.Fatal(err)
			}
			for pos, i := range order {
				if math.Abs(ps[pos]-s[i]) > 1e-12 {
					t.Fatalf("reordered s[%d] = %v, want %v", pos, ps[pos], s[i])
				}
			}

			// Scaling and translating the points leaves every s(i) unchanged up to
			// rounding: distances scale by 4 (a power of two, so exactly when
			// no translation is involved), and the translation adds rounding.
			sx := make([]float64, len(x))
			for i, v := range x {
				sx[i] = 4*v - 0.5
			}
			got, err = Silhouette(sx, sh.dim, labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-base) > 1e-12 {
				t.Errorf("scaled: %v, want %v", got, base)
			}

			// The batch gives the same means as separate calls.
			other := randomLabels(rng, sh.n, 2, 1, 0)
			batch, err := SilhouetteBatch(x, sh.dim, [][]int{labels, other, labels})
			if err != nil {
				t.Fatal(err)
			}
			o, err := Silhouette(x, sh.dim, other)
			if err != nil {
				t.Fatal(err)
			}
			for l, want := range []float64{base, o, base} {
				if math.Abs(batch[l]-want) > 1e-12 {
					t.Errorf("batch[%d] = %v, want %v", l, batch[l], want)
				}
			}
		})
	}
}

func TestSilhouetteSampled(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, dim = 300, 3
	x := randomPoints(rng, n, dim, false)
	labels := randomLabels(rng, n, 4, 1, 0)

	t.Run("all points", func(t *testing.T) {
		// size = n takes every point, in order: the same computation as Silhouette.
		want, err := Silhouette(x, dim, labels)
		if err != nil {
			t.Fatal(err)
		}
		got, err := SilhouetteSampled(x, dim, labels, n, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("reproducible subset", func(t *testing.T) {
		const size = 50
		a, err := SilhouetteSampled(x, dim, labels, size, rand.New(rand.NewPCG(9, 9)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := SilhouetteSampled(x, dim, labels, size, rand.New(rand.NewPCG(9, 9)))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a-b) > 0 {
			t.Errorf("same seed: %v != %v", a, b)
		}
		// The same subset drawn by hand, scored by the reference.
		r := rand.New(rand.NewPCG(9, 9))
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		for i := range size {
			j := i + r.IntN(n-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		chosen := make([]bool, n)
		for _, i := range idx[:size] {
			chosen[i] = true
		}
		var sx []float64
		var sl []int
		for i := range n {
			if chosen[i] {
				sx = append(sx, x[i*dim:(i+1)*dim]...)
				sl = append(sl, labels[i])
			}
		}
		if want := refSilhouette(sx, dim, sl); math.Abs(a-want) > refTol {
			t.Errorf("got %v, want %v", a, want)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, size := range []int{0, -1, n + 1} {
			if _, err := SilhouetteSampled(x, dim, labels, size, rng); err == nil {
				t.Errorf("size %d: no error", size)
			}
		}
		// One point has a single label.
		if _, err := SilhouetteSampled(x, dim, labels, 1, rng); !errors.As(err, new(*LabelCountError)) {
			t.Errorf("size 1: err = %v, want *LabelCountError", err)
		}
	})
}

func TestSilhouetteErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x      []float64
		labels []int
		k      int
	}{
		{name: "one label", x: []float64{0, 1, 2}, labels: []int{4, 4, 4}, k: 1},
		{name: "n labels", x: []float64{0, 1, 2}, labels: []int{0, 1, 2}, k: 3},
		{name: "empty", x: nil, labels: nil, k: 0},
		{name: "one point", x: []float64{1}, labels: []int{0}, k: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.labels)
			check := func(what string, err error) {
				t.Helper()
				var lce *LabelCountError
				if !errors.As(err, &lce) {
					t.Fatalf("%s: err = %v, want *LabelCountError", what, err)
				}
				if lce.Labels != tc.k || lce.N != n {
					t.Errorf("%s: %+v, want Labels %d, N %d", what, *lce, tc.k, n)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("number of labels is %d; valid values are 2 to n-1 (inclusive)", tc.k)) {
					t.Errorf("%s: message %q", what, err)
				}
			}
			_, err := Silhouette(tc.x, 1, tc.labels)
			check("Silhouette", err)
			_, err = SilhouetteSamples(tc.x, 1, tc.labels)
			check("SilhouetteSamples", err)
			_, err = SilhouetteBatch(tc.x, 1, [][]int{tc.labels})
			check("SilhouetteBatch", err)
		})
	}
	t.Run("batch names the labeling", func(t *testing.T) {
		_, err := SilhouetteBatch([]float64{0, 1, 2}, 1, [][]int{{0, 0, 1}, {1, 1, 1}})
		if err == nil || !strings.Contains(err.Error(), "labeling 1") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("batch of none", func(t *testing.T) {
		got, err := SilhouetteBatch([]float64{0, 1, 2}, 1, nil)
		if err != nil || len(got) != 0 {
			t.Errorf("got %v, %v; want empty, nil", got, err)
		}
	})
}

// mustPanic fails unless f panics with a message starting "metrics: ".
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		msg, ok := r.(string)
		if !ok || !strings.HasPrefix(msg, "metrics: ") {
			t.Errorf("%s: recovered %#v, want a \"metrics: \" panic", name, r)
		}
	}()
	f()
}

func TestSilhouettePanics(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"negative label", func() { _, _ = Silhouette(x, 1, []int{0, 0, 1, -1}) }},
		{"short labels", func() { _, _ = Silhouette(x, 1, []int{0, 0, 1}) }},
		{"zero dim", func() { _, _ = Silhouette(x, 0, []int{0, 0, 1, 1}) }},
		{"samples length", func() { _, _ = SilhouetteSamples(x, 2, []int{0, 0, 1, 1}) }},
		{"batch ragged x", func() { _, _ = SilhouetteBatch(x, 3, [][]int{{0, 1}}) }},
		{"batch labeling length", func() { _, _ = SilhouetteBatch(x, 1, [][]int{{0, 0, 1, 1}, {0, 1}}) }},
		{"batch negative dim", func() { _, _ = SilhouetteBatch(x, -1, nil) }},
		{"batch negative label", func() { _, _ = SilhouetteBatch(x, 1, [][]int{{0, 0, -1, 1}}) }},
		{"sampled nil rng", func() { _, _ = SilhouetteSampled(x, 1, []int{0, 0, 1, 1}, 2, nil) }},
		{"sampled length", func() { _, _ = SilhouetteSampled(x, 1, []int{0, 1}, 2, rng) }},
	} {
		mustPanic(t, tc.name, tc.f)
	}
}

// FuzzSilhouetteBatch checks SilhouetteBatch and SilhouetteSamples against
// the reference on small fuzzed inputs: each byte gives one point on a 1-d
// grid of 16 values and its labels in two labelings.
func FuzzSilhouetteBatch(f *testing.F) {
	f.Add([]byte{0x01, 0x12, 0x23, 0x34})
	f.Add([]byte{0x00, 0x00, 0x10, 0xff, 0x7e})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(data)
		x := make([]float64, n)
		l1 := make([]int, n)
		l2 := make([]int, n)
		for i, b := range data {
			x[i] = float64(b & 0x0f)
			l1[i] = int(b>>4) & 3
			l2[i] = int(b >> 6)
		}
		got, err := SilhouetteBatch(x, 1, [][]int{l1, l2})
		if err != nil {
			var lce *LabelCountError
			if !errors.As(err, &lce) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for l, labels := range [][]int{l1, l2} {
			if want := refSilhouette(x, 1, labels); math.Abs(got[l]-want) > refTol {
				t.Fatalf("labeling %d: %v, want %v", l, got[l], want)
			}
			s, err := SilhouetteSamples(x, 1, labels)
			if err != nil {
				t.Fatal(err)
			}
			want := refSilhouetteSamples(x, 1, labels)
			for i := range s {
				if math.Abs(s[i]-want[i]) > refTol {
					t.Fatalf("labeling %d: s[%d] = %v, want %v", l, i, s[i], want[i])
				}
			}
		}
	})
}
