// MUL IMUL DIV IDIV.
//
// Undefined flags follow the P6 core (the model of cpu/flags.cc; sandpile.org "rFLAGS",
// "undefined integer FLAGS behavior", P6 column): MUL and IMUL set CF and OF, which report whether
// the upper half of the product is significant, and leave SF ZF AF PF unchanged; DIV and IDIV
// leave all six arithmetic flags unchanged.
#include "base/bits.h"
#include "cpu/cpu.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"
#include "cpu/ops/operands.h"

namespace tern {

namespace {

void set_product_flags(Cpu& cpu, bool overflow) {
  u32 f = cpu.arith_flags() & ~(fl::CF | fl::OF);
  if (overflow) f |= fl::CF | fl::OF;
  cpu.set_arith(f);
}

// Writes a double-width result to AX, DX:AX or EDX:EAX.
void write_double(Cpu& cpu, u8 size, u64 value) {
  if (size == 1) {
    cpu.set_reg(kEax, 2, static_cast<u32>(value));
  } else {
    cpu.set_reg(kEax, size, static_cast<u32>(value));
    cpu.set_reg(kEdx, size, static_cast<u32>(value >> (8 * size)));
  }
}

u64 read_double(const Cpu& cpu, u8 size) {
  if (size == 1) return cpu.reg(kEax, 2);
  return (u64{cpu.reg(kEdx, size)} << (8 * size)) | cpu.reg(kEax, size);
}

}  // namespace

void op_mul(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  const u64 product = u64{cpu.read_op(d, 0)} * cpu.reg(kEax, size);
  write_double(cpu, size, product);
  set_product_flags(cpu, (product >> (8 * size)) != 0);
}

void op_imul(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  const i64 product = sign_extend(cpu.read_op(d, 0), 8 * size) * sign_extend(cpu.reg(kEax, size), 8 * size);
  write_double(cpu, size, static_cast<u64>(product));
  set_product_flags(cpu, sign_extend(static_cast<u64>(product), 8 * size) != product);
}

namespace {

// IMUL r, r/m and IMUL r, r/m, imm: the product of operand 1 and the immediate, or of operands 0
// and 1, truncated into operand 0.
template <class Dst, class Src>
struct Imul2 {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u8 size = Dst::size(d, 0);
    const bool with_imm = d.ops[2].kind == OperandKind::kImm;
    const i64 a = sign_extend(with_imm ? Src::read(cpu, d, 1) : Dst::read(cpu, d, 0), 8 * size);
    const i64 b = sign_extend(with_imm ? d.imm : Src::read(cpu, d, 1), 8 * size);
    const i64 product = a * b;
    Dst::write(cpu, d, 0, static_cast<u32>(product));
    set_product_flags(cpu, sign_extend(static_cast<u64>(product), 8 * size) != product);
  }
};

}  // namespace

void op_imul2(Cpu& cpu, const DecodedInsn& d) { Imul2<operand::Any, operand::Any>::run(cpu, d); }

Handler muldiv_form_handler(const DecodedInsn& d) { return d.op == Op::kImul2 ? operand::pick<Imul2>(d) : nullptr; }

void op_div(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  const u64 divisor = cpu.read_op(d, 0);
  if (divisor == 0) cpu.raise(kDE);
  const u64 dividend = read_double(cpu, size);
  const u64 quotient = dividend / divisor;
  if (quotient > low_mask(8 * size)) cpu.raise(kDE);
  const u64 remainder = dividend % divisor;
  if (size == 1) {
    cpu.set_reg(kEax, 2, static_cast<u32>((remainder << 8) | quotient));
  } else {
    cpu.set_reg(kEax, size, static_cast<u32>(quotient));
    cpu.set_reg(kEdx, size, static_cast<u32>(remainder));
  }
}

void op_idiv(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  const i64 divisor = sign_extend(cpu.read_op(d, 0), 8 * size);
  if (divisor == 0) cpu.raise(kDE);
  const i64 dividend = sign_extend(read_double(cpu, size), 16 * size);
  // INT64_MIN / -1 cannot happen: the dividend is at most 64 bits wide only for size 4, where
  // |quotient| > 2^31 is #DE anyway; guard the host division regardless.
  if (dividend == INT64_MIN && divisor == -1) cpu.raise(kDE);
  const i64 quotient = dividend / divisor;
  const i64 remainder = dividend % divisor;
  if (quotient != sign_extend(static_cast<u64>(quotient), 8 * size)) cpu.raise(kDE);
  if (size == 1) {
    cpu.set_reg(kEax, 2, static_cast<u32>(((remainder & 0xFF) << 8) | (quotient & 0xFF)));
  } else {
    cpu.set_reg(kEax, size, static_cast<u32>(quotient));
    cpu.set_reg(kEdx, size, static_cast<u32>(remainder));
  }
}

}  // namespace tern
