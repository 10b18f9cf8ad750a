// x87 arithmetic: FADD FMUL FSUB FSUBR FDIV FDIVR in their register, real-memory, integer-memory
// and popping forms, FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM and FPREM1 (Intel SDM Vol. 2).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

namespace {

enum class Arith : u8 { kAdd, kMul, kSub, kSubr, kDiv, kDivr };

Float80 compute(fp::Ctx& ctx, Arith op, Float80 a, Float80 b) {
  switch (op) {
    case Arith::kAdd: return fp::add(ctx, a, b);
    case Arith::kMul: return fp::mul(ctx, a, b);
    case Arith::kSub: return fp::sub(ctx, a, b);
    case Arith::kSubr: return fp::sub(ctx, b, a);
    case Arith::kDiv: return fp::div(ctx, a, b);
    case Arith::kDivr: return fp::div(ctx, b, a);
  }
  return a;
}

// dest <- dest op source. ops[0] is the destination register, ops[1] a register or memory.
void arith(Cpu& cpu, const DecodedInsn& d, Arith op, bool integer, bool pop_after) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  fp::Ctx ctx{s.control};
  const Operand& dst = d.ops[0];
  const Operand& src = d.ops[1];
  Float80 b;
  bool src_empty = false;
  if (src.kind == OperandKind::kMem) {
    b = read_source(cpu, d, 1, integer, ctx);
  } else {
    src_empty = is_empty(s, src.reg);
    b = st(s, src.reg);
  }
  if (is_empty(s, dst.reg) || src_empty) {
    if (!stack_underflow(s)) return;
    set_st(s, dst.reg, fp::kIndefinite);
    if (pop_after) pop(s);
    return;
  }
  const Float80 r = compute(ctx, op, st(s, dst.reg), b);
  if (!ctx.blocked()) {
    set_st(s, dst.reg, r);
    if (pop_after) pop(s);
  }
  apply_flags(s, ctx.flags);
}

// ST(0) <- f(ST(0)).
template <typename F>
void unary(Cpu& cpu, const DecodedInsn& d, F f) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0)) {
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  fp::Ctx ctx{s.control};
  const Float80 r = f(ctx, st(s, 0));
  if (!ctx.blocked()) set_st(s, 0, r);
  apply_flags(s, ctx.flags);
}

void partial_remainder(Cpu& cpu, const DecodedInsn& d, bool round_nearest) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0) || is_empty(s, 1)) {
    set_cc(s, fp::kC2, 0);
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  fp::Ctx ctx{s.control};
  const fp::Remainder r = fp::remainder(ctx, st(s, 0), st(s, 1), round_nearest);
  apply_flags(s, ctx.flags & ~fp::kC1);
  set_cc(s, r.cc_mask, r.cc);
  if (!ctx.blocked()) set_st(s, 0, r.value);
}

}  // namespace

void op_fadd(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kAdd, false, false); }
void op_faddp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kAdd, false, true); }
void op_fiadd(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kAdd, true, false); }
void op_fmul(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kMul, false, false); }
void op_fmulp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kMul, false, true); }
void op_fimul(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kMul, true, false); }
void op_fsub(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSub, false, false); }
void op_fsubp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSub, false, true); }
void op_fisub(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSub, true, false); }
void op_fsubr(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSubr, false, false); }
void op_fsubrp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSubr, false, true); }
void op_fisubr(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kSubr, true, false); }
void op_fdiv(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDiv, false, false); }
void op_fdivp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDiv, false, true); }
void op_fidiv(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDiv, true, false); }
void op_fdivr(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDivr, false, false); }
void op_fdivrp(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDivr, false, true); }
void op_fidivr(Cpu& cpu, const DecodedInsn& d) { arith(cpu, d, Arith::kDivr, true, false); }

void op_fsqrt(Cpu& cpu, const DecodedInsn& d) { unary(cpu, d, fp::sqrt); }
void op_frndint(Cpu& cpu, const DecodedInsn& d) { unary(cpu, d, fp::round_to_int); }

void op_fscale(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0) || is_empty(s, 1)) {
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  fp::Ctx ctx{s.control};
  const Float80 r = fp::scale(ctx, st(s, 0), st(s, 1));
  if (!ctx.blocked()) set_st(s, 0, r);
  apply_flags(s, ctx.flags);
}

void op_fxtract(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0)) {
    if (!stack_underflow(s)) return;
    set_st(s, 0, fp::kIndefinite);
    push(s, fp::kIndefinite);
    return;
  }
  if (!is_empty(s, 7)) {
    if (!stack_overflow(s)) return;
    set_st(s, 0, fp::kIndefinite);
    push(s, fp::kIndefinite);
    return;
  }
  fp::Ctx ctx{s.control};
  const fp::Extracted r = fp::extract(ctx, st(s, 0));
  if (!ctx.blocked()) {
    set_st(s, 0, r.exponent);
    push(s, r.significand);
  }
  apply_flags(s, ctx.flags);
}

void op_fprem(Cpu& cpu, const DecodedInsn& d) { partial_remainder(cpu, d, false); }
void op_fprem1(Cpu& cpu, const DecodedInsn& d) { partial_remainder(cpu, d, true); }

}  // namespace tern
