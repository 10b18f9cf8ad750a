#include "mmu/io_ops.h"

namespace tern {

namespace {

unsigned piece_size(const IoOps& ops, unsigned size) {
  for (unsigned s = size; s > 1; s /= 2)
    if (ops.widths & s) return s;
  return 1;
}

}  // namespace

u64 io_ops_read(const IoOps& ops, u32 offset, unsigned size) {
  if (!ops.read) return ~u64{0} >> (64 - 8 * size);
  const unsigned piece = piece_size(ops, size);
  if (piece == size) return ops.read(offset, size);
  u64 value = 0;
  for (unsigned done = 0; done < size; done += piece)
    value |= (ops.read(offset + done, piece) & (~u64{0} >> (64 - 8 * piece))) << (8 * done);
  return value;
}

void io_ops_write(const IoOps& ops, u32 offset, u64 value, unsigned size) {
  if (!ops.write) return;
  const unsigned piece = piece_size(ops, size);
  if (piece == size) return ops.write(offset, value, size);
  for (unsigned done = 0; done < size; done += piece)
    ops.write(offset + done, (value >> (8 * done)) & (~u64{0} >> (64 - 8 * piece)), piece);
}

}  // namespace tern
