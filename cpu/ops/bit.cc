// BT BTS BTR BTC BSF BSR.
#include <bit>

#include "base/bits.h"
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

enum class BitOp { kTest, kSet, kReset, kComplement };

void bit_op(Cpu& cpu, const DecodedInsn& d, BitOp op) {
  const u8 size = d.ops[0].size, bits = 8 * size;
  const bool imm = d.ops[1].kind == OperandKind::kImm;
  const u32 offset = cpu.read_op(d, 1);
  u32 bit;
  u32 value;
  u32 addr = 0;
  const bool mem = d.ops[0].kind == OperandKind::kMem;
  if (mem && !imm) {
    // A register bit offset reaches any byte: the signed offset selects the operand-sized word.
    const i64 signed_offset = sign_extend(offset, bits);
    const i64 word = signed_offset >> (size == 4 ? 5 : 4);
    addr = cpu.effective_address(d) + static_cast<u32>(word * size);
    if (d.asize == 2) addr &= 0xFFFF;
    bit = offset & (bits - 1);
    value = cpu.read(d.seg, addr, size);
  } else {
    bit = offset & (bits - 1);
    value = cpu.read_op(d, 0);
    if (mem) addr = cpu.effective_address(d);
  }
  const bool was_set = (value >> bit) & 1;
  u32 result = value;
  switch (op) {
    case BitOp::kTest: break;
    case BitOp::kSet: result |= 1u << bit; break;
    case BitOp::kReset: result &= ~(1u << bit); break;
    case BitOp::kComplement: result ^= 1u << bit; break;
  }
  if (op != BitOp::kTest) {
    if (mem)
      cpu.write(d.seg, addr, size, result);
    else
      cpu.write_op(d, 0, result);
  }
  cpu.set_arith((cpu.arith_flags() & ~fl::CF) | (was_set ? fl::CF : 0));
}

void bit_scan(Cpu& cpu, const DecodedInsn& d, bool forward) {
  const u8 size = d.ops[0].size;
  const u32 src = cpu.read_op(d, 1) & (size == 4 ? 0xFFFFFFFFu : 0xFFFFu);
  if (src == 0) {
    // ZF = 1 and the destination keeps its value (Intel processors).
    cpu.set_arith(cpu.arith_flags() | fl::ZF);
    return;
  }
  const u32 index = forward ? std::countr_zero(src) : 31 - std::countl_zero(src);
  cpu.write_op(d, 0, index);
  cpu.set_arith(cpu.arith_flags() & ~fl::ZF);
}

}  // namespace

void op_bt(Cpu& cpu, const DecodedInsn& d) { bit_op(cpu, d, BitOp::kTest); }
void op_bts(Cpu& cpu, const DecodedInsn& d) { bit_op(cpu, d, BitOp::kSet); }
void op_btr(Cpu& cpu, const DecodedInsn& d) { bit_op(cpu, d, BitOp::kReset); }
void op_btc(Cpu& cpu, const DecodedInsn& d) { bit_op(cpu, d, BitOp::kComplement); }
void op_bsf(Cpu& cpu, const DecodedInsn& d) { bit_scan(cpu, d, true); }
void op_bsr(Cpu& cpu, const DecodedInsn& d) { bit_scan(cpu, d, false); }

}  // namespace tern
