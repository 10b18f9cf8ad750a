// ADD OR ADC SBB AND SUB XOR CMP TEST NOT NEG INC DEC.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

// dst = dst OP src with lazily recorded flags. `write_back` is false for CMP and TEST.
template <class F>
void binary(Cpu& cpu, const DecodedInsn& d, FlagOp kind, bool write_back, F f) {
  const u32 a = cpu.read_op(d, 0);
  const u32 b = cpu.read_op(d, 1);
  const u32 r = f(a, b);
  if (write_back) cpu.write_op(d, 0, r);
  cpu.set_lazy(kind, d.ops[0].size, a, b, r);
}

}  // namespace

void op_add(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kAdd, true, [](u32 a, u32 b) { return a + b; }); }
void op_or(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kLogic, true, [](u32 a, u32 b) { return a | b; }); }
void op_and(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kLogic, true, [](u32 a, u32 b) { return a & b; }); }
void op_sub(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kSub, true, [](u32 a, u32 b) { return a - b; }); }
void op_xor(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kLogic, true, [](u32 a, u32 b) { return a ^ b; }); }
void op_cmp(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kSub, false, [](u32 a, u32 b) { return a - b; }); }
void op_test(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, FlagOp::kLogic, false, [](u32 a, u32 b) { return a & b; }); }

void op_adc(Cpu& cpu, const DecodedInsn& d) {
  const u32 carry = cpu.cf() ? 1 : 0;
  binary(cpu, d, carry ? FlagOp::kAdc : FlagOp::kAdd, true, [carry](u32 a, u32 b) { return a + b + carry; });
}

void op_sbb(Cpu& cpu, const DecodedInsn& d) {
  const u32 borrow = cpu.cf() ? 1 : 0;
  binary(cpu, d, borrow ? FlagOp::kSbb : FlagOp::kSub, true, [borrow](u32 a, u32 b) { return a - b - borrow; });
}

void op_not(Cpu& cpu, const DecodedInsn& d) { cpu.write_op(d, 0, ~cpu.read_op(d, 0)); }

void op_neg(Cpu& cpu, const DecodedInsn& d) {
  const u32 a = cpu.read_op(d, 0);
  cpu.write_op(d, 0, 0 - a);
  cpu.set_lazy(FlagOp::kSub, d.ops[0].size, 0, a, 0 - a);
}

namespace {

// INC and DEC leave CF alone: it is kept in eflags while the other flags are lazy.
void inc_dec(Cpu& cpu, const DecodedInsn& d, bool inc) {
  const u32 a = cpu.read_op(d, 0);
  const u32 r = inc ? a + 1 : a - 1;
  cpu.write_op(d, 0, r);
  const bool carry = cpu.cf();
  cpu.eflags = (cpu.eflags & ~fl::CF) | (carry ? fl::CF : 0);
  cpu.set_lazy(inc ? FlagOp::kInc : FlagOp::kDec, d.ops[0].size, a, 1, r);
}

}  // namespace

void op_inc(Cpu& cpu, const DecodedInsn& d) { inc_dec(cpu, d, true); }
void op_dec(Cpu& cpu, const DecodedInsn& d) { inc_dec(cpu, d, false); }

}  // namespace tern
