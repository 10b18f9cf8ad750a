// Inline forms of data movement (cpu/ops/data.cc, cpu/ops/exchange.cc): MOV MOVZX MOVSX LEA CBW
// CWD SETcc CMOVcc XCHG NOP. None of them writes flags; a register they overwrite may still hold
// a value the pending flags need (Emitter::guest_reg_written).
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

bool direct(const Emitter& e, const Operand& o) { return o.kind == OperandKind::kReg && e.reg_view(o.reg, o.size).isValid(); }

// The memory operand, translated for `access` into rax (the slow path covers everything else).
void memory_operand(Emitter& e, u8 size, Access access) {
  e.linear_of_operand(size, access);
  e.translate(size, access);
}

bool emit_mov(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  const Operand& src = d.ops[1];
  const u8 size = dst.size;
  auto& as = e.as;
  if (d.has_mem() && !e.inline_memory()) return false;
  if (dst.kind == OperandKind::kMem) {
    if (src.kind == OperandKind::kReg && !direct(e, src)) e.load_operand(src, reg::kVal1);
    memory_operand(e, size, Access::kWrite);
    const a::Mem m = a::ptr(reg::kAddr, 0, size);
    if (src.kind == OperandKind::kImm)
      as.mov(m, Emitter::sized_imm(d.imm, size));
    else if (direct(e, src))
      as.mov(m, e.reg_view(src.reg, size));
    else
      as.mov(m, view(reg::kVal1, size));
    return true;
  }
  if (src.kind == OperandKind::kMem) {
    memory_operand(e, size, Access::kRead);
    if (direct(e, dst)) {
      e.guest_reg_written(Emitter::full_reg(dst.reg, size));
      as.mov(e.reg_view(dst.reg, size), a::ptr(reg::kAddr, 0, size));
    } else {
      e.load(reg::kVal1, size);
      e.store_reg(dst.reg, size, reg::kVal1);
    }
    return true;
  }
  if (direct(e, dst) && (src.kind == OperandKind::kImm || direct(e, src))) {
    e.guest_reg_written(Emitter::full_reg(dst.reg, size));
    if (src.kind == OperandKind::kImm)
      as.mov(e.reg_view(dst.reg, size), Emitter::sized_imm(d.imm, size));
    else
      as.mov(e.reg_view(dst.reg, size), e.reg_view(src.reg, size));
    return true;
  }
  e.load_operand(src, reg::kVal1);
  e.store_reg(dst.reg, size, reg::kVal1);
  return true;
}

// MOVZX and MOVSX: an 8- or 16-bit source widened into a 16- or 32-bit register.
bool emit_extend(Emitter& e, bool sign) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  const Operand& src = d.ops[1];
  auto& as = e.as;
  if (d.has_mem() && !e.inline_memory()) return false;
  asmjit::Operand from;
  if (src.kind == OperandKind::kMem) {
    memory_operand(e, src.size, Access::kRead);
    from = a::ptr(reg::kAddr, 0, src.size);
  } else if (direct(e, src)) {
    from = e.reg_view(src.reg, src.size);
  } else {
    e.load_operand(src, reg::kVal1);
    from = view(reg::kVal1, src.size);
  }
  e.guest_reg_written(dst.reg);
  as.emit(sign ? a::Inst::kIdMovsx : a::Inst::kIdMovzx, e.reg_view(dst.reg, dst.size), from);
  return true;
}

bool emit_movzx(Emitter& e) { return emit_extend(e, false); }
bool emit_movsx(Emitter& e) { return emit_extend(e, true); }

bool emit_lea(Emitter& e) {
  const DecodedInsn& d = e.d();
  e.effective_address();
  e.guest_reg_written(d.ops[0].reg);
  e.as.mov(e.reg_view(d.ops[0].reg, d.osize), view(reg::kAddr, d.osize));
  return true;
}

bool emit_cbw(Emitter& e) {
  const a::Gp eax = guest_reg(kEax);
  e.guest_reg_written(kEax);
  if (e.d().osize == 2)
    e.as.movsx(eax.r16(), eax.r8Lo());
  else
    e.as.movsx(eax.r32(), eax.r16());
  return true;
}

bool emit_cwd(Emitter& e) {
  const u8 size = e.d().osize;
  e.as.mov(reg::kVal1.r32(), guest_reg(kEax).r32());
  e.as.sar(view(reg::kVal1, size), 8 * size - 1);
  e.host_flags_clobbered();
  e.guest_reg_written(kEdx);
  e.as.mov(view(guest_reg(kEdx), size), view(reg::kVal1, size));
  return true;
}

bool emit_setcc(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  if (d.has_mem() && !e.inline_memory()) return false;
  if (dst.kind == OperandKind::kMem) {
    memory_operand(e, 1, Access::kWrite);
    e.as.set(e.condition(d.cc), reg::kVal1.r8Lo());
    e.store(reg::kVal1, 1);
    return true;
  }
  e.as.set(e.condition(d.cc), reg::kVal1.r8Lo());
  e.store_reg(dst.reg, 1, reg::kVal1);
  return true;
}

bool emit_cmovcc(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  const Operand& src = d.ops[1];
  if (d.has_mem() && !e.inline_memory()) return false;
  // The source is read (and may fault) whether or not the move happens.
  asmjit::Operand from;
  if (src.kind == OperandKind::kMem) {
    memory_operand(e, dst.size, Access::kRead);
    e.load(reg::kVal1, dst.size);
    from = view(reg::kVal1, dst.size);
  } else {
    from = e.reg_view(src.reg, dst.size);
  }
  const a::CondCode cc = e.condition(d.cc);
  e.guest_reg_written(dst.reg);
  e.as.emit(a::Inst::cmovccFromCond(cc), e.reg_view(dst.reg, dst.size), from);
  return true;
}

bool emit_xchg(Emitter& e) {
  const DecodedInsn& d = e.d();
  const Operand& x = d.ops[0];
  const Operand& y = d.ops[1];
  const u8 size = x.size;
  if (d.has_mem() && !e.inline_memory()) return false;
  const Operand& r = x.kind == OperandKind::kReg ? x : y;
  const Operand& other = x.kind == OperandKind::kReg ? y : x;
  if (!direct(e, r) || (other.kind == OperandKind::kReg && !direct(e, other))) return false;
  if (other.kind == OperandKind::kMem) {
    memory_operand(e, size, Access::kWrite);
    e.load(reg::kVal1, size);
    e.as.mov(a::ptr(reg::kAddr, 0, size), e.reg_view(r.reg, size));
    e.guest_reg_written(Emitter::full_reg(r.reg, size));
    e.as.mov(e.reg_view(r.reg, size), view(reg::kVal1, size));
    return true;
  }
  e.guest_reg_written(Emitter::full_reg(r.reg, size));
  e.guest_reg_written(Emitter::full_reg(other.reg, size));
  e.as.xchg(e.reg_view(r.reg, size), e.reg_view(other.reg, size));
  return true;
}

bool emit_nop(Emitter&) { return true; }

}  // namespace

void register_data(EmitTable& t) {
  t.set(Op::kMov, emit_mov);
  t.set(Op::kMovzx, emit_movzx);
  t.set(Op::kMovsx, emit_movsx);
  t.set(Op::kLea, emit_lea);
  t.set(Op::kCbw, emit_cbw);
  t.set(Op::kCwd, emit_cwd);
  t.set(Op::kSetcc, emit_setcc);
  t.set(Op::kCmovcc, emit_cmovcc);
  t.set(Op::kXchg, emit_xchg);
  t.set(Op::kNop, emit_nop);
}

}  // namespace tern::x64
