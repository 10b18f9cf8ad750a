#include "mmu/mmu.h"

namespace tern {

Mmu::Mmu(PhysMemory& mem) : m_mem(mem), m_identity_addend(reinterpret_cast<uintptr_t>(mem.ram_ptr(0, 1))) {
  m_mem.add_map_listener([this] { flush_all(); });
}

void Mmu::set_regs(const PagingRegs& regs) {
  constexpr u32 kCr0Bits = PagingRegs::kCr0Pg | PagingRegs::kCr0Wp | 1u /* PE */;
  constexpr u32 kCr4Bits = PagingRegs::kCr4Pse | PagingRegs::kCr4Pae | PagingRegs::kCr4Pge;
  const bool mode_change = ((regs.cr0 ^ m_regs.cr0) & kCr0Bits) || ((regs.cr4 ^ m_regs.cr4) & kCr4Bits) ||
                           ((regs.efer ^ m_regs.efer) & (PagingRegs::kEferNxe | PagingRegs::kEferLma));
  const bool cr3_change = regs.cr3 != m_regs.cr3;
  m_regs = regs;
  if (mode_change)
    flush_all();
  else if (cr3_change)
    flush_non_global();
}

void Mmu::record(bool user, u32 lin) {
  const u32 index = (lin >> 12) & (kTlbSize - 1);
  m_journal->changes.push_back({user, index, m_tlb[user][index], m_exec_phys[user][index]});
}

void Mmu::rollback(TlbJournal& journal) {
  for (auto it = journal.changes.rbegin(); it != journal.changes.rend(); ++it) {
    m_tlb[it->user][it->index] = it->entry;
    m_exec_phys[it->user][it->index] = it->exec_phys;
  }
  journal.changes.clear();
  m_regs = journal.regs;
}

void Mmu::flush(bool keep_global) {
  for (unsigned user = 0; user < 2; ++user) {
    for (u32 index = 0; index < kTlbSize; ++index) {
      TlbEntry& e = m_tlb[user][index];
      if (keep_global && e.global) continue;
      if (m_journal) m_journal->changes.push_back({user != 0, index, e, m_exec_phys[user][index]});
      e = TlbEntry{};
    }
  }
}

void Mmu::flush_all() { flush(false); }

void Mmu::flush_non_global() { flush(true); }

void Mmu::invlpg(u32 lin) {
  for (int user = 0; user < 2; ++user) {
    if (m_journal) record(user, lin);
    TlbEntry& e = entry(user, lin);
    // The index may hold another page; only drop it if it is this one (any kind of tag).
    const u32 page = lin & 0xFFFFF000u;
    if (e.read_tag == page || e.write_tag == page || e.exec_tag == page) e = TlbEntry{};
  }
}

Mmu::Fill Mmu::fill(u32 lin, Access access, bool user) {
  if (m_journal) record(user, lin);
  const WalkResult w = page_walk(m_mem, m_regs, lin, access, user, m_mem.a20_mask());
  if (!w.ok) return {false, w.error_code, 0, nullptr};
  const u64 phys = w.phys & m_mem.a20_mask();
  const u64 phys_page = phys & kPageMask;
  const u32 lin_page = lin & 0xFFFFF000u;

  const PhysMemory::PageMap map = m_mem.map_page(phys_page);
  TlbEntry& e = entry(user, lin);
  const bool same_page = e.read_tag == lin_page || e.write_tag == lin_page || e.exec_tag == lin_page;
  if (!same_page) e = TlbEntry{};
  e.global = w.global;
  u8* base = map.read ? map.read : map.write;
  if (base) e.addend = reinterpret_cast<uintptr_t>(base) - lin_page;
  if (map.read && (!user || w.user_ok)) {
    e.read_tag = lin_page;
    if (w.executable) {
      e.exec_tag = lin_page;
      m_exec_phys[user][(lin >> 12) & (kTlbSize - 1)] = phys_page;
    }
  }
  if (map.write && map.write == base && w.writable && w.dirty && (!user || w.user_ok)) e.write_tag = lin_page;
  const bool identity = base && e.addend == m_identity_addend;
  e.identity_read_tag = identity ? e.read_tag : TlbEntry::kInvalidTag;
  e.identity_write_tag = identity ? e.write_tag : TlbEntry::kInvalidTag;

  u8* host = nullptr;
  if (access == Access::kWrite) {
    if (map.write && w.writable) host = map.write + (phys - phys_page);
  } else if (map.read) {
    host = map.read + (phys - phys_page);
  }
  return {true, 0, phys, host};
}

}  // namespace tern
