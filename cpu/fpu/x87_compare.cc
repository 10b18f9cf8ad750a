// x87 comparisons into the condition codes (FCOM FUCOM FICOM FTST and their popping forms), into
// EFLAGS (FCOMI FUCOMI and popping forms), and FXAM (Intel SDM Vol. 2; Vol. 1 Table 8-6).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

namespace {

// C3 C2 C0 for each order (C1 cleared).
u16 order_cc(fp::Order o) {
  switch (o) {
    case fp::Order::kGreater: return 0;
    case fp::Order::kLess: return fp::kC0;
    case fp::Order::kEqual: return fp::kC3;
    case fp::Order::kUnordered: return fp::kC3 | fp::kC2 | fp::kC0;
  }
  return 0;
}

// ZF PF CF for FCOMI (OF SF AF cleared).
u32 order_eflags(fp::Order o) {
  switch (o) {
    case fp::Order::kGreater: return 0;
    case fp::Order::kLess: return fl::CF;
    case fp::Order::kEqual: return fl::ZF;
    case fp::Order::kUnordered: return fl::ZF | fl::PF | fl::CF;
  }
  return 0;
}

enum class Source : u8 { kOperand, kIntOperand, kSt1, kZero };

// Compares ST(0) with the source into `order` (unordered on a stack fault) and returns whether
// the instruction may pop: the condition codes are set even when an unmasked invalid, denormal or
// stack-fault exception stops it, as the P6 and later do, but nothing is popped then.
bool compare_st0(Cpu& cpu, const DecodedInsn& d, Source source, bool quiet, fp::Order& order) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  fp::Ctx ctx{s.control};
  Float80 b = fp::zero(false);
  bool src_empty = false;
  if (source == Source::kSt1) {
    src_empty = is_empty(s, 1);
    b = st(s, 1);
  } else if (source != Source::kZero) {
    const Operand& src = d.ops[1];
    if (src.kind == OperandKind::kMem) {
      b = read_source(cpu, d, 1, source == Source::kIntOperand, ctx);
    } else {
      src_empty = is_empty(s, src.reg);
      b = st(s, src.reg);
    }
  }
  order = fp::Order::kUnordered;
  if (is_empty(s, 0) || src_empty) return stack_underflow(s);
  order = fp::compare(ctx, st(s, 0), b, quiet);
  apply_flags(s, ctx.flags);
  return !ctx.blocked();
}

void fcom(Cpu& cpu, const DecodedInsn& d, Source source, bool quiet, int pops) {
  fp::Order order;
  const bool may_pop = compare_st0(cpu, d, source, quiet, order);
  set_cc(cpu.fpu, kCcMask, order_cc(order));
  if (may_pop)
    for (int i = 0; i < pops; ++i) pop(cpu.fpu);
}

// FCOMI leaves C1 alone unless the stack faults.
void fcomi(Cpu& cpu, const DecodedInsn& d, bool quiet, bool pop_after) {
  fp::Order order;
  const u16 c1 = cpu.fpu.status & fp::kC1;
  const bool faulted = is_empty(cpu.fpu, 0) || is_empty(cpu.fpu, d.ops[1].reg);
  const bool may_pop = compare_st0(cpu, d, Source::kOperand, quiet, order);
  if (!faulted) set_cc(cpu.fpu, fp::kC1, c1);
  cpu.set_arith(order_eflags(order));
  if (may_pop && pop_after) pop(cpu.fpu);
}

}  // namespace

void op_fcom(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kOperand, false, 0); }
void op_fcomp(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kOperand, false, 1); }
void op_fcompp(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kSt1, false, 2); }
void op_ficom(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kIntOperand, false, 0); }
void op_ficomp(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kIntOperand, false, 1); }
void op_fucom(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kOperand, true, 0); }
void op_fucomp(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kOperand, true, 1); }
void op_fucompp(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kSt1, true, 2); }
void op_ftst(Cpu& cpu, const DecodedInsn& d) { fcom(cpu, d, Source::kZero, false, 0); }

void op_fcomi(Cpu& cpu, const DecodedInsn& d) { fcomi(cpu, d, false, false); }
void op_fcomip(Cpu& cpu, const DecodedInsn& d) { fcomi(cpu, d, false, true); }
void op_fucomi(Cpu& cpu, const DecodedInsn& d) { fcomi(cpu, d, true, false); }
void op_fucomip(Cpu& cpu, const DecodedInsn& d) { fcomi(cpu, d, true, true); }

void op_fxam(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const Float80 v = st(s, 0);
  u16 cc = v.sign() ? fp::kC1 : 0;
  if (is_empty(s, 0)) {
    cc |= fp::kC3 | fp::kC0;
  } else {
    switch (fp::classify(v)) {
      case fp::Class::kUnsupported: break;
      case fp::Class::kQNaN:
      case fp::Class::kSNaN: cc |= fp::kC0; break;
      case fp::Class::kNormal: cc |= fp::kC2; break;
      case fp::Class::kInfinity: cc |= fp::kC2 | fp::kC0; break;
      case fp::Class::kZero: cc |= fp::kC3; break;
      case fp::Class::kDenormal: cc |= fp::kC3 | fp::kC2; break;
    }
  }
  set_cc(s, kCcMask, cc);
}

}  // namespace tern
