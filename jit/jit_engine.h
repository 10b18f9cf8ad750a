// The JIT engine: runs the guest through translated blocks (jit/block.h) on behalf of the CPU's
// run loop (cpu/cpu.h BlockEngine).
//
// Design notes
// - Lookup: EIP -> linear (CS base) -> physical through the execute TLB (a miss fills it exactly
//   as an instruction fetch would) -> the block map keyed by (physical address, EIP, mode key).
//   A miss discovers and translates the block; pages holding translated code are marked in
//   PhysMemory so that writes to them are reported here and invalidate the blocks they touch.
// - Running: a block is entered only when the budget covers all its instructions, so the run loop
//   gets control back at exactly the boundary where the interpreter would stop. Inside generated
//   code, events can only arise in helpers (the interpreter handlers, slow paths): each helper
//   asks for an exit after its instruction when Cpu::block_exit_due() holds, the block it runs in
//   was invalidated, or the mode key changed. Interrupts are therefore taken at the same
//   instruction boundaries as under the interpreter, and retired() counts exactly the same.
// - Transfers: static exits on the same linear page are chained by patching; other jumps go
//   through the jump cache (jit/context.h) from generated code, and only misses come back here.
// - The code cache is flushed as a whole when full, on RESET and on state load.
#pragma once

#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include "cpu/cpu.h"
#include "jit/backend.h"
#include "jit/block.h"
#include "jit/code_cache.h"
#include "jit/mode_key.h"
#include "jit/perf_map.h"
#include "jit/verify.h"

namespace tern {

struct JitOptions {
  size_t cache_bytes = size_t{128} << 20;  // reserved address space; only what is used is resident
  // Runs the interpreter in lockstep and stops at the first difference (jit/verify.h).
  bool verify = false;
  // Writes /tmp/perf-PID.map naming every block for Linux perf (jit/perf_map.h).
  bool perf_map = false;
};

struct JitStats {
  u64 blocks_translated = 0;
  u64 guest_insns_translated = 0;
  u64 flushes = 0;
  u64 invalidated_blocks = 0;
  u64 translate_ns = 0;       // host time spent discovering and translating
  u64 dispatches = 0;         // returns to the engine's lookup loop
  u64 chained_links = 0;
  size_t code_bytes_peak = 0;  // most code cache bytes in use at once
};

class JitEngine final : public BlockEngine {
 public:
  JitEngine(Cpu& cpu, const JitOptions& options = {});
  ~JitEngine() override;
  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  // False when this host has no backend or refused executable memory.
  bool ok() const { return m_backend && m_cache.ok() && m_runtime_ok; }

  bool run_blocks(Cpu& cpu) override;
  void flush() override;

  const JitStats& stats() const { return m_stats; }
  size_t code_bytes_used() const { return m_cache.used(); }
  size_t blocks_live() const { return m_map.size(); }

  // ---- For backends and helpers ----
  Cpu& cpu() { return m_cpu; }
  CodeCache& cache() { return m_cache; }
  JitContext& context() { return m_cache.context(); }
  OpSite& new_site() { return m_sites.emplace_back(); }
  BlockExit& new_exit() { return m_exits.emplace_back(); }
  PerfMap& perf_map() { return m_perf_map; }
  // Before a helper runs: brings Cpu::executed() up to date from the context's `left`, with
  // `uncharged` instructions of the running block not executed yet.
  void sync_executed(u32 uncharged);
  // After a helper: recomputes `left` for generated code (the budget may have shrunk) with
  // `uncharged` instructions still to run, adding an exit request when the block must stop.
  // `may_change_mode`: the operation may change the mode key (OpSite::may_change_mode).
  void after_helper(const Block& block, u32 uncharged, bool must_exit, bool may_change_mode);

  // ---- For the verifier ----
  // The block at CS:EIP (translated if needed), or null when the interpreter must run it.
  Block* lookup_block() { return find_block(mode_key(m_cpu)); }
  // Runs exactly one block (nothing is chained in verify mode) and accounts for it.
  void run_one(Block& block);
  const Verifier* verifier() const { return m_verifier.get(); }

 private:
  struct BlockId {
    u64 phys;
    u32 eip;
    u32 key;
    bool operator==(const BlockId&) const = default;
  };
  struct BlockIdHash {
    size_t operator()(const BlockId& id) const {
      return std::hash<u64>()(id.phys * 0x9E3779B97F4A7C15ull ^ (u64{id.eip} << 32 | id.key));
    }
  };

  Block* find_block(u32 key);
  Block* translate(u32 key, u32 lin, u64 phys, const u8* host);
  void link(BlockExit& exit, Block& target);
  void remember_in_jump_cache(Block& block, u32 lin);
  void invalidate(Block& block);
  void code_changed(u64 phys, u64 size);
  void start_generation();

  Cpu& m_cpu;
  PhysMemory& m_mem;
  JitOptions m_options;
  CodeCache m_cache;
  std::unique_ptr<Backend> m_backend;
  bool m_runtime_ok = false;
  unsigned m_code_owner = 0;
  u64 m_generation = 0;  // bumped by every flush: pointers from before it are dead

  std::deque<Block> m_blocks;
  std::deque<OpSite> m_sites;
  std::deque<BlockExit> m_exits;
  std::unordered_map<BlockId, Block*, BlockIdHash> m_map;
  std::unordered_map<u64, std::vector<Block*>> m_pages;  // physical page -> blocks starting on it
  BlockSource m_source;
  JitStats m_stats;
  std::unique_ptr<Verifier> m_verifier;
  PerfMap m_perf_map;
};

}  // namespace tern
