// Save and restore of the physical address space: the A20 gate, the PAM steering of the legacy
// window, and RAM. RAM is stored as a bitmap with one bit per 4 KiB page (set: the page holds
// something other than zeros) followed by the contents of the set pages in address order; a
// freshly booted guest's RAM is mostly zeros, and zstd compresses the rest.
#include <fmt/format.h>

#include <bit>
#include <cstring>

#include "base/state.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

// The 0xC0000-0xFFFFF window that m_shadow steers.
constexpr u64 kLegacyWindow = 0xC0000;
constexpr u64 kLegacyWindowSize = 0x40000;

bool page_is_zero(const u8* page) {
  u64 any = 0;
  for (size_t i = 0; i < kPageSize; i += 8) {
    u64 word;
    std::memcpy(&word, page + i, 8);
    any |= word;
  }
  return any == 0;
}

// Reads the section's RAM size and bitmap and checks them against a RAM of `ram_size` bytes;
// returns the bitmap.
std::vector<u8> read_ram_bitmap(StateIo& io, u64 ram_size) {
  u64 saved_size = 0;
  io(saved_size);
  if (saved_size != ram_size)
    throw_state_error(fmt::format("the state has {} MiB of RAM, this machine {} MiB", saved_size >> 20, ram_size >> 20));
  std::vector<u8> bitmap((ram_size / kPageSize + 7) / 8);
  io.bytes(bitmap.data(), bitmap.size());
  return bitmap;
}

}  // namespace

void PhysMemory::serialize(StateIo& io) {
  bool a20_on = a20();
  u8 shadow[16];
  std::memcpy(shadow, m_shadow, sizeof shadow);
  io(a20_on, shadow);
  if (!io.loading()) return;
  for (u8 flags : shadow)
    if (flags > 3) throw_state_error("memory: bad PAM setting");
  std::memcpy(m_shadow, shadow, sizeof shadow);
  notify();
  code_range_changed(kLegacyWindow, kLegacyWindowSize);
  set_a20(a20_on);
}

void PhysMemory::serialize_ram(StateIo& io) {
  const u64 pages = m_ram_size / kPageSize;
  if (io.loading()) {
    const std::vector<u8> bitmap = read_ram_bitmap(io, m_ram_size);
    for (u64 p = 0; p < pages; ++p) {
      u8* page = m_ram + p * kPageSize;
      if (bitmap[p / 8] & (1u << (p % 8)))
        io.bytes(page, kPageSize);
      else if (!page_is_zero(page))
        std::memset(page, 0, kPageSize);  // untouched pages stay unallocated on the host
    }
    // Whatever was derived from the old contents (translated code, decoded instructions).
    code_range_changed(0, m_low_ram);
    if (m_ram_size > m_low_ram) code_range_changed(kHighRamBase, m_ram_size - m_low_ram);
    return;
  }
  u64 size = m_ram_size;
  io(size);
  std::vector<u8> bitmap((pages + 7) / 8, 0);
  for (u64 p = 0; p < pages; ++p)
    if (!page_is_zero(m_ram + p * kPageSize)) bitmap[p / 8] |= static_cast<u8>(1u << (p % 8));
  io.bytes(bitmap.data(), bitmap.size());
  for (u64 p = 0; p < pages; ++p)
    if (bitmap[p / 8] & (1u << (p % 8))) io.bytes(m_ram + p * kPageSize, kPageSize);
}

void PhysMemory::check_ram(StateIo& io) const {
  const std::vector<u8> bitmap = read_ram_bitmap(io, m_ram_size);
  u64 used = 0;
  for (u8 b : bitmap) used += static_cast<u64>(std::popcount(b));
  // Bits past the last page must be clear, and the page data must fill the rest exactly.
  const u64 pages = m_ram_size / kPageSize;
  if (pages % 8 && (bitmap.back() >> (pages % 8)) != 0) throw_state_error("ram: bad page bitmap");
  if (io.remaining() != used * kPageSize) throw_state_error("ram: section length does not match its page bitmap");
}

}  // namespace tern
