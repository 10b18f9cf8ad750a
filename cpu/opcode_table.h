// The opcode table: one row per encoding form. The decoder, the disassembly in logs and the tests
// all read these rows; the semantics of each operation are in ops.def and cpu/ops/.
#pragma once

#include <span>

#include "cpu/insn.h"

namespace tern {

// Operand specifications, after the notation of Intel SDM Vol. 2 Appendix A.
enum class Spec : u8 {
  kNone,
  // ModRM r/m: register or memory.
  Eb, Ew, Ed, Ev,
  // ModRM r/m, memory only (any register form of the row is #UD). Sizes: M none (LEA, INVLPG),
  // Mp far pointer (osize + 2), Ma BOUND pair, Ms pseudo-descriptor (6), Mt 10 bytes,
  // Menv x87 environment (14/28), Mstate x87 state (94/108), Mfx 512-byte FXSAVE area.
  M, Mb, Mw, Md, Mq, Mt, Mv, Mp, Ma, Ms, Menv, Mstate, Mfx,
  // ModRM r/m, register only (MOV to/from CRn/DRn take the register form whatever mod says).
  Rd,
  // ModRM r/m: a register of the operand size, or a 16-bit memory word (SLDT STR SMSW, MOV from
  // a segment register, the source of LAR LSL).
  RvMw,
  // ModRM reg field.
  Gb, Gw, Gd, Gv, Sw, Cd, Dd,
  // Immediates and branch targets.
  Ib, Iw, Iz, Ibs, Jb, Jz, Ap, Ob, Ov, One,
  // Fixed registers.
  AL, eAX, CL, DX,
  ES, CS, SS, DS, FS, GS,
  // Register in opcode bits 2:0.
  Zb, Zv, Zd,
  // MMX: P reg field, Q r/m register or memory, N r/m register only.
  Pq, Qq, Qd, Nq,
  // x87 stack: ST(0) and ST(i) from r/m.
  ST0, STi,
  // No operand; sets the operand size of string instructions.
  Xb, Xv,
};

enum RowFlags : u8 {
  kRowNone = 0,
  kLockable = 1,   // LOCK allowed with a memory destination
  kModMem = 2,     // row applies to mod != 3 only
  kModReg = 4,     // row applies to mod == 3 only
};

struct OpcodeRow {
  u16 opcode;  // one-byte map: 0x00..0xFF; 0F map: 0x0F00 | byte
  i8 reg;      // ModRM.reg the row requires, or -1
  i8 rm;       // ModRM.rm the row requires (mod == 3 rows), or -1
  Op op;
  Spec a = Spec::kNone, b = Spec::kNone, c = Spec::kNone;
  u8 flags = kRowNone;
};

// Every table the decoder merges: integer, x87, MMX.
std::span<const OpcodeRow> integer_opcode_rows();
std::span<const OpcodeRow> x87_opcode_rows();
std::span<const OpcodeRow> mmx_opcode_rows();

}  // namespace tern
