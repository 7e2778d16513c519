package reduce

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// On 5,000 images of 28x28 iid uniform grey levels the spectrum is flat
// (Marchenko-Pastur: the leading singular values lie within a few percent
// of one another), which once made the iteration run into its cap. Fit
// must either converge, and then agree with the exact eigendecomposition
// of XᵀX (singular values to 1e-9, the leading subspace to the accuracy
// SubspaceTol promises), or say that it did not converge, having run
// MaxIter iterations.
func TestFitFlatSpectrum(t *testing.T) {
	if testing.Short() {
		t.Skip("a 5000 x 784 exact eigendecomposition")
	}
	const n, p, k = 5000, 784, 5
	rng := rand.New(rand.NewPCG(16, 784))
	a := make([]float32, n*p)
	for i := range a {
		a[i] = float32(rng.IntN(256))
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	// Centred and scaled to [0, 1] as a PCA of min-max scaled images.
	shift, scale := make([]float64, p), make([]float64, p)
	for j := range p {
		var sum float64
		for i := range n {
			sum += float64(a[i*p+j])
		}
		shift[j], scale[j] = sum/float64(n), 1.0/255
	}
	src := Source{Pixels: a, Dim: p, Rows: rows, Shift: shift, Scale: scale}
	m, err := Fit(src, k, Options{}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("flat spectrum: %d iterations, converged %v, singular values %.6g", m.Iter, m.Converged, m.Singular)
	if !m.Converged && m.Iter != (Options{}).withDefaults().MaxIter {
		t.Errorf("unconverged after %d iterations, not the cap", m.Iter)
	}
	// Exact reference: the eigendecomposition of the p x p Gram matrix.
	x := mat.NewDense(n, p, nil)
	for i := range n {
		for j := range p {
			x.Set(i, j, (float64(a[i*p+j])-shift[j])*scale[j])
		}
	}
	var g mat.SymDense
	g.SymOuterK(1, x.T())
	var eig mat.EigenSym
	if !eig.Factorize(&g, true) {
		t.Fatal("eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	exact := mat.DenseCopyOf(vecs.Slice(0, p, p-k, p).T())
	comp := mat.NewDense(k, p, m.Components)
	off := subspaceMove(exact, comp)
	t.Logf("fitted subspace %.3g from the exact one; exact singular values %.6g", off,
		[]float64{math.Sqrt(vals[p-1]), math.Sqrt(vals[p-2]), math.Sqrt(vals[p-3]), math.Sqrt(vals[p-4]), math.Sqrt(vals[p-5]), math.Sqrt(vals[p-6])})
	if !m.Converged {
		return // reported honestly; nothing is promised
	}
	for i := range k {
		want := math.Sqrt(vals[p-1-i])
		if d := math.Abs(m.Singular[i]-want) / want; d > 1e-9 {
			t.Errorf("singular value %d: %.15g, exact %.15g (relative %.2g)", i, m.Singular[i], want, d)
		}
	}
	// The part of the fitted components outside the exact leading
	// subspace: within a few SubspaceTol (the error left when the last
	// move was SubspaceTol is about SubspaceTol·r/(1−r), r the per-
	// iteration contraction, here close to 1, so allow 100x).
	if d := off; d > 100*(Options{}).withDefaults().SubspaceTol {
		t.Errorf("fitted subspace is %.3g from the exact one", d)
	}
}
