// Inline forms of the integer arithmetic and logic instructions (cpu/ops/alu.cc): ADD OR ADC SBB
// AND SUB XOR CMP TEST NOT NEG INC DEC. The host instruction is the guest instruction, so the host
// flags after it are the guest's and the lazy flags only record where the operands are.
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

struct Binary {
  FlagOp kind;       // ADD/ADC -> kAdd/kAdc ..., AND/OR/XOR/TEST -> kLogic, CMP -> kSub
  asmjit::InstId inst;
  bool write_back;   // false for CMP and TEST
};

a::Mem lf(i32 offset) { return cpu_mem(offset, 4); }

// ADC and SBB record carry-dependent lazy flags (kAdc or kAdd): everything goes to Cpu::lf right
// here, with the op byte taken from the host CF before the host instruction consumes it.
void record_carry_op_inputs(Emitter& e, const Binary& b, u8 size, const a::Gp& dst32, const FlagValue& src2) {
  auto& as = e.as;
  as.mov(lf(e.layout.lf_src1), dst32);
  if (src2.kind == FlagValue::kReg) as.mov(lf(e.layout.lf_src2), guest_reg(src2.reg).r32());
  if (src2.kind == FlagValue::kImm) as.mov(lf(e.layout.lf_src2), src2.imm);
  as.setc(reg::kTmp2.r8Lo());
  as.lea(reg::kTmp2.r32(), a::ptr(reg::kTmp2, static_cast<i32>(b.kind == FlagOp::kAdc ? FlagOp::kAdd : FlagOp::kSub)));
  as.mov(cpu_mem(e.layout.lf_op, 1), reg::kTmp2.r8Lo());
  as.mov(cpu_mem(e.layout.lf_size, 1), size);
}

// Records the flags of a binary operation just computed by the host.
void record_flags(Emitter& e, const Binary& b, u8 size, FlagValue dst, FlagValue src2, u32 host_valid) {
  if (b.kind == FlagOp::kAdc || b.kind == FlagOp::kSbb) {
    e.flags.where = FlagState::Where::kMemory;
    e.flags.known = false;
    e.flags.host_valid = host_valid;
    return;
  }
  if (!b.write_back)  // CMP, TEST: the result is derived from the operands
    e.set_pending(b.kind, size, FlagValue::derived(), dst, src2, host_valid);
  else if (b.kind == FlagOp::kLogic)
    e.set_pending(b.kind, size, dst, {}, {}, host_valid);
  else
    e.set_pending(b.kind, size, dst, FlagValue::derived(), src2, host_valid);
}

// The source operand: immediate, a directly addressable register, or a value in r10 (memory or
// AH..BH), whose flag record then goes to Cpu::lf.src2.
struct Source {
  asmjit::Operand op;
  FlagValue flag;
  bool in_scratch = false;  // the value is in r10 and still has to go to Cpu::lf.src2
};

Source load_source(Emitter& e, const Operand& o, u8 size) {
  if (o.kind == OperandKind::kImm) return {Emitter::sized_imm(e.d().imm, size), FlagValue::immediate(e.d().imm)};
  if (o.kind == OperandKind::kReg && e.reg_view(o.reg, size).isValid())
    return {e.reg_view(o.reg, size), FlagValue::in_reg(Emitter::full_reg(o.reg, size))};
  if (o.kind == OperandKind::kMem) {
    e.linear_of_operand(size, Access::kRead);
    e.translate(size, Access::kRead);
    e.load(reg::kVal2, size);
  } else {
    e.load_operand(o, reg::kVal2);
  }
  return {view(reg::kVal2, size), FlagValue::stored(), true};
}

void store_src2_if_scratch(Emitter& e, const Source& s) {
  if (s.in_scratch) e.as.mov(lf(e.layout.lf_src2), reg::kVal2.r32());
}

bool emit_binary(Emitter& e, const Binary& b) {
  const DecodedInsn& d = e.d();
  const Operand& dst = d.ops[0];
  const u8 size = dst.size;
  if (d.has_mem() && !e.inline_memory()) return false;
  const bool carry = b.kind == FlagOp::kAdc || b.kind == FlagOp::kSbb;
  auto& as = e.as;
  if (dst.kind == OperandKind::kReg && e.reg_view(dst.reg, size).isValid()) {
    // Destination in its host register.
    Source s = load_source(e, d.ops[1], size);
    const u8 full = Emitter::full_reg(dst.reg, size);
    const a::Gp dv = e.reg_view(dst.reg, size);
    if (carry) e.host_cf();
    if (b.write_back) {
      e.guest_reg_written(full);
      // dst OP dst: keep the source operand before the operation overwrites it.
      if (s.flag.kind == FlagValue::kReg && s.flag.reg == full && b.kind != FlagOp::kLogic && !carry) {
        as.mov(lf(e.layout.lf_src2), guest_reg(full).r32());
        s.flag = FlagValue::stored();
      }
    }
    if (carry) record_carry_op_inputs(e, b, size, guest_reg(full).r32(), s.flag);
    if (carry) store_src2_if_scratch(e, s);
    as.emit(b.inst, dv, s.op);
    if (carry) as.mov(lf(e.layout.lf_res), guest_reg(full).r32());
    else store_src2_if_scratch(e, s);
    record_flags(e, b, size, FlagValue::in_reg(full), s.flag, fl::kArith);
    return true;
  }
  // Destination in memory or AH..BH: computed in r9.
  const bool in_memory = dst.kind == OperandKind::kMem;
  if (in_memory) {
    const Access access = b.write_back ? Access::kWrite : Access::kRead;
    e.linear_of_operand(size, access);
    e.translate(size, access);
    e.load(reg::kVal1, size);
  } else {
    e.load_operand(dst, reg::kVal1);
  }
  Source s = load_source(e, d.ops[1], size);
  if (carry) e.host_cf();
  if (b.write_back && !in_memory) e.guest_reg_written(Emitter::full_reg(dst.reg, size));
  if (carry) {
    record_carry_op_inputs(e, b, size, reg::kVal1.r32(), s.flag);
    store_src2_if_scratch(e, s);
  }
  if (!b.write_back) as.mov(lf(e.layout.lf_src1), reg::kVal1.r32());
  as.emit(b.inst, view(reg::kVal1, size), s.op);
  u32 host_valid = fl::kArith;
  if (b.write_back) {
    if (in_memory) {
      e.store(reg::kVal1, size);
    } else {
      e.write_reg_raw(dst.reg, size, reg::kVal1);
      host_valid = 0;
    }
    as.mov(lf(e.layout.lf_res), reg::kVal1.r32());
  }
  if (!carry) store_src2_if_scratch(e, s);
  record_flags(e, b, size, FlagValue::stored(), s.flag, host_valid);
  if (!b.write_back) e.flags.src1 = FlagValue::stored();
  return true;
}

bool emit_add(Emitter& e) { return emit_binary(e, {FlagOp::kAdd, a::Inst::kIdAdd, true}); }
bool emit_or(Emitter& e) { return emit_binary(e, {FlagOp::kLogic, a::Inst::kIdOr, true}); }
bool emit_adc(Emitter& e) { return emit_binary(e, {FlagOp::kAdc, a::Inst::kIdAdc, true}); }
bool emit_sbb(Emitter& e) { return emit_binary(e, {FlagOp::kSbb, a::Inst::kIdSbb, true}); }
bool emit_and(Emitter& e) { return emit_binary(e, {FlagOp::kLogic, a::Inst::kIdAnd, true}); }
bool emit_sub(Emitter& e) { return emit_binary(e, {FlagOp::kSub, a::Inst::kIdSub, true}); }
bool emit_xor(Emitter& e) { return emit_binary(e, {FlagOp::kLogic, a::Inst::kIdXor, true}); }
bool emit_cmp(Emitter& e) { return emit_binary(e, {FlagOp::kSub, a::Inst::kIdCmp, false}); }
bool emit_test(Emitter& e) { return emit_binary(e, {FlagOp::kLogic, a::Inst::kIdTest, false}); }

enum class Unary { kNot, kNeg, kInc, kDec };

void unary_op(Emitter& e, Unary kind, const a::Gp& v) {
  switch (kind) {
    case Unary::kNot: e.as.not_(v); break;
    case Unary::kNeg: e.as.neg(v); break;
    case Unary::kInc: e.as.inc(v); break;
    case Unary::kDec: e.as.dec(v); break;
  }
}

// NOT NEG INC DEC: one operand, changed in its host register or in r9.
bool emit_unary(Emitter& e, Unary kind) {
  const DecodedInsn& d = e.d();
  const Operand& o = d.ops[0];
  if (d.has_mem() && !e.inline_memory()) return false;
  const u8 size = o.size;
  const bool inc_dec = kind == Unary::kInc || kind == Unary::kDec;
  // INC and DEC keep CF: when it is still needed, it goes to eflags first (as ops/alu.cc does).
  if (inc_dec && (e.insn().flags_live_out & fl::CF)) e.cf_to_eflags();
  FlagValue res;
  u32 host_valid = inc_dec ? fl::kArith & ~fl::CF : fl::kArith;
  if (o.kind == OperandKind::kReg && e.reg_view(o.reg, size).isValid()) {
    const u8 full = Emitter::full_reg(o.reg, size);
    e.guest_reg_written(full);
    unary_op(e, kind, e.reg_view(o.reg, size));
    res = FlagValue::in_reg(full);
  } else {
    const bool in_memory = o.kind == OperandKind::kMem;
    if (in_memory) {
      e.linear_of_operand(size, Access::kWrite);
      e.translate(size, Access::kWrite);
      e.load(reg::kVal1, size);
    } else {
      e.load_operand(o, reg::kVal1);
      e.guest_reg_written(Emitter::full_reg(o.reg, size));
    }
    unary_op(e, kind, view(reg::kVal1, size));
    if (in_memory) {
      e.store(reg::kVal1, size);
    } else {
      e.write_reg_raw(o.reg, size, reg::kVal1);  // AH..BH: rotates, the host flags are gone
      host_valid = 0;
    }
    if (kind != Unary::kNot) e.as.mov(lf(e.layout.lf_res), reg::kVal1.r32());
    res = FlagValue::stored();
  }
  switch (kind) {
    case Unary::kNot: break;
    case Unary::kNeg: e.set_pending(FlagOp::kSub, size, res, FlagValue::immediate(0), FlagValue::derived(), host_valid); break;
    case Unary::kInc:
    case Unary::kDec:
      e.set_pending(kind == Unary::kInc ? FlagOp::kInc : FlagOp::kDec, size, res, FlagValue::derived(),
                    FlagValue::immediate(1), host_valid);
      break;
  }
  return true;
}

bool emit_not(Emitter& e) { return emit_unary(e, Unary::kNot); }
bool emit_neg(Emitter& e) { return emit_unary(e, Unary::kNeg); }
bool emit_inc(Emitter& e) { return emit_unary(e, Unary::kInc); }
bool emit_dec(Emitter& e) { return emit_unary(e, Unary::kDec); }

}  // namespace

void register_alu(EmitTable& t) {
  t.set(Op::kAdd, emit_add);
  t.set(Op::kOr, emit_or);
  t.set(Op::kAdc, emit_adc);
  t.set(Op::kSbb, emit_sbb);
  t.set(Op::kAnd, emit_and);
  t.set(Op::kSub, emit_sub);
  t.set(Op::kXor, emit_xor);
  t.set(Op::kCmp, emit_cmp);
  t.set(Op::kTest, emit_test);
  t.set(Op::kNot, emit_not);
  t.set(Op::kNeg, emit_neg);
  t.set(Op::kInc, emit_inc);
  t.set(Op::kDec, emit_dec);
}

}  // namespace tern::x64
