// Which operations have an inline form, and which instructions are pure for flag liveness.
#include <cstdlib>

#include "base/log.h"
#include "cpu/cpu.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace {

bool has_memory_access(const DecodedInsn& d) {
  if (d.op == Op::kLea || d.op == Op::kNop) return false;
  for (const Operand& o : d.ops)
    if (o.kind == OperandKind::kMem) return true;
  return false;
}

}  // namespace

void EmitTable::set(Op op, EmitFn fn) {
  EmitFn& slot = m_fns[static_cast<size_t>(op)];
  if (slot) {
    log(LogCat::kJit, LogLevel::kError, "two inline forms claim {}", op_info(op).mnemonic);
    std::abort();
  }
  slot = fn;
}

namespace {

EmitTable build_table() {
  EmitTable t;
  register_alu(t);
  register_data(t);
  register_control(t);
  register_stack(t);
  register_shift(t);
  register_muldiv(t);
  register_string(t);
  register_flag(t);
  return t;
}

}  // namespace

EmitFn inline_form(Op op) {
  static const EmitTable table = build_table();
  return table.get(op);
}

bool is_pure(const DecodedInsn& d) {
  if (has_memory_access(d)) return false;
  switch (d.op) {
    case Op::kAdd: case Op::kOr: case Op::kAdc: case Op::kSbb: case Op::kAnd: case Op::kSub:
    case Op::kXor: case Op::kCmp: case Op::kTest: case Op::kNot: case Op::kNeg: case Op::kInc:
    case Op::kDec: case Op::kMov: case Op::kMovzx: case Op::kMovsx: case Op::kLea: case Op::kCbw:
    case Op::kCwd: case Op::kCmovcc: case Op::kSetcc: case Op::kLahf: case Op::kSahf: case Op::kSalc:
    case Op::kNop: case Op::kXchg: case Op::kBswap: case Op::kRol: case Op::kRor: case Op::kRcl:
    case Op::kRcr: case Op::kShl: case Op::kShr: case Op::kSar: case Op::kShld: case Op::kShrd:
    case Op::kMul: case Op::kImul: case Op::kImul2: case Op::kBt: case Op::kBts: case Op::kBtr:
    case Op::kBtc: case Op::kBsf: case Op::kBsr: case Op::kClc: case Op::kStc: case Op::kCmc:
    case Op::kCld: case Op::kStd:
      return true;
    default:
      return false;
  }
}

}  // namespace tern::x64
