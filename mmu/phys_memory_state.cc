// Save and restore of the physical address space: the A20 gate, the PAM steering of the legacy
// window, and RAM. RAM is its size and StateIo::sparse_pages(): pages that are all zeros cost a
// bit each (a freshly booted guest's RAM is mostly zeros), and zstd compresses the rest.
#include <fmt/format.h>

#include <cstring>

#include "base/state.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

// The 0xC0000-0xFFFFF window that m_shadow steers.
constexpr u64 kLegacyWindow = 0xC0000;
constexpr u64 kLegacyWindowSize = 0x40000;

void check_ram_size(StateIo& io, u64 ram_size) {
  u64 saved_size = ram_size;
  io(saved_size);
  if (saved_size != ram_size)
    throw_state_error(fmt::format("the state has {} MiB of RAM, this machine {} MiB", saved_size >> 20, ram_size >> 20));
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
  check_ram_size(io, m_ram_size);
  io.sparse_pages(m_ram, m_ram_size);
  if (!io.loading()) return;
  // Whatever was derived from the old contents (translated code, decoded instructions).
  code_range_changed(0, m_low_ram);
  if (m_ram_size > m_low_ram) code_range_changed(kHighRamBase, m_ram_size - m_low_ram);
}

void PhysMemory::check_ram(StateIo& io) const {
  check_ram_size(io, m_ram_size);
  if (io.skip_sparse_bitmap(m_ram_size) != io.remaining())
    throw_state_error("ram: section length does not match its page bitmap");
}

}  // namespace tern
