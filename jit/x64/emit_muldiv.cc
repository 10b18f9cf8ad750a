// Inline forms of MUL and IMUL (cpu/ops/muldiv.cc). The interpreter sets CF and OF (upper half
// significant) and keeps SF ZF AF PF (P6 model). When the kept flags are dead, the inline form
// records CF = OF as an ADD that overflows (sign + sign) or a logic result (0); otherwise the
// host's CF and OF are kept beside the old flags (Emitter::keep_flags, flags_from_host). DIV and IDIV,
// which can raise #DE, stay with the handler.
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

constexpr u32 kKeptFlags = fl::SF | fl::ZF | fl::AF | fl::PF;

// Records CF = OF = host OF in Cpu::lf, without touching the host flags (MOV and CMOV only).
void record_product_flags(Emitter& e, u8 size) {
  auto& as = e.as;
  const a::Gp c = reg::kTmp1, t = reg::kTmp2;
  as.mov(c.r32(), 0);
  as.mov(t.r32(), 1u << (8 * size - 1));
  as.cmovo(c.r32(), t.r32());
  as.mov(cpu_mem(e.layout.lf_src1, 4), c.r32());
  as.mov(cpu_mem(e.layout.lf_src2, 4), c.r32());
  as.mov(cpu_mem(e.layout.lf_res, 4), 0);
  as.mov(c.r32(), static_cast<u32>(FlagOp::kLogic));
  as.mov(t.r32(), static_cast<u32>(FlagOp::kAdd));
  as.cmovo(c.r32(), t.r32());
  as.mov(cpu_mem(e.layout.lf_op, 1), c.r8Lo());
  as.mov(cpu_mem(e.layout.lf_size, 1), size);
  e.flags.where = FlagState::Where::kMemory;
  e.flags.known = false;
  e.flags.host_valid = fl::CF | fl::OF;
}

bool keeps_flags(Emitter& e) { return e.insn().flags_live_out & kKeptFlags; }

// Right after the host multiplication.
void finish_flags(Emitter& e, u8 size) {
  if (keeps_flags(e))
    e.flags_from_host(fl::CF | fl::OF);
  else if (e.insn().flags_live_out & (fl::CF | fl::OF))
    record_product_flags(e, size);
  else
    e.flags = FlagState::dead();
}

// A register or memory operand as something the host instruction can take.
asmjit::Operand source(Emitter& e, const Operand& o, u8 size) {
  if (o.kind == OperandKind::kImm) return Emitter::sized_imm(e.d().imm, size);
  if (o.kind == OperandKind::kReg && e.reg_view(o.reg, size).isValid()) return e.reg_view(o.reg, size);
  if (o.kind == OperandKind::kMem) {
    e.linear_of_operand(size, Access::kRead);
    e.translate(size, Access::kRead);
    e.load(reg::kVal1, size);
  } else {
    e.load_operand(o, reg::kVal1);
  }
  return view(reg::kVal1, size);
}

// IMUL r, r/m and IMUL r, r/m, imm (16 and 32 bits).
bool emit_imul2(Emitter& e) {
  const DecodedInsn& d = e.d();
  if (d.has_mem() && !e.inline_memory()) return false;
  const u8 size = d.ops[0].size;
  const bool three = d.ops[2].kind == OperandKind::kImm;
  const asmjit::Operand src = source(e, d.ops[1], size);
  e.guest_reg_written(d.ops[0].reg);
  if (keeps_flags(e)) e.keep_flags();
  const a::Gp dst = e.reg_view(d.ops[0].reg, size);
  if (three)
    e.as.emit(a::Inst::kIdImul, dst, src, Emitter::sized_imm(d.imm, size));
  else
    e.as.emit(a::Inst::kIdImul, dst, src);
  finish_flags(e, size);
  return true;
}

// MUL and IMUL r/m: AX = AL * r/m8, DX:AX = AX * r/m16, EDX:EAX = EAX * r/m32.
bool emit_widening(Emitter& e, bool sign) {
  const DecodedInsn& d = e.d();
  if (d.has_mem() && !e.inline_memory()) return false;
  const u8 size = d.ops[0].size;
  asmjit::Operand src = source(e, d.ops[0], size);
  auto& as = e.as;
  e.guest_reg_written(kEax);
  if (size != 1) e.guest_reg_written(kEdx);
  if (keeps_flags(e)) e.keep_flags();
  as.mov(a::eax, guest_reg(kEax).r32());
  as.emit(sign ? a::Inst::kIdImul : a::Inst::kIdMul, src);
  if (size == 1) {
    as.mov(guest_reg(kEax).r16(), a::ax);
  } else {
    as.mov(view(guest_reg(kEax), size), view(a::rax, size));
    as.mov(view(guest_reg(kEdx), size), view(a::rdx, size));
  }
  finish_flags(e, size);
  return true;
}

bool emit_mul(Emitter& e) { return emit_widening(e, false); }
bool emit_imul(Emitter& e) { return emit_widening(e, true); }

}  // namespace

void register_muldiv(EmitTable& t) {
  t.set(Op::kMul, emit_mul);
  t.set(Op::kImul, emit_imul);
  t.set(Op::kImul2, emit_imul2);
}

}  // namespace tern::x64
