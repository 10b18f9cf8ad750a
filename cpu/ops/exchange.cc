// XCHG XADD CMPXCHG CMPXCHG8B BSWAP.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

void op_xchg(Cpu& cpu, const DecodedInsn& d) {
  const u32 a = cpu.read_op(d, 0);
  const u32 b = cpu.read_op(d, 1);
  cpu.write_op(d, 0, b);  // memory (if any) first: a fault leaves the register untouched
  cpu.write_op(d, 1, a);
}

void op_xadd(Cpu& cpu, const DecodedInsn& d) {
  const u32 a = cpu.read_op(d, 0);
  const u32 b = cpu.read_op(d, 1);
  // TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (Intel SDM "XADD"): with one register as both
  // operands the sum wins. A memory destination is written first, so a fault changes nothing.
  if (d.ops[0].kind == OperandKind::kMem) {
    cpu.write_op(d, 0, a + b);
    cpu.write_op(d, 1, a);
  } else {
    cpu.write_op(d, 1, a);
    cpu.write_op(d, 0, a + b);
  }
  cpu.set_lazy(FlagOp::kAdd, d.ops[0].size, a, b, a + b);
}

void op_cmpxchg(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  const u32 dst = cpu.read_op(d, 0);
  const u32 acc = cpu.reg(kEax, size);
  const u32 mask = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
  if ((acc & mask) == (dst & mask)) {
    cpu.write_op(d, 0, cpu.read_op(d, 1));
  } else {
    cpu.write_op(d, 0, dst);  // the destination is always written back (locked cycle)
    cpu.set_reg(kEax, size, dst);
  }
  cpu.set_lazy(FlagOp::kSub, size, acc, dst, acc - dst);
}

void op_cmpxchg8b(Cpu& cpu, const DecodedInsn& d) {
  const u32 ea = cpu.effective_address(d);
  const u64 m = cpu.read64(d.seg, ea);
  const u64 expected = (u64{cpu.gpr[kEdx]} << 32) | cpu.gpr[kEax];
  u32 flags = cpu.arith_flags() & ~fl::ZF;
  if (m == expected) {
    cpu.write64(d.seg, ea, (u64{cpu.gpr[kEcx]} << 32) | cpu.gpr[kEbx]);
    flags |= fl::ZF;
  } else {
    cpu.write64(d.seg, ea, m);
    cpu.gpr[kEax] = static_cast<u32>(m);
    cpu.gpr[kEdx] = static_cast<u32>(m >> 32);
  }
  cpu.set_arith(flags);
}

void op_bswap(Cpu& cpu, const DecodedInsn& d) {
  const u8 r = d.ops[0].reg;
  if (d.osize == 2) {
    // Undefined by the SDM; Intel processors leave zero in the low word.
    cpu.set_reg(r, 2, 0);
    return;
  }
  const u32 v = cpu.gpr[r];
  cpu.gpr[r] = (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

}  // namespace tern
