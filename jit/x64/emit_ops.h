// The table of inline forms, filled by one register_*() per emit_*.cc file (each mirrors a file
// of cpu/ops/). An operation without an entry runs its interpreter handler.
#pragma once

#include <array>

#include "jit/x64/emitter.h"

namespace tern::x64 {

class EmitTable {
 public:
  // Claims `op` for `fn`; a second claim of the same operation is a programming error.
  void set(Op op, EmitFn fn);
  EmitFn get(Op op) const { return m_fns[static_cast<size_t>(op)]; }

 private:
  std::array<EmitFn, static_cast<size_t>(Op::kCount)> m_fns{};
};

void register_alu(EmitTable& t);
void register_data(EmitTable& t);
void register_control(EmitTable& t);
void register_stack(EmitTable& t);
void register_shift(EmitTable& t);
void register_muldiv(EmitTable& t);
void register_string(EmitTable& t);
void register_flag(EmitTable& t);

}  // namespace tern::x64
