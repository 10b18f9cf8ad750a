// Services shared by the x87 and MMX instruction handlers: the register stack and its tags, the
// status word, the entry checks (#NM, pending-exception reporting through #MF or FERR#), the
// FOP/FIP/FDP bookkeeping and memory operands in every x87 format.
#pragma once

#include "cpu/cpu.h"
#include "cpu/fpu/float80.h"

namespace tern::x87 {

// Tag values (Intel SDM Vol. 1 §8.1.7).
inline constexpr u8 kTagValid = 0, kTagZero = 1, kTagSpecial = 2, kTagEmpty = 3;
// Condition code bits of the status word.
inline constexpr u16 kCcMask = fp::kC0 | fp::kC1 | fp::kC2 | fp::kC3;

u8 tag_of(Float80 v);
inline unsigned phys(const X87State& s, unsigned i) { return (s.top() + i) & 7; }
inline u8 phys_tag(const X87State& s, unsigned r) { return (s.tag >> (2 * r)) & 3; }
inline bool is_empty(const X87State& s, unsigned i) { return phys_tag(s, phys(s, i)) == kTagEmpty; }
inline Float80 st(const X87State& s, unsigned i) { return s.regs[phys(s, i)]; }
void set_phys_tag(X87State& s, unsigned r, u8 tag);
// Writes ST(i) and its tag.
void set_st(X87State& s, unsigned i, Float80 v);
void pop(X87State& s);
// Pushes without the overflow check (callers check is_empty(s, 7) first).
void push(X87State& s, Float80 v);
// Recomputes the tags of the non-empty registers from their contents (the P6 keeps only
// empty/non-empty and derives the rest).
void retag(X87State& s);

// The FNINIT state (SDM Vol. 1 §8.1.10: control 037FH, empty stack, pointers cleared).
void initialize(X87State& s);

// The control word as loaded by FLDCW/FLDENV/FRSTOR/FXRSTOR: bits 7 and 13-15 are reserved and
// read as 0, bit 6 reads as 1.
inline u16 loaded_control(u16 v) { return static_cast<u16>((v & 0x1F3F) | 0x0040); }

// Sets the condition codes in `mask` to the bits of `cc`.
inline void set_cc(X87State& s, u16 mask, u16 cc) { s.status = static_cast<u16>((s.status & ~mask) | (cc & mask)); }
// Recomputes ES and B from the exception flags and masks.
void refresh_summary(X87State& s);
// Merges an operation's flags into the status word: the sticky exception bits, and C1 from the
// "rounded up" bit (C1 is cleared when the operation did not round up).
void apply_flags(X87State& s, u16 flags);

// Entry of every x87 instruction (SDM Vol. 3 §2.5, Table 2-2; Vol. 1 §8.6): #NM when CR0.EM or
// CR0.TS is set; then, for waiting instructions, a pending unmasked exception is reported: #MF
// when CR0.NE = 1, otherwise FERR# is asserted (IRQ 13 on a PC) and the instruction proceeds as
// with IGNNE# asserted.
void check_available(Cpu& cpu);
void check_pending(Cpu& cpu);
// Both checks, then records FOP, FIP/FCS and, for memory forms, FDP/FDS (non-control
// instructions).
void begin(Cpu& cpu, const DecodedInsn& d);

// Stack faults (SDM Vol. 1 §8.5.1.1): IE and SF, C1 = 1 for overflow and 0 for underflow. True
// when the exception is masked and the instruction should deliver its masked response.
bool stack_underflow(X87State& s);
bool stack_overflow(X87State& s);

// Memory operands.
// The linear address of the `size`-byte operand at sreg:offset after the segment checks of the
// whole range; the alignment check (#AC) uses `align`, the operand's natural alignment (SDM
// Vol. 3 Table 6-7: 8 for extended reals and BCD, 2 or 4 for the x87 state images).
u32 linear_operand(Cpu& cpu, u8 sreg, u32 offset, u32 size, u32 align, Access access);
Float80 read_f80(Cpu& cpu, u8 sreg, u32 offset);
// Checks that [offset, offset + size) can be written (segment, paging) before any byte is.
u32 probe_write(Cpu& cpu, u8 sreg, u32 offset, u32 size, u32 align);
void write_f80(Cpu& cpu, u8 sreg, u32 offset, Float80 v);
// The memory source operand of an arithmetic instruction, widened exactly to the register
// format (SNaNs stay signalling: the operation decides); denormal reals set ctx.denormal_source.
Float80 read_source(Cpu& cpu, const DecodedInsn& d, int operand, bool integer, fp::Ctx& ctx);

}  // namespace tern::x87
