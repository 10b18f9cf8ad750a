// ROL ROR RCL RCR SHL SHR SAR SHLD SHRD. Flags are computed eagerly here: shifts are rarer than
// ALU operations and their flag rules depend on the count (Intel SDM "SAL/SAR/SHL/SHR").
// A masked count of zero changes nothing, flags included.
#include <bit>

#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u32 mask_of(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
u32 parity(u32 v) { return (std::popcount(v & 0xFF) & 1) ? 0 : fl::PF; }
u32 szp(u32 res, u8 size) {
  u32 f = parity(res);
  if ((res & mask_of(size)) == 0) f |= fl::ZF;
  if (res & (1u << (8 * size - 1))) f |= fl::SF;
  return f;
}

u32 shift_count(Cpu& cpu, const DecodedInsn& d) { return cpu.read_op(d, 1) & 0x1F; }

// Replaces CF and OF, keeps the other flags.
void set_cf_of(Cpu& cpu, bool cf, bool of) {
  u32 f = cpu.arith_flags() & ~(fl::CF | fl::OF);
  if (cf) f |= fl::CF;
  if (of) f |= fl::OF;
  cpu.set_arith(f);
}

}  // namespace

void op_rol(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d);
  if (count == 0) return;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 n = count % bits;
  const u32 r = n ? ((v << n) | (v >> (bits - n))) & mask_of(size) : v;
  cpu.write_op(d, 0, r);
  const bool cf = r & 1;
  set_cf_of(cpu, cf, ((r >> (bits - 1)) & 1) ^ cf);
}

void op_ror(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d);
  if (count == 0) return;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 n = count % bits;
  const u32 r = n ? ((v >> n) | (v << (bits - n))) & mask_of(size) : v;
  cpu.write_op(d, 0, r);
  const bool msb = (r >> (bits - 1)) & 1, next = (r >> (bits - 2)) & 1;
  set_cf_of(cpu, msb, msb ^ next);
}

void op_rcl(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d) % (bits + 1);
  if (count == 0) return;
  u64 v = (cpu.read_op(d, 0) & mask_of(size)) | (u64{cpu.cf()} << bits);  // bits+1 wide
  for (u32 i = 0; i < count; ++i) v = ((v << 1) | (v >> bits)) & ((u64{1} << (bits + 1)) - 1);
  const u32 r = static_cast<u32>(v) & mask_of(size);
  const bool cf = (v >> bits) & 1;
  cpu.write_op(d, 0, r);
  set_cf_of(cpu, cf, ((r >> (bits - 1)) & 1) ^ cf);
}

void op_rcr(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d) % (bits + 1);
  if (count == 0) return;
  const u32 orig = cpu.read_op(d, 0) & mask_of(size);
  const bool old_cf = cpu.cf();
  u64 v = orig | (u64{old_cf} << bits);
  for (u32 i = 0; i < count; ++i) v = ((v >> 1) | ((v & 1) << bits)) & ((u64{1} << (bits + 1)) - 1);
  const u32 r = static_cast<u32>(v) & mask_of(size);
  const bool cf = (v >> bits) & 1;
  cpu.write_op(d, 0, r);
  const bool msb = (r >> (bits - 1)) & 1, next = (r >> (bits - 2)) & 1;
  set_cf_of(cpu, cf, msb ^ next);
}

void op_shl(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d);
  if (count == 0) return;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u64 wide = u64{v} << count;
  const u32 r = static_cast<u32>(wide) & mask_of(size);
  const bool cf = (wide >> bits) & 1;
  cpu.write_op(d, 0, r);
  u32 f = szp(r, size);
  if (cf) f |= fl::CF;
  if (((r >> (bits - 1)) & 1) ^ cf) f |= fl::OF;
  cpu.set_arith(f);
}

void op_shr(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d);
  if (count == 0) return;
  const u32 v = cpu.read_op(d, 0) & mask_of(size);
  const u32 r = static_cast<u32>(u64{v} >> count);
  const bool cf = (u64{v} >> (count - 1)) & 1;
  cpu.write_op(d, 0, r);
  u32 f = szp(r, size);
  if (cf) f |= fl::CF;
  if ((v >> (bits - 1)) & 1) f |= fl::OF;
  cpu.set_arith(f);
}

void op_sar(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = shift_count(cpu, d);
  if (count == 0) return;
  const i64 v = static_cast<i64>(static_cast<i32>((cpu.read_op(d, 0) & mask_of(size)) << (32 - bits)) >> (32 - bits));
  const u32 r = static_cast<u32>(v >> count) & mask_of(size);
  const bool cf = (v >> (count - 1)) & 1;
  cpu.write_op(d, 0, r);
  u32 f = szp(r, size);
  if (cf) f |= fl::CF;
  cpu.set_arith(f);
}

namespace {

// SHLD/SHRD: dst shifted with bits from src filling in.
void double_shift(Cpu& cpu, const DecodedInsn& d, bool left) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const u32 count = (d.ops[2].kind == OperandKind::kImm ? d.imm : cpu.gpr[kEcx]) & 0x1F;
  if (count == 0) return;
  const u64 dst = cpu.read_op(d, 0) & mask_of(size);
  const u64 src = cpu.read_op(d, 1) & mask_of(size);
  u32 r;
  bool cf;
  if (left) {
    // dst:src (and src again for 16-bit counts above 16, as Intel processors do).
    const u64 wide = size == 4 ? (dst << 32) | src : (dst << 32) | (src << 16) | dst;
    const u64 shifted = wide << count;
    r = static_cast<u32>(shifted >> 32) & mask_of(size);
    cf = (wide >> (64 - count)) & 1;
  } else {
    const u64 wide = size == 4 ? (src << 32) | dst : (dst << 32) | (src << 16) | dst;
    r = static_cast<u32>(wide >> count) & mask_of(size);
    cf = (wide >> (count - 1)) & 1;
  }
  cpu.write_op(d, 0, r);
  u32 f = szp(r, size);
  if (cf) f |= fl::CF;
  if (((r ^ dst) >> (bits - 1)) & 1) f |= fl::OF;
  cpu.set_arith(f);
}

}  // namespace

void op_shld(Cpu& cpu, const DecodedInsn& d) { double_shift(cpu, d, true); }
void op_shrd(Cpu& cpu, const DecodedInsn& d) { double_shift(cpu, d, false); }

}  // namespace tern
