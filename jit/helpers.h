// The C++ functions generated code calls. There is one: every instruction without an inline
// form, and every slow path of an inlined one (TLB miss, MMIO, a segment check that fails, a
// code page), runs the instruction's interpreter handler through jit_run_op, which brings the
// accounting up to date, runs the handler exactly as Cpu::step() would, and tells generated code
// whether to stop after the instruction. Faults longjmp from inside it to the run loop.
#pragma once

#include "jit/block.h"

namespace tern {

class JitEngine;

// Runs `site`'s instruction; guest registers and lazy flags are in the Cpu. Afterwards the
// context's `left` carries an exit request when generated code must return to the engine.
void jit_run_op(JitEngine* engine, const OpSite* site);

}  // namespace tern
