// ROL ROR RCL RCR SHL SHR SAR SHLD SHRD. Flags are computed eagerly here: their rules depend on
// the count (Intel SDM Vol. 2 "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
//
// The count is masked to 5 bits; a masked count of zero changes nothing, flags included.
//
// Undefined flags follow the P6 core (the model of cpu/flags.cc; sandpile.org "rFLAGS",
// "undefined integer FLAGS behavior", P6 column), which leaves them unchanged:
// - AF after any shift (SHL SHR SAR SHLD SHRD) with a non-zero count: unchanged;
// - OF after any shift or rotate whose masked count is not 1: unchanged;
// - CF of SHL/SHR with a count of at least the operand size: the last bit shifted out of the
//   zero-extended operand (0 beyond size + 1), which is what the shift computes;
// - 16-bit SHLD/SHRD with counts 17..31 (result and flags undefined): the operand is shifted as
//   the 48-bit string dst:src:dst, Intel's behaviour, and flags follow that result.
#include <bit>

#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u32 mask_of(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
u32 msb(u32 v, u8 size) { return (v >> (8 * size - 1)) & 1; }

u32 szp(u32 res, u8 size) {
  u32 f = (std::popcount(res & 0xFF) & 1) ? 0 : fl::PF;
  if ((res & mask_of(size)) == 0) f |= fl::ZF;
  if (msb(res, size)) f |= fl::SF;
  return f;
}

u32 masked_count(Cpu& cpu, const DecodedInsn& d, int i) { return cpu.read_op(d, i) & 0x1F; }

// Stores a shift result: SF ZF PF from it, CF as given, OF only for a count of 1; AF and any
// other OF keep their values (P6 model).
void finish_shift(Cpu& cpu, const DecodedInsn& d, u32 r, bool cf, bool of, u32 count) {
  const u8 size = d.ops[0].size;
  cpu.write_op(d, 0, r);
  u32 f = cpu.arith_flags() & (count == 1 ? fl::AF : fl::AF | fl::OF);
  f |= szp(r, size) | (cf ? fl::CF : 0);
  if (count == 1 && of) f |= fl::OF;
  cpu.set_arith(f);
}

// Stores a rotate result: only CF, and OF for a count of 1, change.
void finish_rotate(Cpu& cpu, const DecodedInsn& d, u32 r, bool cf, bool of, u32 count) {
  cpu.write_op(d, 0, r);
  u32 f = cpu.arith_flags() & ~(count == 1 ? fl::CF | fl::OF : fl::CF);
  if (cf) f |= fl::CF;
  if (count == 1 && of) f |= fl::OF;
  cpu.set_arith(f);
}

}  // namespace

void op_rol(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  if (count == 0) return;
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 n = count % bits;
  const u32 r = n ? ((v << n) | (v >> (bits - n))) & mask_of(size) : v;
  const bool cf = r & 1;
  finish_rotate(cpu, d, r, cf, msb(r, size) ^ cf, count);
}

void op_ror(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  if (count == 0) return;
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 n = count % bits;
  const u32 r = n ? ((v >> n) | (v << (bits - n))) & mask_of(size) : v;
  finish_rotate(cpu, d, r, msb(r, size), msb(r, size) ^ ((r >> (bits - 2)) & 1), count);
}

// RCL/RCR rotate the (size + 1)-bit value CF:operand; 8- and 16-bit counts are taken modulo 9
// and 17, and a count that is then zero leaves CF as it was.
void op_rcl(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 n = count % (bits + 1);
  if (n == 0) return;
  const u64 wide_mask = (u64{1} << (bits + 1)) - 1;
  const u64 v = (cpu.read_op(d, 0) & mask_of(size)) | (u64{cpu.cf()} << bits);
  const u64 rotated = ((v << n) | (v >> (bits + 1 - n))) & wide_mask;
  const u32 r = static_cast<u32>(rotated) & mask_of(size);
  const bool cf = (rotated >> bits) & 1;
  finish_rotate(cpu, d, r, cf, msb(r, size) ^ cf, count);
}

void op_rcr(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 n = count % (bits + 1);
  if (n == 0) return;
  const u64 wide_mask = (u64{1} << (bits + 1)) - 1;
  const u64 v = (cpu.read_op(d, 0) & mask_of(size)) | (u64{cpu.cf()} << bits);
  const u64 rotated = ((v >> n) | (v << (bits + 1 - n))) & wide_mask;
  const u32 r = static_cast<u32>(rotated) & mask_of(size);
  const bool cf = (rotated >> bits) & 1;
  finish_rotate(cpu, d, r, cf, msb(r, size) ^ ((r >> (bits - 2)) & 1), count);
}

void op_shl(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  if (count == 0) return;
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u64 wide = u64{cpu.read_op(d, 0) & mask_of(size)} << count;
  const u32 r = static_cast<u32>(wide) & mask_of(size);
  const bool cf = (wide >> bits) & 1;
  finish_shift(cpu, d, r, cf, msb(r, size) ^ cf, count);
}

void op_shr(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  if (count == 0) return;
  const u8 size = d.ops[0].size;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 r = static_cast<u32>(u64{v} >> count);
  finish_shift(cpu, d, r, (u64{v} >> (count - 1)) & 1, msb(v, size), count);
}

void op_sar(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = masked_count(cpu, d, 1);
  if (count == 0) return;
  const u8 size = d.ops[0].size, bits = 8 * size;
  const i64 v = static_cast<i32>((cpu.read_op(d, 0) & mask_of(size)) << (32 - bits)) >> (32 - bits);
  const u32 r = static_cast<u32>(v >> count) & mask_of(size);
  finish_shift(cpu, d, r, (v >> (count - 1)) & 1, false, count);
}

namespace {

// SHLD/SHRD: the destination shifted with bits of the source filling in. A 16-bit operand is
// shifted within the 48-bit string dst:src:dst, so counts above 16 behave as on Intel processors.
void double_shift(Cpu& cpu, const DecodedInsn& d, bool left) {
  const u32 count = masked_count(cpu, d, 2);
  if (count == 0) return;
  const u8 size = d.ops[0].size;
  const u64 dst = cpu.read_op(d, 0) & mask_of(size);
  const u64 src = cpu.read_op(d, 1) & mask_of(size);
  const u64 wide = size == 4 ? (left ? (dst << 32) | src : (src << 32) | dst) : (dst << 32) | (src << 16) | dst;
  u32 r;
  bool cf;
  if (left) {
    // The result is the window [32 - count, 32 - count + size bits) of `wide`; the last bit out is
    // the one just above it.
    r = static_cast<u32>((wide << count) >> 32) & mask_of(size);
    cf = (wide >> (32 + 8 * size - count)) & 1;
  } else {
    r = static_cast<u32>(wide >> count) & mask_of(size);
    cf = (wide >> (count - 1)) & 1;
  }
  finish_shift(cpu, d, r, cf, msb(r ^ static_cast<u32>(dst), size), count);
}

}  // namespace

void op_shld(Cpu& cpu, const DecodedInsn& d) { double_shift(cpu, d, true); }
void op_shrd(Cpu& cpu, const DecodedInsn& d) { double_shift(cpu, d, false); }

}  // namespace tern
