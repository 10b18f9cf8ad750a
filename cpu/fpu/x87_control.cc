// x87 control instructions that also exist outside the D8-DF escapes: FWAIT.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

// FWAIT: #NM when CR0.MP and CR0.TS are both set (Intel SDM Vol. 3 §2.5, Table 2-2).
void op_fwait(Cpu& cpu, const DecodedInsn&) {
  if ((cpu.cr0 & (cr0::MP | cr0::TS)) == (cr0::MP | cr0::TS)) cpu.raise(kNM);
}

}  // namespace tern
