// Inline forms of SHL SHR SAR ROL ROR (cpu/ops/shift.cc) for the common cases: a count that is
// an immediate below the operand width, or CL on a 32-bit operand when no flag is needed
// afterwards. Shift flags are eager in the interpreter, with AF (and OF unless the count is 1)
// left unchanged, and rotates change only CF and OF. When none of the unchanged flags can be read,
// the new CF ZF SF PF are recorded as a subtraction with the same outcome: SUB res, 0 for CF = 0,
// SBB res, all-ones for CF = 1. Otherwise the host's new flags are kept beside the old ones
// (Emitter::keep_flags, flags_from_host); the host computes the defined ones exactly as the guest
// does.
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// After a shift whose result is in `res32` and whose CF is in the host CF: Cpu::lf describes
// CF ZF SF PF; the host flags stay as the shift left them.
void record_shift_flags(Emitter& e, const a::Gp& res32, u8 size) {
  auto& as = e.as;
  const a::Gp c = reg::kTmp2;
  as.setc(c.r8Lo());
  as.movzx(c.r32(), c.r8Lo());
  as.lea(reg::kTmp1.r32(), a::ptr(c, static_cast<i32>(FlagOp::kSub)));  // kSbb = kSub + 1
  as.mov(cpu_mem(e.layout.lf_op, 1), reg::kTmp1.r8Lo());
  as.mov(cpu_mem(e.layout.lf_size, 1), size);
  as.lea(c.r32(), a::ptr(c, -1));
  as.not_(c.r32());  // CF ? all ones : 0
  as.mov(cpu_mem(e.layout.lf_src2, 4), c.r32());
  as.mov(cpu_mem(e.layout.lf_src1, 4), res32);
  as.mov(cpu_mem(e.layout.lf_res, 4), res32);
  e.flags.where = FlagState::Where::kMemory;
  e.flags.known = false;
  e.flags.host_valid = fl::CF | fl::ZF | fl::SF | fl::PF;
}

bool emit_shift(Emitter& e, asmjit::InstId inst, bool rotate) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  const Operand& count = d.ops[1];
  const u8 size = dst.size;
  if (d.has_mem() && !e.inline_memory()) return false;
  const u32 live = e.insn().flags_live_out;
  const bool by_cl = count.kind == OperandKind::kReg;
  const u32 n = by_cl ? 0 : d.imm & 0x1F;
  // keep: the flags the shift leaves unchanged may be read, so they stay where they are and
  // `replaced` comes from the host.
  bool keep = false;
  u32 replaced = 0;
  if (by_cl) {
    if (size != 4 || live) return false;  // count 0 leaves flags, CL >= width has its own CF
  } else {
    if (n == 0) return true;  // no change at all, flags included
    if (n >= 8u * size) return false;
    replaced = (rotate ? fl::CF : fl::CF | fl::ZF | fl::SF | fl::PF) | (n == 1 ? fl::OF : 0);
    // The recorded subtraction gives every flag but AF, and OF only when it is 0 (SAR by 1).
    const u32 recordable = rotate ? 0 : fl::kArith & ~fl::AF & ~(n == 1 && inst != a::Inst::kIdSar ? fl::OF : 0);
    keep = (live & ~replaced) || (live & ~recordable);
  }
  auto& as = e.as;
  const bool direct = dst.kind == OperandKind::kReg && e.reg_view(dst.reg, size).isValid();
  a::Gp v = direct ? e.reg_view(dst.reg, size) : view(reg::kVal1, size);
  if (dst.kind == OperandKind::kMem) {
    e.linear_of_operand(size, Access::kWrite);
    e.translate(size, Access::kWrite);
    e.load(reg::kVal1, size);
  } else if (!direct) {
    e.load_operand(dst, reg::kVal1);
  }
  if (dst.kind == OperandKind::kReg) e.guest_reg_written(Emitter::full_reg(dst.reg, size));
  if (keep) e.keep_flags();
  if (by_cl) {
    as.mov(a::ecx, guest_reg(kEcx).r32());
    as.emit(inst, v, a::cl);
  } else {
    as.emit(inst, v, n);
  }
  const a::Gp res32 = direct ? guest_reg(Emitter::full_reg(dst.reg, size)).r32() : reg::kVal1.r32();
  if (keep)
    e.flags_from_host(replaced);
  else if (live)
    record_shift_flags(e, res32, size);
  else
    e.flags = FlagState::dead();
  if (dst.kind == OperandKind::kMem) {
    e.store(reg::kVal1, size);
  } else if (!direct) {
    e.write_reg_raw(dst.reg, size, reg::kVal1);
    e.flags.host_valid = 0;
  }
  return true;
}

bool emit_shl(Emitter& e) { return emit_shift(e, a::Inst::kIdShl, false); }
bool emit_shr(Emitter& e) { return emit_shift(e, a::Inst::kIdShr, false); }
bool emit_sar(Emitter& e) { return emit_shift(e, a::Inst::kIdSar, false); }
bool emit_rol(Emitter& e) { return emit_shift(e, a::Inst::kIdRol, true); }
bool emit_ror(Emitter& e) { return emit_shift(e, a::Inst::kIdRor, true); }

}  // namespace

void register_shift(EmitTable& t) {
  t.set(Op::kShl, emit_shl);
  t.set(Op::kShr, emit_shr);
  t.set(Op::kSar, emit_sar);
  t.set(Op::kRol, emit_rol);
  t.set(Op::kRor, emit_ror);
}

}  // namespace tern::x64
