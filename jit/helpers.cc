#include "jit/helpers.h"

#include "jit/jit_engine.h"

namespace tern {

void jit_run_op(JitEngine* engine, const OpSite* site) {
  Cpu& cpu = engine->cpu();
  engine->sync_executed(site->uncharged);
  cpu.eip = site->eip;
  cpu.next_eip = site->next_eip;
  site->insn.handler(cpu, site->insn);
  cpu.finish_instruction(site->insn);
  // A transfer of control (a REP instruction restarting itself included) leaves the block.
  engine->after_helper(*site->block, site->uncharged - 1, cpu.eip != site->next_eip, site->may_change_mode);
}

}  // namespace tern
