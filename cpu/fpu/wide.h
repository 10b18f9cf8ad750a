// A 128-bit-significand floating value for the internal steps of the transcendental
// instructions: enough guard bits that the final rounding to 64 bits is correct except in
// astronomically rare hard cases. Integer arithmetic only; operations truncate.
#pragma once

#include "cpu/fpu/float80.h"

namespace tern::fp {

// (-1)^sign * sig * 2^(exp - 127) with sig bit 127 set, or zero when sig == 0.
struct Wide {
  bool sign = false;
  int exp = 0;
  u128 sig = 0;

  bool is_zero() const { return sig == 0; }
  Wide operator-() const { return Wide{!sign, exp, sig}; }
};

// Finite values only (zero, normal, denormal).
Wide to_wide(Float80 x);
Wide wide_int(i64 v);
Wide wide_const(u64 hi, u64 lo, int exp);
Wide operator*(const Wide& a, const Wide& b);
Wide operator+(const Wide& a, const Wide& b);
inline Wide operator-(const Wide& a, const Wide& b) { return a + -b; }
Wide operator/(const Wide& a, const Wide& b);
Wide div_small(const Wide& a, u64 n);
// Multiplies by 2^n.
inline Wide scale2(Wide a, int n) {
  if (!a.is_zero()) a.exp += n;
  return a;
}
// Rounds to nearest-even at `bits` significant bits (1 < bits < 128), exactly: the step with which
// the x87's internal datapath shortens its intermediates.
Wide round_to_bits(const Wide& w, int bits);
// Rounds to the register format at 64 bits with the context's rounding and exceptions.
Float80 round_wide(Ctx& ctx, const Wide& w);

// Constants to 128 bits.
inline Wide wide_pi() { return wide_const(0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull, 1); }
inline Wide wide_ln2() { return wide_const(0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull, -1); }
inline Wide wide_log2e() { return wide_const(0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E88ull, 0); }

}  // namespace tern::fp
