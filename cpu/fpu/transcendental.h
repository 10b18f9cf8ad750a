// The x87 transcendental operations on register-format values: results rounded once from a
// 128-bit intermediate, special operands per the tables of Intel SDM Vol. 2 (FSIN, FCOS, FPTAN,
// FPATAN, F2XM1, FYL2X, FYL2XP1).
#pragma once

#include "cpu/fpu/float80.h"

namespace tern::fp {

// FSIN/FCOS/FPTAN accept |x| < 2^63; larger finite operands leave ST(0) alone and set C2.
bool trig_out_of_range(Float80 x);

enum class Trig : u8 { kSin, kCos, kTan };
// sin, cos or tan of an in-range operand. The argument is reduced modulo the 66-bit value of pi
// that Intel and AMD processors use (so results for large arguments match theirs); tan of
// |x| < 2^-28 follows the reference processor's 68-bit evaluation (transcendental.cc).
Float80 trig(Ctx& ctx, Trig fn, Float80 x);

Float80 atan2(Ctx& ctx, Float80 y, Float80 x);     // FPATAN: arctan(ST(1)/ST(0))
Float80 exp2_minus_1(Ctx& ctx, Float80 x);          // F2XM1
Float80 y_log2_x(Ctx& ctx, Float80 y, Float80 x);   // FYL2X
Float80 y_log2_xp1(Ctx& ctx, Float80 y, Float80 x); // FYL2XP1

}  // namespace tern::fp
