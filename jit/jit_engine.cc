#include "jit/jit_engine.h"

#include <algorithm>
#include <chrono>

#include "base/log.h"
#include "jit/mode_key.h"

namespace tern {

namespace {

u64 now_ns() {
  return static_cast<u64>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace

JitEngine::JitEngine(Cpu& cpu, const JitOptions& options)
    : m_cpu(cpu), m_mem(cpu.mmu().phys()), m_options(options), m_cache(options.cache_bytes) {
  if (!m_cache.ok()) return;
  m_backend = make_host_backend(*this);
  if (!m_backend) return;
  m_code_owner = m_mem.add_code_listener([this](u64 phys, u64 size) { code_changed(phys, size); });
  if (options.perf_map) m_perf_map.open();
  start_generation();
  if (options.verify) m_verifier = std::make_unique<Verifier>(*this, cpu, m_mem);
}

JitEngine::~JitEngine() {
  if (!m_backend) return;
  if (m_cpu.block_engine() == this) m_cpu.set_block_engine(nullptr);
  m_mem.remove_code_listener(m_code_owner);
  if (m_verifier)
    log(LogCat::kJit, LogLevel::kInfo, "jit-verify: {} blocks verified, {} run unchecked (devices, HLT, faults)",
        m_verifier->blocks_verified(), m_verifier->blocks_unchecked());
  log(LogCat::kJit, LogLevel::kInfo,
      "jit: {} blocks ({} guest instructions) translated in {:.3f} s, {} flushes, {} invalidated, "
      "{} links, {} dispatches, code cache peak {} KiB",
      m_stats.blocks_translated, m_stats.guest_insns_translated, m_stats.translate_ns / 1e9, m_stats.flushes,
      m_stats.invalidated_blocks, m_stats.chained_links, m_stats.dispatches,
      std::max(m_stats.code_bytes_peak, m_cache.used()) >> 10);
}

void JitEngine::start_generation() {
  m_cache.reset_to(m_cache.code_start());
  m_cache.context() = JitContext{};
  m_runtime_ok = m_backend->emit_runtime(m_cache);
}

void JitEngine::flush() {
  if (!m_backend) return;
  for (const auto& [page, blocks] : m_pages) m_mem.clear_code_page(page, m_code_owner);
  m_pages.clear();
  m_map.clear();
  m_blocks.clear();
  m_sites.clear();
  m_exits.clear();
  ++m_generation;
  ++m_stats.flushes;
  start_generation();
}

bool JitEngine::run_blocks(Cpu& cpu) {
  if (!ok()) return false;
  if (m_verifier) return m_verifier->run_blocks();
  if (cpu.block_exit_due()) return false;
  bool ran = false;
  BlockExit* from = nullptr;
  u64 generation = m_generation;
  for (;;) {
    ++m_stats.dispatches;
    Block* block = find_block(mode_key(cpu));
    if (!block) return ran;
    if (generation != m_generation) {  // the lookup flushed the cache: `from` is gone
      from = nullptr;
      generation = m_generation;
    }
    const i64 left = static_cast<i64>(cpu.budget() - cpu.executed());
    if (left < static_cast<i64>(block->insns)) return ran;
    if (from && from->chainable && from->from->valid && !from->linked && from->from->key == block->key) link(*from, *block);
    context().left = left;
    from = m_backend->run(cpu, block->code);
    cpu.set_executed(cpu.budget() - static_cast<u64>(without_exit_request(context().left)));
    ran = true;
    if (cpu.block_exit_due()) return true;
  }
}

void JitEngine::run_one(Block& block) {
  ++m_stats.dispatches;
  context().left = static_cast<i64>(m_cpu.budget() - m_cpu.executed());
  m_backend->run(m_cpu, block.code);
  m_cpu.set_executed(m_cpu.budget() - static_cast<u64>(without_exit_request(context().left)));
}

Block* JitEngine::find_block(u32 key) {
  Cpu& cpu = m_cpu;
  const bool user = cpu.cpl == 3;
  const u32 lin = cpu.seg[kCs].base + cpu.eip;
  const u8* host = cpu.mmu().lookup_exec(lin, 1, user);
  if (!host) {
    // The fill an instruction fetch would make (accessed bits included); faults are left to the
    // interpreter, which raises them at this instruction.
    const Mmu::Fill f = cpu.mmu().fill(lin, Access::kExec, user);
    if (!f.ok || !f.host) return nullptr;
    host = cpu.mmu().lookup_exec(lin, 1, user);
    if (!host) return nullptr;  // ROM or RAM not reachable as a whole page (e.g. MMIO overlap)
  }
  // The same host bytes under the same key and EIP: the block the jump cache remembers.
  const JumpCacheEntry& cached = context().jump_cache[jump_cache_slot(lin)];
  if (cached.host == host && cached.tag == jump_cache_tag(key, cpu.eip) && cached.block) return cached.block;
  const u64 phys = cpu.mmu().exec_phys_page(user, lin) | (lin & 0xFFF);
  Block* block;
  if (const auto it = m_map.find(BlockId{phys, cpu.eip, key}); it != m_map.end()) {
    block = it->second;
  } else {
    block = translate(key, lin, phys, host);
    if (!block) return nullptr;
  }
  // In verify mode every block returns to the engine: no jump cache.
  if (!m_verifier) remember_in_jump_cache(*block, lin);
  return block;
}

Block* JitEngine::translate(u32 key, u32 lin, u64 phys, const u8* host) {
  const u64 start = now_ns();
  if (!discover_block(m_cpu, key, m_cpu.eip, lin, phys, host, m_source)) return nullptr;
  compute_flag_liveness(m_source, m_backend->pure_insn());
  auto new_block = [&] {
    Block* b = &m_blocks.emplace_back();
    b->phys = phys;
    b->eip = m_cpu.eip;
    b->key = key;
    b->host = host;
    b->guest_bytes = m_source.bytes;
    b->insns = m_source.count;
    b->port_io_or_halt = std::any_of(m_source.insns.begin(), m_source.insns.begin() + m_source.count, [](const GuestInsn& g) {
      switch (g.d.op) {
        case Op::kIn: case Op::kOut: case Op::kIns: case Op::kOuts: case Op::kHlt: return true;
        default: return false;
      }
    });
    return b;
  };
  Block* block = new_block();
  if (!m_backend->translate(m_source, *block)) {
    // The cache is full: start over with an empty one (nothing is running at this point).
    m_stats.code_bytes_peak = std::max(m_stats.code_bytes_peak, m_cache.used());
    log(LogCat::kJit, LogLevel::kInfo, "code cache full ({} KiB): flushing", m_cache.used() >> 10);
    flush();
    block = new_block();
    if (!m_backend->translate(m_source, *block)) return nullptr;
  }
  m_stats.code_bytes_peak = std::max(m_stats.code_bytes_peak, m_cache.used());
  m_perf_map.add_block(block->code, block->code_size, block->eip, phys);
  m_map[BlockId{phys, block->eip, key}] = block;
  const u64 page = phys & kPageMask;
  m_pages[page].push_back(block);
  m_mem.mark_code_page(page, m_code_owner);
  ++m_stats.blocks_translated;
  m_stats.guest_insns_translated += block->insns;
  m_stats.translate_ns += now_ns() - start;
  return block;
}

void JitEngine::link(BlockExit& exit, Block& target) {
  m_backend->patch_exit(exit, target.code);
  exit.linked = &target;
  target.incoming.push_back(&exit);
  ++m_stats.chained_links;
}

void JitEngine::remember_in_jump_cache(Block& block, u32 lin) {
  JumpCacheEntry* table = context().jump_cache;
  const u32 slot = jump_cache_slot(lin);
  if (block.jump_cache_slot != ~u32{0} && block.jump_cache_slot != slot && table[block.jump_cache_slot].code == block.code)
    table[block.jump_cache_slot] = JumpCacheEntry{};
  table[slot] = JumpCacheEntry{block.host, block.code, jump_cache_tag(block.key, block.eip), &block};
  block.jump_cache_slot = slot;
}

void JitEngine::invalidate(Block& block) {
  block.valid = false;
  m_map.erase(BlockId{block.phys, block.eip, block.key});
  for (BlockExit* in : block.incoming) {
    if (in->linked != &block) continue;
    m_backend->patch_exit(*in, nullptr);
    in->linked = nullptr;
  }
  block.incoming.clear();
  JumpCacheEntry* table = context().jump_cache;
  if (block.jump_cache_slot != ~u32{0} && table[block.jump_cache_slot].code == block.code)
    table[block.jump_cache_slot] = JumpCacheEntry{};
  ++m_stats.invalidated_blocks;
}

// The bytes of [phys, phys + size) changed (or will change right after this call): every block
// with a guest byte in that range is invalidated.
void JitEngine::code_changed(u64 phys, u64 size) {
  if (size == 0) return;
  const u64 end = phys + size;
  const u64 first_page = phys & kPageMask;
  const u64 last_page = (end - 1) & kPageMask;
  auto visit = [&](u64 page, std::vector<Block*>& blocks) {
    std::erase_if(blocks, [&](Block* b) {
      if (b->phys >= end || b->phys + b->guest_bytes <= phys) return false;
      invalidate(*b);
      return true;
    });
    if (blocks.empty()) m_mem.clear_code_page(page, m_code_owner);
    return blocks.empty();
  };
  if ((last_page - first_page) / kPageSize > m_pages.size()) {
    for (auto it = m_pages.begin(); it != m_pages.end();) {
      if (it->first >= first_page && it->first <= last_page && visit(it->first, it->second))
        it = m_pages.erase(it);
      else
        ++it;
    }
    return;
  }
  for (u64 page = first_page; page <= last_page; page += kPageSize) {
    const auto it = m_pages.find(page);
    if (it != m_pages.end() && visit(page, it->second)) m_pages.erase(it);
  }
}

void JitEngine::sync_executed(u32 uncharged) {
  const i64 left = without_exit_request(context().left) + uncharged;
  m_cpu.set_executed(m_cpu.budget() - static_cast<u64>(left));
}

void JitEngine::after_helper(const Block& block, u32 uncharged, bool must_exit, bool may_change_mode) {
  const i64 left = static_cast<i64>(m_cpu.budget() - m_cpu.executed()) - uncharged;
  const bool stop = must_exit || left < 0 || !block.valid || m_cpu.block_exit_due() ||
                    (may_change_mode && mode_key(m_cpu) != block.key);
  context().left = stop ? left - kExitRequest : left;
}

}  // namespace tern
