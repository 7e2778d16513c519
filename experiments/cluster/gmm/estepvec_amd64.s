//go:build amd64 && !purego

#include "textflag.h"

// The constants of math.Exp on amd64 (math/exp_amd64.s), written as
// there, and 0.5, 2^-1022 and +Inf.
DATA expc<>+0(SB)/8, $1.4426950408889634073599246810018920 // LOG2E
DATA expc<>+8(SB)/8, $0.69314718055966295651160180568695068359375 // LN2U
DATA expc<>+16(SB)/8, $0.28235290563031577122588448175013436025525412068e-12 // LN2L
DATA expc<>+24(SB)/8, $0.0625
DATA expc<>+32(SB)/8, $2.4801587301587301587e-5
DATA expc<>+40(SB)/8, $1.9841269841269841270e-4
DATA expc<>+48(SB)/8, $1.3888888888888888889e-3
DATA expc<>+56(SB)/8, $8.3333333333333333333e-3
DATA expc<>+64(SB)/8, $4.1666666666666666667e-2
DATA expc<>+72(SB)/8, $1.6666666666666666667e-1
DATA expc<>+80(SB)/8, $0.5
DATA expc<>+88(SB)/8, $1.0
DATA expc<>+96(SB)/8, $2.0
DATA expc<>+104(SB)/8, $7.09782712893384e+02 // Overflow
DATA expc<>+112(SB)/8, $0x7FF0000000000000 // +Inf
DATA expc<>+120(SB)/8, $0x0010000000000000 // 2^-1022
GLOBL expc<>(SB), RODATA|NOPTR, $128

// func colTriAVX512(xt *float64, n8 int, mu *float64, d int, p *float64, kc float64, out *float64)
//
// colTriGo (estepvec.go), 8 rows at a time: t_a = xt[a·n8+i] − mu[a],
// y_b = t_0 p_0b + … + t_b p_bb (VMULPD then VADDPD, never fused),
// q = 0 + y_0² + …, out = kc − 0.5·q. The t_a are recomputed for every
// column b; that gives the same bits and keeps the loop free of the
// dimension.
//
// Registers: SI xt, R8 the row stride in bytes, DI mu, R9 d, BX p, DX out,
// Z10 kc, Z11 0.5, R10 the row index, Z0 q, Z2 y_b.
TEXT ·colTriAVX512(SB), NOSPLIT, $0-56
	MOVQ xt+0(FP), SI
	MOVQ n8+8(FP), CX
	MOVQ CX, R8
	SHLQ $3, R8
	MOVQ mu+16(FP), DI
	MOVQ d+24(FP), R9
	MOVQ p+32(FP), BX
	VBROADCASTSD kc+40(FP), Z10
	MOVQ out+48(FP), DX
	VBROADCASTSD expc<>+80(SB), Z11
	XORQ R10, R10

ctRows:
	CMPQ R10, CX
	JAE  ctDone
	LEAQ (SI)(R10*8), R11 // &xt[i]
	MOVQ BX, R12          // column b of P
	XORQ R13, R13         // b
	VPXORQ Z0, Z0, Z0

ctCol:
	CMPQ R13, R9
	JAE  ctFinish
	VMOVUPD     (R11), Z1
	VSUBPD.BCST (DI), Z1, Z1
	VMULPD.BCST (R12), Z1, Z2 // y = t_0 p_0b
	MOVQ        $1, R14       // a
	LEAQ        (R11)(R8*1), AX

ctInner:
	CMPQ        R14, R13
	JA          ctEndInner
	VMOVUPD     (AX), Z1
	VSUBPD.BCST (DI)(R14*8), Z1, Z1
	VMULPD.BCST (R12)(R14*8), Z1, Z1
	VADDPD      Z1, Z2, Z2 // y += t_a p_ab
	INCQ        R14
	ADDQ        R8, AX
	JMP         ctInner

ctEndInner:
	VMULPD Z2, Z2, Z2
	VADDPD Z2, Z0, Z0 // q += y²
	LEAQ   8(R12)(R13*8), R12
	INCQ   R13
	JMP    ctCol

ctFinish:
	VMULPD  Z11, Z0, Z0
	VSUBPD  Z0, Z10, Z0
	VMOVUPD Z0, (DX)(R10*8)
	ADDQ    $8, R10
	JMP     ctRows

ctDone:
	VZEROUPPER
	RET

// func expShiftAVX512(w *float64, k int, mx *float64, n8 int, s *float64)
//
// expShiftGo (estepvec.go), 8 rows at a time, component by component:
// z = exp(w − mx) replaces w and s = 0 + z_0 + … + z_(k−1). The
// exponential is the FMA branch of math/exp_amd64.s in every lane,
// instruction for instruction, with its special cases as masks: the
// exponent e = round(x·log2 e) + 1023 (32-bit, as CVTSD2SL and ADDL give
// it) scales by 2^(e−1023) when 0 < e < 2047, by 2^(e−1)·2^−1022 when
// −52 <= e <= 0, gives 0 when e < −52 and +Inf when e >= 2047; then
// x > Overflow gives +Inf and a NaN x gives x (±Inf need no case of their
// own: +Inf exceeds Overflow and −Inf converts to the integer indefinite,
// so e < −52).
//
// Registers: Z16-Z31 the float constants, Z9 zero, Z12 1023 (dwords),
// Z13 −52, Z14 2047, Z15 1022 (quadwords); SI w, R8 the stride in bytes,
// DI mx, DX s, R9 k, R10 the row index, Z8 mx, Z7 s, Z0 x, Z3 the result.
TEXT ·expShiftAVX512(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ k+8(FP), R9
	MOVQ mx+16(FP), DI
	MOVQ n8+24(FP), CX
	MOVQ CX, R8
	SHLQ $3, R8
	MOVQ s+32(FP), DX
	VBROADCASTSD expc<>+0(SB), Z16
	VBROADCASTSD expc<>+8(SB), Z17
	VBROADCASTSD expc<>+16(SB), Z18
	VBROADCASTSD expc<>+24(SB), Z19
	VBROADCASTSD expc<>+32(SB), Z20
	VBROADCASTSD expc<>+40(SB), Z21
	VBROADCASTSD expc<>+48(SB), Z22
	VBROADCASTSD expc<>+56(SB), Z23
	VBROADCASTSD expc<>+64(SB), Z24
	VBROADCASTSD expc<>+72(SB), Z25
	VBROADCASTSD expc<>+80(SB), Z26
	VBROADCASTSD expc<>+88(SB), Z27
	VBROADCASTSD expc<>+96(SB), Z28
	VBROADCASTSD expc<>+104(SB), Z29
	VBROADCASTSD expc<>+112(SB), Z30
	VBROADCASTSD expc<>+120(SB), Z31
	VPXORQ       Z9, Z9, Z9
	MOVQ         $0x3FF, AX
	VPBROADCASTD AX, Z12
	MOVQ         $-52, AX
	VPBROADCASTQ AX, Z13
	MOVQ         $0x7FF, AX
	VPBROADCASTQ AX, Z14
	MOVQ         $0x3FE, AX
	VPBROADCASTQ AX, Z15
	XORQ         R10, R10

esRows:
	CMPQ    R10, CX
	JAE     esDone
	VMOVUPD (DI)(R10*8), Z8
	VPXORQ  Z7, Z7, Z7
	LEAQ    (SI)(R10*8), R11
	MOVQ    R9, R12

esComp:
	VMOVUPD (R11), Z0
	VSUBPD  Z8, Z0, Z0 // x = w − mx

	VMULPD       Z16, Z0, Z1 // x·LOG2E
	VCVTPD2DQ    Z1, Y2      // exponent
	VCVTDQ2PD    Y2, Z1
	VMOVAPD      Z0, Z3
	VFNMADD231PD Z17, Z1, Z3
	VFNMADD231PD Z18, Z1, Z3
	VMULPD       Z19, Z3, Z3 // reduce argument
	VMOVAPD      Z20, Z4     // Taylor series evaluation
	VFMADD213PD  Z21, Z3, Z4
	VFMADD213PD  Z22, Z3, Z4
	VFMADD213PD  Z23, Z3, Z4
	VFMADD213PD  Z24, Z3, Z4
	VFMADD213PD  Z25, Z3, Z4
	VFMADD213PD  Z26, Z3, Z4
	VFMADD213PD  Z27, Z3, Z4
	VMULPD       Z4, Z3, Z3
	VADDPD       Z28, Z3, Z4
	VMULPD       Z4, Z3, Z3
	VADDPD       Z28, Z3, Z4
	VMULPD       Z4, Z3, Z3
	VADDPD       Z28, Z3, Z4
	VMULPD       Z4, Z3, Z3
	VADDPD       Z28, Z3, Z4
	VFMADD213PD  Z27, Z4, Z3

	// ldexp
	VPADDD    Z12, Z2, Z2 // e = exponent + 1023, 32-bit
	VPMOVSXDQ Y2, Z5
	VPCMPQ    $2, Z9, Z5, K1  // e <= 0: denormal
	VPCMPQ    $1, Z13, Z5, K2 // e < −52: underflow
	VPCMPQ    $5, Z14, Z5, K3 // e >= 2047: overflow
	VPADDQ    Z15, Z5, K1, Z5 // denormal: e + 1022
	VPSLLQ    $52, Z5, Z5
	VMULPD    Z5, Z3, Z3
	VMULPD    Z31, Z3, K1, Z3 // denormal: ·2^−1022
	VMOVAPD   Z9, K2, Z3
	VMOVAPD   Z30, K3, Z3
	VCMPPD    $0x1e, Z29, Z0, K4 // x > Overflow
	VMOVAPD   Z30, K4, Z3
	VCMPPD    $3, Z0, Z0, K5     // x is NaN
	VMOVAPD   Z0, K5, Z3

	VMOVUPD Z3, (R11)
	VADDPD  Z3, Z7, Z7 // s += z
	ADDQ    R8, R11
	DECQ    R12
	JNZ     esComp

	VMOVUPD Z7, (DX)(R10*8)
	ADDQ    $8, R10
	JMP     esRows

esDone:
	VZEROUPPER
	RET

// func sumsAVX512(xp, resp *float64, n, k int, acc *float64)
//
// sumsVecGo (mstepvec.go): for every row (in order) and component with
// r ≠ 0 (the bits of r without the sign are not all zero), the 8 lanes of
// acc[c] get acc + r·x.
TEXT ·sumsAVX512(SB), NOSPLIT, $0-40
	MOVQ xp+0(FP), SI
	MOVQ resp+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ k+24(FP), R9
	MOVQ acc+32(FP), DX
	XORQ R10, R10

smRows:
	CMPQ    R10, CX
	JAE     smDone
	VMOVUPD (SI), Z0
	XORQ    R11, R11
	MOVQ    DX, R12

smComp:
	CMPQ         R11, R9
	JAE          smNext
	MOVQ         (DI)(R11*8), AX
	SHLQ         $1, AX
	JZ           smSkip
	VBROADCASTSD (DI)(R11*8), Z1
	VMULPD       Z0, Z1, Z1 // r·x
	VMOVUPD      (R12), Z2
	VADDPD       Z1, Z2, Z2 // acc + r·x
	VMOVUPD      Z2, (R12)

smSkip:
	INCQ R11
	ADDQ $64, R12
	JMP  smComp

smNext:
	ADDQ $64, SI
	LEAQ (DI)(R9*8), DI
	INCQ R10
	JMP  smRows

smDone:
	VZEROUPPER
	RET

// func covSumsAVX512(xp, resp *float64, n, k int, means8 *float64, idx *int64, nv int, acc *float64)
//
// covSumsVecGo (mstepvec.go): for every row (in order) and component with
// r ≠ 0, t = x − μ_c and u = r·t; then for each of the nv vectors of
// entries, acc + u[A]·t[B] with the lanes picked by VPERMPD.
//
// Registers: SI the row, DI its responsibilities, BX means8, R13 the A
// indices, R14 the B indices, R8 the bytes of one component's
// accumulators (64·nv), R12 those of component c.
TEXT ·covSumsAVX512(SB), NOSPLIT, $0-64
	MOVQ xp+0(FP), SI
	MOVQ resp+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ k+24(FP), R9
	MOVQ means8+32(FP), BX
	MOVQ idx+40(FP), R13
	MOVQ nv+48(FP), R8
	SHLQ $6, R8
	LEAQ (R13)(R8*1), R14
	MOVQ acc+56(FP), DX
	XORQ R10, R10

csRows:
	CMPQ    R10, CX
	JAE     csDone
	VMOVUPD (SI), Z0
	XORQ    R11, R11
	MOVQ    DX, R12

csComp:
	CMPQ         R11, R9
	JAE          csNext
	MOVQ         (DI)(R11*8), AX
	SHLQ         $1, AX
	JZ           csSkip
	VBROADCASTSD (DI)(R11*8), Z5
	MOVQ         R11, AX
	SHLQ         $6, AX
	VSUBPD       (BX)(AX*1), Z0, Z1 // t = x − μ
	VMULPD       Z1, Z5, Z2         // u = r·t
	XORQ         AX, AX

csVec:
	CMPQ      AX, R8
	JAE       csSkip
	VMOVDQU64 (R13)(AX*1), Z6
	VMOVDQU64 (R14)(AX*1), Z7
	VPERMPD   Z2, Z6, Z3 // u[A]
	VPERMPD   Z1, Z7, Z4 // t[B]
	VMULPD    Z4, Z3, Z3
	VMOVUPD   (R12)(AX*1), Z4
	VADDPD    Z3, Z4, Z4 // acc + u[A]·t[B]
	VMOVUPD   Z4, (R12)(AX*1)
	ADDQ      $64, AX
	JMP       csVec

csSkip:
	INCQ R11
	ADDQ R8, R12
	JMP  csComp

csNext:
	ADDQ $64, SI
	LEAQ (DI)(R9*8), DI
	INCQ R10
	JMP  csRows

csDone:
	VZEROUPPER
	RET
