// x87 opcode rows: the D8-DF escapes (Intel SDM Vol. 2 Appendix A.4, "Escape Opcode
// Instructions"), FXSAVE/FXRSTOR (0F AE /0 /1). Memory forms select on ModRM.reg; register forms
// on ModRM.reg and, for the fixed forms such as D9 E8 FLD1, on ModRM.rm. The undocumented
// register aliases of the P6 (FCOM2 FCOMP3 FXCH4 FCOMP5 FFREEP FXCH7 FSTP8 FSTP9) decode as the
// operations they duplicate; FSTP1 (D9 D8+i) has its own operation. Encodings without a row (D9 D1, DB E5, the FISTTP memory forms
// of SSE3, ...) are #UD.
#include "cpu/opcode_table.h"

namespace tern {

namespace {

using S = Spec;

// A memory form: ModRM.reg selects the operation, the spec the operand size.
constexpr OpcodeRow mem(u16 esc, i8 reg, Op op, S a, S b = S::kNone) {
  return OpcodeRow{esc, reg, -1, op, a, b, S::kNone, kModMem};
}
// A register form with ST(i) from ModRM.rm.
constexpr OpcodeRow sti(u16 esc, i8 reg, Op op, S a, S b = S::kNone) {
  return OpcodeRow{esc, reg, -1, op, a, b, S::kNone, kModReg};
}
// A register form with a fixed ModRM byte.
constexpr OpcodeRow fixed(u16 esc, u8 modrm, Op op) {
  return OpcodeRow{esc, static_cast<i8>((modrm >> 3) & 7), static_cast<i8>(modrm & 7), op, S::kNone, S::kNone,
                   S::kNone, kModReg};
}

// The eight arithmetic operations of D8/DC/DA/DE memory forms, in ModRM.reg order.
#define ARITH_MEM(esc, m, add, mul, com, comp, sub, subr, div, divr)                         \
  mem(esc, 0, add, S::ST0, m), mem(esc, 1, mul, S::ST0, m), mem(esc, 2, com, S::ST0, m),    \
  mem(esc, 3, comp, S::ST0, m), mem(esc, 4, sub, S::ST0, m), mem(esc, 5, subr, S::ST0, m), \
  mem(esc, 6, div, S::ST0, m), mem(esc, 7, divr, S::ST0, m)

constexpr OpcodeRow kRows[] = {
    // D8: ST(0) op m32real / ST(0) op ST(i).
    ARITH_MEM(0xD8, S::Md, Op::kFadd, Op::kFmul, Op::kFcom, Op::kFcomp, Op::kFsub, Op::kFsubr, Op::kFdiv, Op::kFdivr),
    sti(0xD8, 0, Op::kFadd, S::ST0, S::STi), sti(0xD8, 1, Op::kFmul, S::ST0, S::STi),
    sti(0xD8, 2, Op::kFcom, S::ST0, S::STi), sti(0xD8, 3, Op::kFcomp, S::ST0, S::STi),
    sti(0xD8, 4, Op::kFsub, S::ST0, S::STi), sti(0xD8, 5, Op::kFsubr, S::ST0, S::STi),
    sti(0xD8, 6, Op::kFdiv, S::ST0, S::STi), sti(0xD8, 7, Op::kFdivr, S::ST0, S::STi),

    // D9: loads, stores, environment, control word; register forms by ModRM byte.
    mem(0xD9, 0, Op::kFld, S::Md), mem(0xD9, 2, Op::kFst, S::Md), mem(0xD9, 3, Op::kFstp, S::Md),
    mem(0xD9, 4, Op::kFldenv, S::Menv), mem(0xD9, 5, Op::kFldcw, S::Mw),
    mem(0xD9, 6, Op::kFnstenv, S::Menv), mem(0xD9, 7, Op::kFnstcw, S::Mw),
    sti(0xD9, 0, Op::kFld, S::STi), sti(0xD9, 1, Op::kFxch, S::STi), fixed(0xD9, 0xD0, Op::kFnop),
    sti(0xD9, 3, Op::kFstp1, S::STi),
    fixed(0xD9, 0xE0, Op::kFchs), fixed(0xD9, 0xE1, Op::kFabs), fixed(0xD9, 0xE4, Op::kFtst),
    fixed(0xD9, 0xE5, Op::kFxam),
    fixed(0xD9, 0xE8, Op::kFld1), fixed(0xD9, 0xE9, Op::kFldl2t), fixed(0xD9, 0xEA, Op::kFldl2e),
    fixed(0xD9, 0xEB, Op::kFldpi), fixed(0xD9, 0xEC, Op::kFldlg2), fixed(0xD9, 0xED, Op::kFldln2),
    fixed(0xD9, 0xEE, Op::kFldz),
    fixed(0xD9, 0xF0, Op::kF2xm1), fixed(0xD9, 0xF1, Op::kFyl2x), fixed(0xD9, 0xF2, Op::kFptan),
    fixed(0xD9, 0xF3, Op::kFpatan), fixed(0xD9, 0xF4, Op::kFxtract), fixed(0xD9, 0xF5, Op::kFprem1),
    fixed(0xD9, 0xF6, Op::kFdecstp), fixed(0xD9, 0xF7, Op::kFincstp),
    fixed(0xD9, 0xF8, Op::kFprem), fixed(0xD9, 0xF9, Op::kFyl2xp1), fixed(0xD9, 0xFA, Op::kFsqrt),
    fixed(0xD9, 0xFB, Op::kFsincos), fixed(0xD9, 0xFC, Op::kFrndint), fixed(0xD9, 0xFD, Op::kFscale),
    fixed(0xD9, 0xFE, Op::kFsin), fixed(0xD9, 0xFF, Op::kFcos),

    // DA: ST(0) op m32int; FCMOVcc; FUCOMPP.
    ARITH_MEM(0xDA, S::Md, Op::kFiadd, Op::kFimul, Op::kFicom, Op::kFicomp, Op::kFisub, Op::kFisubr, Op::kFidiv,
              Op::kFidivr),
    sti(0xDA, 0, Op::kFcmov, S::ST0, S::STi), sti(0xDA, 1, Op::kFcmov, S::ST0, S::STi),
    sti(0xDA, 2, Op::kFcmov, S::ST0, S::STi), sti(0xDA, 3, Op::kFcmov, S::ST0, S::STi),
    fixed(0xDA, 0xE9, Op::kFucompp),

    // DB: m32int and m80real loads and stores; FCMOVNcc; FNCLEX FNINIT; FUCOMI FCOMI.
    mem(0xDB, 0, Op::kFild, S::Md), mem(0xDB, 2, Op::kFist, S::Md), mem(0xDB, 3, Op::kFistp, S::Md),
    mem(0xDB, 5, Op::kFld, S::Mt), mem(0xDB, 7, Op::kFstp, S::Mt),
    sti(0xDB, 0, Op::kFcmov, S::ST0, S::STi), sti(0xDB, 1, Op::kFcmov, S::ST0, S::STi),
    sti(0xDB, 2, Op::kFcmov, S::ST0, S::STi), sti(0xDB, 3, Op::kFcmov, S::ST0, S::STi),
    // FENI, FDISI and FSETPM were 8087/80287 instructions; the P6 executes them as no-ops.
    fixed(0xDB, 0xE0, Op::kFnopLegacy), fixed(0xDB, 0xE1, Op::kFnopLegacy), fixed(0xDB, 0xE2, Op::kFnclex),
    fixed(0xDB, 0xE3, Op::kFninit), fixed(0xDB, 0xE4, Op::kFnopLegacy),
    sti(0xDB, 5, Op::kFucomi, S::ST0, S::STi), sti(0xDB, 6, Op::kFcomi, S::ST0, S::STi),

    // DC: ST(0) op m64real; ST(i) op ST(0) (note the swapped SUB/SUBR and DIV/DIVR encodings).
    ARITH_MEM(0xDC, S::Mq, Op::kFadd, Op::kFmul, Op::kFcom, Op::kFcomp, Op::kFsub, Op::kFsubr, Op::kFdiv, Op::kFdivr),
    sti(0xDC, 0, Op::kFadd, S::STi, S::ST0), sti(0xDC, 1, Op::kFmul, S::STi, S::ST0),
    sti(0xDC, 2, Op::kFcom, S::ST0, S::STi), sti(0xDC, 3, Op::kFcomp, S::ST0, S::STi),
    sti(0xDC, 4, Op::kFsubr, S::STi, S::ST0), sti(0xDC, 5, Op::kFsub, S::STi, S::ST0),
    sti(0xDC, 6, Op::kFdivr, S::STi, S::ST0), sti(0xDC, 7, Op::kFdiv, S::STi, S::ST0),

    // DD: m64real loads and stores, FRSTOR FNSAVE FNSTSW; FFREE FST FSTP FUCOM FUCOMP.
    mem(0xDD, 0, Op::kFld, S::Mq), mem(0xDD, 2, Op::kFst, S::Mq), mem(0xDD, 3, Op::kFstp, S::Mq),
    mem(0xDD, 4, Op::kFrstor, S::Mstate), mem(0xDD, 6, Op::kFnsave, S::Mstate), mem(0xDD, 7, Op::kFnstsw, S::Mw),
    sti(0xDD, 0, Op::kFfree, S::STi), sti(0xDD, 1, Op::kFxch, S::STi), sti(0xDD, 2, Op::kFst, S::STi),
    sti(0xDD, 3, Op::kFstp, S::STi), sti(0xDD, 4, Op::kFucom, S::ST0, S::STi),
    sti(0xDD, 5, Op::kFucomp, S::ST0, S::STi),

    // DE: ST(0) op m16int; popping register forms.
    ARITH_MEM(0xDE, S::Mw, Op::kFiadd, Op::kFimul, Op::kFicom, Op::kFicomp, Op::kFisub, Op::kFisubr, Op::kFidiv,
              Op::kFidivr),
    sti(0xDE, 0, Op::kFaddp, S::STi, S::ST0), sti(0xDE, 1, Op::kFmulp, S::STi, S::ST0),
    sti(0xDE, 2, Op::kFcomp, S::ST0, S::STi), fixed(0xDE, 0xD9, Op::kFcompp),
    sti(0xDE, 4, Op::kFsubrp, S::STi, S::ST0), sti(0xDE, 5, Op::kFsubp, S::STi, S::ST0),
    sti(0xDE, 6, Op::kFdivrp, S::STi, S::ST0), sti(0xDE, 7, Op::kFdivp, S::STi, S::ST0),

    // DF: m16int and m64int loads and stores, packed BCD; FNSTSW AX, FUCOMIP FCOMIP.
    mem(0xDF, 0, Op::kFild, S::Mw), mem(0xDF, 2, Op::kFist, S::Mw), mem(0xDF, 3, Op::kFistp, S::Mw),
    mem(0xDF, 4, Op::kFbld, S::Mt), mem(0xDF, 5, Op::kFild, S::Mq), mem(0xDF, 6, Op::kFbstp, S::Mt),
    mem(0xDF, 7, Op::kFistp, S::Mq),
    sti(0xDF, 0, Op::kFfreep, S::STi), sti(0xDF, 1, Op::kFxch, S::STi), sti(0xDF, 2, Op::kFstp, S::STi),
    sti(0xDF, 3, Op::kFstp, S::STi), fixed(0xDF, 0xE0, Op::kFnstswAx),
    sti(0xDF, 5, Op::kFucomip, S::ST0, S::STi), sti(0xDF, 6, Op::kFcomip, S::ST0, S::STi),

    // 0F AE /0 /1: FXSAVE, FXRSTOR (512-byte area).
    mem(0x0FAE, 0, Op::kFxsave, S::Mfx), mem(0x0FAE, 1, Op::kFxrstor, S::Mfx),
};

#undef ARITH_MEM

}  // namespace

std::span<const OpcodeRow> x87_opcode_rows() { return kRows; }

}  // namespace tern
