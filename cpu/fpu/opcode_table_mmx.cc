// MMX opcode rows of the 0F map.
#include "cpu/opcode_table.h"

namespace tern {

std::span<const OpcodeRow> mmx_opcode_rows() { return {}; }

}  // namespace tern
