// Block discovery: decodes a guest basic block from the host bytes of its code page with the
// shared decoder, and works out which arithmetic flags each instruction must leave behind.
#pragma once

#include <array>

#include "base/types.h"
#include "cpu/state.h"
#include "jit/block.h"

namespace tern {

class Cpu;

struct GuestInsn {
  DecodedInsn d;
  u32 eip = 0;
  u32 next_eip = 0;  // fall-through EIP (wrapped to 16 bits in 16-bit code)
  // Arithmetic flags whose value after this instruction can still be observed: read by a later
  // instruction of the block, seen by an instruction that may fault or leave generated code, or
  // live at the block's end. Flags outside this set need not be computed.
  u32 flags_live_out = 0;
};

struct BlockSource {
  u32 eip = 0;
  u32 lin = 0;
  u64 phys = 0;
  const u8* host = nullptr;  // host bytes of the first instruction
  u32 key = 0;
  u32 bytes = 0;
  unsigned count = 0;
  std::array<GuestInsn, kMaxBlockInsns> insns;
  // Arithmetic flags the block can observe as they were at its start (0: it overwrites them all
  // before anything can look at them).
  u32 flags_live_in = fl::kArith;
};

// Decodes the block at EIP `eip` (linear `lin`, physical `phys`, host bytes `host`) under mode
// key `key`. Stops after an instruction that ends a block and before an instruction that does not
// fit in the page or the CS limit; false when not even the first instruction fits (the
// interpreter then runs it).
bool discover_block(const Cpu& cpu, u32 key, u32 eip, u32 lin, u64 phys, const u8* host, BlockSource& out);

// Whether generated code can run this instruction without any chance of faulting or calling out
// of generated code: the instruction then does not observe the flags that precede it.
using PureInsnPredicate = bool (*)(const DecodedInsn&);

// Fills GuestInsn::flags_live_out backwards over the block, and BlockSource::flags_live_in.
void compute_flag_liveness(BlockSource& block, PureInsnPredicate pure);

// MOVS CMPS STOS LODS SCAS INS OUTS.
bool is_string_op(Op op);
// Whether the instruction is the last of its block: it transfers control or changes the mode
// (ops.def kEndsBlock), or it is a REP string instruction (which may restart itself). A
// conditional branch is not: the block goes on with its fall-through and leaves through a side
// exit when the branch is taken.
bool ends_block(const DecodedInsn& d);

// The arithmetic flags condition code `cc` (0..15, as in Jcc) reads.
u32 condition_flags(u8 cc);

}  // namespace tern
