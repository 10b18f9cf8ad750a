// Decimal adjust: DAA DAS AAA AAS AAM AAD (Intel SDM pseudo-code for each).
#include <bit>

#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u32 szp8(u32 v) {
  u32 f = (std::popcount(v & 0xFF) & 1) ? 0 : fl::PF;
  if ((v & 0xFF) == 0) f |= fl::ZF;
  if (v & 0x80) f |= fl::SF;
  return f;
}

}  // namespace

void op_daa(Cpu& cpu, const DecodedInsn&) {
  const u32 flags = cpu.arith_flags();
  const u32 old_al = cpu.gpr[kEax] & 0xFF;
  const bool old_cf = flags & fl::CF;
  u32 al = old_al;
  u32 f = 0;
  if ((al & 0xF) > 9 || (flags & fl::AF)) {
    al += 6;
    f |= fl::AF;
  }
  if (old_al > 0x99 || old_cf) {
    al += 0x60;
    f |= fl::CF;
  }
  al &= 0xFF;
  cpu.set_reg(kEax, 1, al);
  // OF is undefined; P6 processors report signed overflow of the adjustment.
  if (!(old_al & 0x80) && (al & 0x80)) f |= fl::OF;
  cpu.set_arith(f | szp8(al));
}

void op_das(Cpu& cpu, const DecodedInsn&) {
  const u32 flags = cpu.arith_flags();
  const u32 old_al = cpu.gpr[kEax] & 0xFF;
  const bool old_cf = flags & fl::CF;
  u32 al = old_al;
  u32 f = 0;
  if ((al & 0xF) > 9 || (flags & fl::AF)) {
    al -= 6;
    f |= fl::AF;
  }
  if (old_al > 0x99 || old_cf) {
    al -= 0x60;
    f |= fl::CF;
  }
  al &= 0xFF;
  cpu.set_reg(kEax, 1, al);
  if ((old_al & 0x80) && !(al & 0x80)) f |= fl::OF;
  cpu.set_arith(f | szp8(al));
}

namespace {

void ascii_adjust(Cpu& cpu, bool add) {
  const u32 flags = cpu.arith_flags();
  u32 ax = cpu.gpr[kEax] & 0xFFFF;
  u32 f = flags & ~(fl::AF | fl::CF);
  if ((ax & 0xF) > 9 || (flags & fl::AF)) {
    ax = add ? ax + 0x106 : ax - 0x106;
    f |= fl::AF | fl::CF;
  }
  ax = (ax & 0xFF0F);
  cpu.set_reg(kEax, 2, ax);
  cpu.set_arith(f);
}

}  // namespace

void op_aaa(Cpu& cpu, const DecodedInsn&) { ascii_adjust(cpu, true); }
void op_aas(Cpu& cpu, const DecodedInsn&) { ascii_adjust(cpu, false); }

void op_aam(Cpu& cpu, const DecodedInsn& d) {
  const u32 base = d.imm & 0xFF;
  if (base == 0) cpu.raise(kDE);
  const u32 al = cpu.gpr[kEax] & 0xFF;
  const u32 result = ((al / base) << 8) | (al % base);
  cpu.set_reg(kEax, 2, result);
  cpu.set_arith(szp8(result));
}

void op_aad(Cpu& cpu, const DecodedInsn& d) {
  const u32 base = d.imm & 0xFF;
  const u32 ax = cpu.gpr[kEax];
  const u32 al = ((ax & 0xFF) + ((ax >> 8) & 0xFF) * base) & 0xFF;
  cpu.set_reg(kEax, 2, al);
  cpu.set_arith(szp8(al));
}

}  // namespace tern
