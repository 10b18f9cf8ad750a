#include "mmu/io_space.h"

#include "base/log.h"

namespace tern {

IoSpace::IoSpace() : m_ranges(1), m_port_range(0x10000, 0) {}

void IoSpace::map(u16 first, u32 count, IoOps ops) {
  m_ranges.push_back(Range{first, std::move(ops)});
  const u16 index = static_cast<u16>(m_ranges.size() - 1);
  for (u32 p = first; p < first + count && p < 0x10000; ++p) m_port_range[p] = index;
}

void IoSpace::unmap(u16 first, u32 count) {
  for (u32 p = first; p < first + count && p < 0x10000; ++p) m_port_range[p] = 0;
}

u32 IoSpace::read(u16 port, unsigned size) {
  const u16 index = m_port_range[port];
  if (index == 0 || m_port_range[static_cast<u16>(port + size - 1)] != index) {
    // Unclaimed, or a wide access straddling two ranges: byte by byte, as the bus would.
    if (size == 1) {
      log(LogCat::kIo, LogLevel::kDebug, "read from unclaimed port {:#x}", port);
      return 0xFF;
    }
    u32 value = 0;
    for (unsigned i = 0; i < size; ++i) value |= read(static_cast<u16>(port + i), 1) << (8 * i);
    return value;
  }
  const Range& r = m_ranges[index];
  return static_cast<u32>(io_ops_read(r.ops, static_cast<u16>(port - r.first), size));
}

void IoSpace::write(u16 port, u32 value, unsigned size) {
  const u16 index = m_port_range[port];
  if (index == 0 || m_port_range[static_cast<u16>(port + size - 1)] != index) {
    if (size == 1) {
      log(LogCat::kIo, LogLevel::kDebug, "write {:#x} to unclaimed port {:#x}", value, port);
      return;
    }
    for (unsigned i = 0; i < size; ++i) write(static_cast<u16>(port + i), (value >> (8 * i)) & 0xFF, 1);
    return;
  }
  const Range& r = m_ranges[index];
  io_ops_write(r.ops, static_cast<u16>(port - r.first), value, size);
}

}  // namespace tern
