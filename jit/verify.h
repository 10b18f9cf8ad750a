// --jit-verify: the interpreter in lockstep with the JIT, one block at a time. A block runs under
// the JIT from a snapshot of the CPU, with every guest memory write logged (all of RAM is marked
// as code for the verifier, so each store reaches PhysMemory with its old bytes); then the CPU
// and memory go back to the snapshot, the interpreter runs the same number of instructions, and
// registers, flags, segments, control registers, x87 state and every written byte must agree.
// The first difference stops the run with a report (block address and bytes, the field,
// expected = interpreter, got = JIT). Blocks that touch devices (port I/O, MMIO, raising an
// interrupt), halt or fault cannot be run twice and are accepted unchecked.
#pragma once

#include <vector>

#include "base/types.h"
#include "cpu/fpu/x87_state.h"
#include "jit/block.h"
#include "mmu/mmu.h"

namespace tern {

class Cpu;
class JitEngine;
class PhysMemory;

class Verifier {
 public:
  Verifier(JitEngine& engine, Cpu& cpu, PhysMemory& mem);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // The engine's run_blocks() in verify mode.
  bool run_blocks();

  u64 blocks_verified() const { return m_verified; }
  u64 blocks_unchecked() const { return m_unchecked; }

 private:
  // Architectural state compared after each block (lazy-flag encodings may differ: EFLAGS is
  // compared as the guest would read it).
  struct Snapshot {
    u32 gpr[8];
    u32 eip;
    u32 eflags;
    u32 seg[6][4];  // selector, base, limit, attributes
    u32 cr[4];  // CR0, CR2, CR3, CR4
    u32 dr6;
    u32 tables[4];  // GDTR base, IDTR base, LDTR selector, TR selector
    u8 cpl;
    bool halted;
    u64 retired;
    X87State fpu;
  };

  void snapshot(Snapshot& into) const;
  void write_seen(u64 phys, u64 size);
  void undo_writes();
  void compare(const Block& block);
  [[noreturn]] void report(const Block& block, const char* field, u64 expected, u64 got) const;

  JitEngine& m_engine;
  Cpu& m_cpu;
  PhysMemory& m_mem;
  unsigned m_owner = 0;

  bool m_recording = false;
  std::vector<std::pair<u64, u8>> m_old;  // every byte written while recording, first value
  std::vector<std::pair<u64, u8>> m_jit_bytes;  // by address: what the JIT's run left there

  bool m_in_block = false;     // a JIT run is under way (still set: it faulted)
  bool m_replaying = false;    // the interpreter is re-running the block
  const Block* m_block = nullptr;
  std::vector<u8> m_block_bytes;
  TlbJournal m_tlb_journal;  // TLB entries the block's JIT run changed
  std::vector<u8> m_before;  // the CPU before the block (Cpu::save_checkpoint)
  Snapshot m_jit_state{};
  Snapshot m_interp_state{};

  u64 m_verified = 0;
  u64 m_unchecked = 0;
};

}  // namespace tern
