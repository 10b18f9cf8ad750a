// Writes to CR0, CR3 and CR4: validity checks, mode changes and the MMU flushes they imply.
#include "cpu/cpu.h"

namespace tern {

namespace {

constexpr u32 kCr4Supported = cr4::VME | cr4::PVI | cr4::TSD | cr4::DE | cr4::PSE | cr4::PAE | cr4::MCE |
                              cr4::PGE | cr4::PCE | cr4::OSFXSR;
constexpr u32 kCr0Writable = cr0::PE | cr0::MP | cr0::EM | cr0::TS | cr0::NE | cr0::WP | cr0::AM | cr0::NW |
                             cr0::CD | cr0::PG;

}  // namespace

void Cpu::set_cr0(u32 value) {
  if ((value & cr0::PG) && !(value & cr0::PE)) gp(0);
  if ((value & cr0::NW) && !(value & cr0::CD)) gp(0);
  value = (value & kCr0Writable) | cr0::ET;  // ET is hardwired to 1 on P6
  const bool mode_change = (value ^ cr0) & cr0::PE;
  cr0 = value;
  if (mode_change) {
    if (!(cr0 & cr0::PE)) cpl = 0;
    for (Segment& s : seg) refresh_segment(s);
  }
  update_paging();
}

void Cpu::set_cr3(u32 value) {
  // Every CR3 write drops the non-global translations, also when the value stays the same
  // (operating systems reload CR3 to flush the TLB); the MMU flushes on changes by itself.
  const bool same = value == cr3;
  cr3 = value;
  update_paging();
  if (same) m_mmu.flush_non_global();
}

void Cpu::set_cr4(u32 value) {
  if (value & ~kCr4Supported) gp(0);
  cr4 = value;
  update_breakpoints();  // CR4.DE decides whether DR7 arms I/O breakpoints
  update_paging();
}

void Cpu::update_paging() { m_mmu.set_regs(PagingRegs{cr0, cr3, cr4, efer}); }

}  // namespace tern
