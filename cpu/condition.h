// Condition codes (Jcc, SETcc, CMOVcc, LOOPcc) and CF evaluated straight from the lazy flag state
// (cpu/flags.cc), without materialising EFLAGS: after CMP/SUB, logical operations and INC/DEC,
// the common cases, a condition is one or two compares. Templated on the condition so that the
// decoder can pick a handler per condition code (cpu/ops/control.cc, data.cc).
#pragma once

#include <array>
#include <bit>

#include "cpu/cpu.h"

namespace tern::condition {

inline constexpr std::array<u8, 256> kEvenParity = [] {
  std::array<u8, 256> t{};
  for (unsigned i = 0; i < 256; ++i) t[i] = (std::popcount(i) & 1) ? 0 : 1;
  return t;
}();

inline u32 size_mask(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

// Condition codes in the order of the Jcc opcodes; odd codes are the negations.
enum Cc : u8 { kO, kNo, kB, kAe, kE, kNe, kBe, kA, kS, kNs, kP, kNp, kL, kGe, kLe, kG };

// CF of the lazy state.
inline bool carry(const Cpu& cpu) {
  const LazyFlags& lf = cpu.lf;
  const u32 mask = size_mask(lf.size);
  switch (lf.op) {
    case FlagOp::kSub: return (lf.src1 & mask) < (lf.src2 & mask);
    case FlagOp::kSbb: return (lf.src1 & mask) <= (lf.src2 & mask);
    case FlagOp::kAdd: return (lf.res & mask) < (lf.src1 & mask);
    case FlagOp::kAdc: return (lf.res & mask) <= (lf.src1 & mask);
    case FlagOp::kLogic: return false;
    default: return cpu.eflags & fl::CF;  // kNone, kInc, kDec keep CF in eflags
  }
}

// AF and OF of the lazy state.
inline u32 aux_and_overflow(const Cpu& cpu) {
  const LazyFlags& lf = cpu.lf;
  const u32 mask = size_mask(lf.size);
  const u32 sign = 1u << (8 * lf.size - 1);
  const u32 a = lf.src1 & mask, b = lf.src2 & mask, res = lf.res & mask;
  u32 f = ((a ^ b ^ res) & 0x10) ? fl::AF : 0;
  switch (lf.op) {
    case FlagOp::kAdd:
    case FlagOp::kAdc:
    case FlagOp::kInc: return f | (((a ^ res) & (b ^ res) & sign) ? fl::OF : 0);
    case FlagOp::kSub:
    case FlagOp::kSbb:
    case FlagOp::kDec: return f | (((a ^ b) & (a ^ res) & sign) ? fl::OF : 0);
    case FlagOp::kLogic: return 0;
    default: return cpu.eflags & (fl::AF | fl::OF);  // kNone
  }
}

// SF ZF PF of a result of `size` bytes.
inline u32 sign_zero_parity(u32 res, u8 size) {
  res &= size_mask(size);
  u32 f = kEvenParity[res & 0xFF] ? fl::PF : 0;
  if (res == 0) f |= fl::ZF;
  if (res & (1u << (8 * size - 1))) f |= fl::SF;
  return f;
}

// Whether condition kCc (without its negation bit) holds.
template <u8 kTest>
bool test(const Cpu& cpu) {
  const LazyFlags& lf = cpu.lf;
  const u32 mask = size_mask(lf.size);
  const u32 sign = 1u << (8 * lf.size - 1);
  const u32 res = lf.res & mask;
  if (lf.op == FlagOp::kSub) {
    const u32 a = lf.src1 & mask, b = lf.src2 & mask;
    if constexpr (kTest == kO) return (a ^ b) & (a ^ res) & sign;
    if constexpr (kTest == kB) return a < b;
    if constexpr (kTest == kE) return res == 0;
    if constexpr (kTest == kBe) return a <= b;
    if constexpr (kTest == kS) return res & sign;
    if constexpr (kTest == kP) return kEvenParity[res & 0xFF];
    if constexpr (kTest == kL) return (a ^ sign) < (b ^ sign);  // signed order
    if constexpr (kTest == kLe) return (a ^ sign) <= (b ^ sign);
  }
  if (lf.op == FlagOp::kLogic || lf.op == FlagOp::kInc || lf.op == FlagOp::kDec) {
    // Logical operations clear CF and OF; INC/DEC keep CF in eflags and overflow exactly when
    // the result lands on the far side of the sign boundary.
    const bool logic = lf.op == FlagOp::kLogic;
    const bool cf = !logic && (cpu.eflags & fl::CF);
    const bool of = !logic && res == (lf.op == FlagOp::kInc ? sign : sign - 1);
    const bool zf = res == 0, sf = res & sign;
    if constexpr (kTest == kO) return of;
    if constexpr (kTest == kB) return cf;
    if constexpr (kTest == kE) return zf;
    if constexpr (kTest == kBe) return cf || zf;
    if constexpr (kTest == kS) return sf;
    if constexpr (kTest == kP) return kEvenParity[res & 0xFF];
    if constexpr (kTest == kL) return sf != of;
    if constexpr (kTest == kLe) return zf || sf != of;
  }
  const u32 f = cpu.arith_flags();
  const bool sf = f & fl::SF, of = f & fl::OF;
  if constexpr (kTest == kO) return of;
  if constexpr (kTest == kB) return f & fl::CF;
  if constexpr (kTest == kE) return f & fl::ZF;
  if constexpr (kTest == kBe) return f & (fl::CF | fl::ZF);
  if constexpr (kTest == kS) return sf;
  if constexpr (kTest == kP) return f & fl::PF;
  if constexpr (kTest == kL) return sf != of;
  if constexpr (kTest == kLe) return (f & fl::ZF) || sf != of;
  return false;
}

template <u8 kCc>
bool holds(const Cpu& cpu) {
  return (kCc & 1) ? !test<static_cast<u8>(kCc & ~1u)>(cpu) : test<kCc>(cpu);
}

// H<kCc>::run for d.cc: the decoder's choice of a per-condition handler.
template <template <u8> class H>
Handler by_code(u8 cc) {
  static constexpr Handler kHandlers[16] = {
      &H<0>::run, &H<1>::run, &H<2>::run,  &H<3>::run,  &H<4>::run,  &H<5>::run,  &H<6>::run,  &H<7>::run,
      &H<8>::run, &H<9>::run, &H<10>::run, &H<11>::run, &H<12>::run, &H<13>::run, &H<14>::run, &H<15>::run};
  return kHandlers[cc & 15];
}

}  // namespace tern::condition
