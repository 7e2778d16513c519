package cpufeat

import "testing"

// The kernels rely on AVX512 implying AVX2FMA (reduce picks its AVX-512
// kernels first and falls back to AVX2 ones).
func TestFeatures(t *testing.T) {
	if AVX512() && !AVX2FMA() {
		t.Error("AVX512 without AVX2FMA")
	}
	t.Logf("AVX2FMA %v, AVX512 %v", AVX2FMA(), AVX512())
}
