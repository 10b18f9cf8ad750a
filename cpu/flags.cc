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
#include <bit>

#include "cpu/cpu.h"

namespace tern {

namespace {

u32 size_mask(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

// PF is set when the low byte of the result has an even number of one bits.
constexpr std::array<u8, 256> kEvenParity = [] {
  std::array<u8, 256> t{};
  for (unsigned i = 0; i < 256; ++i) t[i] = (std::popcount(i) & 1) ? 0 : 1;
  return t;
}();

u32 parity_flag(u32 res) { return kEvenParity[res & 0xFF] ? fl::PF : 0; }

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

namespace {

// Conditions straight from the operands of a subtraction (CMP, SUB, NEG, SCAS...): the common
// case of Jcc, SETcc and CMOVcc, without materialising the flags.
bool cond_after_sub(const LazyFlags& lf, u8 cc) {
  const u32 mask = size_mask(lf.size);
  const u32 sign = 1u << (8 * lf.size - 1);
  const u32 a = lf.src1 & mask, b = lf.src2 & mask, res = lf.res & mask;
  // Signed operands: flip the sign bit so that unsigned order is signed order.
  const u32 sa = a ^ sign, sb = b ^ sign;
  bool r;
  switch (cc >> 1) {
    case 0: r = (a ^ b) & (a ^ res) & sign; break;  // O
    case 1: r = a < b; break;                       // B
    case 2: r = res == 0; break;                    // E
    case 3: r = a <= b; break;                      // BE
    case 4: r = res & sign; break;                  // S
    case 5: r = parity_flag(res); break;            // P
    case 6: r = sa < sb; break;                     // L
    default: r = sa <= sb; break;                   // LE
  }
  return (cc & 1) ? !r : r;
}

// After a logical operation CF = OF = 0.
bool cond_after_logic(const LazyFlags& lf, u8 cc) {
  const u32 res = lf.res & size_mask(lf.size);
  const bool zero = res == 0, negative = res & (1u << (8 * lf.size - 1));
  bool r;
  switch (cc >> 1) {
    case 0: case 1: r = false; break;                 // O, B
    case 2: case 3: r = zero; break;                  // E, BE
    case 4: case 6: r = negative; break;              // S, L (SF != OF)
    case 5: r = parity_flag(res); break;              // P
    default: r = zero || negative; break;             // LE
  }
  return (cc & 1) ? !r : r;
}

// After INC/DEC: CF is in eflags, OF means the result just crossed the sign boundary.
bool cond_after_inc_dec(const LazyFlags& lf, u32 eflags, u8 cc) {
  const u32 res = lf.res & size_mask(lf.size);
  const u32 sign = 1u << (8 * lf.size - 1);
  const bool zero = res == 0, negative = res & sign, carry = eflags & fl::CF;
  const bool overflow = res == (lf.op == FlagOp::kInc ? sign : sign - 1);
  bool r;
  switch (cc >> 1) {
    case 0: r = overflow; break;                              // O
    case 1: r = carry; break;                                 // B
    case 2: r = zero; break;                                  // E
    case 3: r = carry || zero; break;                         // BE
    case 4: r = negative; break;                              // S
    case 5: r = parity_flag(res); break;                      // P
    case 6: r = negative != overflow; break;                  // L
    default: r = zero || negative != overflow; break;         // LE
  }
  return (cc & 1) ? !r : r;
}

}  // namespace

bool Cpu::cond(u8 cc) const {
  if (lf.op == FlagOp::kSub) return cond_after_sub(lf, cc);
  if (lf.op == FlagOp::kLogic) return cond_after_logic(lf, cc);
  if (lf.op == FlagOp::kInc || lf.op == FlagOp::kDec) return cond_after_inc_dec(lf, eflags, cc);
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
