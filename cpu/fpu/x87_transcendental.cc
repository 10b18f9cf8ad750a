// x87 transcendental instructions: FSIN FCOS FSINCOS FPTAN (C2 = 1 when |ST(0)| >= 2^63),
// FPATAN, F2XM1, FYL2X, FYL2XP1 (Intel SDM Vol. 2). The functions are in transcendental.cc.
#include "cpu/fpu/transcendental.h"
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

namespace {

// ST(0) <- f(ST(0)) with the out-of-range rule of the trigonometric instructions.
void trig_unary(Cpu& cpu, const DecodedInsn& d, fp::Trig fn) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0)) {
    set_cc(s, fp::kC2, 0);
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  if (fp::trig_out_of_range(st(s, 0))) {
    set_cc(s, fp::kC1 | fp::kC2, fp::kC2);
    return;
  }
  fp::Ctx ctx{s.control};
  const Float80 r = fp::trig(ctx, fn, st(s, 0));
  if (!ctx.blocked()) set_st(s, 0, r);
  apply_flags(s, ctx.flags);
  set_cc(s, fp::kC2, 0);
}

// FSINCOS and FPTAN: ST(0) <- first, then push second.
void trig_pair(Cpu& cpu, const DecodedInsn& d, bool tangent) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0) || !is_empty(s, 7)) {
    set_cc(s, fp::kC2, 0);
    if (!(is_empty(s, 0) ? stack_underflow(s) : stack_overflow(s))) return;
    set_st(s, 0, fp::kIndefinite);
    push(s, fp::kIndefinite);
    return;
  }
  const Float80 x = st(s, 0);
  if (fp::trig_out_of_range(x)) {
    set_cc(s, fp::kC1 | fp::kC2, fp::kC2);
    return;
  }
  fp::Ctx ctx{s.control};
  Float80 first, second;
  if (tangent) {
    first = fp::trig(ctx, fp::Trig::kTan, x);
    second = fp::make(false, fp::kExpBias, u64{1} << 63);
  } else {
    fp::Ctx cos_ctx{s.control};
    first = fp::trig(ctx, fp::Trig::kSin, x);
    second = fp::trig(cos_ctx, fp::Trig::kCos, x);
    ctx.flags = static_cast<u16>(ctx.flags | (cos_ctx.flags & ~fp::kC1));
  }
  if (!ctx.blocked()) {
    // A NaN operand gives the NaN in both registers.
    if (fp::is_nan(fp::classify(first)) && tangent) second = first;
    set_st(s, 0, first);
    push(s, second);
  }
  apply_flags(s, ctx.flags);
  set_cc(s, fp::kC2, 0);
}

// ST(1) <- f(ST(1), ST(0)), then pop.
template <typename F>
void binary_pop(Cpu& cpu, const DecodedInsn& d, F f) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0) || is_empty(s, 1)) {
    if (!stack_underflow(s)) return;
    set_st(s, 1, fp::kIndefinite);
    pop(s);
    return;
  }
  fp::Ctx ctx{s.control};
  const Float80 r = f(ctx, st(s, 1), st(s, 0));
  if (!ctx.blocked()) {
    set_st(s, 1, r);
    pop(s);
  }
  apply_flags(s, ctx.flags);
}

}  // namespace

void op_fsin(Cpu& cpu, const DecodedInsn& d) { trig_unary(cpu, d, fp::Trig::kSin); }
void op_fcos(Cpu& cpu, const DecodedInsn& d) { trig_unary(cpu, d, fp::Trig::kCos); }
void op_fsincos(Cpu& cpu, const DecodedInsn& d) { trig_pair(cpu, d, false); }
void op_fptan(Cpu& cpu, const DecodedInsn& d) { trig_pair(cpu, d, true); }
void op_fpatan(Cpu& cpu, const DecodedInsn& d) { binary_pop(cpu, d, fp::atan2); }
void op_fyl2x(Cpu& cpu, const DecodedInsn& d) { binary_pop(cpu, d, fp::y_log2_x); }
void op_fyl2xp1(Cpu& cpu, const DecodedInsn& d) { binary_pop(cpu, d, fp::y_log2_xp1); }

void op_f2xm1(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0)) {
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  fp::Ctx ctx{s.control};
  const Float80 r = fp::exp2_minus_1(ctx, st(s, 0));
  if (!ctx.blocked()) set_st(s, 0, r);
  apply_flags(s, ctx.flags);
}

}  // namespace tern
