// Declarations of every instruction handler listed in ops.def.
#pragma once

#include "cpu/insn.h"

namespace tern {

#define OP(id, handler, mnemonic, reads, writes, attrs) void handler(Cpu& cpu, const DecodedInsn& d);
#include "cpu/ops.def"
#undef OP

}  // namespace tern
