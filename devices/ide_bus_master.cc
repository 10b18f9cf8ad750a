#include "devices/ide_bus_master.h"

#include <algorithm>

#include "base/bits.h"
#include "base/log.h"
#include "base/state.h"
#include "mmu/phys_memory.h"

namespace tern {

u8 IdeBusMaster::read_byte(u32 offset) const {
  switch (offset) {
    case kCommand: return m_command;
    case kStatus: return m_status;
    case kPrdTable: case kPrdTable + 1: case kPrdTable + 2: case kPrdTable + 3:
      return static_cast<u8>(m_prd_table >> (8 * (offset - kPrdTable)));
    default: return 0;
  }
}

bool IdeBusMaster::write_byte(u32 offset, u8 value) {
  switch (offset) {
    case kCommand: {
      const bool was_started = m_command & kStart;
      m_command = value & (kStart | kWriteToMemory);
      if (!(m_command & kStart)) {
        m_status &= static_cast<u8>(~kActive);  // stopping aborts the transfer (§2.7.1)
        return false;
      }
      if (was_started) return false;
      // A new transfer walks the table from its first descriptor.
      m_status |= kActive;
      m_next_prd = m_prd_table;
      m_left = 0;
      m_last = false;
      return true;
    }
    case kStatus:
      m_status = static_cast<u8>((m_status & ~(kDrive0DmaCapable | kDrive1DmaCapable)) |
                                 (value & (kDrive0DmaCapable | kDrive1DmaCapable)));
      m_status &= static_cast<u8>(~(value & (kError | kInterrupt)));  // write one to clear
      return false;
    case kPrdTable: case kPrdTable + 1: case kPrdTable + 2: case kPrdTable + 3: {
      const unsigned shift = 8 * (offset - kPrdTable);
      m_prd_table = (m_prd_table & ~(u32{0xFF} << shift)) | (u32{value} << shift);
      m_prd_table &= ~u32{3};  // dword aligned
      return false;
    }
    default: return false;
  }
}

void IdeBusMaster::transfer_stopped(bool device_done) {
  // Device done and the last PRD consumed: Active clears. Device done with PRD space left:
  // Active stays set. PRDs exhausted first: Active clears and the device keeps waiting.
  if (!device_done || (m_left == 0 && m_last)) m_status &= static_cast<u8>(~kActive);
}

bool IdeBusMaster::next_prd() {
  if (m_last) return false;
  u8 prd[8];
  if (!m_mem.dma_read(m_next_prd, prd, sizeof prd)) {
    log_warn(LogCat::kIde, "bus master: PRD table at {:#x} is outside RAM", m_next_prd);
    m_status = static_cast<u8>((m_status | kError) & ~kActive);
    return false;
  }
  const u32 flags = load_le<u32>(prd + 4);
  m_addr = load_le<u32>(prd) & ~u32{1};
  m_left = flags & 0xFFFE;
  if (m_left == 0) m_left = 0x10000;
  m_last = flags & 0x80000000u;
  m_next_prd += 8;
  return true;
}

template <class Copy>
size_t IdeBusMaster::walk(size_t count, Copy copy) {
  size_t moved = 0;
  while (moved < count && (m_status & kActive)) {
    if (m_left == 0 && !next_prd()) break;
    const u32 n = static_cast<u32>(std::min<size_t>(count - moved, m_left));
    if (!copy(m_addr, moved, n)) {
      log_warn(LogCat::kIde, "bus master: PRD buffer at {:#x} is outside RAM", m_addr);
      m_status = static_cast<u8>((m_status | kError) & ~kActive);
      break;
    }
    m_addr += n;
    m_left -= n;
    moved += n;
  }
  return moved;
}

size_t IdeBusMaster::to_memory(const u8* src, size_t count) {
  return walk(count, [&](u32 addr, size_t at, u32 n) { return m_mem.dma_write(addr, src + at, n); });
}

size_t IdeBusMaster::from_memory(u8* dst, size_t count) {
  return walk(count, [&](u32 addr, size_t at, u32 n) { return m_mem.dma_read(addr, dst + at, n); });
}

void IdeBusMaster::reset() {
  m_command = 0;
  m_status = 0;
  m_prd_table = 0;
  m_next_prd = 0;
  m_addr = 0;
  m_left = 0;
  m_last = false;
}

void IdeBusMaster::serialize(StateIo& io) { io(m_command, m_status, m_prd_table, m_next_prd, m_addr, m_left, m_last); }

}  // namespace tern
