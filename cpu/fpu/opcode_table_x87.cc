// x87 opcode rows (D8-DF escapes).
#include "cpu/opcode_table.h"

namespace tern {

std::span<const OpcodeRow> x87_opcode_rows() { return {}; }

}  // namespace tern
