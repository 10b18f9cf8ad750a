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
#include <bit>

#include "cpu/cpu.h"

namespace tern {

namespace {

u32 size_mask(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

u32 parity_flag(u32 res) { return (std::popcount(res & 0xFF) & 1) ? 0 : fl::PF; }

}  // namespace

u32 Cpu::arith_flags() const {
  if (lf.op == FlagOp::kNone) return eflags & fl::kArith;
  const u32 mask = size_mask(lf.size);
  const u32 sign = 1u << (8 * lf.size - 1);
  const u32 res = lf.res & mask, s1 = lf.src1 & mask, s2 = lf.src2 & mask;
  u32 f = parity_flag(res);
  if (res == 0) f |= fl::ZF;
  if (res & sign) f |= fl::SF;
  switch (lf.op) {
    case FlagOp::kAdd:
    case FlagOp::kAdc:
    case FlagOp::kInc:
      if (lf.op == FlagOp::kInc ? (eflags & fl::CF) : lf.op == FlagOp::kAdd ? res < s1 : res <= s1) f |= fl::CF;
      if ((s1 ^ s2 ^ res) & 0x10) f |= fl::AF;
      if ((s1 ^ res) & (s2 ^ res) & sign) f |= fl::OF;
      break;
    case FlagOp::kSub:
    case FlagOp::kSbb:
    case FlagOp::kDec:
      if (lf.op == FlagOp::kDec ? (eflags & fl::CF) : lf.op == FlagOp::kSub ? s1 < s2 : s1 <= s2) f |= fl::CF;
      if ((s1 ^ s2 ^ res) & 0x10) f |= fl::AF;
      if ((s1 ^ s2) & (s1 ^ res) & sign) f |= fl::OF;
      break;
    case FlagOp::kLogic:
    case FlagOp::kNone:
      break;
  }
  return f;
}

bool Cpu::cf() const {
  switch (lf.op) {
    case FlagOp::kNone:
    case FlagOp::kInc:
    case FlagOp::kDec:
      return eflags & fl::CF;
    case FlagOp::kLogic:
      return false;
    default:
      return arith_flags() & fl::CF;
  }
}

u32 Cpu::get_eflags() const { return (eflags & ~fl::kArith) | arith_flags() | fl::kFixedOne; }

void Cpu::set_eflags(u32 value, u32 mask) {
  mask &= fl::kWritable;
  eflags = ((get_eflags() & ~mask) | (value & mask)) | fl::kFixedOne;
  lf.op = FlagOp::kNone;
}

bool Cpu::cond(u8 cc) const {
  const u32 f = arith_flags();
  bool r;
  switch (cc >> 1) {
    case 0: r = f & fl::OF; break;
    case 1: r = f & fl::CF; break;
    case 2: r = f & fl::ZF; break;
    case 3: r = f & (fl::CF | fl::ZF); break;
    case 4: r = f & fl::SF; break;
    case 5: r = f & fl::PF; break;
    case 6: r = !(f & fl::SF) != !(f & fl::OF); break;
    default: r = (f & fl::ZF) || (!(f & fl::SF) != !(f & fl::OF)); break;
  }
  return (cc & 1) ? !r : r;
}

}  // namespace tern
