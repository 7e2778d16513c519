//go:build !amd64 || purego

package kmeans

// newBounds returns nil: this build has no vector bound pass.
func newBounds(x []float64, dim, k int) *bounds { return nil }

// run is never called without a vector bound pass.
func (b *bounds) run(s *state, up, down, up2 float64) int { panic("kmeans: no vector bound pass") }

// nearest is never called without a vector bound pass.
func (b *bounds) nearest(s *state, idx []int) { panic("kmeans: no vector bound pass") }

// minDist is never called without a vector bound pass.
func (b *bounds) minDist(q, closest, out []float64, lanes *[8]float64) int {
	panic("kmeans: no vector bound pass")
}
