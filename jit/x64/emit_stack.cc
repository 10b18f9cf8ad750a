// Inline forms of the stack instructions (cpu/ops/stack.cc): PUSH POP LEAVE. The store or load
// comes first, ESP moves after it, so a fault leaves ESP as it was.
#include "cpu/cpu.h"
#include "jit/mode_key.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

bool emit_push(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& o = d.ops[0];
  const u8 size = d.osize;
  if (!e.inline_memory()) return false;
  asmjit::Operand value;
  if (o.kind == OperandKind::kImm) {
    value = Emitter::sized_imm(d.imm, size);
  } else if (o.kind == OperandKind::kReg && e.reg_view(o.reg, size).isValid()) {
    value = e.reg_view(o.reg, size);
  } else if (o.kind == OperandKind::kMem) {
    e.linear_of_operand(size, Access::kRead);
    e.translate(size, Access::kRead);
    e.load(reg::kVal1, size);
    value = view(reg::kVal1, size);
  } else {
    return false;
  }
  e.stack_linear(-size, size, Access::kWrite);
  e.translate(size, Access::kWrite);
  e.as.emit(a::Inst::kIdMov, a::ptr(reg::kAddr, 0, size), value);
  e.adjust_esp(-size);
  return true;
}

bool emit_pop(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& o = d.ops[0];
  const u8 size = d.osize;
  // POP to memory addresses its destination with ESP already moved: left to the handler.
  if (!e.inline_memory() || o.kind != OperandKind::kReg) return false;
  e.stack_linear(0, size, Access::kRead);
  e.translate(size, Access::kRead);
  e.load(reg::kVal1, size);
  e.adjust_esp(size);
  e.store_reg(o.reg, size, reg::kVal1);  // after ESP: POP ESP leaves the popped value
  return true;
}

bool emit_leave(Emitter& e) {
  const DecodedInsn& d = e.d();
  const u8 size = d.osize;
  if (!e.inline_memory()) return false;
  const a::Gp ebp = guest_reg(kEbp), esp = guest_reg(kEsp);
  const bool stack32 = e.key() & mode::kStack32;
  e.as.mov(reg::kAddr.r32(), ebp.r32());
  if (!stack32) e.as.movzx(reg::kAddr.r32(), reg::kAddr.r16());
  e.linear_of(kSs, size, Access::kRead);
  e.translate(size, Access::kRead);
  e.load(reg::kVal1, size);
  e.guest_reg_written(kEsp);
  if (stack32) {
    e.as.lea(esp.r32(), a::ptr(ebp, size));
  } else {
    e.as.lea(reg::kTmp1.r32(), a::ptr(ebp, size));
    e.as.mov(esp.r16(), reg::kTmp1.r16());
  }
  e.store_reg(kEbp, size, reg::kVal1);
  return true;
}

}  // namespace

void register_stack(EmitTable& t) {
  t.set(Op::kPush, emit_push);
  t.set(Op::kPop, emit_pop);
  t.set(Op::kLeave, emit_leave);
}

}  // namespace tern::x64
