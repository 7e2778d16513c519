//go:build amd64 && !purego

#include "textflag.h"

// The kernels of kernel.go in AVX2 and FMA3, in the operation order stated
// there. Strides are in float64 values; n4 counts groups of 4 values.

// func fillAVX2(a *float32, shift, scale, dst *float64, n4 int)
TEXT ·fillAVX2(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ shift+8(FP), BX
	MOVQ scale+16(FP), DX
	MOVQ dst+24(FP), DI
	MOVQ n4+32(FP), CX
	XORQ AX, AX

fillloop:
	VCVTPS2PD (SI)(AX*4), Y0
	VSUBPD    (BX)(AX*8), Y0, Y0
	VMULPD    (DX)(AX*8), Y0, Y0
	VMOVUPD   Y0, (DI)(AX*8)
	ADDQ      $4, AX
	DECQ      CX
	JNZ       fillloop
	VZEROUPPER
	RET

// func dotTile2x3AVX2(x *float64, xs int, z *float64, zs int, n8 int, acc *[8]float64)
//
// dotTile for 2 rows of x and 3 of z: the lane sums of pair p = 3r+i are
// acc[8p:8p+8] (6 pairs), held as lanes 0-3 in Y(2p) and lanes 4-7 in
// Y(2p+1); z is read from memory.
TEXT ·dotTile2x3AVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ xs+8(FP), AX
	SHLQ $3, AX
	MOVQ z+16(FP), DI
	MOVQ zs+24(FP), BX
	SHLQ $3, BX
	MOVQ n8+32(FP), CX
	MOVQ acc+40(FP), DX
	LEAQ (SI)(AX*1), R8  // x1
	LEAQ (DI)(BX*1), R11 // z1
	LEAQ (DI)(BX*2), R12 // z2
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	VMOVUPD 128(DX), Y4
	VMOVUPD 160(DX), Y5
	VMOVUPD 192(DX), Y6
	VMOVUPD 224(DX), Y7
	VMOVUPD 256(DX), Y8
	VMOVUPD 288(DX), Y9
	VMOVUPD 320(DX), Y10
	VMOVUPD 352(DX), Y11
	XORQ R13, R13

dot2loop:
	VMOVUPD     (SI)(R13*1), Y12
	VMOVUPD     32(SI)(R13*1), Y13
	VMOVUPD     (R8)(R13*1), Y14
	VMOVUPD     32(R8)(R13*1), Y15
	VFMADD231PD (DI)(R13*1), Y12, Y0
	VFMADD231PD 32(DI)(R13*1), Y13, Y1
	VFMADD231PD (R11)(R13*1), Y12, Y2
	VFMADD231PD 32(R11)(R13*1), Y13, Y3
	VFMADD231PD (R12)(R13*1), Y12, Y4
	VFMADD231PD 32(R12)(R13*1), Y13, Y5
	VFMADD231PD (DI)(R13*1), Y14, Y6
	VFMADD231PD 32(DI)(R13*1), Y15, Y7
	VFMADD231PD (R11)(R13*1), Y14, Y8
	VFMADD231PD 32(R11)(R13*1), Y15, Y9
	VFMADD231PD (R12)(R13*1), Y14, Y10
	VFMADD231PD 32(R12)(R13*1), Y15, Y11
	ADDQ        $64, R13
	DECQ        CX
	JNZ         dot2loop

	VMOVUPD Y0, 0(DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	VMOVUPD Y4, 128(DX)
	VMOVUPD Y5, 160(DX)
	VMOVUPD Y6, 192(DX)
	VMOVUPD Y7, 224(DX)
	VMOVUPD Y8, 256(DX)
	VMOVUPD Y9, 288(DX)
	VMOVUPD Y10, 320(DX)
	VMOVUPD Y11, 352(DX)
	VZEROUPPER
	RET

// func dotTileAVX512(x *float64, xs int, z *float64, zs int, n8 int, acc *[12][8]float64)
//
// dotTile for 4 rows of x and 3 of z: the lane sums of pair p = 3r+i are
// acc[p], held in Z(p).
TEXT ·dotTileAVX512(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ xs+8(FP), AX
	SHLQ $3, AX
	MOVQ z+16(FP), DI
	MOVQ zs+24(FP), BX
	SHLQ $3, BX
	MOVQ n8+32(FP), CX
	MOVQ acc+40(FP), DX
	LEAQ (SI)(AX*1), R8  // x1
	LEAQ (SI)(AX*2), R9  // x2
	LEAQ (R8)(AX*2), R10 // x3
	LEAQ (DI)(BX*1), R11 // z1
	LEAQ (DI)(BX*2), R12 // z2
	VMOVUPD 0(DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	VMOVUPD 256(DX), Z4
	VMOVUPD 320(DX), Z5
	VMOVUPD 384(DX), Z6
	VMOVUPD 448(DX), Z7
	VMOVUPD 512(DX), Z8
	VMOVUPD 576(DX), Z9
	VMOVUPD 640(DX), Z10
	VMOVUPD 704(DX), Z11
	XORQ R13, R13

dot512loop:
	VMOVUPD     (DI)(R13*1), Z12
	VMOVUPD     (R11)(R13*1), Z13
	VMOVUPD     (R12)(R13*1), Z14
	VMOVUPD     (SI)(R13*1), Z15
	VFMADD231PD Z15, Z12, Z0
	VFMADD231PD Z15, Z13, Z1
	VFMADD231PD Z15, Z14, Z2
	VMOVUPD     (R8)(R13*1), Z15
	VFMADD231PD Z15, Z12, Z3
	VFMADD231PD Z15, Z13, Z4
	VFMADD231PD Z15, Z14, Z5
	VMOVUPD     (R9)(R13*1), Z15
	VFMADD231PD Z15, Z12, Z6
	VFMADD231PD Z15, Z13, Z7
	VFMADD231PD Z15, Z14, Z8
	VMOVUPD     (R10)(R13*1), Z15
	VFMADD231PD Z15, Z12, Z9
	VFMADD231PD Z15, Z13, Z10
	VFMADD231PD Z15, Z14, Z11
	ADDQ        $64, R13
	DECQ        CX
	JNZ         dot512loop

	VMOVUPD Z0, 0(DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
	VMOVUPD Z4, 256(DX)
	VMOVUPD Z5, 320(DX)
	VMOVUPD Z6, 384(DX)
	VMOVUPD Z7, 448(DX)
	VMOVUPD Z8, 512(DX)
	VMOVUPD Z9, 576(DX)
	VMOVUPD Z10, 640(DX)
	VMOVUPD Z11, 704(DX)
	VZEROUPPER
	RET

// func axpyTileAVX512(c *[12]float64, x *float64, xs int, next *float64, ns int, n8 int)
TEXT ·axpyTileAVX512(SB), NOSPLIT, $0-48
	MOVQ         c+0(FP), DX
	VBROADCASTSD 0(DX), Z0
	VBROADCASTSD 8(DX), Z1
	VBROADCASTSD 16(DX), Z2
	VBROADCASTSD 24(DX), Z3
	VBROADCASTSD 32(DX), Z4
	VBROADCASTSD 40(DX), Z5
	VBROADCASTSD 48(DX), Z6
	VBROADCASTSD 56(DX), Z7
	VBROADCASTSD 64(DX), Z8
	VBROADCASTSD 72(DX), Z9
	VBROADCASTSD 80(DX), Z10
	VBROADCASTSD 88(DX), Z11
	MOVQ x+8(FP), SI
	MOVQ xs+16(FP), AX
	SHLQ $3, AX
	MOVQ next+24(FP), DI
	MOVQ ns+32(FP), BX
	SHLQ $3, BX
	MOVQ n8+40(FP), CX
	LEAQ (SI)(AX*1), R8  // x1
	LEAQ (SI)(AX*2), R9  // x2
	LEAQ (R8)(AX*2), R10 // x3
	LEAQ (DI)(BX*1), R11 // next1
	LEAQ (DI)(BX*2), R12 // next2
	XORQ R13, R13

axpy512loop:
	VMOVUPD     (DI)(R13*1), Z12
	VMOVUPD     (R11)(R13*1), Z13
	VMOVUPD     (R12)(R13*1), Z14
	VMOVUPD     (SI)(R13*1), Z15
	VFMADD231PD Z15, Z0, Z12
	VFMADD231PD Z15, Z1, Z13
	VFMADD231PD Z15, Z2, Z14
	VMOVUPD     (R8)(R13*1), Z15
	VFMADD231PD Z15, Z3, Z12
	VFMADD231PD Z15, Z4, Z13
	VFMADD231PD Z15, Z5, Z14
	VMOVUPD     (R9)(R13*1), Z15
	VFMADD231PD Z15, Z6, Z12
	VFMADD231PD Z15, Z7, Z13
	VFMADD231PD Z15, Z8, Z14
	VMOVUPD     (R10)(R13*1), Z15
	VFMADD231PD Z15, Z9, Z12
	VFMADD231PD Z15, Z10, Z13
	VFMADD231PD Z15, Z11, Z14
	VMOVUPD     Z12, (DI)(R13*1)
	VMOVUPD     Z13, (R11)(R13*1)
	VMOVUPD     Z14, (R12)(R13*1)
	ADDQ        $64, R13
	DECQ        CX
	JNZ         axpy512loop
	VZEROUPPER
	RET

// func axpyTileAVX2(c *[12]float64, x *float64, xs int, next *float64, ns int, n4 int)
TEXT ·axpyTileAVX2(SB), NOSPLIT, $0-48
	MOVQ         c+0(FP), DX
	VBROADCASTSD 0(DX), Y0
	VBROADCASTSD 8(DX), Y1
	VBROADCASTSD 16(DX), Y2
	VBROADCASTSD 24(DX), Y3
	VBROADCASTSD 32(DX), Y4
	VBROADCASTSD 40(DX), Y5
	VBROADCASTSD 48(DX), Y6
	VBROADCASTSD 56(DX), Y7
	VBROADCASTSD 64(DX), Y8
	VBROADCASTSD 72(DX), Y9
	VBROADCASTSD 80(DX), Y10
	VBROADCASTSD 88(DX), Y11
	MOVQ         x+8(FP), SI
	MOVQ         xs+16(FP), AX
	SHLQ         $3, AX
	MOVQ         next+24(FP), DI
	MOVQ         ns+32(FP), BX
	SHLQ         $3, BX
	MOVQ         n4+40(FP), CX

	LEAQ (SI)(AX*1), R8  // x1
	LEAQ (SI)(AX*2), R9  // x2
	LEAQ (R8)(AX*2), R10 // x3
	LEAQ (DI)(BX*1), R11 // next1
	LEAQ (DI)(BX*2), R12 // next2
	XORQ R13, R13

axpyloop:
	VMOVUPD     (DI)(R13*1), Y12
	VMOVUPD     (R11)(R13*1), Y13
	VMOVUPD     (R12)(R13*1), Y14
	VMOVUPD     (SI)(R13*1), Y15
	VFMADD231PD Y15, Y0, Y12
	VFMADD231PD Y15, Y1, Y13
	VFMADD231PD Y15, Y2, Y14
	VMOVUPD     (R8)(R13*1), Y15
	VFMADD231PD Y15, Y3, Y12
	VFMADD231PD Y15, Y4, Y13
	VFMADD231PD Y15, Y5, Y14
	VMOVUPD     (R9)(R13*1), Y15
	VFMADD231PD Y15, Y6, Y12
	VFMADD231PD Y15, Y7, Y13
	VFMADD231PD Y15, Y8, Y14
	VMOVUPD     (R10)(R13*1), Y15
	VFMADD231PD Y15, Y9, Y12
	VFMADD231PD Y15, Y10, Y13
	VFMADD231PD Y15, Y11, Y14
	VMOVUPD     Y12, (DI)(R13*1)
	VMOVUPD     Y13, (R11)(R13*1)
	VMOVUPD     Y14, (R12)(R13*1)
	ADDQ        $32, R13
	DECQ        CX
	JNZ         axpyloop
	VZEROUPPER
	RET

// func compactAVX512(a *float32, dst *uint8, n16 int) bool
//
// compactRowGeneric for 16 values at a time: truncated to int32 and back,
// each value must have the same bits (an integer, not -0) and be at most
// 255 as an unsigned integer (so not negative); then the low bytes are
// stored. It returns false at the first group that fails.
TEXT ·compactAVX512(SB), NOSPLIT, $0-25
	MOVQ a+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n16+16(FP), CX
	MOVL $255, AX
	VPBROADCASTD AX, Z5

cloop:
	VMOVUPS    (SI), Z0
	VCVTTPS2DQ Z0, Z1
	VCVTDQ2PS  Z1, Z2
	VPCMPD     $0, Z2, Z0, K1     // same bits
	VPCMPUD    $2, Z5, Z1, K1, K1 // and 0 <= value <= 255
	KORTESTW   K1, K1
	JCC        cfail
	VPMOVDB    Z1, (DI)
	ADDQ       $64, SI
	ADDQ       $16, DI
	DECQ       CX
	JNZ        cloop
	MOVB       $1, ret+24(FP)
	VZEROUPPER
	RET

cfail:
	MOVB $0, ret+24(FP)
	VZEROUPPER
	RET

// func fillBytesAVX512(b *uint8, shift, scale, dst *float64, n8 int)
TEXT ·fillBytesAVX512(SB), NOSPLIT, $0-40
	MOVQ b+0(FP), SI
	MOVQ shift+8(FP), BX
	MOVQ scale+16(FP), DX
	MOVQ dst+24(FP), DI
	MOVQ n8+32(FP), CX
	XORQ AX, AX

bloop:
	VPMOVZXBD (SI)(AX*1), Y1
	VCVTDQ2PD Y1, Z0
	VSUBPD    (BX)(AX*8), Z0, Z0
	VMULPD    (DX)(AX*8), Z0, Z0
	VMOVUPD   Z0, (DI)(AX*8)
	ADDQ      $8, AX
	DECQ      CX
	JNZ       bloop
	VZEROUPPER
	RET
