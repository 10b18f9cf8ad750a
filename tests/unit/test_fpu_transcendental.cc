// FPTAN of tiny arguments, checked on any host against results recorded from the reference x87
// (AMD EPYC, family 19h): there tan(x) for |x| < 2^-28 is x * P(x^2) / Q(x^2) evaluated at 68
// bits, so in the directed rounding modes the result falls on the side of x that the rounding of
// x * P0 picks, not on the side of the exact tan(x) > x.
#include <catch2/catch.hpp>

#include "cpu/fpu/transcendental.h"

namespace tern::fp {
namespace {

struct TanCase {
  Float80 x;
  Rounding rc;
  Float80 want;
  u16 flags;  // PE UE DE and C1 as the host reported them
};

Float80 f80(u16 sign_exp, u64 sig) { return Float80{sig, sign_exp}; }

}  // namespace

TEST_CASE("FPTAN of a tiny argument rounds as the reference x87's 68-bit evaluation does", "[fpu]") {
  const TanCase cases[] = {
      // x * P0 rounded up at 68 bits: the host's value is above x.
      {f80(0x3FD7, 0x8E06ABF88644A12A), kTowardZero, f80(0x3FD7, 0x8E06ABF88644A12A), kPE},
      {f80(0x3FD7, 0x8E06ABF88644A12A), kUp, f80(0x3FD7, 0x8E06ABF88644A12B), kPE | kC1},
      // x * P0 rounded down: below x, so truncation gives x - 1 ulp although tan(x) > x.
      {f80(0x3FD7, 0xF15C2082883347D3), kTowardZero, f80(0x3FD7, 0xF15C2082883347D2), kPE},
      {f80(0x3FD7, 0xF15C2082883347D3), kNearest, f80(0x3FD7, 0xF15C2082883347D3), kPE | kC1},
      {f80(0xBFD7, 0xF15C2082883347D3), kUp, f80(0xBFD7, 0xF15C2082883347D2), kPE},
      {f80(0xBFD7, 0xF15C2082883347D3), kDown, f80(0xBFD7, 0xF15C2082883347D3), kPE | kC1},
      // 2^-40: x * P0 is exact and so is the quotient; PE is reported all the same.
      {f80(0x3FD7, 0x8000000000000000), kUp, f80(0x3FD7, 0x8000000000000000), kPE},
      // 2^-33: Q(x^2) now rounds below P0 and lifts the quotient above x.
      {f80(0x3FDE, 0x8000000000000000), kUp, f80(0x3FDE, 0x8000000000000001), kPE | kC1},
      {f80(0x3FDD, 0xC56F461BABBE2DC8), kTowardZero, f80(0x3FDD, 0xC56F461BABBE2DC8), kPE},
      // A denormal operand: the exact quotient is x, with DE, UE and PE.
      {f80(0x0000, 0x0000010000000000), kUp, f80(0x0000, 0x0000010000000000), kDE | kUE | kPE},
  };
  for (const TanCase& c : cases) {
    Ctx ctx{static_cast<u16>(0x037F | c.rc << 10)};
    const Float80 got = trig(ctx, Trig::kTan, c.x);
    INFO("x " << std::hex << c.x.sign_exp << ':' << c.x.signif << " rc " << int(c.rc) << " got " << got.sign_exp
              << ':' << got.signif << " flags " << ctx.flags);
    CHECK(got == c.want);
    CHECK(ctx.flags == c.flags);
  }
}

TEST_CASE("FPTAN above the tiny range stays the correctly rounded tangent", "[fpu]") {
  // tan(2^-20) = 2^-20 + 2^-60 / 3 + ...: 2^23 / 3 ulps above x, truncated (as the host does).
  Ctx ctx{static_cast<u16>(0x037F | kTowardZero << 10)};
  const Float80 got = trig(ctx, Trig::kTan, f80(0x3FEB, 0x8000000000000000));
  CHECK(got == f80(0x3FEB, 0x80000000002AAAAA));
  CHECK(ctx.flags == kPE);
}

}  // namespace tern::fp
