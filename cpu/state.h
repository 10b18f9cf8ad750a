// Architectural register state of the IA-32 CPU: general registers, segment registers with their
// descriptor caches, EFLAGS (with lazily computed arithmetic flags), control, debug and model-
// specific registers. Plain data; the behaviour lives in cpu.h and the ops.
#pragma once

#include "base/types.h"

namespace tern {

class StateIo;

enum Reg : u8 { kEax, kEcx, kEdx, kEbx, kEsp, kEbp, kEsi, kEdi };
enum SegReg : u8 { kEs, kCs, kSs, kDs, kFs, kGs, kSegCount };

// EFLAGS bits (Intel SDM Vol. 1 §3.4.3).
namespace fl {
inline constexpr u32 CF = 1u << 0;
inline constexpr u32 PF = 1u << 2;
inline constexpr u32 AF = 1u << 4;
inline constexpr u32 ZF = 1u << 6;
inline constexpr u32 SF = 1u << 7;
inline constexpr u32 TF = 1u << 8;
inline constexpr u32 IF = 1u << 9;
inline constexpr u32 DF = 1u << 10;
inline constexpr u32 OF = 1u << 11;
inline constexpr u32 IOPL = 3u << 12;
inline constexpr u32 NT = 1u << 14;
inline constexpr u32 RF = 1u << 16;
inline constexpr u32 VM = 1u << 17;
inline constexpr u32 AC = 1u << 18;
inline constexpr u32 VIF = 1u << 19;
inline constexpr u32 VIP = 1u << 20;
inline constexpr u32 ID = 1u << 21;
inline constexpr u32 kArith = CF | PF | AF | ZF | SF | OF;
inline constexpr u32 kFixedOne = 1u << 1;
// Bits a P6 lets software change at all.
inline constexpr u32 kWritable = kArith | TF | IF | DF | IOPL | NT | RF | VM | AC | VIF | VIP | ID;
}  // namespace fl

// CR0 and CR4 bits.
namespace cr0 {
inline constexpr u32 PE = 1u << 0;
inline constexpr u32 MP = 1u << 1;
inline constexpr u32 EM = 1u << 2;
inline constexpr u32 TS = 1u << 3;
inline constexpr u32 ET = 1u << 4;
inline constexpr u32 NE = 1u << 5;
inline constexpr u32 WP = 1u << 16;
inline constexpr u32 AM = 1u << 18;
inline constexpr u32 NW = 1u << 29;
inline constexpr u32 CD = 1u << 30;
inline constexpr u32 PG = 1u << 31;
}  // namespace cr0
namespace cr4 {
inline constexpr u32 VME = 1u << 0;
inline constexpr u32 PVI = 1u << 1;
inline constexpr u32 TSD = 1u << 2;
inline constexpr u32 DE = 1u << 3;
inline constexpr u32 PSE = 1u << 4;
inline constexpr u32 PAE = 1u << 5;
inline constexpr u32 MCE = 1u << 6;
inline constexpr u32 PGE = 1u << 7;
inline constexpr u32 PCE = 1u << 8;
inline constexpr u32 OSFXSR = 1u << 9;
inline constexpr u32 OSXMMEXCPT = 1u << 10;
}  // namespace cr4

// How the last arithmetic instruction left the six arithmetic flags (computed on demand).
enum class FlagOp : u8 {
  kNone,   // eflags holds the arithmetic flags
  kAdd,    // res = src1 + src2
  kAdc,    // res = src1 + src2 + 1 (ADC with carry in; ADC without carry is kAdd)
  kSub,    // res = src1 - src2 (also CMP, NEG with src1 = 0)
  kSbb,    // res = src1 - src2 - 1
  kLogic,  // CF = OF = 0, AF = 0
  kInc,    // res = src1 + 1, CF kept in eflags
  kDec,    // res = src1 - 1, CF kept in eflags
};

struct LazyFlags {
  u32 res = 0;
  u32 src1 = 0;
  u32 src2 = 0;
  FlagOp op = FlagOp::kNone;
  u8 size = 4;  // operand size in bytes
};

// A segment register with its hidden descriptor cache. `attr` holds descriptor bits 40..55
// (type, S, DPL, P, then AVL, L, D/B, G in bits 12..15); limit is byte-granular.
struct Segment {
  u16 selector = 0;
  u32 base = 0;
  u32 limit = 0xFFFF;
  u16 attr = 0x0093;  // present, writable data, accessed
  // Derived for fast checks (see Cpu::refresh_segment): valid offsets are [lo, hi].
  u64 lo = 0;
  u64 hi = 0xFFFF;
  bool readable = true;
  bool writable = true;

  u8 type() const { return attr & 0xF; }
  bool system() const { return !(attr & 0x10); }
  u8 dpl() const { return (attr >> 5) & 3; }
  bool present() const { return attr & 0x80; }
  bool big() const { return attr & 0x4000; }  // D/B
  bool code() const { return !system() && (attr & 0x8); }
  bool conforming() const { return code() && (attr & 0x4); }
  bool expand_down() const { return !system() && !(attr & 0x8) && (attr & 0x4); }

  void serialize(StateIo& io);
};

// GDTR and IDTR.
struct TableReg {
  u32 base = 0;
  u16 limit = 0xFFFF;
  void serialize(StateIo& io);
};

}  // namespace tern
