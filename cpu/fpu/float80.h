// Software 80-bit extended-precision arithmetic with the x87's exact behaviour: precision control,
// the four rounding modes, denormals, pseudo-denormals, unsupported encodings, NaN propagation and
// the six exception flags with their masked responses (Intel SDM Vol. 1 §4.8, §4.9, §8.5).
//
// Only integer arithmetic is used, so every host computes the same bits. Each operation takes a
// Ctx holding the control word and accumulates status bits (IE DE ZE OE UE PE, and C1 for "rounded
// up") in ctx.flags. When a pre-computation exception (IE, DE, ZE) is unmasked the returned value
// is meaningless and the caller must leave its destination alone (Ctx::blocked()); unmasked
// overflow and underflow return the result with its exponent bias-adjusted by 24576 (§8.5.4/5).
#pragma once

#include <bit>

#include "base/types.h"
#include "cpu/fpu/x87_state.h"

namespace tern::fp {

using u128 = unsigned __int128;

// Status word bits (Intel SDM Vol. 1 §8.1.3).
inline constexpr u16 kIE = 1u << 0;
inline constexpr u16 kDE = 1u << 1;
inline constexpr u16 kZE = 1u << 2;
inline constexpr u16 kOE = 1u << 3;
inline constexpr u16 kUE = 1u << 4;
inline constexpr u16 kPE = 1u << 5;
inline constexpr u16 kSF = 1u << 6;
inline constexpr u16 kES = 1u << 7;
inline constexpr u16 kC0 = 1u << 8;
inline constexpr u16 kC1 = 1u << 9;
inline constexpr u16 kC2 = 1u << 10;
inline constexpr u16 kC3 = 1u << 14;
inline constexpr u16 kB = 1u << 15;
inline constexpr u16 kExceptions = kIE | kDE | kZE | kOE | kUE | kPE;

// Rounding control (control word bits 11:10).
enum Rounding : u8 { kNearest = 0, kDown = 1, kUp = 2, kTowardZero = 3 };

inline constexpr int kExpBias = 16383;
inline constexpr int kMinExp = -16382;  // unbiased exponent of the smallest normal
inline constexpr int kMaxExp = 16383;
inline constexpr int kBiasAdjust = 24576;  // unmasked overflow/underflow (SDM Vol. 1 §8.5.4)

// The QNaN floating-point indefinite, the masked response to invalid operations.
inline constexpr Float80 kIndefinite{0xC000000000000000ull, 0xFFFF};

enum class Class : u8 { kZero, kNormal, kDenormal, kInfinity, kQNaN, kSNaN, kUnsupported };

// Denormal covers pseudo-denormals (exponent 0, integer bit set); unsupported covers unnormals,
// pseudo-infinities and pseudo-NaNs (SDM Vol. 1 §8.2.2).
Class classify(Float80 x);
inline bool is_nan(Class c) { return c == Class::kQNaN || c == Class::kSNaN; }

struct Ctx {
  u16 control;
  u16 flags = 0;
  // An operand was widened from a denormal single or double real: it counts as a denormal
  // operand although its register-format value is normal.
  bool denormal_source = false;

  Rounding rounding() const { return static_cast<Rounding>((control >> 10) & 3); }
  // Significand bits of results of the PC-controlled operations: 24, 53 or 64 (PC = 01 is
  // reserved; the P6 rounds it as 64 bits).
  int precision() const {
    const unsigned pc = (control >> 8) & 3;
    return pc == 0 ? 24 : pc == 2 ? 53 : 64;
  }
  bool masked(u16 exception) const { return control & exception; }
  void raise(u16 bits) { flags |= bits; }
  // True when an unmasked invalid, denormal or zero-divide exception means the destination must
  // not be written.
  bool blocked() const { return flags & ~control & (kIE | kDE | kZE); }
};

// Raises DE for denormal operands (after the NaN and invalid checks, SDM Vol. 1 §4.9.2); true
// when DE is unmasked and the operation must stop.
inline bool denormal_stop(Ctx& ctx, Class a, Class b = Class::kZero) {
  if (a != Class::kDenormal && b != Class::kDenormal && !ctx.denormal_source) return false;
  ctx.raise(kDE);
  return !ctx.masked(kDE);
}

// A finite nonzero value unpacked and normalized: (-1)^sign * sig * 2^(exp - 63), sig bit 63 set.
struct Parts {
  bool sign;
  int exp;
  u64 sig;
};
Parts unpack(Float80 x);

inline Float80 make(bool sign, u16 biased_exp, u64 sig) {
  return Float80{sig, static_cast<u16>((sign ? 0x8000 : 0) | biased_exp)};
}
inline Float80 zero(bool sign) { return make(sign, 0, 0); }
inline Float80 infinity(bool sign) { return make(sign, 0x7FFF, 0x8000000000000000ull); }
inline Float80 negate(Float80 x) { return Float80{x.signif, static_cast<u16>(x.sign_exp ^ 0x8000)}; }
inline Float80 quieten(Float80 x) { return Float80{x.signif | 0x4000000000000000ull, x.sign_exp}; }

// Shifts right by n (any n >= 0), ORing every bit shifted out into bit 0.
inline u128 shift_right_sticky(u128 v, int n) {
  if (n <= 0) return v;
  if (n >= 128) return v != 0;
  return (v >> n) | ((v << (128 - n)) != 0);
}
inline int clz128(u128 v) {
  const u64 hi = static_cast<u64>(v >> 64);
  return hi ? std::countl_zero(hi) : 64 + std::countl_zero(static_cast<u64>(v));
}

// A significand rounded at `precision` bits below bit 127 (denormalized inputs included): the
// kept bits, the exponent (incremented when rounding carried out of bit 127), and whether bits
// were discarded and whether the magnitude was rounded up.
struct RoundedSig {
  u128 sig;
  int exp;
  bool inexact, up;
};
RoundedSig round_significand(Rounding rc, bool sign, int exp, u128 sig, int precision);

// Rounds (-1)^sign * sig * 2^(exp - 127) (sig has bit 127 set; lower bits carry the sticky
// information) to `precision` bits in the register format, raising OE/UE/PE and C1 as the x87
// does.
Float80 round_pack(Ctx& ctx, bool sign, int exp, u128 sig, int precision);
// Same for a value given as an unnormalized u128 (zero allowed: returns a signed zero).
Float80 normalize_round_pack(Ctx& ctx, bool sign, int exp, u128 sig, int precision);

// The result of an operation on a NaN or unsupported operand, with IE for SNaNs and unsupported
// encodings. Returns false when neither operand is a NaN or unsupported.
bool propagate_nan(Ctx& ctx, Float80 a, Float80 b, Float80& out);
bool propagate_nan(Ctx& ctx, Float80 a, Float80& out);
// The masked response to an invalid operation.
Float80 invalid(Ctx& ctx);

// Arithmetic (float80_arith.cc). Precision control applies to add, mul, div and sqrt.
Float80 add(Ctx& ctx, Float80 a, Float80 b);
Float80 sub(Ctx& ctx, Float80 a, Float80 b);
Float80 mul(Ctx& ctx, Float80 a, Float80 b);
Float80 div(Ctx& ctx, Float80 a, Float80 b);
Float80 sqrt(Ctx& ctx, Float80 a);
Float80 round_to_int(Ctx& ctx, Float80 a);  // FRNDINT
Float80 scale(Ctx& ctx, Float80 a, Float80 b);  // FSCALE: a * 2^trunc(b)

// Rounds a finite value to an integer magnitude by `rc`; `overflow` when it reaches 2^64.
struct IntegerPart {
  u64 magnitude;
  bool inexact, up, overflow;
};
IntegerPart round_integer(Parts p, Rounding rc);

// FPREM (round_nearest false) and FPREM1: the partial remainder and the condition codes
// C0 C1 C2 C3 in Intel's positions.
struct Remainder {
  Float80 value;
  u16 cc;
  u16 cc_mask;  // the condition codes the instruction writes
};
Remainder remainder(Ctx& ctx, Float80 a, Float80 b, bool round_nearest);

// FXTRACT: exponent and significand.
struct Extracted {
  Float80 exponent, significand;
};
Extracted extract(Ctx& ctx, Float80 a);

// Comparison; `quiet` (FUCOM) raises IE only for SNaNs and unsupported operands.
enum class Order : u8 { kLess, kEqual, kGreater, kUnordered };
Order compare(Ctx& ctx, Float80 a, Float80 b, bool quiet);

// Conversions (float80_convert.cc).
Float80 from_f32(Ctx& ctx, u32 bits);
Float80 from_f64(Ctx& ctx, u64 bits);
Float80 from_int(i64 value);
// Rounding stores to memory formats. Unmasked overflow/underflow/invalid leave memory unchanged:
// the caller checks store_blocked().
u32 to_f32(Ctx& ctx, Float80 a);
u64 to_f64(Ctx& ctx, Float80 a);
bool store_blocked(const Ctx& ctx);
// FIST: rounds to a `bits`-bit integer (16, 32, 64); out of range or NaN gives IE and the
// integer indefinite (0x8000...).
i64 to_int(Ctx& ctx, Float80 a, int bits);
// FBLD / FBSTP: 18-digit packed BCD (10 bytes, byte 9 bit 7 is the sign).
Float80 from_bcd(const u8 bcd[10]);
void to_bcd(Ctx& ctx, Float80 a, u8 out[10]);

}  // namespace tern::fp
