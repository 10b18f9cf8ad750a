#include "cpu/decode_cache.h"

#include <algorithm>

namespace tern {

namespace {

// An instruction is at most 15 bytes: a write can only touch instructions starting this far
// before it.
constexpr u64 kMaxInsnReach = 14;
// Larger writes (DMA, page copies) flush the whole cache instead of probing every offset.
constexpr unsigned kProbeLimit = 64;

}  // namespace

DecodeCache::DecodeCache(PhysMemory& mem)
    : m_mem(mem), m_entries(new Entry[kEntries]), m_page_writes(mem.ram_size() / kPageSize, 0) {
  m_owner = m_mem.add_code_listener([this](u64 phys, u64 size) { code_written(phys, size); });
  m_mem.add_map_listener([this] { flush(); });
}

const DecodedInsn* DecodeCache::insert(u64 phys, bool code32, const DecodedInsn& insn) {
  // Marking may change the memory map (and so flush): mark first, then fill the entry.
  m_mem.mark_code_page(phys, m_owner);
  if (u16* writes = write_counter(phys)) *writes = 0;
  Entry& e = m_entries[index(key(phys, code32))];
  e.tag = tag(phys, code32);
  e.insn = insn;
  return &e.insn;
}

void DecodeCache::code_written(u64 phys, u64 size) {
  if (size > kProbeLimit) {
    flush();
  } else {
    const u64 page = phys & kPageMask;
    const u64 first = std::max(page, phys > kMaxInsnReach ? phys - kMaxInsnReach : 0);
    for (u64 p = first; p < phys + size; ++p)
      for (bool code32 : {false, true}) {
        Entry& e = m_entries[index(key(p, code32))];
        if (e.tag == tag(p, code32)) e.tag = kNoTag;
      }
  }
  u16* writes = write_counter(phys);
  if (writes && ++*writes >= kUnmarkWrites) {
    *writes = 0;
    m_mem.clear_code_page(phys, m_owner);
    flush();
  }
}

void DecodeCache::flush() {
  m_epoch_tag += u64{1} << kEpochShift;
  if (m_epoch_tag == 0) {
    // The epoch wrapped around: entries of the old epoch 0 must not come back to life.
    for (unsigned i = 0; i < kEntries; ++i) m_entries[i].tag = kNoTag;
    m_epoch_tag = u64{1} << kEpochShift;
  }
}

u16* DecodeCache::write_counter(u64 phys) {
  const u8* host = m_mem.ram_ptr(phys, 1);
  if (!host) return nullptr;
  const size_t page = static_cast<size_t>(host - m_mem.ram_bytes()) / kPageSize;
  return page < m_page_writes.size() ? &m_page_writes[page] : nullptr;
}

}  // namespace tern
