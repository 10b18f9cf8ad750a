// Inline forms of near control transfers (cpu/ops/control.cc): JMP Jcc CALL RET LOOP JCXZ. Each
// ends its block: static targets leave through patchable (chainable) exits, computed targets
// through the jump cache. A target beyond the CS limit takes the slow path, whose handler raises
// #GP exactly when the interpreter would.
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// The target of a relative branch: EIP of the next instruction plus the displacement, within the
// operand size.
u32 relative_target(const Emitter& e) {
  const u32 t = e.insn().next_eip + e.d().imm;
  return e.d().osize == 2 ? t & 0xFFFF : t;
}

// The target of an indirect JMP or CALL (register or memory) into r10d.
bool load_indirect_target(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& o = d.ops[0];
  if (o.kind == OperandKind::kMem) {
    if (!e.inline_memory()) return false;
    e.linear_of_operand(d.osize, Access::kRead);
    e.translate(d.osize, Access::kRead);
    e.load(reg::kVal2, d.osize);
  } else {
    e.load_operand(o, reg::kVal2);
  }
  return true;
}

bool emit_jmp_near(Emitter& e) {
  if (e.d().ops[0].kind == OperandKind::kImm) {
    const u32 target = relative_target(e);
    e.check_branch_target(target);
    if (const int head = e.loop_head(target); head >= 0) {
      e.loop_to(static_cast<unsigned>(head));
      return true;
    }
    e.materialize_flags();
    e.exit_to(target);
    return true;
  }
  if (!load_indirect_target(e)) return false;
  e.check_branch_target_r10();
  e.materialize_flags();
  e.exit_indirect();
  return true;
}

bool emit_jcc(Emitter& e) {
  const u32 target = relative_target(e);
  e.check_branch_target(target);
  const a::CondCode cc = e.condition(e.d().cc);
  if (const int head = e.loop_head(target); head >= 0) {
    e.loop_to_if(cc, static_cast<unsigned>(head));
    if (!e.last_in_block()) return true;
    e.materialize_flags();
  } else if (const int later = e.forward_head(target); later >= 0) {
    e.jump_forward_if(cc, static_cast<unsigned>(later));
    return true;
  } else if (!e.last_in_block()) {
    e.side_exit_if(cc, target);
    return true;
  } else {
    e.materialize_flags();  // keeps the host flags
    e.exit_to_if(cc, target);
  }
  e.exit_to(e.insn().next_eip);
  return true;
}

bool emit_call_near(Emitter& e) {
  const DecodedInsn& d = e.d();
  const bool relative = d.ops[0].kind == OperandKind::kImm;
  if (!e.inline_memory()) return false;
  const u32 target = relative ? relative_target(e) : 0;
  if (relative)
    e.check_branch_target(target);
  else if (!load_indirect_target(e))
    return false;
  else
    e.check_branch_target_r10();
  // Push the return address, then move ESP: the store is the only access that can fault.
  e.stack_linear(-d.osize, d.osize, Access::kWrite);
  e.translate(d.osize, Access::kWrite);
  e.as.mov(a::ptr(reg::kAddr, 0, d.osize), Emitter::sized_imm(e.insn().next_eip, d.osize));
  e.adjust_esp(-d.osize);
  e.materialize_flags();
  if (relative)
    e.exit_to(target);
  else
    e.exit_indirect();
  return true;
}

bool emit_ret_near(Emitter& e) {
  const DecodedInsn& d = e.d();
  if (!e.inline_memory()) return false;
  e.stack_linear(0, d.osize, Access::kRead);
  e.translate(d.osize, Access::kRead);
  e.load(reg::kVal2, d.osize);
  e.check_branch_target_r10();
  const i32 release = d.ops[0].kind == OperandKind::kImm ? static_cast<i32>(d.imm & 0xFFFF) : 0;
  e.adjust_esp(d.osize + release);
  e.materialize_flags();
  e.exit_indirect();
  return true;
}

// LOOP (not LOOPE/LOOPNE) and JCXZ: the count register is CX or ECX by address size.
bool emit_loop(Emitter& e, bool decrement) {
  const DecodedInsn& d = e.d();
  const u32 target = relative_target(e);
  e.check_branch_target(target);
  const a::Gp ecx = guest_reg(kEcx);
  if (decrement) {
    e.guest_reg_written(kEcx);
    if (d.asize == 4) {
      e.as.lea(ecx.r32(), a::ptr(ecx, -1));
    } else {
      e.as.lea(reg::kTmp1.r32(), a::ptr(ecx, -1));
      e.as.mov(ecx.r16(), reg::kTmp1.r16());
    }
  }
  e.materialize_flags();
  const a::Gp count = view(ecx, d.asize);
  e.as.test(count, count);
  e.host_flags_clobbered();
  e.exit_to_if(decrement ? a::CondCode::kNZ : a::CondCode::kZ, target);
  e.exit_to(e.insn().next_eip);
  return true;
}

bool emit_loop_plain(Emitter& e) { return emit_loop(e, true); }
bool emit_jcxz(Emitter& e) { return emit_loop(e, false); }

}  // namespace

void register_control(EmitTable& t) {
  t.set(Op::kJmpNear, emit_jmp_near);
  t.set(Op::kJcc, emit_jcc);
  t.set(Op::kCallNear, emit_call_near);
  t.set(Op::kRetNear, emit_ret_near);
  t.set(Op::kLoop, emit_loop_plain);
  t.set(Op::kJcxz, emit_jcxz);
}

}  // namespace tern::x64
