// Lazy arithmetic flags: instructions record operands and result; the six arithmetic flags are
// computed only when something reads them (Jcc, PUSHF, ADC, ...).
//
// The undefined-flag model. Where the Intel SDM calls a flag undefined, tern follows one model:
// the P6 core (Pentium Pro, Pentium II and their successors), as tabulated by sandpile.org
// ("rFLAGS", "undefined integer FLAGS behavior", P6 column). On that core most undefined flags
// are simply left unchanged:
// - AND OR XOR TEST: AF cleared (FlagOp::kLogic).
// - MUL IMUL: SF ZF AF PF unchanged; DIV IDIV: all six unchanged (ops/muldiv.cc).
// - Shifts and rotates: AF unchanged after a non-zero count, OF unchanged unless the masked
//   count is 1 (ops/shift.cc, which also documents the CF and SHLD/SHRD corner cases).
// - BT BTS BTR BTC: OF SF AF PF unchanged; BSF BSR: all but ZF unchanged, and the destination
//   unchanged for a zero source (ops/bit.cc).
// - DAA DAS AAA AAS AAM AAD: see ops/bcd.cc.
// tests/unit/test_cpu_ops.cc compares these flags with the host CPU when it is an Intel one.
#include <array>
#include <utility>

#include "cpu/condition.h"
#include "cpu/cpu.h"

namespace tern {

u32 Cpu::arith_flags() const {
  if (lf.op == FlagOp::kNone) return eflags & fl::kArith;
  return condition::sign_zero_parity(lf.res, lf.size) | condition::aux_and_overflow(*this) |
         (condition::carry(*this) ? fl::CF : 0);
}

bool Cpu::cf() const { return condition::carry(*this); }

u32 Cpu::get_eflags() const { return (eflags & ~fl::kArith) | arith_flags() | fl::kFixedOne; }

void Cpu::set_eflags(u32 value, u32 mask) {
  mask &= fl::kWritable;
  eflags = ((get_eflags() & ~mask) | (value & mask)) | fl::kFixedOne;
  lf.op = FlagOp::kNone;
}

namespace {

template <u8... kCc>
constexpr std::array<bool (*)(const Cpu&), 16> make_conditions(std::integer_sequence<u8, kCc...>) {
  return {&condition::holds<kCc>...};
}

constexpr auto kConditions = make_conditions(std::make_integer_sequence<u8, 16>{});

}  // namespace

bool Cpu::cond(u8 cc) const { return kConditions[cc & 15](*this); }

}  // namespace tern
