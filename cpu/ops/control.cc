// Near and conditional control transfer: JMP CALL RET Jcc LOOP JCXZ, software interrupts and
// BOUND. Far transfers are in far.cc.
#include "base/bits.h"
#include "cpu/condition.h"
#include "cpu/cpu.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

u32 branch_target(const Cpu& cpu, const DecodedInsn& d) { return cpu.next_eip + d.imm; }

u32 count_register(const Cpu& cpu, const DecodedInsn& d) {
  return d.asize == 2 ? cpu.gpr[kEcx] & 0xFFFF : cpu.gpr[kEcx];
}

// Decrements (E)CX by the address size and returns the new value.
u32 decrement_count(Cpu& cpu, const DecodedInsn& d) {
  const u32 count = count_register(cpu, d) - 1;
  cpu.set_reg(kEcx, d.asize, count);
  return d.asize == 2 ? count & 0xFFFF : count;
}

}  // namespace

void op_jmp_near(Cpu& cpu, const DecodedInsn& d) {
  const u32 target = d.ops[0].kind == OperandKind::kImm ? branch_target(cpu, d) : cpu.read_op(d, 0);
  cpu.jump_near(target, d.osize);
}

void op_jcc(Cpu& cpu, const DecodedInsn& d) {
  if (cpu.cond(d.cc)) cpu.jump_near(branch_target(cpu, d), d.osize);
}

namespace {

// Jcc with its condition fixed at decode time.
template <u8 kCc>
struct Jcc {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    if (condition::holds<kCc>(cpu)) cpu.jump_near(branch_target(cpu, d), d.osize);
  }
};

}  // namespace

Handler control_form_handler(const DecodedInsn& d) { return d.op == Op::kJcc ? condition::by_code<Jcc>(d.cc) : nullptr; }

void op_call_near(Cpu& cpu, const DecodedInsn& d) {
  u32 target = d.ops[0].kind == OperandKind::kImm ? branch_target(cpu, d) : cpu.read_op(d, 0);
  if (d.osize == 2) target &= 0xFFFF;
  if (target > cpu.seg[kCs].hi) cpu.gp(0);
  cpu.push(d.osize, cpu.next_eip);
  cpu.next_eip = target;
}

void op_ret_near(Cpu& cpu, const DecodedInsn& d) {
  const u32 target = cpu.stack_read(0, d.osize);
  cpu.jump_near(target, d.osize);
  const u32 release = d.ops[0].kind == OperandKind::kImm ? (d.imm & 0xFFFF) : 0;
  cpu.set_esp(cpu.esp_value() + d.osize + release);
}

void op_loop(Cpu& cpu, const DecodedInsn& d) {
  const u32 target = branch_target(cpu, d);
  if (decrement_count(cpu, d) != 0) cpu.jump_near(target, d.osize);
}

void op_loope(Cpu& cpu, const DecodedInsn& d) {
  const u32 target = branch_target(cpu, d);
  if (decrement_count(cpu, d) != 0 && cpu.zf()) cpu.jump_near(target, d.osize);
}

void op_loopne(Cpu& cpu, const DecodedInsn& d) {
  const u32 target = branch_target(cpu, d);
  if (decrement_count(cpu, d) != 0 && !cpu.zf()) cpu.jump_near(target, d.osize);
}

void op_jcxz(Cpu& cpu, const DecodedInsn& d) {
  if (count_register(cpu, d) == 0) cpu.jump_near(branch_target(cpu, d), d.osize);
}

void op_int_n(Cpu& cpu, const DecodedInsn& d) { cpu.software_interrupt(static_cast<u8>(d.imm), true); }
void op_int3(Cpu& cpu, const DecodedInsn&) { cpu.software_interrupt(kBP, false); }

void op_into(Cpu& cpu, const DecodedInsn&) {
  if (cpu.of()) cpu.software_interrupt(kOF, false);
}

// ICEBP (F1): a #DB delivered like a hardware exception (no gate DPL check).
void op_int1(Cpu& cpu, const DecodedInsn&) { cpu.deliver(kDB, false, false, 0, cpu.next_eip); }

void op_bound(Cpu& cpu, const DecodedInsn& d) {
  const u32 ea = cpu.effective_address(d);
  const u8 size = d.osize;
  const u32 addr_mask = d.asize == 2 ? 0xFFFF : 0xFFFFFFFF;
  const i64 index = sign_extend(cpu.reg(d.ops[0].reg, size), 8 * size);
  const i64 lower = sign_extend(cpu.read(d.seg, ea, size), 8 * size);
  const i64 upper = sign_extend(cpu.read(d.seg, (ea + size) & addr_mask, size), 8 * size);
  if (index < lower || index > upper) cpu.raise(kBR);
}

}  // namespace tern
