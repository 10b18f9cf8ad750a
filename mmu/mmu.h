// The software TLB ("shadow page tables") in front of the page walker.
//
// Design notes
// - Two entry sets, one for supervisor and one for user (CPL 3) accesses, each direct-mapped by
//   linear page number. An entry holds one tag per access kind (read, write, execute) and one
//   addend: host address = linear address + addend. A tag equals the page-aligned linear address
//   when that kind of access may use the host pointer, and kInvalidTag otherwise.
// - A hit is: index, compare the tag, check the access stays inside the page, add. Everything
//   else (first touch, page crossing, MMIO, ROM writes, clean pages that must get their dirty bit,
//   pages holding translated code) takes the slow path: fill() walks, sets A/D, faults, or gives
//   the physical address for PhysMemory::read/write.
// - Invariants: a write tag is only set when the page is writable at that privilege, its dirty bit
//   is already set, its physical page is not marked as code, and reads and writes reach the same
//   host bytes. Flushes: CR3 writes keep global entries; CR0/CR4 paging changes, A20, PAM, remaps
//   and code marks drop everything; INVLPG drops one page in both sets.
#pragma once

#include <vector>

#include "base/types.h"
#include "mmu/paging.h"
#include "mmu/phys_memory.h"

namespace tern {

// 32 bytes (a power of two) so that generated code finds an entry with a shift and a mask.
struct alignas(32) TlbEntry {
  static constexpr u32 kInvalidTag = 1;
  u32 read_tag = kInvalidTag;
  u32 write_tag = kInvalidTag;
  u32 exec_tag = kInvalidTag;
  u32 global = 0;
  uintptr_t addend = 0;
  // read_tag and write_tag again when the page maps linear addresses one to one onto low RAM
  // (addend is Mmu::identity_addend()), else invalid: generated code that expects that addend
  // checks the tag and the addend with one compare.
  u32 identity_read_tag = kInvalidTag;
  u32 identity_write_tag = kInvalidTag;
};
static_assert(sizeof(TlbEntry) == 32);

// --jit-verify runs a block twice from one state: while a journal is attached, every TLB entry a
// fill, INVLPG or flush changes is recorded first, so rollback() puts the TLB (and the paging
// registers it was filled under) back exactly.
struct TlbJournal {
  struct Change {
    bool user;
    u32 index;
    TlbEntry entry;
    u64 exec_phys;
  };
  std::vector<Change> changes;
  PagingRegs regs;
};

class Mmu {
 public:
  static constexpr unsigned kTlbBits = 10;
  static constexpr unsigned kTlbSize = 1u << kTlbBits;

  explicit Mmu(PhysMemory& mem);
  Mmu(const Mmu&) = delete;
  Mmu& operator=(const Mmu&) = delete;

  PhysMemory& phys() { return m_mem; }
  const PagingRegs& regs() const { return m_regs; }
  // Installs new control registers, flushing what the change requires.
  void set_regs(const PagingRegs& regs);

  void flush_all();
  void flush_non_global();
  void invlpg(u32 lin);

  TlbEntry& entry(bool user, u32 lin) { return m_tlb[user][(lin >> 12) & (kTlbSize - 1)]; }

  // Fast-path host pointer or null. `size` bytes starting at lin must stay in one page.
  u8* lookup_read(u32 lin, unsigned size, bool user) { return lookup(lin, size, user, &TlbEntry::read_tag); }
  u8* lookup_write(u32 lin, unsigned size, bool user) { return lookup(lin, size, user, &TlbEntry::write_tag); }
  u8* lookup_exec(u32 lin, unsigned size, bool user) { return lookup(lin, size, user, &TlbEntry::exec_tag); }

  // Slow path for one page: walks, sets A/D bits and fills the TLB entry. On success `phys` is
  // the physical address of lin and `host` its host byte when the access may go straight to
  // host memory (null: go through PhysMemory::read/write).
  struct Fill {
    bool ok;
    u32 error_code;  // #PF error code when !ok
    u64 phys;
    u8* host;
  };
  Fill fill(u32 lin, Access access, bool user);

  // Linear-to-physical translation of the page of lin as last filled for execution (the JIT
  // keys blocks by physical address).
  // The addend of a page whose linear address is its physical address in low RAM.
  uintptr_t identity_addend() const { return m_identity_addend; }
  u64 exec_phys_page(bool user, u32 lin) const { return m_exec_phys[user][(lin >> 12) & (kTlbSize - 1)]; }

  // Journal (null: none); rollback() undoes what the journal recorded, newest first, and clears it.
  void set_journal(TlbJournal* journal) {
    m_journal = journal;
    if (journal) journal->regs = m_regs;
  }
  void rollback(TlbJournal& journal);

 private:
  u8* lookup(u32 lin, unsigned size, bool user, u32 TlbEntry::*tag) {
    const TlbEntry& e = entry(user, lin);
    if (e.*tag == (lin & 0xFFFFF000u) && (lin & 0xFFF) <= 0x1000 - size)
      return reinterpret_cast<u8*>(static_cast<uintptr_t>(lin) + e.addend);
    return nullptr;
  }

  PhysMemory& m_mem;
  PagingRegs m_regs;
  TlbEntry m_tlb[2][kTlbSize];
  u64 m_exec_phys[2][kTlbSize] = {};
  uintptr_t m_identity_addend;
  TlbJournal* m_journal = nullptr;

  void record(bool user, u32 lin);
  void flush(bool keep_global);
};

}  // namespace tern
