// Inline forms of CLC STC CMC (cpu/ops/flag.cc): they set CF eagerly and keep the other flags,
// so the pending flags are stored first and CF is changed in eflags after the other five
// arithmetic flags are made eager there.
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// The other five flags, when still needed, must be eager in eflags before CF changes alone.
bool emit_carry_op(Emitter& e, int kind) {
  if (e.insn().flags_live_out & (fl::kArith & ~fl::CF)) return false;
  auto& as = e.as;
  const a::Mem eflags = cpu_mem(e.layout.eflags, 4);
  if (kind == 2) {  // CMC: CF = !CF
    e.host_cf();
    as.setnc(reg::kTmp1.r8Lo());
  }
  // Only CF lives on: eflags holds it, lf says "eflags holds the flags".
  as.and_(eflags, ~fl::CF);
  if (kind == 1) as.or_(eflags, fl::CF);
  if (kind == 2) as.or_(cpu_mem(e.layout.eflags, 1), reg::kTmp1.r8Lo());
  as.mov(cpu_mem(e.layout.lf_op, 1), static_cast<u32>(FlagOp::kNone));
  e.flags = FlagState::in_eflags();
  return true;
}

bool emit_clc(Emitter& e) { return emit_carry_op(e, 0); }
bool emit_stc(Emitter& e) { return emit_carry_op(e, 1); }
bool emit_cmc(Emitter& e) { return emit_carry_op(e, 2); }

}  // namespace

void register_flag(EmitTable& t) {
  t.set(Op::kClc, emit_clc);
  t.set(Op::kStc, emit_stc);
  t.set(Op::kCmc, emit_cmc);
}

}  // namespace tern::x64
