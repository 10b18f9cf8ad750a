// CLC STC CMC CLD STD CLI STI, with the IOPL and VME/PVI rules for IF.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

void op_clc(Cpu& cpu, const DecodedInsn&) { cpu.set_arith(cpu.arith_flags() & ~fl::CF); }
void op_stc(Cpu& cpu, const DecodedInsn&) { cpu.set_arith(cpu.arith_flags() | fl::CF); }
void op_cmc(Cpu& cpu, const DecodedInsn&) { cpu.set_arith(cpu.arith_flags() ^ fl::CF); }
void op_cld(Cpu& cpu, const DecodedInsn&) { cpu.eflags &= ~fl::DF; }
void op_std(Cpu& cpu, const DecodedInsn&) { cpu.eflags |= fl::DF; }

namespace {

// Whether CLI/STI act on VIF instead of IF (Intel SDM Vol. 3 §20.4, Table 20-2).
bool virtual_if(Cpu& cpu) {
  if (!cpu.protected_mode() || cpu.cpl <= cpu.iopl()) return false;
  if (cpu.v86() && (cpu.cr4 & cr4::VME)) return true;
  if (!cpu.v86() && cpu.cpl == 3 && (cpu.cr4 & cr4::PVI)) return true;
  cpu.gp(0);
}

}  // namespace

void op_cli(Cpu& cpu, const DecodedInsn&) {
  if (virtual_if(cpu))
    cpu.eflags &= ~fl::VIF;
  else
    cpu.eflags &= ~fl::IF;
}

void op_sti(Cpu& cpu, const DecodedInsn&) {
  if (virtual_if(cpu)) {
    if (cpu.eflags & fl::VIP) cpu.gp(0);
    cpu.eflags |= fl::VIF;
    return;
  }
  if (!(cpu.eflags & fl::IF)) cpu.inhibit_interrupts();
  cpu.eflags |= fl::IF;
}

}  // namespace tern
