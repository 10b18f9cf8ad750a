// Conversions between the register format and the memory formats: single and double real,
// 16/32/64-bit integers and 18-digit packed BCD (Intel SDM Vol. 1 §4.2, §4.7, §8.2; Vol. 2 FLD,
// FST, FILD, FIST, FBLD, FBSTP).
#include "cpu/fpu/float80.h"

namespace tern::fp {

namespace {

// A binary interchange format: significand bits after the point and exponent bits.
struct Format {
  int frac_bits;
  int exp_bits;
  int bias() const { return (1 << (exp_bits - 1)) - 1; }
  u64 exp_mask() const { return (u64{1} << exp_bits) - 1; }
};
constexpr Format kSingle{23, 8};
constexpr Format kDouble{52, 11};

Float80 load_format(Ctx& ctx, u64 bits, Format f) {
  const bool sign = (bits >> (f.frac_bits + f.exp_bits)) & 1;
  const u64 exp = (bits >> f.frac_bits) & f.exp_mask();
  const u64 frac = bits & ((u64{1} << f.frac_bits) - 1);
  const int align = 63 - f.frac_bits;
  if (exp == f.exp_mask()) {
    const Float80 x = make(sign, 0x7FFF, (u64{1} << 63) | (frac << align));
    if (frac == 0) return x;
    if (!((frac >> (f.frac_bits - 1)) & 1)) ctx.raise(kIE);  // SNaN
    return quieten(x);
  }
  if (exp == 0) {
    if (frac == 0) return zero(sign);
    ctx.raise(kDE);
    const int z = std::countl_zero(frac);
    // frac * 2^(1 - bias - frac_bits), normalized.
    const int e = 1 - f.bias() - f.frac_bits + 63 - z;
    return make(sign, static_cast<u16>(e + kExpBias), frac << z);
  }
  return make(sign, static_cast<u16>(static_cast<int>(exp) - f.bias() + kExpBias), (u64{1} << 63) | (frac << align));
}

u64 pack_format(bool sign, u64 biased_exp, u64 frac, Format f) {
  return (u64{sign} << (f.frac_bits + f.exp_bits)) | (biased_exp << f.frac_bits) | frac;
}

// A finite nonzero value rounded to the format's precision and exponent range. Unmasked
// overflow and underflow leave memory unchanged and raise only OE or UE (no PE, no C1).
u64 store_finite(Ctx& ctx, const Parts& p, Format f) {
  const int emin = 1 - f.bias(), emax = f.bias();
  const bool tiny = p.exp < emin;
  if (tiny && !ctx.masked(kUE)) {
    ctx.raise(kUE);
    return 0;
  }
  const u128 sig = tiny ? shift_right_sticky(u128{p.sig} << 64, emin - p.exp) : u128{p.sig} << 64;
  const RoundedSig r = round_significand(ctx.rounding(), p.sign, tiny ? emin : p.exp, sig, f.frac_bits + 1);
  const u64 frac = static_cast<u64>(r.sig >> (127 - f.frac_bits)) & ((u64{1} << f.frac_bits) - 1);
  if (tiny) {
    if (r.inexact) ctx.raise(kUE | kPE | (r.up ? kC1 : 0));
    return pack_format(p.sign, (r.sig >> 127) ? 1 : 0, frac, f);
  }
  if (r.exp > emax) {
    if (!ctx.masked(kOE)) {
      ctx.raise(kOE);
      return 0;
    }
    const Rounding rc = ctx.rounding();
    const bool to_infinity = rc == kNearest || (rc == kUp && !p.sign) || (rc == kDown && p.sign);
    ctx.raise(kOE | kPE | (to_infinity ? kC1 : 0));
    if (to_infinity) return pack_format(p.sign, f.exp_mask(), 0, f);
    return pack_format(p.sign, f.exp_mask() - 1, (u64{1} << f.frac_bits) - 1, f);
  }
  if (r.inexact) ctx.raise(kPE | (r.up ? kC1 : 0));
  return pack_format(p.sign, static_cast<u64>(r.exp + f.bias()), frac, f);
}

u64 store_format(Ctx& ctx, Float80 a, Format f) {
  const Class c = classify(a);
  const u64 quiet_bit = u64{1} << (f.frac_bits - 1);
  switch (c) {
    case Class::kUnsupported:
      ctx.raise(kIE);
      return pack_format(true, f.exp_mask(), quiet_bit, f);
    case Class::kSNaN:
    case Class::kQNaN: {
      if (c == Class::kSNaN) ctx.raise(kIE);
      const u64 frac = (a.signif << 1) >> (64 - f.frac_bits);
      return pack_format(a.sign(), f.exp_mask(), frac | quiet_bit, f);
    }
    case Class::kInfinity: return pack_format(a.sign(), f.exp_mask(), 0, f);
    case Class::kZero: return pack_format(a.sign(), 0, 0, f);
    case Class::kDenormal:
    case Class::kNormal: break;
  }
  return store_finite(ctx, unpack(a), f);
}

// Rounds to an integer for FIST/FBSTP (denormal operands raise no DE there); false (with IE) for NaNs, infinities, unsupported
// encodings and magnitudes above `max_positive` (or `max_positive + 1` when negative and
// `allow_min` is set).
bool integer_value(Ctx& ctx, Float80 a, u64 max_positive, bool allow_min, bool& sign, u64& magnitude) {
  const Class c = classify(a);
  sign = a.sign();
  magnitude = 0;
  if (c == Class::kZero) return true;
  if (c != Class::kNormal && c != Class::kDenormal) {
    ctx.raise(kIE);
    return false;
  }
  const IntegerPart r = round_integer(unpack(a), ctx.rounding());
  const u64 limit = max_positive + ((sign && allow_min) ? 1 : 0);
  if (r.overflow || r.magnitude > limit) {
    ctx.raise(kIE);
    return false;
  }
  if (r.inexact) ctx.raise(kPE | (r.up ? kC1 : 0));
  magnitude = r.magnitude;
  return true;
}

}  // namespace

Float80 from_f32(Ctx& ctx, u32 bits) { return load_format(ctx, bits, kSingle); }
Float80 from_f64(Ctx& ctx, u64 bits) { return load_format(ctx, bits, kDouble); }
u32 to_f32(Ctx& ctx, Float80 a) { return static_cast<u32>(store_format(ctx, a, kSingle)); }
u64 to_f64(Ctx& ctx, Float80 a) { return store_format(ctx, a, kDouble); }

bool store_blocked(const Ctx& ctx) { return ctx.flags & ~ctx.control & (kIE | kDE | kOE | kUE); }

Float80 from_int(i64 value) {
  if (value == 0) return zero(false);
  const bool sign = value < 0;
  const u64 magnitude = sign ? ~static_cast<u64>(value) + 1 : static_cast<u64>(value);
  const int z = std::countl_zero(magnitude);
  return make(sign, static_cast<u16>(kExpBias + 63 - z), magnitude << z);
}

i64 to_int(Ctx& ctx, Float80 a, int bits) {
  const u64 max_positive = (u64{1} << (bits - 1)) - 1;
  bool sign;
  u64 magnitude;
  if (!integer_value(ctx, a, max_positive, true, sign, magnitude)) return static_cast<i64>(~max_positive);
  return sign ? static_cast<i64>(~magnitude + 1) : static_cast<i64>(magnitude);
}

Float80 from_bcd(const u8 bcd[10]) {
  u64 value = 0;
  for (int i = 8; i >= 0; --i) value = value * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 0xF);
  const bool sign = bcd[9] & 0x80;
  if (value == 0) return zero(sign);
  const Float80 x = from_int(static_cast<i64>(value));
  return sign ? negate(x) : x;
}

void to_bcd(Ctx& ctx, Float80 a, u8 out[10]) {
  constexpr u64 kMax = 999'999'999'999'999'999ull;
  bool sign;
  u64 magnitude;
  if (!integer_value(ctx, a, kMax, false, sign, magnitude)) {
    // The packed BCD indefinite (SDM Vol. 1 Table 4-4).
    for (int i = 0; i < 7; ++i) out[i] = 0;
    out[7] = 0xC0;
    out[8] = out[9] = 0xFF;
    return;
  }
  for (int i = 0; i < 9; ++i) {
    const u64 pair = magnitude % 100;
    magnitude /= 100;
    out[i] = static_cast<u8>(((pair / 10) << 4) | (pair % 10));
  }
  out[9] = sign ? 0x80 : 0;
}

}  // namespace tern::fp
