package reduce

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randSlice returns n values spread over many binades (normal times a
// power of two), so that rounding differences would show.
func randSlice(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Ldexp(rng.NormFloat64(), rng.IntN(20)-10)
	}
	return v
}

func sameBits(a, b []float64) int {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// asmSets names the assembly kernel sets this build and CPU can run.
func asmSets(t testing.TB) map[string]kernels {
	sets := asmKernelSets()
	if len(sets) == 0 {
		t.Skip("no assembly kernels in this build or on this CPU (the generic ones are the definition)")
	}
	names := []string{"avx2"}
	if len(sets) == 2 {
		names = []string{"avx512", "avx2"}
	}
	out := map[string]kernels{}
	for i, k := range sets {
		out[names[i]] = k
	}
	return out
}

// TestKernelsMatchGeneric checks that the assembly kernels (those this
// build and CPU have) give the generic Go kernels' results bit for bit,
// for strides with and without padding and lengths down to 0.
func TestKernelsMatchGeneric(t *testing.T) {
	gen := genericKernels()
	for name, asm := range asmSets(t) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, tc := range []struct{ n8, xs, zs int }{
			{0, 8, 8}, {1, 8, 8}, {1, 9, 11}, {3, 29, 24}, {288, 2304, 2304}, {289, 2311, 2320},
		} {
			t.Run(fmt.Sprintf("%s/n8=%d/xs=%d/zs=%d", name, tc.n8, tc.xs, tc.zs), func(t *testing.T) {
				x := randSlice(rng, 3*tc.xs+8*tc.n8)
				z := randSlice(rng, 2*tc.zs+8*tc.n8)
				// Lane sums carried in from an earlier column block.
				var got, want [12][8]float64
				for p := range got {
					copy(got[p][:], randSlice(rng, 8))
				}
				want = got
				asm.dotTile(x, tc.xs, z, tc.zs, tc.n8, &got)
				gen.dotTile(x, tc.xs, z, tc.zs, tc.n8, &want)
				for p := range got {
					if i := sameBits(got[p][:], want[p][:]); i >= 0 {
						t.Errorf("dotTile pair %d lane %d = %v, generic %v", p, i, got[p][i], want[p][i])
					}
				}
				var c [12]float64
				copy(c[:], randSlice(rng, 12))
				n1 := randSlice(rng, 2*tc.zs+8*tc.n8)
				n2 := append([]float64(nil), n1...)
				asm.axpyTile(&c, x, tc.xs, n1, tc.zs, tc.n8)
				gen.axpyTile(&c, x, tc.xs, n2, tc.zs, tc.n8)
				if i := sameBits(n1, n2); i >= 0 {
					t.Errorf("axpyTile next[%d] = %v, generic %v", i, n1[i], n2[i])
				}
			})
		}
		t.Run(name+"/fill", func(t *testing.T) { testFill(t, rng, asm, gen) })
	}
}

func testFill(t *testing.T, rng *rand.Rand, asm, gen kernels) {
	for _, n := range []int{0, 1, 3, 4, 5, 2304, 2305} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			a := make([]float32, n)
			for i := range a {
				a[i] = float32(rng.IntN(256))
			}
			shift, scale := randSlice(rng, n), randSlice(rng, n)
			got, want := make([]float64, n), make([]float64, n)
			asm.fillRow(a, shift, scale, got)
			gen.fillRow(a, shift, scale, want)
			if i := sameBits(got, want); i >= 0 {
				t.Errorf("fillRow[%d] = %v, generic %v", i, got[i], want[i])
			}
		})
	}
}

// TestDotTileColumnBlocks checks that running dotTile over two column
// blocks, carrying the lane sums, gives the lane sums of one run over all
// columns, to the bit (the FMA chains are the same).
func TestDotTileColumnBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n8, s = 37, 300
	x, z := randSlice(rng, 4*s), randSlice(rng, 3*s)
	sets := append([]kernels{genericKernels()}, asmKernelSets()...)
	for k, kern := range sets {
		var whole, split [12][8]float64
		kern.dotTile(x, s, z, s, n8, &whole)
		kern.dotTile(x, s, z, s, 16, &split)
		kern.dotTile(x[128:], s, z[128:], s, n8-16, &split)
		for p := range whole {
			if i := sameBits(whole[p][:], split[p][:]); i >= 0 {
				t.Errorf("set %d pair %d lane %d: whole %v, split %v", k, p, i, whole[p][i], split[p][i])
			}
		}
	}
}

// TestDot8 checks the generic lane order on a hand computation: with
// x = (1, 1e16, 1, 0, 0, -1e16, 0, 0) and z = 1 the lanes hold those
// values and ((1+0) + (1+0)) + ((1e16-1e16) + (0+0)) = 2, where a
// left-to-right sum gives 0.
func TestDot8(t *testing.T) {
	got := dot8([]float64{1, 1e16, 1, 0, 0, -1e16, 0, 0}, []float64{1, 1, 1, 1, 1, 1, 1, 1})
	// The other orders give 0 or 1e16-scale errors; 1e-9 tells them apart.
	if math.Abs(got-2) > 1e-9 {
		t.Errorf("dot8 = %v, want 2", got)
	}
}

// TestFitSameOnAllKernels runs a fit with the generic kernels and with
// each set of assembly ones, on whole grey levels (which a set with byte
// kernels compacts) and on fractional ones (which it cannot): the models
// and their transforms must be identical to the bit.
func TestFitSameOnAllKernels(t *testing.T) {
	for name, asm := range asmSets(t) {
		for _, frac := range []float32{0, 0.25} {
			t.Run(fmt.Sprintf("%s/frac=%g", name, frac), func(t *testing.T) { testFitSame(t, asm, frac) })
		}
	}
}

func testFitSame(t *testing.T, asm kernels, frac float32) {
	const n, p = 61, 37 // odd sizes: partial row blocks, a column tail
	a := lowRank(rand.New(rand.NewPCG(8, 9)), n, p, 4)
	for i := range a {
		a[i] += frac
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	st := ColumnStats(a, p, rows)
	scale := make([]float64, p)
	for j := range scale {
		scale[j] = 1.0 / 255
	}
	src := Source{Pixels: a, Dim: p, Rows: rows, Shift: st.Mean, Scale: scale}
	var models [2]*Model
	for i, k := range []kernels{genericKernels(), asm} {
		m, err := fit(context.Background(), src, 3, Options{}, rand.New(rand.NewPCG(1, 2)), k)
		if err != nil {
			t.Fatal(err)
		}
		models[i] = m
	}
	if models[0].Iter != models[1].Iter {
		t.Errorf("iterations: generic %d, assembly %d", models[0].Iter, models[1].Iter)
	}
	if i := sameBits(models[0].Singular, models[1].Singular); i >= 0 {
		t.Errorf("singular value %d: generic %v, assembly %v", i, models[0].Singular[i], models[1].Singular[i])
	}
	if i := sameBits(models[0].Components, models[1].Components); i >= 0 {
		t.Errorf("component entry %d: generic %v, assembly %v", i, models[0].Components[i], models[1].Components[i])
	}
}

func benchTiles(b *testing.B, k kernels) {
	const n8, s = 288, 2304
	rng := rand.New(rand.NewPCG(1, 1))
	x, z, next := randSlice(rng, 4*s), randSlice(rng, 3*s), randSlice(rng, 3*s)
	var acc [12][8]float64
	var c [12]float64
	copy(c[:], randSlice(rng, 12))
	b.ReportAllocs()
	for b.Loop() {
		k.dotTile(x, s, z, s, n8, &acc)
		k.axpyTile(&c, x, s, next, s, n8)
	}
	// 2 tiles of 12 rows x 2304 values, 2 flops per FMA.
	b.ReportMetric(float64(b.N)*2*12*8*n8*2/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkTiles times one dot tile and one axpy tile of 4 x 3 rows of
// 2304 values (FER2013's pixels) with each kernel set.
func BenchmarkTiles(b *testing.B) {
	b.Run("generic", func(b *testing.B) { benchTiles(b, genericKernels()) })
	for _, name := range []string{"avx512", "avx2"} {
		if k, ok := asmSets(b)[name]; ok {
			b.Run(name, func(b *testing.B) { benchTiles(b, k) })
		}
	}
}

// TestCompactRow checks which rows compact to bytes: whole grey levels
// 0..255 only (hand-picked cases), with the assembly (where present)
// agreeing with the generic definition on every case.
func TestCompactRow(t *testing.T) {
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	for _, tc := range []struct {
		name string
		v    float32
		ok   bool
	}{
		{"zero", 0, true}, {"one", 1, true}, {"max", 255, true},
		{"negative zero", negZero, false}, {"half", 0.5, false}, {"above", 256, false},
		{"negative", -1, false}, {"NaN", nan, false}, {"large", 1e10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The case at every position of a 37-value row (two groups of 16
			// and a tail), the other values whole grey levels.
			for pos := range 37 {
				a := make([]float32, 37)
				for j := range a {
					a[j] = float32((j * 7) % 256)
				}
				a[pos] = tc.v
				sets := map[string]func([]float32, []uint8) bool{"generic": compactRowGeneric}
				for _, k := range asmKernelSets() {
					if k.compactRow != nil {
						sets["asm"] = k.compactRow
					}
				}
				for name, compact := range sets {
					dst := make([]uint8, len(a))
					if got := compact(a, dst); got != tc.ok {
						t.Fatalf("%s, position %d: compact = %v, want %v", name, pos, got, tc.ok)
					}
					if tc.ok {
						for j, v := range a {
							if float32(dst[j]) != v {
								t.Fatalf("%s: byte %d = %d, pixel %v", name, j, dst[j], v)
							}
						}
					}
				}
			}
		})
	}
}

// TestFillBytesMatchesFill checks that filling from compacted bytes gives
// the float32 fill's values bit for bit, with every kernel set.
func TestFillBytesMatchesFill(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	sets := append([]kernels{genericKernels()}, asmKernelSets()...)
	for _, n := range []int{0, 1, 7, 8, 9, 2304, 2311} {
		a := make([]float32, n)
		b := make([]uint8, n)
		for i := range a {
			b[i] = uint8(rng.IntN(256))
			a[i] = float32(b[i])
		}
		shift, scale := randSlice(rng, n), randSlice(rng, n)
		want := make([]float64, n)
		fillRowGeneric(a, shift, scale, want)
		for i, k := range sets {
			if k.fillBytes == nil {
				continue
			}
			got := make([]float64, n)
			k.fillBytes(b, shift, scale, got)
			if j := sameBits(got, want); j >= 0 {
				t.Errorf("set %d, n %d: value %d = %v, want %v", i, n, j, got[j], want[j])
			}
		}
		got := make([]float64, n)
		fillBytesGeneric(b, shift, scale, got)
		if j := sameBits(got, want); j >= 0 {
			t.Errorf("generic, n %d: value %d = %v, want %v", n, j, got[j], want[j])
		}
	}
}
