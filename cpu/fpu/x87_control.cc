// x87 control instructions: FWAIT, FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW (memory and AX), and
// the 8087/80287 leftovers FENI/FDISI/FSETPM. Control instructions leave FOP/FIP/FDP alone; the
// no-wait forms skip the pending-exception check (Intel SDM Vol. 1 §8.3.12, §8.6).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

// FWAIT: #NM only when CR0.MP and CR0.TS are both set (Intel SDM Vol. 3 §2.5, Table 2-2), then
// reports a pending unmasked exception.
void op_fwait(Cpu& cpu, const DecodedInsn&) {
  if ((cpu.cr0 & (cr0::MP | cr0::TS)) == (cr0::MP | cr0::TS)) cpu.raise(kNM);
  check_pending(cpu);
}

void op_fninit(Cpu& cpu, const DecodedInsn&) {
  check_available(cpu);
  initialize(cpu.fpu);
}

void op_fnclex(Cpu& cpu, const DecodedInsn&) {
  check_available(cpu);
  cpu.fpu.status &= static_cast<u16>(~(fp::kExceptions | fp::kSF | fp::kES | fp::kB));
}

void op_fnop_legacy(Cpu& cpu, const DecodedInsn&) { check_available(cpu); }

void op_fldcw(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  check_pending(cpu);
  const u16 cw = static_cast<u16>(cpu.read(d.seg, cpu.effective_address(d), 2));
  cpu.fpu.control = loaded_control(cw);
  refresh_summary(cpu.fpu);
}

void op_fnstcw(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  cpu.write(d.seg, cpu.effective_address(d), 2, cpu.fpu.control);
}

void op_fnstsw(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  cpu.write(d.seg, cpu.effective_address(d), 2, cpu.fpu.status);
}

void op_fnstsw_ax(Cpu& cpu, const DecodedInsn&) {
  check_available(cpu);
  cpu.set_reg(kEax, 2, cpu.fpu.status);
}

}  // namespace tern
