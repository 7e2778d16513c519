package reduce

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lowRank returns n x p grey levels 0..255 of rank about r plus noise,
// rounded to integers like real pixels.
func lowRank(rng *rand.Rand, n, p, r int) []float32 {
	basis := make([]float64, r*p)
	for i := range basis {
		basis[i] = rng.NormFloat64()
	}
	a := make([]float32, n*p)
	for i := 0; i < n; i++ {
		w := make([]float64, r)
		for t := range w {
			// Decaying weights give distinct singular values.
			w[t] = rng.NormFloat64() * 40 / float64(t+1)
		}
		for j := 0; j < p; j++ {
			v := 128 + 5*rng.NormFloat64()
			for t := 0; t < r; t++ {
				v += w[t] * basis[t*p+j]
			}
			a[i*p+j] = float32(math.Round(math.Max(0, math.Min(255, v))))
		}
	}
	return a
}

// exactSVD returns the singular values and right singular vectors (as
// columns) of the explicit matrix (A[rows]-shift)*scale, from gonum's
// mat.SVD (LAPACK dgesvd).
func exactSVD(t *testing.T, src Source) ([]float64, *mat.Dense, *mat.Dense) {
	t.Helper()
	x := mat.NewDense(len(src.Rows), src.Dim, nil)
	for i, r := range src.Rows {
		for j := 0; j < src.Dim; j++ {
			x.Set(i, j, (float64(src.Pixels[r*src.Dim+j])-src.Shift[j])*src.Scale[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(x, mat.SVDThin) {
		t.Fatal("mat.SVD failed")
	}
	var v mat.Dense
	svd.VTo(&v)
	return svd.Values(nil), &v, x
}

func TestFitMatchesExactSVD(t *testing.T) {
	const n, p = 150, 40
	a := lowRank(rand.New(rand.NewPCG(1, 2)), n, p, 6)
	rows := make([]int, 0, n)
	for i := 0; i < n; i += 1 + i%3 { // an irregular subset, as a fold's training rows are
		rows = append(rows, i)
	}
	st := ColumnStats(a, p, rows)
	scale := make([]float64, p)
	for j := range scale {
		scale[j] = 1
		if r := st.Max[j] - st.Min[j]; r > 0 {
			scale[j] = 1 / r
		}
	}
	for _, tc := range []struct {
		name  string
		shift []float64
	}{
		{"pca", st.Mean}, // centred: principal components
		{"svd", st.Min},  // uncentred: truncated SVD of the min-max scaled data
	} {
		for _, k := range []int{1, 2, 5} {
			t.Run(fmt.Sprintf("%s-%d", tc.name, k), func(t *testing.T) {
				src := Source{Pixels: a, Dim: p, Rows: rows, Shift: tc.shift, Scale: scale}
				m, err := Fit(src, k, Options{}, rand.New(rand.NewPCG(3, 4)))
				if err != nil {
					t.Fatal(err)
				}
				if !m.Converged {
					t.Fatalf("not converged after %d iterations", m.Iter)
				}
				sv, v, x := exactSVD(t, src)
				var total float64
				for _, s := range sv {
					total += s * s
				}
				for i := 0; i < k; i++ {
					// Singular values agree to 1e-9 relative: the iteration stops at
					// 1e-10 relative change of sigma^2, which leaves an error of a
					// small multiple of that in sigma^2 (see Options.RelTol).
					if d := math.Abs(m.Singular[i]-sv[i]) / sv[i]; d > 1e-9 {
						t.Errorf("singular value %d: got %.12g, exact %.12g (rel %.2g)", i, m.Singular[i], sv[i], d)
					}
					// Explained-variance ratio within 1e-4 (the project's accuracy bound).
					if d := math.Abs(m.Singular[i]*m.Singular[i]-sv[i]*sv[i]) / total; d > 1e-4 {
						t.Errorf("explained variance ratio %d off by %.2g", i, d)
					}
					// Same direction up to sign: |<v_i, exact_i>| = 1.
					var dot float64
					for j := 0; j < p; j++ {
						dot += m.Components[i*p+j] * v.At(j, i)
					}
					if d := math.Abs(1 - math.Abs(dot)); d > 1e-6 {
						t.Errorf("component %d: |cos| = %.12f", i, math.Abs(dot))
					}
				}
				// Orthonormal rows.
				for i := 0; i < k; i++ {
					for j := 0; j < k; j++ {
						var dot float64
						for f := 0; f < p; f++ {
							dot += m.Components[i*p+f] * m.Components[j*p+f]
						}
						want := 0.0
						if i == j {
							want = 1
						}
						if math.Abs(dot-want) > 1e-12 {
							t.Errorf("components %d,%d: dot %.3g, want %v", i, j, dot, want)
						}
					}
				}
				// Transform equals X V^T, and a smaller c takes the leading columns.
				for _, c := range []int{1, k} {
					emb := m.Transform(src, c, nil)
					for r := 0; r < len(rows); r++ {
						for i := 0; i < c; i++ {
							var want float64
							for j := 0; j < p; j++ {
								want += x.At(r, j) * m.Components[i*p+j]
							}
							if math.Abs(emb[r*c+i]-want) > 1e-9*(1+math.Abs(want)) {
								t.Fatalf("transform row %d col %d: got %v, want %v", r, i, emb[r*c+i], want)
							}
						}
					}
				}
			})
		}
	}
}

func TestFitErrors(t *testing.T) {
	a := lowRank(rand.New(rand.NewPCG(1, 1)), 10, 8, 2)
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	zeros := make([]float64, 8)
	for _, tc := range []struct {
		name string
		rows []int
		k    int
		want string
	}{
		{"zero", []int{0, 1, 2}, 0, "components: 0 is below 1"},
		{"more than rows", []int{0, 1, 2}, 4, "components: 4 is more than min(rows 3, features 8)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Fit(Source{Pixels: a, Dim: 8, Rows: tc.rows, Shift: zeros, Scale: ones}, tc.k, Options{}, rand.New(rand.NewPCG(1, 1)))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestColumnStats(t *testing.T) {
	// Hand computation: column 0 holds 1, 3, 5 (mean 3, variance (4+0+4)/2 = 4);
	// column 1 is constant 7 (variance 0).
	a := []float32{1, 7, 3, 7, 100, 100, 5, 7}
	st := ColumnStats(a, 2, []int{0, 1, 3})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"min0", st.Min[0], 1}, {"max0", st.Max[0], 5}, {"mean0", st.Mean[0], 3}, {"var0", st.Var[0], 4},
		{"min1", st.Min[1], 7}, {"max1", st.Max[1], 7}, {"mean1", st.Mean[1], 7}, {"var1", st.Var[1], 0},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func benchFit(b *testing.B, n, p, k int) {
	a := lowRank(rand.New(rand.NewPCG(7, 7)), n, p, 20)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	st := ColumnStats(a, p, rows)
	scale := make([]float64, p)
	for j := range scale {
		scale[j] = 1.0 / 255 // unit scaling; the cost does not depend on it
	}
	src := Source{Pixels: a, Dim: p, Rows: rows, Shift: st.Mean, Scale: scale}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := Fit(src, k, Options{}, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.Iter), "iter")
	}
}

// BenchmarkFit3063 is one fold's training rows of the balanced FER2013 grid
// (4/5 of 7 x 547 rows), 48 x 48 pixels, 5 components.
func BenchmarkFit3063(b *testing.B) { benchFit(b, 3063, 2304, 5) }

// BenchmarkColumnStats28709 is one fold's training rows of the full FER2013
// grid, 48 x 48 pixels.
func BenchmarkColumnStats28709(b *testing.B) {
	const n, p = 28709, 2304
	rng := rand.New(rand.NewPCG(3, 3))
	a := make([]float32, n*p)
	for i := range a {
		a[i] = float32(rng.IntN(256))
	}
	rows := rng.Perm(n)
	b.ReportAllocs()
	for b.Loop() {
		ColumnStats(a, p, rows)
	}
}

// TestFitRankDeficient asks for more components than the data's rank: 60
// rows that repeat 3 distinct images (centred: rank 2) and 40 rows on a
// line, with k = 4. The directions beyond the rank have singular value 0
// and any orthonormal completion will do, so the fit must converge (the
// iteration used to chase the rounding noise in them for MaxIter passes and
// report the model unconverged), give the nonzero singular values and their
// directions as LAPACK does, and orthonormal components.
func TestFitRankDeficient(t *testing.T) {
	const p, k = 30, 4
	rng := rand.New(rand.NewPCG(7, 8))
	distinct := make([]float32, 3*p)
	for i := range distinct {
		distinct[i] = float32(rng.IntN(256))
	}
	repeated := make([]float32, 0, 60*p)
	for i := range 60 {
		repeated = append(repeated, distinct[(i%3)*p:(i%3+1)*p]...)
	}
	line := make([]float32, 0, 40*p)
	for i := range 40 {
		for j := range p {
			line = append(line, float32(10+i*(j%5)))
		}
	}
	for _, tc := range []struct {
		name string
		a    []float32
		rank int
	}{{"three-images", repeated, 2}, {"line", line, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.a) / p
			rows := make([]int, n)
			for i := range rows {
				rows[i] = i
			}
			st := ColumnStats(tc.a, p, rows)
			scale := make([]float64, p)
			for j := range scale {
				scale[j] = 1 / 255.0
			}
			src := Source{Pixels: tc.a, Dim: p, Rows: rows, Shift: st.Mean, Scale: scale}
			m, err := Fit(src, k, Options{}, rand.New(rand.NewPCG(3, 4)))
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged {
				t.Fatalf("not converged after %d iterations (singular values %.3g)", m.Iter, m.Singular)
			}
			sv, v, _ := exactSVD(t, src)
			for i := range k {
				if i >= tc.rank {
					// Zero up to rounding. LAPACK, working on X, gives
					// about 1e-15·σ₁; the fit takes square roots of Ritz
					// values of XᵀX, whose rounding (about ε·σ₁²) comes out
					// as about √ε·σ₁ = 1.5e-8·σ₁ (9e-9·σ₁ measured here);
					// 1e-7·σ₁ leaves room for a few ε of rounding more.
					if m.Singular[i] > 1e-7*sv[0] {
						t.Errorf("singular value %d: %.3g, want 0 (largest %.3g)", i, m.Singular[i], sv[0])
					}
					continue
				}
				// As TestFitMatchesExactSVD.
				if d := math.Abs(m.Singular[i]-sv[i]) / sv[i]; d > 1e-9 {
					t.Errorf("singular value %d: got %.12g, exact %.12g", i, m.Singular[i], sv[i])
				}
				var dot float64
				for j := range p {
					dot += m.Components[i*p+j] * v.At(j, i)
				}
				if d := math.Abs(1 - math.Abs(dot)); d > 1e-6 {
					t.Errorf("component %d: |cos| = %.12f", i, math.Abs(dot))
				}
			}
			for i := range k {
				for j := range k {
					var dot float64
					for f := range p {
						dot += m.Components[i*p+f] * m.Components[j*p+f]
					}
					if want := float64(b2i(i == j)); math.Abs(dot-want) > 1e-12 {
						t.Errorf("components %d,%d: dot %.3g, want %v", i, j, dot, want)
					}
				}
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
