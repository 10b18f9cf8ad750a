// The decoded form of one instruction, shared by the interpreter and the JIT, and the operation
// ids of ops.def.
#pragma once

#include "base/types.h"

namespace tern {

class Cpu;
struct DecodedInsn;

using Handler = void (*)(Cpu&, const DecodedInsn&);

enum class Op : u16 {
#define OP(id, handler, mnemonic, reads, writes, attrs) id,
#include "cpu/ops.def"
#undef OP
  kCount
};

// kEndsBlock, kNearBranch, kString: see ops.def. kRestarts is set by the decoder on a string
// instruction with a REP prefix, which may stop before its count runs out and restart itself.
enum OpAttr : u8 { kNoAttr = 0, kEndsBlock = 1, kNearBranch = 2, kString = 4, kRestarts = 8 };

struct OpInfo {
  const char* mnemonic;
  Handler handler;
  u32 flags_read;
  u32 flags_written;
  u8 attrs;
};

const OpInfo& op_info(Op op);

// Where an operand lives once decoded.
enum class OperandKind : u8 {
  kNone,
  kReg,   // general register `reg` of `size` bytes (1: AL..BH encoding)
  kMem,   // memory at the effective address (DecodedInsn::ea_*), `size` bytes
  kImm,   // DecodedInsn::imm (already sign- or zero-extended to `size`)
  kSreg,  // segment register `reg`
  kCreg,  // control register `reg`
  kDreg,  // debug register `reg`
  kMmx,   // MMX register `reg`
  kSt,    // x87 stack register ST(reg)
};

struct Operand {
  OperandKind kind = OperandKind::kNone;
  u8 size = 0;  // bytes
  u8 reg = 0;
};

inline constexpr u8 kNoReg = 0xFF;
enum Rep : u8 { kRepNone = 0, kRepE = 1, kRepNE = 2 };

struct DecodedInsn {
  Handler handler = nullptr;
  Op op = Op::kUd;
  u8 len = 0;
  u8 osize = 4;      // operand-size attribute in bytes: 2 or 4
  u8 asize = 4;      // address-size attribute in bytes: 2 or 4
  u8 seg = 3;        // segment of memory operands (default or override); SegReg
  u8 rep = kRepNone;
  bool lock = false;
  u8 opcode = 0;     // the last opcode byte
  u8 modrm = 0;
  u8 ea_base = kNoReg;
  u8 ea_index = kNoReg;
  u8 ea_scale = 0;   // shift count 0..3
  u32 disp = 0;
  u32 imm = 0;       // immediate, relative displacement or far offset
  u32 imm2 = 0;      // second immediate: far selector, ENTER nesting level
  u8 cc = 0;         // condition code for Jcc/SETcc/CMOVcc/FCMOVcc
  u8 attrs = kNoAttr;        // the operation's OpAttr bits (ops.def), and kRestarts
  Operand ops[3];

  u8 modrm_reg() const { return (modrm >> 3) & 7; }
  u8 modrm_rm() const { return modrm & 7; }
  bool has_mem() const {
    return ops[0].kind == OperandKind::kMem || ops[1].kind == OperandKind::kMem ||
           ops[2].kind == OperandKind::kMem;
  }
};

}  // namespace tern
