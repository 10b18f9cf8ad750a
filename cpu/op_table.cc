// The table of operations generated from ops.def: mnemonic, handler and flag usage per Op.
#include "cpu/ops/handlers.h"
#include "cpu/state.h"

namespace tern {

namespace {

using namespace fl;

constexpr OpInfo kOpInfo[] = {
#define OP(id, handler, mnemonic, reads, writes, attrs) {mnemonic, &handler, reads, writes, attrs},
#include "cpu/ops.def"
#undef OP
};

static_assert(sizeof(kOpInfo) / sizeof(kOpInfo[0]) == static_cast<size_t>(Op::kCount));

}  // namespace

const OpInfo& op_info(Op op) { return kOpInfo[static_cast<size_t>(op)]; }

}  // namespace tern
