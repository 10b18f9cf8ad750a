// Operand-form specialisations of the hottest handlers: the decoder replaces the generic handler
// of ops.def by an instantiation for the instruction's operand form (register, memory,
// immediate) when the operation's family provides one (see operands.h). Semantics are the same;
// only the operand access is resolved ahead of time.
#pragma once

#include "cpu/insn.h"

namespace tern {

// The handler to run `d`: a form-specialised one, or the generic handler of d.op.
Handler form_handler(const DecodedInsn& d);

// Per family, defined beside the generic handlers; null when the form has no specialisation.
Handler alu_form_handler(const DecodedInsn& d);
Handler data_form_handler(const DecodedInsn& d);
Handler shift_form_handler(const DecodedInsn& d);
Handler stack_form_handler(const DecodedInsn& d);
Handler muldiv_form_handler(const DecodedInsn& d);
Handler control_form_handler(const DecodedInsn& d);

}  // namespace tern
