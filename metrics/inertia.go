package metrics

import "fmt"

// Inertia returns the within-cluster sum of squared distances
//
//	Σ_i ‖x_i − c_{labels[i]}‖²,
//
// the k-means objective (scikit-learn's KMeans.inertia_), for the n =
// len(labels) points in x and the k = len(centers)/dim centres in centers,
// both row-major. It returns 0 for empty input. It panics if dim <= 0, if
// len(x) != n*dim, if len(centers) is not a multiple of dim, or if a label is
// negative or not below k.
func Inertia(x []float64, dim int, centers []float64, labels []int) float64 {
	n := len(labels)
	checkPoints(x, dim, n)
	if len(centers)%dim != 0 {
		panic(fmt.Sprintf("metrics: len(centers) = %d is not a multiple of dim = %d", len(centers), dim))
	}
	k := len(centers) / dim
	var sum float64
	for i, c := range labels {
		if c < 0 || c >= k {
			panic(fmt.Sprintf("metrics: label %d at index %d out of range [0, %d)", c, i, k))
		}
		p := x[i*dim : (i+1)*dim]
		q := centers[c*dim : (c+1)*dim]
		q = q[:len(p)]
		for d, v := range p {
			u := v - q[d]
			sum += u * u
		}
	}
	return sum
}
