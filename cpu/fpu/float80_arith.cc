// Extended-precision add, subtract, multiply, divide and square root: exact integer results
// rounded once by round_pack, with the x87's special-operand rules (SDM Vol. 1 §4.9.1, §8.5 and
// the "FPU exceptions" tables of each instruction in Vol. 2).
#include "cpu/fpu/float80.h"

#include <utility>

namespace tern::fp {

namespace {

// Rounds a finite operand to the context precision (x + 0, 0 * x results keep PC rounding).
Float80 round_operand(Ctx& ctx, Float80 x, int precision) {
  const Parts p = unpack(x);
  return round_pack(ctx, p.sign, p.exp, u128{p.sig} << 64, precision);
}

Float80 add_signed(Ctx& ctx, Float80 a, Float80 b, bool negate_b) {
  Float80 nan;
  if (propagate_nan(ctx, a, b, nan)) return nan;
  if (negate_b) b = negate(b);
  const Class ca = classify(a), cb = classify(b);
  if (ca == Class::kInfinity || cb == Class::kInfinity) {
    if (ca == Class::kInfinity && cb == Class::kInfinity && a.sign() != b.sign()) return invalid(ctx);
    if (denormal_stop(ctx, ca, cb)) return a;
    return ca == Class::kInfinity ? a : b;
  }
  if (denormal_stop(ctx, ca, cb)) return a;
  const int precision = ctx.precision();
  if (ca == Class::kZero && cb == Class::kZero) {
    const bool sign = a.sign() == b.sign() ? a.sign() : ctx.rounding() == kDown;
    return zero(sign);
  }
  if (ca == Class::kZero) return round_operand(ctx, b, precision);
  if (cb == Class::kZero) return round_operand(ctx, a, precision);

  Parts x = unpack(a), y = unpack(b);
  if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) std::swap(x, y);
  // Significands at bits 126..63: bit 127 takes the carry, 63 bits below keep alignment exact.
  const u128 big = u128{x.sig} << 63;
  const u128 small = shift_right_sticky(u128{y.sig} << 63, x.exp - y.exp);
  if (x.sign == y.sign) return normalize_round_pack(ctx, x.sign, x.exp + 1, big + small, precision);
  const u128 diff = big - small;
  if (diff == 0) return zero(ctx.rounding() == kDown);
  return normalize_round_pack(ctx, x.sign, x.exp + 1, diff, precision);
}

}  // namespace

Float80 add(Ctx& ctx, Float80 a, Float80 b) { return add_signed(ctx, a, b, false); }
Float80 sub(Ctx& ctx, Float80 a, Float80 b) { return add_signed(ctx, a, b, true); }

Float80 mul(Ctx& ctx, Float80 a, Float80 b) {
  Float80 nan;
  if (propagate_nan(ctx, a, b, nan)) return nan;
  const Class ca = classify(a), cb = classify(b);
  const bool sign = a.sign() != b.sign();
  if (ca == Class::kInfinity || cb == Class::kInfinity) {
    if (ca == Class::kZero || cb == Class::kZero) return invalid(ctx);
    if (denormal_stop(ctx, ca, cb)) return a;
    return infinity(sign);
  }
  if (denormal_stop(ctx, ca, cb)) return a;
  if (ca == Class::kZero || cb == Class::kZero) return zero(sign);
  const Parts x = unpack(a), y = unpack(b);
  const u128 product = u128{x.sig} * y.sig;  // in [2^126, 2^128)
  return normalize_round_pack(ctx, sign, x.exp + y.exp + 1, product, ctx.precision());
}

Float80 div(Ctx& ctx, Float80 a, Float80 b) {
  Float80 nan;
  if (propagate_nan(ctx, a, b, nan)) return nan;
  const Class ca = classify(a), cb = classify(b);
  const bool sign = a.sign() != b.sign();
  if (ca == Class::kInfinity) {
    if (cb == Class::kInfinity) return invalid(ctx);
    if (denormal_stop(ctx, cb)) return a;
    return infinity(sign);
  }
  if (cb == Class::kInfinity) {
    if (denormal_stop(ctx, ca)) return a;
    return zero(sign);
  }
  if (cb == Class::kZero) {
    if (ca == Class::kZero) return invalid(ctx);
    ctx.raise(kZE);  // a denormal dividend raises no DE here
    return infinity(sign);
  }
  if (denormal_stop(ctx, ca, cb)) return a;
  if (ca == Class::kZero) return zero(sign);
  const Parts x = unpack(a), y = unpack(b);
  // Long division in 64-bit digits: integer part (0 or 1), then two fraction words.
  const u64 q_int = x.sig >= y.sig ? 1 : 0;
  u64 r = x.sig - (q_int ? y.sig : 0);
  u128 n = u128{r} << 64;
  const u64 q_hi = static_cast<u64>(n / y.sig);
  r = static_cast<u64>(n % y.sig);
  n = u128{r} << 64;
  const u64 q_lo = static_cast<u64>(n / y.sig);
  const bool sticky = (n % y.sig) != 0;
  u128 q;
  int exp;
  if (q_int) {
    q = (u128{1} << 127) | (u128{q_hi} << 63) | (q_lo >> 1) | (q_lo & 1) | sticky;
    exp = x.exp - y.exp;
  } else {
    q = (u128{q_hi} << 64) | q_lo | sticky;
    exp = x.exp - y.exp - 1;
  }
  return round_pack(ctx, sign, exp, q, ctx.precision());
}

Float80 sqrt(Ctx& ctx, Float80 a) {
  Float80 nan;
  if (propagate_nan(ctx, a, nan)) return nan;
  const Class c = classify(a);
  if (c == Class::kZero) return a;
  if (a.sign()) return invalid(ctx);
  if (c == Class::kInfinity) return a;
  if (denormal_stop(ctx, c)) return a;
  const Parts x = unpack(a);
  // Radicand sig * 2^s with (exp - 63 - s) even and s about 68, so the root has 66 or 67 bits:
  // two beyond 64 for rounding, plus the remainder as sticky. Digit-by-digit, two radicand bits
  // per root bit.
  const int s = 68 + ((x.exp - 63 - 68) & 1);
  const int total_bits = 64 + s;
  u128 rem = 0, root = 0;
  for (int i = (total_bits + 1) / 2 - 1; i >= 0; --i) {
    const int bit = 2 * i - s;  // position of the pair's low bit within sig
    u64 pair = 0;
    if (bit + 1 >= 0 && bit + 1 < 64) pair |= ((x.sig >> (bit + 1)) & 1) << 1;
    if (bit >= 0 && bit < 64) pair |= (x.sig >> bit) & 1;
    rem = (rem << 2) | pair;
    const u128 trial = (root << 2) | 1;
    root <<= 1;
    if (rem >= trial) {
      rem -= trial;
      root |= 1;
    }
  }
  const int lead = 127 - clz128(root);
  const u128 sig = (root << (127 - lead)) | (rem != 0);
  return round_pack(ctx, false, (x.exp - 63 - s) / 2 + lead, sig, ctx.precision());
}

}  // namespace tern::fp
