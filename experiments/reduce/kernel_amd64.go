//go:build amd64 && !purego

package reduce

import "golang.org/x/sys/cpu"

// Assembly in kernel_amd64.s. The pointers must address at least the
// values the generic versions read and write; the wrappers below check
// that with slice expressions, which panic when a slice is short.

//go:noescape
func fillAVX2(a *float32, shift, scale, dst *float64, n4 int)

//go:noescape
func dotTile2x3AVX2(x *float64, xs int, z *float64, zs int, n8 int, acc *[8]float64)

//go:noescape
func axpyTileAVX2(c *[12]float64, x *float64, xs int, next *float64, ns int, n4 int)

//go:noescape
func dotTileAVX512(x *float64, xs int, z *float64, zs int, n8 int, acc *[12][8]float64)

//go:noescape
func axpyTileAVX512(c *[12]float64, x *float64, xs int, next *float64, ns int, n8 int)

//go:noescape
func compactAVX512(a *float32, dst *uint8, n16 int) bool

//go:noescape
func fillBytesAVX512(b *uint8, shift, scale, dst *float64, n8 int)

func compactRowAVX512(a []float32, dst []uint8) bool {
	n := len(a)
	dst = dst[:n]
	n16 := n / 16
	if n16 > 0 && !compactAVX512(&a[0], &dst[0], n16) {
		return false
	}
	return compactRowGeneric(a[16*n16:], dst[16*n16:])
}

func fillBytesRowAVX512(b []uint8, shift, scale, dst []float64) {
	n := len(b)
	shift, scale, dst = shift[:n], scale[:n], dst[:n]
	n8 := n / 8
	if n8 > 0 {
		fillBytesAVX512(&b[0], &shift[0], &scale[0], &dst[0], n8)
	}
	fillBytesGeneric(b[8*n8:], shift[8*n8:], scale[8*n8:], dst[8*n8:])
}

func fillRowAVX2(a []float32, shift, scale, dst []float64) {
	n := len(a)
	shift, scale, dst = shift[:n], scale[:n], dst[:n]
	n4 := n / 4
	if n4 > 0 {
		fillAVX2(&a[0], &shift[0], &scale[0], &dst[0], n4)
	}
	for j := 4 * n4; j < n; j++ {
		dst[j] = (float64(a[j]) - shift[j]) * scale[j]
	}
}

func dotTileAVX2Go(x []float64, xs int, z []float64, zs int, n8 int, acc *[12][8]float64) {
	n := 8 * n8
	if n8 == 0 {
		return
	}
	_, _ = x[3*xs:3*xs+n], z[2*zs:2*zs+n]
	dotTile2x3AVX2(&x[0], xs, &z[0], zs, n8, &acc[0])
	dotTile2x3AVX2(&x[2*xs], xs, &z[0], zs, n8, &acc[6])
}

func axpyTileAVX2Go(c *[12]float64, x []float64, xs int, next []float64, ns int, n8 int) {
	n := 8 * n8
	if n8 == 0 {
		return
	}
	_, _ = x[3*xs:3*xs+n], next[2*ns:2*ns+n]
	axpyTileAVX2(c, &x[0], xs, &next[0], ns, 2*n8)
}

func dotTileAVX512Go(x []float64, xs int, z []float64, zs int, n8 int, acc *[12][8]float64) {
	n := 8 * n8
	if n8 == 0 {
		return
	}
	_, _ = x[3*xs:3*xs+n], z[2*zs:2*zs+n]
	dotTileAVX512(&x[0], xs, &z[0], zs, n8, acc)
}

func axpyTileAVX512Go(c *[12]float64, x []float64, xs int, next []float64, ns int, n8 int) {
	n := 8 * n8
	if n8 == 0 {
		return
	}
	_, _ = x[3*xs:3*xs+n], next[2*ns:2*ns+n]
	axpyTileAVX512(c, &x[0], xs, &next[0], ns, n8)
}

// asmKernelSets returns the assembly kernel sets the CPU and the operating
// system can run (golang.org/x/sys/cpu checks both), fastest first:
// AVX-512 foundation, then AVX2 with FMA. Every AVX-512 CPU has AVX2 and
// FMA, so the AVX-512 set is never alone.
func asmKernelSets() []kernels {
	var out []kernels
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		out = append(out, kernels{compactRow: compactRowAVX512, fillBytes: fillBytesRowAVX512,
			fillRow: fillRowAVX2, dotTile: dotTileAVX512Go, axpyTile: axpyTileAVX512Go})
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		out = append(out, kernels{fillRow: fillRowAVX2, dotTile: dotTileAVX2Go, axpyTile: axpyTileAVX2Go})
	}
	return out
}

// bestKernels returns the fastest assembly kernels the CPU can run, else
// the generic Go.
func bestKernels() kernels {
	if k := asmKernelSets(); len(k) > 0 {
		return k[0]
	}
	return genericKernels()
}
