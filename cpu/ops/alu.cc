// ADD OR ADC SBB AND SUB XOR CMP TEST NOT NEG INC DEC, each written once over operand accessors
// (operands.h) and instantiated for the register, memory and immediate forms.
#include "cpu/condition.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"
#include "cpu/ops/operands.h"

namespace tern {

namespace {

using namespace operand;

// A binary operation: its result, how it leaves the flags, and whether it stores the result
// (CMP and TEST only set flags).
struct Add {
  static constexpr FlagOp kFlags = FlagOp::kAdd;
  static constexpr bool kStore = true;
  static u32 apply(u32 a, u32 b) { return a + b; }
};
struct Or {
  static constexpr FlagOp kFlags = FlagOp::kLogic;
  static constexpr bool kStore = true;
  static u32 apply(u32 a, u32 b) { return a | b; }
};
struct And {
  static constexpr FlagOp kFlags = FlagOp::kLogic;
  static constexpr bool kStore = true;
  static u32 apply(u32 a, u32 b) { return a & b; }
};
struct Sub {
  static constexpr FlagOp kFlags = FlagOp::kSub;
  static constexpr bool kStore = true;
  static u32 apply(u32 a, u32 b) { return a - b; }
};
struct Xor {
  static constexpr FlagOp kFlags = FlagOp::kLogic;
  static constexpr bool kStore = true;
  static u32 apply(u32 a, u32 b) { return a ^ b; }
};
struct Cmp : Sub {
  static constexpr bool kStore = false;
};
struct Test : And {
  static constexpr bool kStore = false;
};

template <class Operation, class Dst, class Src>
struct Binary {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 a = Dst::read(cpu, d, 0);
    const u32 b = Src::read(cpu, d, 1);
    const u32 r = Operation::apply(a, b);
    if constexpr (Operation::kStore) Dst::write(cpu, d, 0, r);
    cpu.set_lazy(Operation::kFlags, Dst::size(d, 0), a, b, r);
  }
};

// ADC and SBB also add or subtract CF; without a carry in, their flags are those of ADD and SUB.
template <bool kSubtract, class Dst, class Src>
struct WithCarry {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 carry = condition::carry(cpu) ? 1 : 0;
    const u32 a = Dst::read(cpu, d, 0);
    const u32 b = Src::read(cpu, d, 1);
    const u32 r = kSubtract ? a - b - carry : a + b + carry;
    Dst::write(cpu, d, 0, r);
    const FlagOp kind = kSubtract ? (carry ? FlagOp::kSbb : FlagOp::kSub) : (carry ? FlagOp::kAdc : FlagOp::kAdd);
    cpu.set_lazy(kind, Dst::size(d, 0), a, b, r);
  }
};

template <class D, class S> using AddForm = Binary<Add, D, S>;
template <class D, class S> using OrForm = Binary<Or, D, S>;
template <class D, class S> using AndForm = Binary<And, D, S>;
template <class D, class S> using SubForm = Binary<Sub, D, S>;
template <class D, class S> using XorForm = Binary<Xor, D, S>;
template <class D, class S> using CmpForm = Binary<Cmp, D, S>;
template <class D, class S> using TestForm = Binary<Test, D, S>;
template <class D, class S> using AdcForm = WithCarry<false, D, S>;
template <class D, class S> using SbbForm = WithCarry<true, D, S>;

template <class Dst>
struct Not {
  static void run(Cpu& cpu, const DecodedInsn& d) { Dst::write(cpu, d, 0, ~Dst::read(cpu, d, 0)); }
};

template <class Dst>
struct Neg {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 a = Dst::read(cpu, d, 0);
    Dst::write(cpu, d, 0, 0 - a);
    cpu.set_lazy(FlagOp::kSub, Dst::size(d, 0), 0, a, 0 - a);
  }
};

// INC and DEC leave CF alone: it is kept in eflags while the other flags are lazy.
template <bool kIncrement, class Dst>
struct IncDec {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 a = Dst::read(cpu, d, 0);
    const u32 r = kIncrement ? a + 1 : a - 1;
    Dst::write(cpu, d, 0, r);
    const bool carry = condition::carry(cpu);
    cpu.eflags = (cpu.eflags & ~fl::CF) | (carry ? fl::CF : 0);
    cpu.set_lazy(kIncrement ? FlagOp::kInc : FlagOp::kDec, Dst::size(d, 0), a, 1, r);
  }
};

template <class D> using IncForm = IncDec<true, D>;
template <class D> using DecForm = IncDec<false, D>;

}  // namespace

void op_add(Cpu& cpu, const DecodedInsn& d) { AddForm<Any, Any>::run(cpu, d); }
void op_or(Cpu& cpu, const DecodedInsn& d) { OrForm<Any, Any>::run(cpu, d); }
void op_adc(Cpu& cpu, const DecodedInsn& d) { AdcForm<Any, Any>::run(cpu, d); }
void op_sbb(Cpu& cpu, const DecodedInsn& d) { SbbForm<Any, Any>::run(cpu, d); }
void op_and(Cpu& cpu, const DecodedInsn& d) { AndForm<Any, Any>::run(cpu, d); }
void op_sub(Cpu& cpu, const DecodedInsn& d) { SubForm<Any, Any>::run(cpu, d); }
void op_xor(Cpu& cpu, const DecodedInsn& d) { XorForm<Any, Any>::run(cpu, d); }
void op_cmp(Cpu& cpu, const DecodedInsn& d) { CmpForm<Any, Any>::run(cpu, d); }
void op_test(Cpu& cpu, const DecodedInsn& d) { TestForm<Any, Any>::run(cpu, d); }
void op_not(Cpu& cpu, const DecodedInsn& d) { Not<Any>::run(cpu, d); }
void op_neg(Cpu& cpu, const DecodedInsn& d) { Neg<Any>::run(cpu, d); }
void op_inc(Cpu& cpu, const DecodedInsn& d) { IncForm<Any>::run(cpu, d); }
void op_dec(Cpu& cpu, const DecodedInsn& d) { DecForm<Any>::run(cpu, d); }

Handler alu_form_handler(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kAdd: return pick<AddForm>(d);
    case Op::kOr: return pick<OrForm>(d);
    case Op::kAdc: return pick<AdcForm>(d);
    case Op::kSbb: return pick<SbbForm>(d);
    case Op::kAnd: return pick<AndForm>(d);
    case Op::kSub: return pick<SubForm>(d);
    case Op::kXor: return pick<XorForm>(d);
    case Op::kCmp: return pick<CmpForm>(d);
    case Op::kTest: return pick<TestForm>(d);
    case Op::kNot: return pick_one<Not>(d);
    case Op::kNeg: return pick_one<Neg>(d);
    case Op::kInc: return pick_one<IncForm>(d);
    case Op::kDec: return pick_one<DecForm>(d);
    default: return nullptr;
  }
}

}  // namespace tern
