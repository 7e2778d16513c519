//go:build amd64 && !purego

#include "textflag.h"

// Lane offsets 0..7 of the point indices.
DATA lanes<>+0(SB)/8, $0
DATA lanes<>+8(SB)/8, $1
DATA lanes<>+16(SB)/8, $2
DATA lanes<>+24(SB)/8, $3
DATA lanes<>+32(SB)/8, $4
DATA lanes<>+40(SB)/8, $5
DATA lanes<>+48(SB)/8, $6
DATA lanes<>+56(SB)/8, $7
GLOBL lanes<>(SB), RODATA|NOPTR, $64

// func boundsAVX512(xt *float64, stride int, labels *int, upper, lower *float64, n8 int,
//	tables *float64, dim int, up, down, up2 float64, cand *int) int
//
// boundsGeneric (simd.go), 8 points at a time: passes 1 and 2 of
// assignHamerly (loosen, then tighten where the first test fails), with
// the arithmetic of loosen and tighten: every value is rounded as there, the squared distance is summed
// over the coordinates in order without fused multiply-adds, and the
// square root is the correctly rounded VSQRTPD. Per-cluster values are
// looked up with VPERMT2PD from 16-entry tables (labels < 16).
//
// Registers: Z0-Z5 the shift, far and half tables (low and high 8
// entries), Z6 up, Z7 down, Z8 up², Z9 zero, Z10 the point indices of the
// lanes, Z11 eight.
TEXT ·boundsAVX512(SB), NOSPLIT, $0-104
	MOVQ xt+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $3, R8
	MOVQ labels+16(FP), DI
	MOVQ upper+24(FP), BX
	MOVQ lower+32(FP), DX
	MOVQ n8+40(FP), CX
	MOVQ tables+48(FP), R10
	MOVQ dim+56(FP), R11
	MOVQ cand+88(FP), R12
	VBROADCASTSD up+64(FP), Z6
	VBROADCASTSD down+72(FP), Z7
	VBROADCASTSD up2+80(FP), Z8
	VMOVUPD 0(R10), Z0
	VMOVUPD 64(R10), Z1
	VMOVUPD 128(R10), Z2
	VMOVUPD 192(R10), Z3
	VMOVUPD 256(R10), Z4
	VMOVUPD 320(R10), Z5
	VPXORQ  Z9, Z9, Z9
	VMOVDQU64 lanes<>(SB), Z10
	MOVQ $8, AX
	VPBROADCASTQ AX, Z11
	XORQ R13, R13     // kept candidates
	XORQ R9, R9       // point index

loop:
	CMPQ R9, CX
	JAE  done
	VMOVDQU64 (DI)(R9*8), Z12  // labels a
	VMOVUPD   (BX)(R9*8), Z13  // upper
	VMOVUPD   (DX)(R9*8), Z14  // lower
	VMOVAPD   Z0, Z15
	VPERMT2PD Z1, Z12, Z15     // shift[a]
	VMOVAPD   Z2, Z16
	VPERMT2PD Z3, Z12, Z16     // far[a]
	VMOVAPD   Z4, Z17
	VPERMT2PD Z5, Z12, Z17     // half[a]
	VADDPD    Z15, Z13, Z13
	VMULPD    Z6, Z13, Z13     // u = (upper + shift[a]) * up
	VMULPD    Z7, Z14, Z14     // lower * down
	VMULPD    Z6, Z16, Z16     // far[a] * up
	VSUBPD    Z16, Z14, Z14
	VMAXPD    Z9, Z14, Z14     // l = max(lower*down - far[a]*up, 0)
	VMULPD    Z6, Z13, Z18     // t = u * up
	VCMPPD    $0x1d, Z17, Z18, K1     // t >= half[a]
	VCMPPD    $0x1d, Z14, Z18, K1, K1 // and t >= l
	KORTESTW  K1, K1
	JZ        store

	// Tighten the lanes of K1: du = squared distance to the own centre.
	MOVQ      SI, R14
	LEAQ      384(R10), R15
	VMOVUPD   (R14)(R9*8), Z20
	VMOVUPD   0(R15), Z21
	VPERMT2PD 64(R15), Z12, Z21
	VSUBPD    Z21, Z20, Z20
	VMULPD    Z20, Z20, Z19
	MOVQ      R11, AX
	DECQ      AX
	JZ        summed

coord:
	ADDQ      R8, R14
	ADDQ      $128, R15
	VMOVUPD   (R14)(R9*8), Z20
	VMOVUPD   0(R15), Z21
	VPERMT2PD 64(R15), Z12, Z21
	VSUBPD    Z21, Z20, Z20
	VMULPD    Z20, Z20, Z20
	VADDPD    Z20, Z19, Z19
	DECQ      AX
	JNZ       coord

summed:
	VSQRTPD     Z19, K1, Z13           // upper = sqrt(du) where tightened
	VMULPD      Z8, Z19, Z18           // du * up²
	VMULPD      Z17, Z17, Z17          // half[a]²
	VMULPD      Z14, Z14, Z22          // l²
	VCMPPD      $0x1d, Z17, Z18, K1, K2
	VCMPPD      $0x1d, Z22, Z18, K2, K2
	VPCOMPRESSQ Z10, K2, Z23
	VMOVDQU64   Z23, (R12)(R13*8)
	KMOVW       K2, AX
	POPCNTL     AX, AX
	ADDQ        AX, R13

store:
	VMOVUPD Z13, (BX)(R9*8)
	VMOVUPD Z14, (DX)(R9*8)
	VPADDQ  Z11, Z10, Z10
	ADDQ    $8, R9
	JMP     loop

done:
	MOVQ R13, ret+96(FP)
	VZEROUPPER
	RET

// func nearestAVX512(xt *float64, stride int, idx *int, m int, centers *float64, k, dim int,
//	best *int, r1, r2 *float64)
//
// nearestGeneric (simd.go), 8 points at a time: the points idx[0:m] (m a
// multiple of 8)
// are gathered coordinate by coordinate from xt, and for every centre j in
// order the squared distance d (summed over the coordinates in order,
// without fused multiply-adds, as sqDist) updates, per lane, best = j where
// d < d1, d2 = minpd(d2, maxpd(d, d1)) and d1 = minpd(d1, d), as nearest
// does;
// the square roots of d1 and d2 (VSQRTPD, correctly rounded as math.Sqrt)
// are stored.
// One copy of the centre loop per dimension 1..5 keeps the coordinates in
// Z0-Z4.
TEXT ·nearestAVX512(SB), NOSPLIT, $0-80
	MOVQ xt+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $3, R8
	MOVQ idx+16(FP), DI
	MOVQ m+24(FP), CX
	MOVQ centers+32(FP), R10 // k x dim
	MOVQ k+40(FP), R11
	MOVQ dim+48(FP), R12
	MOVQ best+56(FP), R13
	MOVQ r1+64(FP), BX
	MOVQ r2+72(FP), DX
	MOVQ $0x7ff0000000000000, AX
	VPBROADCASTQ AX, Z30 // +Inf
	MOVQ $1, AX
	VPBROADCASTQ AX, Z31 // 1
	MOVQ R12, R15
	SHLQ $3, R15         // bytes per centre
	XORQ R9, R9

group:
	CMPQ R9, CX
	JAE  ndone
	VMOVDQU64 (DI)(R9*8), Z12
	MOVQ      SI, R14
	KXNORW    K0, K0, K1
	VGATHERQPD (R14)(Z12*8), K1, Z0
	CMPQ      R12, $1
	JEQ       gathered
	ADDQ      R8, R14
	KXNORW    K0, K0, K1
	VGATHERQPD (R14)(Z12*8), K1, Z1
	CMPQ      R12, $2
	JEQ       gathered
	ADDQ      R8, R14
	KXNORW    K0, K0, K1
	VGATHERQPD (R14)(Z12*8), K1, Z2
	CMPQ      R12, $3
	JEQ       gathered
	ADDQ      R8, R14
	KXNORW    K0, K0, K1
	VGATHERQPD (R14)(Z12*8), K1, Z3
	CMPQ      R12, $4
	JEQ       gathered
	ADDQ      R8, R14
	KXNORW    K0, K0, K1
	VGATHERQPD (R14)(Z12*8), K1, Z4

gathered:
	VMOVAPD Z30, Z16 // d1
	VMOVAPD Z30, Z17 // d2
	VPXORQ  Z18, Z18, Z18 // best
	VPXORQ  Z15, Z15, Z15 // j
	MOVQ    R10, R14
	MOVQ    R11, AX
	CMPQ R12, $1
	JEQ  centres1
	CMPQ R12, $2
	JEQ  centres2
	CMPQ R12, $3
	JEQ  centres3
	CMPQ R12, $4
	JEQ  centres4
	CMPQ R12, $5
	JEQ  centres5
	JMP ndone // dim > 5: not called

centres1:
	VSUBPD.BCST 0(R14), Z0, Z19
	VMULPD      Z19, Z19, Z19
	VCMPPD      $0x11, Z16, Z19, K2 // d < d1
	VMOVDQU64   Z15, K2, Z18
	VMAXPD      Z16, Z19, Z21
	VMINPD      Z21, Z17, Z17
	VMINPD      Z19, Z16, Z16
	VPADDQ      Z31, Z15, Z15
	ADDQ        R15, R14
	DECQ        AX
	JNZ         centres1
	JMP         stored

centres2:
	VSUBPD.BCST 0(R14), Z0, Z19
	VMULPD      Z19, Z19, Z19
	VSUBPD.BCST 8(R14), Z1, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VCMPPD      $0x11, Z16, Z19, K2 // d < d1
	VMOVDQU64   Z15, K2, Z18
	VMAXPD      Z16, Z19, Z21
	VMINPD      Z21, Z17, Z17
	VMINPD      Z19, Z16, Z16
	VPADDQ      Z31, Z15, Z15
	ADDQ        R15, R14
	DECQ        AX
	JNZ         centres2
	JMP         stored

centres3:
	VSUBPD.BCST 0(R14), Z0, Z19
	VMULPD      Z19, Z19, Z19
	VSUBPD.BCST 8(R14), Z1, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 16(R14), Z2, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VCMPPD      $0x11, Z16, Z19, K2 // d < d1
	VMOVDQU64   Z15, K2, Z18
	VMAXPD      Z16, Z19, Z21
	VMINPD      Z21, Z17, Z17
	VMINPD      Z19, Z16, Z16
	VPADDQ      Z31, Z15, Z15
	ADDQ        R15, R14
	DECQ        AX
	JNZ         centres3
	JMP         stored

centres4:
	VSUBPD.BCST 0(R14), Z0, Z19
	VMULPD      Z19, Z19, Z19
	VSUBPD.BCST 8(R14), Z1, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 16(R14), Z2, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 24(R14), Z3, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VCMPPD      $0x11, Z16, Z19, K2 // d < d1
	VMOVDQU64   Z15, K2, Z18
	VMAXPD      Z16, Z19, Z21
	VMINPD      Z21, Z17, Z17
	VMINPD      Z19, Z16, Z16
	VPADDQ      Z31, Z15, Z15
	ADDQ        R15, R14
	DECQ        AX
	JNZ         centres4
	JMP         stored

centres5:
	VSUBPD.BCST 0(R14), Z0, Z19
	VMULPD      Z19, Z19, Z19
	VSUBPD.BCST 8(R14), Z1, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 16(R14), Z2, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 24(R14), Z3, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VSUBPD.BCST 32(R14), Z4, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	VCMPPD      $0x11, Z16, Z19, K2 // d < d1
	VMOVDQU64   Z15, K2, Z18
	VMAXPD      Z16, Z19, Z21
	VMINPD      Z21, Z17, Z17
	VMINPD      Z19, Z16, Z16
	VPADDQ      Z31, Z15, Z15
	ADDQ        R15, R14
	DECQ        AX
	JNZ         centres5
	JMP         stored

stored:
	VSQRTPD   Z16, Z16
	VSQRTPD   Z17, Z17
	VMOVDQU64 Z18, (R13)(R9*8)
	VMOVUPD   Z16, (BX)(R9*8)
	VMOVUPD   Z17, (DX)(R9*8)
	ADDQ      $8, R9
	JMP       group

ndone:
	VZEROUPPER
	RET

// func minDistAVX512(xt *float64, stride, n8 int, q *float64, dim int, closest, out *float64, lanes *[8]float64)
//
// minDistGeneric (simd.go), 8 points at a time: minDistLanes for the
// points [0, n8) from lane sums of zero: per 8 points d = the squared
// distance to q (summed over the coordinates in order, without fused
// multiply-adds), out = minpd(d, closest), lanes += out.
TEXT ·minDistAVX512(SB), NOSPLIT, $0-64
	MOVQ xt+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $3, R8
	MOVQ n8+16(FP), CX
	MOVQ q+24(FP), R10
	MOVQ dim+32(FP), R11
	MOVQ closest+40(FP), BX
	MOVQ out+48(FP), DI
	MOVQ lanes+56(FP), DX
	VPXORQ Z18, Z18, Z18
	XORQ   R9, R9

mloop:
	CMPQ        R9, CX
	JAE         mdone
	MOVQ        SI, R14
	MOVQ        R10, R15
	VMOVUPD     (R14)(R9*8), Z19
	VSUBPD.BCST (R15), Z19, Z19
	VMULPD      Z19, Z19, Z19
	MOVQ        R11, AX
	DECQ        AX
	JZ          msum

mcoord:
	ADDQ        R8, R14
	ADDQ        $8, R15
	VMOVUPD     (R14)(R9*8), Z20
	VSUBPD.BCST (R15), Z20, Z20
	VMULPD      Z20, Z20, Z20
	VADDPD      Z20, Z19, Z19
	DECQ        AX
	JNZ         mcoord

msum:
	VMINPD  (BX)(R9*8), Z19, Z19
	VMOVUPD Z19, (DI)(R9*8)
	VADDPD  Z19, Z18, Z18
	ADDQ    $8, R9
	JMP     mloop

mdone:
	VMOVUPD Z18, (DX)
	VZEROUPPER
	RET
