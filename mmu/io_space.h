// The x86 port I/O space: 65536 byte ports, each claimed by at most one handler range.
// Unclaimed ports read all ones and ignore writes.
#pragma once

#include <vector>

#include "base/types.h"
#include "mmu/io_ops.h"

namespace tern {

class IoSpace {
 public:
  IoSpace();

  // Claims ports [first, first + count) for `ops`; offsets passed to ops are relative to first.
  // A later claim of the same ports replaces the earlier one.
  void map(u16 first, u32 count, IoOps ops);
  void unmap(u16 first, u32 count);

  u32 read(u16 port, unsigned size);
  void write(u16 port, u32 value, unsigned size);

 private:
  struct Range {
    u16 first;
    IoOps ops;
  };
  std::vector<Range> m_ranges;    // index 0 is unused: "no handler"
  std::vector<u16> m_port_range;  // per port: index into m_ranges
};

}  // namespace tern
