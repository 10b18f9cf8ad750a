// Save and restore of the CPU state: every architectural field, listed once.
#include "base/state.h"
#include "cpu/cpu.h"

namespace tern {

void Segment::serialize(StateIo& io) { io(selector, base, limit, attr, lo, hi, readable, writable); }
void TableReg::serialize(StateIo& io) { io(base, limit); }
void Float80::serialize(StateIo& io) { io(signif, sign_exp); }
void X87State::serialize(StateIo& io) { io(regs, control, status, tag, opcode, fip, fdp, fcs, fds, mxcsr); }

void Msrs::serialize(StateIo& io) {
  io(sysenter_cs, sysenter_esp, sysenter_eip, apic_base, pat, mtrr_cap, mtrr_def_type, mtrr_fixed, mtrr_var,
     tsc_offset, misc_enable);
}

void Cpu::serialize_fields(StateIo& io) {
  io(gpr, eip, eflags, lf.res, lf.src1, lf.src2, lf.op, lf.size);
  io(seg, ldtr, tr, gdtr, idtr, cr0, cr2, cr3, cr4, efer, dr, cpl, halted, msr, fpu);
  io(m_retired, m_clock_synced, m_intr, m_nmi_pending, m_nmi_blocked, m_inhibit, m_inhibit_debug, m_debug_trap);
  if (io.loading()) {
    next_eip = eip;
    update_breakpoints();
  }
}

void Cpu::serialize(StateIo& io) {
  serialize_fields(io);
  if (io.loading()) {
    update_paging();
    m_mmu.flush_all();
    if (m_engine) m_engine->flush();
    m_decode_cache.flush();
  }
}

void Cpu::save_checkpoint(std::vector<u8>& out) {
  out.clear();
  StateIo io(out);
  serialize_fields(io);
}

void Cpu::restore_checkpoint(const std::vector<u8>& in) {
  StateIo io("checkpoint", in);
  serialize_fields(io);
}

}  // namespace tern
