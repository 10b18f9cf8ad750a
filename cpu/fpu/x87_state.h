// Register state of the x87 FPU and of MMX, which aliases the x87 registers: MMX register i is
// the 64-bit significand of physical register i (Intel SDM Vol. 1 §9.5).
#pragma once

#include "base/types.h"

namespace tern {

class StateIo;

// An 80-bit extended-precision value: 64-bit significand (explicit integer bit 63) and a 16-bit
// sign-and-exponent word. Kept as integers so results are identical on every host.
struct Float80 {
  u64 signif = 0;
  u16 sign_exp = 0;

  bool sign() const { return sign_exp & 0x8000; }
  u16 exponent() const { return sign_exp & 0x7FFF; }
  bool operator==(const Float80&) const = default;
  void serialize(StateIo& io);
};

struct X87State {
  Float80 regs[8];       // physical registers R0..R7; ST(i) is R[(top + i) & 7]
  u16 control = 0x037F;  // FINIT value
  u16 status = 0;        // TOP lives in bits 13..11
  u16 tag = 0xFFFF;      // two bits per physical register: 0 valid, 1 zero, 2 special, 3 empty
  u16 opcode = 0;        // last non-control instruction's opcode (11 bits)
  u32 fip = 0, fdp = 0;  // last instruction and operand pointers
  u16 fcs = 0, fds = 0;
  u32 mxcsr = 0x1F80;    // saved by FXSAVE; no SSE on this CPU model

  unsigned top() const { return (status >> 11) & 7; }
  void set_top(unsigned top) { status = static_cast<u16>((status & ~0x3800) | ((top & 7) << 11)); }
  bool operator==(const X87State&) const = default;
  void serialize(StateIo& io);
};

}  // namespace tern
