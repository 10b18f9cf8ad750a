// The 128-bit-significand helper type of the transcendental instructions.
#include "cpu/fpu/wide.h"

namespace tern::fp {

namespace {

Wide normalized(bool sign, int exp, u128 sig) {
  if (sig == 0) return Wide{};
  const int z = clz128(sig);
  return Wide{sign, exp - z, sig << z};
}

}  // namespace

Wide to_wide(Float80 x) {
  if (fp::classify(x) == Class::kZero) return Wide{x.sign(), 0, 0};
  const Parts p = unpack(x);
  return Wide{p.sign, p.exp, u128{p.sig} << 64};
}

Wide wide_int(i64 v) {
  const bool sign = v < 0;
  const u64 magnitude = sign ? ~static_cast<u64>(v) + 1 : static_cast<u64>(v);
  return normalized(sign, 127, magnitude);
}

Wide wide_const(u64 hi, u64 lo, int exp) { return Wide{false, exp, (u128{hi} << 64) | lo}; }

Wide operator*(const Wide& a, const Wide& b) {
  const bool sign = a.sign != b.sign;
  if (a.is_zero() || b.is_zero()) return Wide{sign, 0, 0};
  const u64 ah = static_cast<u64>(a.sig >> 64), al = static_cast<u64>(a.sig);
  const u64 bh = static_cast<u64>(b.sig >> 64), bl = static_cast<u64>(b.sig);
  const u128 hh = u128{ah} * bh, hl = u128{ah} * bl, lh = u128{al} * bh, ll = u128{al} * bl;
  const u128 mid = static_cast<u64>(hl) + u128{static_cast<u64>(lh)} + (ll >> 64);
  const u128 hi = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
  const u64 lo_word = static_cast<u64>(mid);  // bits 127..64 of the low half
  if (hi >> 127) return Wide{sign, a.exp + b.exp + 1, hi | (lo_word != 0 || static_cast<u64>(ll) != 0)};
  // The bits below the 128 kept stay visible as a sticky bit, as in the branch above.
  const bool sticky = (lo_word << 1) != 0 || static_cast<u64>(ll) != 0;
  return Wide{sign, a.exp + b.exp, (hi << 1) | (lo_word >> 63) | sticky};
}

Wide operator+(const Wide& a, const Wide& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  const bool a_bigger = a.exp > b.exp || (a.exp == b.exp && a.sig >= b.sig);
  const Wide& x = a_bigger ? a : b;
  const Wide& y = a_bigger ? b : a;
  // Two guard bits below the leading bit's carry position.
  const u128 big = x.sig >> 2;
  const u128 small = shift_right_sticky(y.sig, x.exp - y.exp + 2);
  if (x.sign == y.sign) return normalized(x.sign, x.exp + 2, big + small);
  return normalized(x.sign, x.exp + 2, big - small);
}

Wide operator/(const Wide& a, const Wide& b) {
  const bool sign = a.sign != b.sign;
  if (a.is_zero()) return Wide{sign, 0, 0};
  // Restoring division, one quotient bit per step; a leading 0 bit is shifted out.
  const bool first_zero = a.sig < b.sig;
  u128 r = a.sig, q = 0;
  bool carry = false;
  for (int i = 0; i < (first_zero ? 129 : 128); ++i) {
    q <<= 1;
    if (carry || r >= b.sig) {
      r -= b.sig;
      q |= 1;
    }
    carry = r >> 127;
    r <<= 1;
  }
  return Wide{sign, a.exp - b.exp - (first_zero ? 1 : 0), q | (r != 0)};
}

Wide div_small(const Wide& a, u64 n) {
  if (a.is_zero()) return a;
  const u128 q = a.sig / n, r = a.sig % n;
  const u64 extra = static_cast<u64>((r << 64) / n);
  const int z = clz128(q);
  const u128 sig = z == 0 ? q : (q << z) | (extra >> (64 - z));
  return Wide{a.sign, a.exp - z, sig};
}

Wide round_to_bits(const Wide& w, int bits) {
  if (w.is_zero()) return w;
  const int drop = 128 - bits;
  const u128 rest = w.sig & ((u128{1} << drop) - 1), half = u128{1} << (drop - 1);
  u128 kept = w.sig >> drop;
  if (rest > half || (rest == half && (kept & 1))) ++kept;
  if (kept >> bits) return Wide{w.sign, w.exp + 1, u128{1} << 127};  // carried to a power of two
  return Wide{w.sign, w.exp, kept << drop};
}

Float80 round_wide(Ctx& ctx, const Wide& w) {
  if (w.is_zero()) return zero(w.sign);
  return round_pack(ctx, w.sign, w.exp, w.sig, 64);
}

}  // namespace tern::fp
