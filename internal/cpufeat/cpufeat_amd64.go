//go:build amd64 && !purego

package cpufeat

import "sync"

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX2FMA reports whether the CPU and the operating system support
// AVX2 and FMA3: CPUID leaf 1 ECX bits 12 (FMA), 27 (OSXSAVE) and 28
// (AVX), XCR0 bits 1 and 2 (SSE and AVX state saved), and CPUID leaf 7
// EBX bit 5 (AVX2); Intel SDM vol. 2A, "CPUID", and vol. 1, 14.3.
func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// hasAVX512 reports whether the CPU and the operating system support the
// AVX-512 foundation instructions with POPCNT: besides AVX2 and FMA
// (hasAVX2FMA), CPUID leaf 1 ECX bit 23 (POPCNT), XCR0 bits 5-7 (opmask
// and ZMM state saved) and CPUID leaf 7 EBX bit 16 (AVX512F); Intel SDM
// vol. 2A, "CPUID", and vol. 1, 15.2.
func hasAVX512() bool {
	if !hasAVX2FMA() {
		return false
	}
	if _, _, ecx1, _ := cpuid(1, 0); ecx1&(1<<23) == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&0xe0 != 0xe0 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<16) != 0
}

// The answers, asked once per process: CPUID is a trap to the hypervisor
// on some virtual machines, too slow to repeat for every fit, and the
// answers cannot change while the process runs. This is the project's one
// package-level state beyond constant tables.
var (
	avx2FMA = sync.OnceValue(hasAVX2FMA)
	avx512  = sync.OnceValue(hasAVX512)
)

// AVX2FMA reports whether the CPU and the operating system support AVX2
// and FMA3.
func AVX2FMA() bool { return avx2FMA() }

// AVX512 reports whether they support AVX-512F (with AVX2, FMA3 and
// POPCNT).
func AVX512() bool { return avx512() }
