// The decoded-instruction cache: "decode once, run many". The interpreter looks an instruction up
// by the physical address of its first byte and the code-segment size before decoding it.
//
// Design notes
// - A direct-mapped table; an entry's tag holds its physical address, its code size and the
//   cache's epoch when it was filled, so flush() (a new epoch) is O(1) and a lookup is one
//   compare.
// - Only instructions wholly inside one RAM or ROM page are cached (the caller decides).
// - Invalidation goes through PhysMemory's code-page marks, which the JIT shares: a page holding a
//   cached instruction is marked; CPU writes to a marked page then leave the TLB fast path and,
//   like DMA writes, reach the cache's code listener, which drops the entries the written bytes may
//   belong to (those starting up to 14 bytes before them on the page).
// - Any change of what a physical address means (PAM, ROM and MMIO regions, new code marks)
//   reaches PhysMemory's map listeners; the cache flushes on it.
// - A marked page written kUnmarkWrites times since an instruction was last decoded from it
//   loses its mark, so a page that held code once gets fast writes back; the cache is flushed
//   then, and the page is marked again when code on it is decoded.
#pragma once

#include <memory>
#include <vector>

#include "cpu/insn.h"
#include "mmu/phys_memory.h"

namespace tern {

class DecodeCache {
 public:
  static constexpr unsigned kBits = 15;
  static constexpr unsigned kEntries = 1u << kBits;
  static constexpr unsigned kUnmarkWrites = 4096;

  explicit DecodeCache(PhysMemory& mem);
  DecodeCache(const DecodeCache&) = delete;
  DecodeCache& operator=(const DecodeCache&) = delete;

  // What identifies a cached instruction: the physical address of its first byte and whether it
  // was decoded for a code segment of size 32 (`code32`) or 16. Keys of one page differ only in
  // bits 1-12 (the page offset shifted left by one).
  static u64 key(u64 phys, bool code32) { return (phys << 1) | (code32 ? 1 : 0); }

  // The cached instruction with that key, or null.
  const DecodedInsn* find(u64 key) const {
    const Entry& e = m_entries[index(key)];
    return e.tag == (m_epoch_tag | key) ? &e.insn : nullptr;
  }

  // Caches `insn`, decoded from `phys` (it must not cross the page); marks the page as code.
  const DecodedInsn* insert(u64 phys, bool code32, const DecodedInsn& insn);

  // Drops every entry.
  void flush();

 private:
  // Tags: epoch in bits 40-63, physical address (below 2^39) in bits 1-39, code size in bit 0.
  static constexpr unsigned kEpochShift = 40;
  static constexpr u64 kNoTag = ~u64{0};

  struct alignas(64) Entry {
    u64 tag = kNoTag;
    DecodedInsn insn;
  };

  u64 tag(u64 phys, bool code32) const { return m_epoch_tag | key(phys, code32); }
  // Offsets within a page stay adjacent; higher address bits fold in.
  static unsigned index(u64 key) { return static_cast<unsigned>(((key >> 1) ^ (key >> (kBits + 1))) & (kEntries - 1)); }

  void code_written(u64 phys, u64 size);
  u16* write_counter(u64 phys);

  PhysMemory& m_mem;
  unsigned m_owner = 0;  // code-page owner id (PhysMemory::add_code_listener)
  std::unique_ptr<Entry[]> m_entries;
  u64 m_epoch_tag = u64{1} << kEpochShift;
  std::vector<u16> m_page_writes;  // per RAM page: code writes since its last decode
};

}  // namespace tern
