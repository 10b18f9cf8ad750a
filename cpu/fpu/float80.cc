// Extended-precision basics: classification, unpacking, rounding to the register format with
// the x87's overflow and underflow responses, and NaN propagation.
#include "cpu/fpu/float80.h"

namespace tern::fp {

Class classify(Float80 x) {
  const u16 e = x.exponent();
  const bool integer_bit = x.signif >> 63;
  if (e == 0) return x.signif == 0 ? Class::kZero : Class::kDenormal;
  if (e == 0x7FFF) {
    if (!integer_bit) return Class::kUnsupported;
    if ((x.signif << 1) == 0) return Class::kInfinity;
    return (x.signif >> 62) & 1 ? Class::kQNaN : Class::kSNaN;
  }
  return integer_bit ? Class::kNormal : Class::kUnsupported;
}

Parts unpack(Float80 x) {
  // Denormals and pseudo-denormals have the weight of exponent 1 (SDM Vol. 1 §8.2.2).
  const int exp = x.exponent() ? x.exponent() - kExpBias : kMinExp;
  const int z = std::countl_zero(x.signif);
  return {x.sign(), exp - z, x.signif << z};
}

namespace {

// Masked overflow: infinity or the largest finite value of `precision` bits, by rounding mode
// (SDM Vol. 1 Table 4-10).
Float80 overflow_result(Rounding rc, bool sign, int precision, bool& up) {
  const bool to_infinity = rc == kNearest || (rc == kUp && !sign) || (rc == kDown && sign);
  up = to_infinity;
  if (to_infinity) return infinity(sign);
  return make(sign, 0x7FFE, ~u64{0} << (64 - precision));
}

}  // namespace

RoundedSig round_significand(Rounding rc, bool sign, int exp, u128 sig, int precision) {
  const int drop = 128 - precision;
  const u128 unit = u128{1} << drop, half = unit >> 1;
  const u128 rem = sig & (unit - 1);
  sig -= rem;
  bool up = false;
  if (rem) {
    switch (rc) {
      case kNearest: up = rem > half || (rem == half && (sig & unit)); break;
      case kDown: up = sign; break;
      case kUp: up = !sign; break;
      case kTowardZero: break;
    }
  }
  if (up) {
    sig += unit;
    if (sig == 0) {  // carried out of bit 127
      sig = u128{1} << 127;
      ++exp;
    }
  }
  return {sig, exp, rem != 0, up};
}

Float80 round_pack(Ctx& ctx, bool sign, int exp, u128 sig, int precision) {
  const Rounding rc = ctx.rounding();
  if (exp < kMinExp) {
    // Tiny: the x87 detects tininess before rounding (SDM Vol. 1 §4.9.1.5).
    // Unmasked: the result with its exponent bias-adjusted.
    const bool unmasked = !ctx.masked(kUE);
    if (unmasked && exp + kExpBias + kBiasAdjust > 0) {
      const RoundedSig r = round_significand(rc, sign, exp, sig, precision);
      ctx.raise(kUE | (r.inexact ? kPE : 0) | (r.up ? kC1 : 0));
      return make(sign, static_cast<u16>(r.exp + kExpBias + kBiasAdjust), static_cast<u64>(r.sig >> 64));
    }
    if (unmasked) {
      // Beyond the bias-adjusted range (FSCALE): zero whatever the rounding mode.
      ctx.raise(kUE | kPE);
      return zero(sign);
    }
    const RoundedSig r = round_significand(rc, sign, kMinExp, shift_right_sticky(sig, kMinExp - exp), precision);
    if (r.inexact) ctx.raise(kUE | kPE | (r.up ? kC1 : 0));
    const u64 s = static_cast<u64>(r.sig >> 64);
    return make(sign, (s >> 63) ? 1 : 0, s);
  }
  const RoundedSig r = round_significand(rc, sign, exp, sig, precision);
  if (r.exp > kMaxExp) {
    if (!ctx.masked(kOE)) {
      if (r.exp + kExpBias - kBiasAdjust < 0x7FFF) {
        ctx.raise(kOE | (r.inexact ? kPE : 0) | (r.up ? kC1 : 0));
        return make(sign, static_cast<u16>(r.exp + kExpBias - kBiasAdjust), static_cast<u64>(r.sig >> 64));
      }
      // Beyond the bias-adjusted range (FSCALE): infinity whatever the rounding mode.
      ctx.raise(kOE | kPE | kC1);
      return infinity(sign);
    }
    bool up;
    const Float80 result = overflow_result(rc, sign, precision, up);
    ctx.raise(kOE | kPE | (up ? kC1 : 0));
    return result;
  }
  if (r.inexact) ctx.raise(kPE | (r.up ? kC1 : 0));
  return make(sign, static_cast<u16>(r.exp + kExpBias), static_cast<u64>(r.sig >> 64));
}

Float80 normalize_round_pack(Ctx& ctx, bool sign, int exp, u128 sig, int precision) {
  if (sig == 0) return zero(sign);
  const int z = clz128(sig);
  return round_pack(ctx, sign, exp - z, sig << z, precision);
}

Float80 invalid(Ctx& ctx) {
  ctx.raise(kIE);
  return kIndefinite;
}

// NaN operands (SDM Vol. 1 Table 4-7): an SNaN is quietened with IE; of two NaNs the QNaN wins
// over an SNaN, otherwise the larger significand (then the positive one) wins.
bool propagate_nan(Ctx& ctx, Float80 a, Float80 b, Float80& out) {
  const Class ca = classify(a), cb = classify(b);
  if (ca == Class::kUnsupported || cb == Class::kUnsupported) {
    out = invalid(ctx);
    return true;
  }
  const bool na = is_nan(ca), nb = is_nan(cb);
  if (!na && !nb) return false;
  if (ca == Class::kSNaN || cb == Class::kSNaN) ctx.raise(kIE);
  if (na && nb) {
    if (ca != cb) {
      out = quieten(ca == Class::kQNaN ? a : b);
      return true;
    }
    if (a.signif != b.signif) {
      out = quieten(a.signif > b.signif ? a : b);
    } else {
      out = quieten(a.sign() ? b : a);
    }
    return true;
  }
  out = quieten(na ? a : b);
  return true;
}

bool propagate_nan(Ctx& ctx, Float80 a, Float80& out) {
  const Class c = classify(a);
  if (c == Class::kUnsupported) {
    out = invalid(ctx);
    return true;
  }
  if (!is_nan(c)) return false;
  if (c == Class::kSNaN) ctx.raise(kIE);
  out = quieten(a);
  return true;
}

}  // namespace tern::fp
