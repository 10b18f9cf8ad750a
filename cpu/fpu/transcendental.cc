// Transcendental functions for FSIN FCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1: exact argument
// reduction, then Taylor/atanh series in the 128-bit Wide type, then one rounding to 64 bits.
#include "cpu/fpu/transcendental.h"

#include "cpu/fpu/wide.h"

namespace tern::fp {

namespace {

constexpr int kSeriesBits = 132;  // stop a series once its terms fall this far below its sum

bool negligible(const Wide& term, const Wide& sum) {
  return term.is_zero() || (!sum.is_zero() && term.exp < sum.exp - kSeriesBits);
}

// sin(r) and cos(r) for |r| <= pi/4 by their Taylor series.
Wide sin_series(const Wide& r) {
  const Wide r2 = r * r;
  Wide sum = r, term = r;
  for (u64 n = 1; n < 40; ++n) {
    term = div_small(term * r2, (2 * n) * (2 * n + 1));
    sum = (n & 1) ? sum - term : sum + term;
    if (negligible(term, sum)) break;
  }
  return sum;
}

Wide cos_series(const Wide& r) {
  const Wide r2 = r * r;
  Wide sum = wide_int(1), term = wide_int(1);
  for (u64 n = 1; n < 40; ++n) {
    term = div_small(term * r2, (2 * n - 1) * (2 * n));
    sum = (n & 1) ? sum - term : sum + term;
    if (negligible(term, sum)) break;
  }
  return sum;
}

// atanh(s) = s + s^3/3 + s^5/5 + ... for |s| < 1/2.
Wide atanh_series(const Wide& s) {
  const Wide s2 = s * s;
  Wide sum = s, power = s;
  for (u64 n = 1; n < 120; ++n) {
    power = power * s2;
    const Wide term = div_small(power, 2 * n + 1);
    sum = sum + term;
    if (negligible(term, sum)) break;
  }
  return sum;
}

// atan(z) for 0 < z <= 1: atan(z) = pi/4 + atan((z-1)/(z+1)) moves z >= 1/2 below 1/3.
Wide atan_unit(const Wide& z) {
  Wide w = z, base{};
  if (z.exp >= -1) {
    const Wide one = wide_int(1);
    w = (z - one) / (z + one);
    base = scale2(wide_pi(), -2);
  }
  const Wide w2 = w * w;
  Wide sum = w, power = w;
  for (u64 n = 1; n < 200; ++n) {
    power = power * w2;
    const Wide term = div_small(power, 2 * n + 1);
    sum = (n & 1) ? sum - term : sum + term;
    if (negligible(term, sum)) break;
  }
  return base + sum;
}

// log2(x) for a finite positive x: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
// log2(m) = 2 * log2(e) * atanh((m - 1) / (m + 1)).
Wide log2_wide(Float80 x) {
  const Parts p = unpack(x);
  int e = p.exp;
  Wide m{false, 0, u128{p.sig} << 64};
  if (p.sig > 0xB504F333F9DE6484ull) {  // m > sqrt(2)
    m.exp = -1;
    ++e;
  }
  const Wide one = wide_int(1);
  const Wide s = (m - one) / (m + one);
  return wide_int(e) + scale2(atanh_series(s) * wide_log2e(), 1);
}

// The quadrant and reduced argument of |x| modulo pi/2, with pi rounded to 66 bits as the x87
// does: |x| = k * pi66/2 + r, |r| <= pi66/4, computed exactly in integers.
struct Reduced {
  unsigned quadrant;
  Wide r;
};

Reduced reduce(const Parts& p) {
  if (p.exp < -1) return {0, Wide{false, p.exp, u128{p.sig} << 64}};
  // pi66 / 2 = kHalfPi66 * 2^-65; |x| = num * 2^-65.
  const u128 kHalfPi66 = (u128{0x3} << 64) | 0x243F6A8885A308D3ull;
  const u128 num = u128{p.sig} << (p.exp + 2);
  u128 k = num / kHalfPi66, rem = num % kHalfPi66;
  bool negative = false;
  if (2 * rem > kHalfPi66) {
    ++k;
    rem = kHalfPi66 - rem;
    negative = true;
  }
  Wide r{};
  if (rem) {
    const int z = clz128(rem);
    r = Wide{negative, 62 - z, rem << z};
  }
  return {static_cast<unsigned>(k & 3), r};
}

// FPTAN of a tiny argument as the reference processor (AMD EPYC, family 19h) computes it, as
// measured from outside: tan(x) = x * P(x^2) / Q(x^2), with P(x^2), Q(x^2) and the numerator
// rounded to nearest at the 68 bits of its datapath and the quotient rounded once. For tiny x the
// rounding of x * P0 (up to 2^-68 relative) outweighs tan(x) - x, so in the directed rounding
// modes the host's result falls on either side of x; a correctly rounded tan matched it in ~60%
// of the cases with |x| < 2^-34, this model in every one of ~10000 with |x| < 2^-31, 99.5% up to
// 2^-28 (beyond, further rounding steps of the host show and the exact tangent does as well).
// P0, the constant term of both P and Q, is exact: the square-wave pattern of the host's result
// against the low bits of x gives its bits. P1 is fitted (P1 / P0 = -0.1374, to +-0.0002), and
// Q1 = P1 - P0 / 3 gives tan's x^3 / 3.
constexpr int kTanTinyLimitExp = -28;  // the model applies to |x| < 2^kTanTinyLimitExp
constexpr int kDatapathBits = 68;

Wide tan_tiny(const Wide& x) {
  const Wide p0 = wide_const(0xB9F25A5EEF7C79A2ull, 0xC000000000000000ull, 0);
  const Wide p1 = -wide_const(0xCC6481A5622CA9BFull, 0, -3);
  const Wide q1 = -wide_const(0xAF1007534D88D0DCull, 0, -1);
  const Wide x2 = x * x;
  const Wide num = round_to_bits(x * round_to_bits(p0 + p1 * x2, kDatapathBits), kDatapathBits);
  const Wide den = round_to_bits(p0 + q1 * x2, kDatapathBits);
  return num / den;
}

// Rounds a transcendental result whose exact value has bits beyond the 128 computed: the
// sticky bit makes the rounding and PE see them (sin(2^-64) is not 2^-64).
Float80 round_inexact(Ctx& ctx, Wide w) {
  if (w.is_zero()) return zero(w.sign);
  w.sig |= 1;
  return round_wide(ctx, w);
}

// Rounds a result the x87 reports as inexact (PE, and UE when tiny) even when the quotient it
// computed happens to be exact: FPTAN of a tiny power of two returns x itself with PE set.
Float80 round_reported_inexact(Ctx& ctx, const Wide& w) {
  const Float80 r = round_wide(ctx, w);
  ctx.raise(static_cast<u16>(kPE | (w.exp < kMinExp ? kUE : 0)));
  return r;
}

}  // namespace

bool trig_out_of_range(Float80 x) {
  const Class c = classify(x);
  return (c == Class::kNormal || c == Class::kDenormal) && unpack(x).exp >= 63;
}

Float80 trig(Ctx& ctx, Trig fn, Float80 x) {
  Float80 nan;
  if (propagate_nan(ctx, x, nan)) return nan;
  const Class c = classify(x);
  if (c == Class::kInfinity) return invalid(ctx);
  if (c == Class::kZero) return fn == Trig::kCos ? make(false, kExpBias, u64{1} << 63) : x;
  if (denormal_stop(ctx, c)) return x;
  const Parts p = unpack(x);
  if (fn == Trig::kTan && p.exp < kTanTinyLimitExp) {
    Wide t = tan_tiny(Wide{false, p.exp, u128{p.sig} << 64});
    t.sign = p.sign;
    return round_reported_inexact(ctx, t);
  }
  const Reduced red = reduce(p);
  const Wide s = sin_series(red.r), co = cos_series(red.r);
  Wide result;
  switch (fn) {
    case Trig::kSin: {
      const Wide table[4] = {s, co, -s, -co};
      result = table[red.quadrant];
      break;
    }
    case Trig::kCos: {
      const Wide table[4] = {co, -s, -co, s};
      result = table[red.quadrant];
      break;
    }
    case Trig::kTan: result = (red.quadrant & 1) ? -(co / s) : s / co; break;
  }
  // sin and tan are odd, cos even.
  if (p.sign && fn != Trig::kCos) result = -result;
  return round_inexact(ctx, result);
}

Float80 atan2(Ctx& ctx, Float80 y, Float80 x) {
  Float80 nan;
  if (propagate_nan(ctx, x, y, nan)) return nan;
  const Class cx = classify(x), cy = classify(y);
  const Wide pi = wide_pi();
  Wide result;
  if (cy == Class::kZero || cx == Class::kInfinity || cy == Class::kInfinity || cx == Class::kZero) {
    if (cx == Class::kDenormal || cy == Class::kDenormal) {
      if (denormal_stop(ctx, cx, cy)) return x;
    }
    // The special cases of SDM Vol. 2 FPATAN Table 3-29: multiples of pi/4 with y's sign.
    int quarters;
    if (cy == Class::kZero)
      quarters = x.sign() ? 4 : 0;
    else if (cy == Class::kInfinity && cx == Class::kInfinity)
      quarters = x.sign() ? 3 : 1;
    else if (cy == Class::kInfinity || cx == Class::kZero)
      quarters = 2;
    else
      quarters = x.sign() ? 4 : 0;
    if (quarters == 0) return zero(y.sign());
    result = scale2(pi, -2) * wide_int(quarters);
  } else {
    if (denormal_stop(ctx, cx, cy)) return x;
    const Wide ax = to_wide(Float80{x.signif, x.exponent()}), ay = to_wide(Float80{y.signif, y.exponent()});
    const bool steep = ay.exp > ax.exp || (ay.exp == ax.exp && ay.sig > ax.sig);
    result = atan_unit(steep ? ax / ay : ay / ax);
    if (steep) result = scale2(pi, -1) - result;
    if (x.sign()) result = pi - result;
  }
  result.sign = y.sign();
  return round_inexact(ctx, result);
}

Float80 exp2_minus_1(Ctx& ctx, Float80 x) {
  Float80 nan;
  if (propagate_nan(ctx, x, nan)) return nan;
  const Class c = classify(x);
  if (c == Class::kZero) return x;
  if (c == Class::kInfinity) return x.sign() ? make(true, kExpBias, u64{1} << 63) : x;
  if (denormal_stop(ctx, c)) return x;
  // The SDM defines F2XM1 for |x| <= 1; larger magnitudes (undefined there) saturate here.
  if (unpack(x).exp >= 6) {
    if (!x.sign()) return round_pack(ctx, false, 1 << 20, u128{1} << 127, 64);
    return round_wide(ctx, wide_int(-1) + Wide{false, -200, u128{1} << 127});
  }
  // 2^1 - 1 and 2^-1 - 1 are exact; every other result in range is irrational.
  if (x == make(false, kExpBias, u64{1} << 63) || x == make(true, kExpBias, u64{1} << 63))
    return round_wide(ctx, x.sign() ? Wide{true, -1, u128{1} << 127} : wide_int(1));
  const Wide t = to_wide(x) * wide_ln2();
  Wide sum = t, term = t;
  for (u64 n = 2; n < 400; ++n) {
    term = div_small(term * t, n);
    sum = sum + term;
    if (negligible(term, sum)) break;
  }
  return round_inexact(ctx, sum);
}

Float80 y_log2_x(Ctx& ctx, Float80 y, Float80 x) {
  Float80 nan;
  if (propagate_nan(ctx, x, y, nan)) return nan;
  const Class cx = classify(x), cy = classify(y);
  if (x.sign() && cx != Class::kZero) return invalid(ctx);
  if (cx == Class::kZero) {
    if (cy == Class::kZero) return invalid(ctx);
    if (cy != Class::kInfinity) ctx.raise(kZE);  // no DE for a denormal y here
    return infinity(!y.sign());
  }
  if (cx == Class::kInfinity) {
    if (cy == Class::kZero) return invalid(ctx);
    if (denormal_stop(ctx, cy)) return x;
    return infinity(y.sign());
  }
  if (denormal_stop(ctx, cx, cy)) return x;
  const Wide log = log2_wide(x);
  if (cy == Class::kInfinity) {
    if (log.is_zero()) return invalid(ctx);
    return infinity(y.sign() != log.sign);
  }
  if (cy == Class::kZero) return zero(y.sign() != log.sign);
  // FYL2X reports PE even when the product is exact (log2 of a power of two), as x86 does.
  return round_inexact(ctx, to_wide(y) * log);
}

Float80 y_log2_xp1(Ctx& ctx, Float80 y, Float80 x) {
  Float80 nan;
  if (propagate_nan(ctx, x, y, nan)) return nan;
  const Class cx = classify(x), cy = classify(y);
  if (cx == Class::kZero) {
    if (cy == Class::kInfinity) return invalid(ctx);
    if (denormal_stop(ctx, cy)) return x;
    return zero(x.sign() != y.sign());
  }
  if (cx == Class::kInfinity) {
    if (x.sign() || cy == Class::kZero) return invalid(ctx);
    if (denormal_stop(ctx, cy)) return x;
    return infinity(y.sign());
  }
  if (denormal_stop(ctx, cx, cy)) return x;
  // Outside the SDM's range |x| < 1 - sqrt(2)/2 the result is undefined; 1 + x <= 0 is invalid.
  const Wide wx = to_wide(x), one = wide_int(1);
  const Wide onep = one + wx;
  if (onep.is_zero() || onep.sign) return invalid(ctx);
  if (cy == Class::kInfinity) return infinity(y.sign() != x.sign());
  if (cy == Class::kZero) return zero(y.sign() != x.sign());
  const Wide s = wx / (one + onep);
  const Wide log = scale2(atanh_series(s) * wide_log2e(), 1);
  return round_inexact(ctx, to_wide(y) * log);
}

}  // namespace tern::fp
