// IN and OUT.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u16 port_of(const Cpu& cpu, const DecodedInsn& d, int i) {
  return d.ops[i].kind == OperandKind::kImm ? static_cast<u16>(d.imm & 0xFF) : static_cast<u16>(cpu.gpr[kEdx]);
}

}  // namespace

void op_in(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[0].size;
  cpu.set_reg(kEax, size, cpu.port_in(port_of(cpu, d, 1), size));
}

void op_out(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.ops[1].size;
  cpu.port_out(port_of(cpu, d, 0), size, cpu.reg(kEax, size));
}

}  // namespace tern
