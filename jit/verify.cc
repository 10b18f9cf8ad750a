#include "jit/verify.h"

#include <algorithm>

#include "base/error.h"
#include "base/log.h"
#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "jit/jit_engine.h"
#include "jit/mode_key.h"

namespace tern {

Verifier::Verifier(JitEngine& engine, Cpu& cpu, PhysMemory& mem) : m_engine(engine), m_cpu(cpu), m_mem(mem) {
  m_owner = m_mem.add_code_listener([this](u64 phys, u64 size) { write_seen(phys, size); });
  // Every RAM page is "code" to the verifier: no store bypasses PhysMemory::write.
  for (u64 page = 0; page < m_mem.low_ram_size(); page += kPageSize) m_mem.mark_code_page(page, m_owner);
  for (u64 page = 0; page < m_mem.high_ram_size(); page += kPageSize)
    m_mem.mark_code_page(PhysMemory::kHighRamBase + page, m_owner);
}

Verifier::~Verifier() { m_mem.remove_code_listener(m_owner); }

void Verifier::write_seen(u64 phys, u64 size) {
  if (!m_recording || size > 16) return;  // larger ranges are remaps, not stores
  for (u64 i = 0; i < size; ++i)
    if (const u8* p = m_mem.ram_ptr(phys + i, 1)) m_old.emplace_back(phys + i, *p);
}

namespace {

// Sorts written bytes by address and keeps the first value recorded for each address.
void first_value_per_address(std::vector<std::pair<u64, u8>>& bytes) {
  std::stable_sort(bytes.begin(), bytes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  bytes.erase(std::unique(bytes.begin(), bytes.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
              bytes.end());
}

}  // namespace

void Verifier::undo_writes() {
  for (auto it = m_old.rbegin(); it != m_old.rend(); ++it) m_mem.dma_write(it->first, &it->second, 1);
}

void Verifier::snapshot(Snapshot& s) const {
  const Cpu& c = m_cpu;
  std::copy(std::begin(c.gpr), std::end(c.gpr), s.gpr);
  s.eip = c.eip;
  s.eflags = c.get_eflags();
  for (int i = 0; i < kSegCount; ++i) {
    s.seg[i][0] = c.seg[i].selector;
    s.seg[i][1] = c.seg[i].base;
    s.seg[i][2] = c.seg[i].limit;
    s.seg[i][3] = c.seg[i].attr;
  }
  s.cr[0] = c.cr0;
  s.cr[1] = c.cr2;
  s.cr[2] = c.cr3;
  s.cr[3] = c.cr4;
  s.dr6 = c.dr[6];
  s.tables[0] = c.gdtr.base;
  s.tables[1] = c.idtr.base;
  s.tables[2] = c.ldtr.selector;
  s.tables[3] = c.tr.selector;
  s.cpl = c.cpl;
  s.halted = c.halted;
  s.retired = c.retired();
  s.fpu = c.fpu;
}

bool Verifier::run_blocks() {
  Cpu& cpu = m_cpu;
  if (m_replaying) {  // the replay faulted where the JIT's run did not: compare() reports it
    m_replaying = m_recording = false;
    compare(*m_block);
  }
  if (m_in_block) {  // the JIT's run faulted: the exception is delivered, nothing to compare
    m_in_block = m_recording = false;
    m_cpu.mmu().set_journal(nullptr);
    m_tlb_journal = {};
    ++m_unchecked;
  }
  if (cpu.block_exit_due()) return false;
  Block* block = m_engine.lookup_block();
  if (!block || static_cast<i64>(cpu.budget() - cpu.executed()) < static_cast<i64>(block->insns)) return false;
  m_block = block;
  m_block_bytes.assign(block->host, block->host + block->guest_bytes);
  cpu.save_checkpoint(m_before);
  const u64 executed = cpu.executed(), mmio = m_mem.mmio_accesses();
  const bool interrupt_before = cpu.interrupt_requested();
  m_old.clear();
  m_recording = m_in_block = true;
  cpu.mmu().set_journal(&m_tlb_journal);
  m_engine.run_one(*block);
  cpu.mmu().set_journal(nullptr);
  m_recording = m_in_block = false;
  // A pending #DB trap is delivered by the run loop after the block under the JIT but inside the
  // last step under the interpreter: both are right, and the states cannot be compared. An
  // interrupt the block raised (FERR#) is a device's state that cannot be rolled back.
  const bool raised_interrupt = !interrupt_before && cpu.interrupt_requested();
  if (m_mem.mmio_accesses() != mmio || cpu.debug_trap_pending() || raised_interrupt || block->port_io_or_halt) {
    m_tlb_journal = {};
    ++m_unchecked;
    return true;
  }
  snapshot(m_jit_state);
  m_jit_bytes = m_old;
  first_value_per_address(m_jit_bytes);
  for (auto& [phys, value] : m_jit_bytes) value = *m_mem.ram_ptr(phys, 1);
  // Back to the snapshot, then let the interpreter run the same instructions.
  undo_writes();
  cpu.set_executed(executed);
  // The TLB and paging registers go back too: the interpreter walks where the JIT's run walked
  // (setting the same accessed and dirty bits) and uses the stale entries it used.
  cpu.restore_checkpoint(m_before);
  cpu.mmu().rollback(m_tlb_journal);
  m_old.clear();
  m_recording = m_replaying = true;
  // As many instructions as the JIT's run retired (a block that loops back into itself retires
  // more than it holds); the bound stops a replay that retires nothing (a fault) from spinning.
  for (u64 steps = m_jit_state.retired - cpu.retired() + 1; cpu.retired() < m_jit_state.retired && steps > 0; --steps)
    cpu.step_instruction();
  m_replaying = m_recording = false;
  compare(*block);
  ++m_verified;
  return true;
}

void Verifier::compare(const Block& block) {
  Snapshot& interp = m_interp_state;
  snapshot(interp);
  const Snapshot& jit = m_jit_state;
  static const char* const kRegs[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
  static const char* const kSegs[6] = {"ES", "CS", "SS", "DS", "FS", "GS"};
  if (interp.retired != jit.retired) report(block, "retired instructions", interp.retired, jit.retired);
  for (int i = 0; i < 8; ++i)
    if (interp.gpr[i] != jit.gpr[i]) report(block, kRegs[i], interp.gpr[i], jit.gpr[i]);
  if (interp.eip != jit.eip) report(block, "EIP", interp.eip, jit.eip);
  if (interp.eflags != jit.eflags) report(block, "EFLAGS", interp.eflags, jit.eflags);
  for (int i = 0; i < kSegCount; ++i)
    for (int f = 0; f < 4; ++f)
      if (interp.seg[i][f] != jit.seg[i][f]) report(block, kSegs[i], interp.seg[i][f], jit.seg[i][f]);
  static const char* const kCrs[4] = {"CR0", "CR2", "CR3", "CR4"};
  for (int i = 0; i < 4; ++i)
    if (interp.cr[i] != jit.cr[i]) report(block, kCrs[i], interp.cr[i], jit.cr[i]);
  if (interp.dr6 != jit.dr6) report(block, "DR6", interp.dr6, jit.dr6);
  for (int i = 0; i < 4; ++i)
    if (interp.tables[i] != jit.tables[i]) report(block, "descriptor table register", interp.tables[i], jit.tables[i]);
  if (interp.cpl != jit.cpl) report(block, "CPL", interp.cpl, jit.cpl);
  if (interp.halted != jit.halted) report(block, "halted", interp.halted, jit.halted);
  if (interp.fpu != jit.fpu) report(block, "x87 state", 0, 1);
  // Every byte either engine wrote: where only the interpreter wrote, the JIT left the old value.
  auto check_byte = [&](u64 phys, u8 jit_byte) {
    const u8 interp_byte = *m_mem.ram_ptr(phys, 1);
    if (interp_byte == jit_byte) return;
    log(LogCat::kJit, LogLevel::kError, "jit-verify: memory at physical {:#x}", phys);
    report(block, "memory byte", interp_byte, jit_byte);
  };
  for (const auto& [phys, jit_byte] : m_jit_bytes) check_byte(phys, jit_byte);
  first_value_per_address(m_old);
  const auto by_address = [](const auto& entry, u64 phys) { return entry.first < phys; };
  for (const auto& [phys, old] : m_old) {
    const auto it = std::lower_bound(m_jit_bytes.begin(), m_jit_bytes.end(), phys, by_address);
    if (it == m_jit_bytes.end() || it->first != phys) check_byte(phys, old);
  }
}

void Verifier::report(const Block& block, const char* field, u64 expected, u64 got) const {
  std::string bytes, insns;
  unsigned offset = 0;
  for (u8 b : m_block_bytes) bytes += fmt::format("{:02x} ", b);
  while (offset < m_block_bytes.size()) {
    DecodedInsn d;
    if (decode(m_block_bytes.data() + offset, static_cast<unsigned>(m_block_bytes.size() - offset),
               block.key & mode::kCode32, d) != DecodeStatus::kOk)
      break;
    insns += fmt::format("{}{}", insns.empty() ? "" : "; ", mnemonic(d.op));
    offset += d.len;
  }
  log(LogCat::kJit, LogLevel::kError, "jit-verify: block at EIP {:08x} (physical {:#x}, {} instructions, mode key {:#x})",
      block.eip, block.phys, block.insns, block.key);
  log(LogCat::kJit, LogLevel::kError, "jit-verify: bytes {}", bytes);
  log(LogCat::kJit, LogLevel::kError, "jit-verify: {}", insns);
  for (const auto& [who, s] : {std::pair{"interpreter", &m_interp_state}, std::pair{"JIT", &m_jit_state}})
    log(LogCat::kJit, LogLevel::kError,
        "jit-verify: {:11} EAX={:08x} ECX={:08x} EDX={:08x} EBX={:08x} ESP={:08x} EBP={:08x} ESI={:08x} EDI={:08x} "
        "EIP={:08x} EFLAGS={:08x} retired {}",
        who, s->gpr[0], s->gpr[1], s->gpr[2], s->gpr[3], s->gpr[4], s->gpr[5], s->gpr[6], s->gpr[7], s->eip, s->eflags,
        s->retired);
  fail("jit-verify: block at {:08x} diverges: {} expected {:#x} (interpreter), got {:#x} (JIT)", block.eip, field,
       expected, got);
}

}  // namespace tern
