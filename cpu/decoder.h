// The instruction decoder: prefixes, opcode maps, ModRM/SIB, displacements and immediates, driven
// by the rows of opcode_table.h. Pure: it reads bytes and fills a DecodedInsn; faults are the
// caller's business.
#pragma once

#include "cpu/insn.h"

namespace tern {

enum class DecodeStatus : u8 {
  kOk,
  kNeedMore,  // the instruction continues past `avail` bytes (fetch the next page and retry)
  kTooLong,   // more than 15 bytes: #GP(0)
};

// Decodes one instruction from `bytes` (`avail` of them readable, at most 15 used) for a code
// segment of default size 32 (`code32`) or 16. Undefined encodings decode to Op::kUd.
DecodeStatus decode(const u8* bytes, unsigned avail, bool code32, DecodedInsn& out);

// One-line disassembly for logs and divergence reports ("add eax, [ebx+4]" style, approximate).
const char* mnemonic(Op op);

}  // namespace tern
