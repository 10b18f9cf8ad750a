// Operations on the integer part and the exponent: FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1, and
// comparison (Intel SDM Vol. 2 for each instruction, Vol. 1 §8.1.3.3 for the condition codes).
#include "cpu/fpu/float80.h"

#include <utility>

namespace tern::fp {

namespace {

}  // namespace

IntegerPart round_integer(Parts p, Rounding rc) {
  if (p.exp >= 64) return {0, false, false, true};
  // The value as a 64.64 fixed-point number, bits shifted out folded into the sticky bit.
  const u128 fixed = shift_right_sticky(u128{p.sig} << 64, 63 - p.exp);
  const u64 integer = static_cast<u64>(fixed >> 64), frac = static_cast<u64>(fixed);
  bool up = false;
  if (frac) {
    switch (rc) {
      case kNearest: up = frac > (u64{1} << 63) || (frac == (u64{1} << 63) && (integer & 1)); break;
      case kDown: up = p.sign; break;
      case kUp: up = !p.sign; break;
      case kTowardZero: break;
    }
  }
  const u64 magnitude = integer + up;
  return {magnitude, frac != 0, up, up && magnitude == 0};
}

Float80 round_to_int(Ctx& ctx, Float80 a) {
  Float80 nan;
  if (propagate_nan(ctx, a, nan)) return nan;
  const Class c = classify(a);
  if (c == Class::kZero || c == Class::kInfinity) return a;
  if (denormal_stop(ctx, c)) return a;
  const Parts p = unpack(a);
  if (p.exp >= 63) return a;
  const IntegerPart r = round_integer(p, ctx.rounding());
  if (r.inexact) ctx.raise(kPE | (r.up ? kC1 : 0));
  return normalize_round_pack(ctx, p.sign, 127, r.magnitude, 64);
}

Float80 scale(Ctx& ctx, Float80 a, Float80 b) {
  Float80 nan;
  if (propagate_nan(ctx, a, b, nan)) return nan;
  const Class ca = classify(a), cb = classify(b);
  if (cb == Class::kInfinity) {
    if (!b.sign()) {
      if (ca == Class::kZero) return invalid(ctx);
      if (denormal_stop(ctx, ca)) return a;
      return infinity(a.sign());
    }
    if (ca == Class::kInfinity) return invalid(ctx);
    if (denormal_stop(ctx, ca)) return a;
    return zero(a.sign());
  }
  if (denormal_stop(ctx, ca, cb)) return a;
  if (ca == Class::kZero || ca == Class::kInfinity) return a;
  // The scale is ST(1) truncated toward zero; beyond 2^30 any value overflows or underflows.
  int n = 0;
  if (cb != Class::kZero) {
    const Parts pb = unpack(b);
    const int magnitude = pb.exp >= 30 ? 1 << 30 : pb.exp < 0 ? 0 : static_cast<int>(pb.sig >> (63 - pb.exp));
    n = pb.sign ? -magnitude : magnitude;
  }
  const Parts pa = unpack(a);
  return round_pack(ctx, pa.sign, pa.exp + n, u128{pa.sig} << 64, 64);
}

Extracted extract(Ctx& ctx, Float80 a) {
  Float80 nan;
  if (propagate_nan(ctx, a, nan)) return {nan, nan};
  const Class c = classify(a);
  if (c == Class::kZero) {
    ctx.raise(kZE);
    return {infinity(true), a};
  }
  if (c == Class::kInfinity) return {infinity(false), a};
  if (denormal_stop(ctx, c)) return {a, a};
  const Parts p = unpack(a);
  return {from_int(p.exp), make(p.sign, kExpBias, p.sig)};
}

Remainder remainder(Ctx& ctx, Float80 a, Float80 b, bool round_nearest) {
  Float80 nan;
  // NaN and invalid results clear C2 and leave C0 C1 C3 alone.
  if (propagate_nan(ctx, a, b, nan)) return {nan, 0, kC2};
  const Class ca = classify(a), cb = classify(b);
  if (ca == Class::kInfinity || cb == Class::kZero) return {invalid(ctx), 0, kC2};
  if (denormal_stop(ctx, ca, cb)) return {a, 0, kC2};
  constexpr u16 kAll = kC0 | kC1 | kC2 | kC3;
  if (ca == Class::kZero) return {a, 0, kAll};
  if (cb == Class::kInfinity) {
    const Parts x = unpack(a);
    return {round_pack(ctx, x.sign, x.exp, u128{x.sig} << 64, 64), 0, kAll};
  }
  const Parts x = unpack(a), y = unpack(b);
  const int diff = x.exp - y.exp;
  if (diff < (round_nearest ? -1 : 0)) return {normalize_round_pack(ctx, x.sign, x.exp + 64, x.sig, 64), 0, kAll};
  // A partial remainder when the exponents are 64 or more apart: reduce the difference to a
  // value N in 32..63 and report C2 = 1 (SDM Vol. 2 FPREM).
  const bool partial = diff >= 64;
  const int shift = partial ? 32 | (diff & 31) : diff;
  // a and b as integers in units of 2^unit.
  u128 num = u128{x.sig}, den = u128{y.sig};
  int unit = x.exp - 63;
  if (shift >= 0) {
    num <<= shift;
    unit -= shift;
  } else {
    den <<= 1;
  }
  u64 q = static_cast<u64>(num / den);
  u128 r = num % den;
  bool sign = x.sign;
  if (round_nearest && !partial && (2 * r > den || (2 * r == den && (q & 1)))) {
    r = den - r;
    ++q;
    sign = !sign;
  }
  Float80 value = r == 0 ? zero(x.sign) : normalize_round_pack(ctx, sign, unit + 127, r, 64);
  if (partial) return {value, kC2, kAll};
  const u16 cc = static_cast<u16>(((q & 4) ? kC0 : 0) | ((q & 2) ? kC3 : 0) | ((q & 1) ? kC1 : 0));
  return {value, cc, kAll};
}

Order compare(Ctx& ctx, Float80 a, Float80 b, bool quiet) {
  const Class ca = classify(a), cb = classify(b);
  if (ca == Class::kUnsupported || cb == Class::kUnsupported) {
    ctx.raise(kIE);
    return Order::kUnordered;
  }
  if (is_nan(ca) || is_nan(cb)) {
    if (!quiet || ca == Class::kSNaN || cb == Class::kSNaN) ctx.raise(kIE);
    return Order::kUnordered;
  }
  // An unmasked DE still lets the comparison set the condition codes.
  denormal_stop(ctx, ca, cb);
  if (ca == Class::kZero && cb == Class::kZero) return Order::kEqual;
  if (a.sign() != b.sign()) {
    if (ca == Class::kZero) return b.sign() ? Order::kGreater : Order::kLess;
    if (cb == Class::kZero) return a.sign() ? Order::kLess : Order::kGreater;
    return a.sign() ? Order::kLess : Order::kGreater;
  }
  // Same sign: compare magnitudes as (exponent, significand) pairs.
  auto key = [](Float80 x, Class c) -> std::pair<int, u64> {
    if (c == Class::kZero) return {-100000, 0};
    if (c == Class::kInfinity) return {100000, 0};
    const Parts p = unpack(x);
    return {p.exp, p.sig};
  };
  const auto ka = key(a, ca), kb = key(b, cb);
  if (ka == kb) return Order::kEqual;
  const bool a_bigger = ka > kb;
  return a_bigger != a.sign() ? Order::kGreater : Order::kLess;
}

}  // namespace tern::fp
