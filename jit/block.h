// Translated blocks and the records their generated code points at.
//
// Design notes
// - A block is a run of consecutive guest instructions from its first EIP up to an instruction
//   that ends a block (ops.def kEndsBlock, a REP string instruction), the end of the 4 KiB page,
//   or kMaxBlockInsns. Conditional branches inside it are side exits: the fall-through goes on in
//   the block, so a loop body with early-out tests runs as one block. It is keyed by the physical
//   address of its first byte, its EIP (generated code bakes in EIP values) and the mode key
//   (jit/mode_key.h).
// - Generated code refers to OpSite records (instructions run by their interpreter handler, and
//   the slow path of every inlined memory access) and BlockExit records (patchable jumps to
//   static targets). Records live until the next full flush of the code cache, even when their
//   block is invalidated, because code that is running may still return through them.
// - Chaining: an exit whose target lies on the same linear page as the block's first byte is
//   linked by patching its jump to the target block's entry; the target keeps a list of incoming
//   exits so that invalidating it puts every such jump back on its exit stub.
#pragma once

#include <vector>

#include "base/types.h"
#include "cpu/insn.h"

namespace tern {

struct Block;

inline constexpr unsigned kMaxBlockInsns = 64;

// One instruction of a block that generated code hands to the interpreter: either always (no
// inline form) or on the slow path of an inlined memory access.
struct OpSite {
  DecodedInsn insn;
  u32 eip = 0;
  u32 next_eip = 0;  // fall-through EIP
  // Instructions of the block from this one to its end, this one included: the part of the
  // block's instruction count charged at entry that has not been executed yet.
  u32 uncharged = 0;
  Block* block = nullptr;
  // The operation may change what the block's mode key describes (segments, CPL, CR0, DF, ...),
  // so the block may only go on after it when the key is unchanged.
  bool may_change_mode = false;
};

// A jump from a block to a static guest target, patchable to chain to the target's block.
struct BlockExit {
  Block* from = nullptr;
  u32 target_eip = 0;
  u32 jump_offset = 0;  // the jump's rel32 field, as an offset in from->code
  u32 stub_offset = 0;  // the exit stub the jump targets while unlinked
  bool chainable = false;
  Block* linked = nullptr;
};

struct Block {
  u64 phys = 0;        // physical address of the first guest byte
  u32 eip = 0;
  u32 key = 0;         // mode key
  const u8* host = nullptr;  // host address of the first guest byte (jump-cache check)
  u32 guest_bytes = 0;
  u32 insns = 0;
  bool port_io_or_halt = false;  // has IN OUT INS OUTS or HLT (--jit-verify leaves it unchecked)
  u8* code = nullptr;  // entry point
  u32 code_size = 0;
  bool valid = true;
  u32 jump_cache_slot = ~u32{0};
  std::vector<BlockExit*> incoming;  // linked exits of other blocks that jump here
  std::vector<BlockExit*> exits;     // this block's own patchable exits
};

}  // namespace tern
