// The CPU mode bits a translated block depends on. The same guest bytes decode and run
// differently under another mode (operand size, stack size, privilege), and generated code bakes
// in assumptions about segments ("DS is flat": no base, no limit check). A block is entered only
// when the current key equals the key it was translated under; every state change that alters
// the key happens in an instruction the translator hands to the interpreter handler, after which
// the engine recomputes the key before running on.
#pragma once

#include "base/types.h"

namespace tern {

class Cpu;

namespace mode {
inline constexpr u32 kCode32 = 1u << 0;      // CS.D: 32-bit default operand and address size
inline constexpr u32 kStack32 = 1u << 1;     // SS.B: ESP rather than SP
inline constexpr u32 kCplShift = 2;          // CPL in bits 2-3 (user TLB set when 3)
inline constexpr u32 kCplMask = 3u << kCplShift;
inline constexpr u32 kProtected = 1u << 4;   // CR0.PE
inline constexpr u32 kV86 = 1u << 5;         // EFLAGS.VM
inline constexpr u32 kFlatCs = 1u << 6;      // CS base 0, limit 4 GiB
inline constexpr u32 kFlatSs = 1u << 7;      // SS/DS/ES: base 0, limit 4 GiB, expand-up,
inline constexpr u32 kFlatDs = 1u << 8;      //   readable and writable
inline constexpr u32 kFlatEs = 1u << 9;
inline constexpr u32 kNoExpandDown = 1u << 10;  // every segment's lowest valid offset is 0
// Data breakpoints armed or alignment checking on: every data access goes through
// Cpu::read/write (Cpu::linear checks both).
inline constexpr u32 kCheckedMemory = 1u << 11;
inline constexpr u32 kDirection = 1u << 12;  // EFLAGS.DF: string instructions step down
// CS.base bits 0-11: with the EIP they decide which linear page a branch target lands on, so
// blocks chain only under the same value.
inline constexpr u32 kCsBaseShift = 16;
inline constexpr u32 kCsBaseMask = 0xFFFu << kCsBaseShift;
}  // namespace mode

u32 mode_key(const Cpu& cpu);

inline u8 key_cpl(u32 key) { return static_cast<u8>((key & mode::kCplMask) >> mode::kCplShift); }

// The flat bit of data segment `sreg` in a key, or 0 for segments the key says nothing about.
u32 flat_bit(u8 sreg);

}  // namespace tern
