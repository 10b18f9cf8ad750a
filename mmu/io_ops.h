// The handler of a port or MMIO range: one small interface for both address spaces. A device
// registers a range once with the access widths it accepts; the address space splits other
// widths into narrower accesses (as an ISA bus splits a word access into two byte cycles).
#pragma once

#include <functional>

#include "base/types.h"

namespace tern {

struct IoOps {
  // `offset` is relative to the start of the registered range; size is 1, 2, 4 or 8.
  std::function<u64(u32 offset, unsigned size)> read;
  std::function<void(u32 offset, u64 value, unsigned size)> write;
  // Bit mask of accepted widths: 1, 2, 4, 8 bytes.
  unsigned widths = 1 | 2 | 4;
};

// Performs an access of `size` bytes with handler `ops`, splitting it into the widest accepted
// pieces (little-endian order).
u64 io_ops_read(const IoOps& ops, u32 offset, unsigned size);
void io_ops_write(const IoOps& ops, u32 offset, u64 value, unsigned size);

}  // namespace tern
