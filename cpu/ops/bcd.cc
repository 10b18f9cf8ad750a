// Decimal adjust: DAA DAS AAA AAS AAM AAD (Intel SDM Vol. 2 pseudo-code for each).
//
// Undefined flags follow the P6 core (the model of cpu/flags.cc; sandpile.org "rFLAGS",
// "undefined integer FLAGS behavior", P6 column):
// - DAA, DAS: OF unchanged.
// - AAA, AAS: OF unchanged, SF cleared; ZF and PF describe the 16-bit intermediate AX +/- 106h
//   (AX when no adjustment is made) before AL is masked.
// - AAM: OF, AF and CF cleared (the flags of a logical operation on AL).
// - AAD: OF, AF and CF as for the 8-bit addition AL + AH * imm8 that produces the new AL.
#include <bit>

#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u32 parity(u32 v) { return (std::popcount(v & 0xFF) & 1) ? 0 : fl::PF; }

u32 szp8(u32 v) {
  u32 f = parity(v);
  if ((v & 0xFF) == 0) f |= fl::ZF;
  if (v & 0x80) f |= fl::SF;
  return f;
}

// DAA/DAS: `sign` is +1 or -1. CF of the low-digit step survives only in DAS (whose pseudo-code
// has no ELSE clearing it in the high-digit step).
void decimal_adjust(Cpu& cpu, int sign) {
  const u32 flags = cpu.arith_flags();
  const u32 old_al = cpu.gpr[kEax] & 0xFF;
  const bool old_cf = flags & fl::CF;
  u32 al = old_al;
  bool cf = false, af = false;
  if ((al & 0xF) > 9 || (flags & fl::AF)) {
    cf = old_cf || (sign > 0 ? al + 6 > 0xFF : al < 6);
    al = (al + static_cast<u32>(sign * 6)) & 0xFF;
    af = true;
  }
  if (old_al > 0x99 || old_cf) {
    al = (al + static_cast<u32>(sign * 0x60)) & 0xFF;
    cf = true;
  } else if (sign > 0) {
    cf = false;
  }
  cpu.set_reg(kEax, 1, al);
  cpu.set_arith((flags & fl::OF) | szp8(al) | (af ? fl::AF : 0) | (cf ? fl::CF : 0));
}

void ascii_adjust(Cpu& cpu, bool add) {
  const u32 flags = cpu.arith_flags();
  u32 ax = cpu.gpr[kEax] & 0xFFFF;
  u32 f = flags & fl::OF;
  if ((ax & 0xF) > 9 || (flags & fl::AF)) {
    ax = (add ? ax + 0x106 : ax - 0x106) & 0xFFFF;
    f |= fl::AF | fl::CF;
  }
  if (ax == 0) f |= fl::ZF;
  f |= parity(ax);
  cpu.set_reg(kEax, 2, ax & 0xFF0F);
  cpu.set_arith(f);
}

}  // namespace

void op_daa(Cpu& cpu, const DecodedInsn&) { decimal_adjust(cpu, +1); }
void op_das(Cpu& cpu, const DecodedInsn&) { decimal_adjust(cpu, -1); }
void op_aaa(Cpu& cpu, const DecodedInsn&) { ascii_adjust(cpu, true); }
void op_aas(Cpu& cpu, const DecodedInsn&) { ascii_adjust(cpu, false); }

void op_aam(Cpu& cpu, const DecodedInsn& d) {
  const u32 base = d.imm & 0xFF;
  if (base == 0) cpu.raise(kDE);
  const u32 al = cpu.gpr[kEax] & 0xFF;
  const u32 result = ((al / base) << 8) | (al % base);
  cpu.set_reg(kEax, 2, result);
  cpu.set_lazy(FlagOp::kLogic, 1, 0, 0, result & 0xFF);
}

void op_aad(Cpu& cpu, const DecodedInsn& d) {
  const u32 ax = cpu.gpr[kEax];
  const u32 al = ax & 0xFF, product = (((ax >> 8) & 0xFF) * (d.imm & 0xFF)) & 0xFF;
  cpu.set_reg(kEax, 2, (al + product) & 0xFF);
  cpu.set_lazy(FlagOp::kAdd, 1, al, product, al + product);
}

}  // namespace tern
