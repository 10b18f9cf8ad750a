// Hardware task switching through a TSS (Intel SDM Vol. 3 §7.3), for JMP/CALL to a TSS or task
// gate, interrupts through task gates (Linux uses one for its double-fault handler), and IRET
// with NT set. 16-bit (286) and 32-bit TSS formats. Also the inner-level stacks (SSn:ESPn) that
// call gates and interrupt gates take from the current TSS.
#include "cpu/cpu.h"

namespace tern {

namespace {

constexpr u8 kBusyBit = 0x2;

struct TaskImage {
  u32 cr3 = 0, eip = 0, eflags = 0;
  u32 regs[8] = {};
  u16 segs[kSegCount] = {};
  u16 ldt = 0;
  bool debug_trap = false;  // T bit: #DB when the task is entered
};

bool tss32(const Segment& tss) { return (tss.type() & 0x8) != 0; }

TaskImage read_image(Cpu& cpu, const Segment& tss) {
  TaskImage t;
  const u32 b = tss.base;
  if (tss32(tss)) {
    t.cr3 = cpu.read_sys(b + 0x1C, 4);
    t.eip = cpu.read_sys(b + 0x20, 4);
    t.eflags = cpu.read_sys(b + 0x24, 4);
    for (int i = 0; i < 8; ++i) t.regs[i] = cpu.read_sys(b + 0x28 + 4 * i, 4);
    for (int i = 0; i < kSegCount; ++i) t.segs[i] = static_cast<u16>(cpu.read_sys(b + 0x48 + 4 * i, 2));
    t.ldt = static_cast<u16>(cpu.read_sys(b + 0x60, 2));
    t.debug_trap = cpu.read_sys(b + 0x64, 1) & 1;
  } else {
    t.eip = cpu.read_sys(b + 0x0E, 2);
    t.eflags = cpu.read_sys(b + 0x10, 2);
    for (int i = 0; i < 8; ++i) t.regs[i] = 0xFFFF0000u | cpu.read_sys(b + 0x12 + 2 * i, 2);
    for (int i = 0; i < 4; ++i) t.segs[i] = static_cast<u16>(cpu.read_sys(b + 0x22 + 2 * i, 2));
    t.ldt = static_cast<u16>(cpu.read_sys(b + 0x2A, 2));
  }
  return t;
}

void write_image(Cpu& cpu, const Segment& tss, u32 eip, u32 eflags) {
  const u32 b = tss.base;
  if (tss32(tss)) {
    cpu.write_sys(b + 0x20, 4, eip);
    cpu.write_sys(b + 0x24, 4, eflags);
    for (int i = 0; i < 8; ++i) cpu.write_sys(b + 0x28 + 4 * i, 4, cpu.gpr[i]);
    for (int i = 0; i < kSegCount; ++i) cpu.write_sys(b + 0x48 + 4 * i, 2, cpu.seg[i].selector);
  } else {
    cpu.write_sys(b + 0x0E, 2, eip);
    cpu.write_sys(b + 0x10, 2, eflags);
    for (int i = 0; i < 8; ++i) cpu.write_sys(b + 0x12 + 2 * i, 2, cpu.gpr[i]);
    for (int i = 0; i < 4; ++i) cpu.write_sys(b + 0x22 + 2 * i, 2, cpu.seg[i].selector);
  }
}

void set_busy(Cpu& cpu, u16 selector, bool busy) {
  const u32 addr = cpu.gdtr.base + (selector & 0xFFF8u) + 5;
  const u32 access = cpu.read_sys(addr, 1);
  cpu.write_sys(addr, 1, busy ? access | kBusyBit : access & ~u32{kBusyBit});
}

// Loads a segment register of the new task; faults are #TS(selector) (or #NP/#SS when absent).
void load_task_segment(Cpu& cpu, u8 sreg, u16 selector, u32 ext) {
  const u32 err = (selector & 0xFFFC) | ext;
  if (cpu.v86()) {
    Segment& s = cpu.seg[sreg];
    s.selector = selector;
    s.base = u32{selector} << 4;
    s.limit = 0xFFFF;
    s.attr = 0xF3;
    cpu.refresh_segment(s);
    return;
  }
  if (err == 0) {
    if (sreg == kCs || sreg == kSs) cpu.raise(kTS, ext);
    cpu.seg[sreg] = Segment{};
    cpu.seg[sreg].selector = selector;
    cpu.seg[sreg].attr = 0;
    cpu.refresh_segment(cpu.seg[sreg]);
    return;
  }
  const u64 desc = cpu.read_descriptor(selector, kTS, ext);
  Segment s = Cpu::segment_from_descriptor(selector, desc);
  const u8 rpl = selector & 3;
  if (sreg == kCs) {
    if (!s.code() || (s.conforming() ? s.dpl() > rpl : s.dpl() != rpl)) cpu.raise(kTS, err);
    if (!s.present()) cpu.raise(kNP, err);
  } else if (sreg == kSs) {
    if (s.system() || s.code() || !(s.attr & 2) || rpl != cpu.cpl || s.dpl() != cpu.cpl) cpu.raise(kTS, err);
    if (!s.present()) cpu.raise(kSS, err);
  } else {
    if (s.system() || (s.code() && !(s.attr & 2))) cpu.raise(kTS, err);
    if (!s.conforming() && (s.dpl() < cpu.cpl || s.dpl() < rpl)) cpu.raise(kTS, err);
    if (!s.present()) cpu.raise(kNP, err);
  }
  cpu.mark_descriptor_accessed(selector, desc);
  s.attr |= 1;
  cpu.refresh_segment(s);
  cpu.seg[sreg] = s;
}

// The new task's LDT: null, or an LDT descriptor in the GDT.
void load_task_ldt(Cpu& cpu, u16 selector, u32 ext) {
  const u32 err = (selector & 0xFFFC) | ext;
  if ((selector & 0xFFFC) == 0) {
    cpu.ldtr = Segment{};
    cpu.ldtr.selector = selector;
    cpu.ldtr.attr = 0;
    return;
  }
  if (selector & 4) cpu.raise(kTS, err);
  const Segment ldt = Cpu::segment_from_descriptor(selector, cpu.read_descriptor(selector, kTS, ext));
  if (!ldt.system() || ldt.type() != 0x2 || !ldt.present()) cpu.raise(kTS, err);
  cpu.ldtr = ldt;
}

}  // namespace

Cpu::InnerStack Cpu::inner_stack(u8 new_cpl, u32 ext) {
  const bool tss32 = tr.type() == 0x9 || tr.type() == 0xB;
  const u8 size = tss32 ? 4 : 2;
  const u32 at = tss32 ? 4 + new_cpl * 8u : 2 + new_cpl * 4u;
  if (at + size + 1 > tr.limit) raise(kTS, (tr.selector & 0xFFFC) | ext);
  const u32 esp = read_sys(tr.base + at, size);
  const u16 ss_sel = static_cast<u16>(read_sys(tr.base + at + size, 2));
  const u32 err = (ss_sel & 0xFFFC) | ext;
  if ((ss_sel & 0xFFFC) == 0) raise(kTS, ext);
  const u64 desc = read_descriptor(ss_sel, kTS, ext);
  Segment ss = segment_from_descriptor(ss_sel, desc);
  if ((ss_sel & 3) != new_cpl || ss.dpl() != new_cpl || ss.system() || ss.code() || !(ss.attr & 2))
    raise(kTS, err);
  if (!ss.present()) raise(kSS, err);
  refresh_segment(ss);
  return {ss, desc, esp};
}

void Cpu::task_switch(u16 selector, TaskSwitch reason, bool has_error, u32 error_code, u32 return_eip, u32 ext) {
  const u32 err = (selector & 0xFFFC) | ext;
  const u8 fault = reason == TaskSwitch::kIret ? kTS : kGP;
  if (selector & 4) raise(fault, err);
  const u64 desc = read_descriptor(selector, fault, ext);
  Segment tss = segment_from_descriptor(selector, desc);
  const bool busy = tss.type() == 0x3 || tss.type() == 0xB;
  const bool is_tss = tss.system() && (tss.type() == 0x1 || tss.type() == 0x9 || busy);
  if (!is_tss || busy != (reason == TaskSwitch::kIret)) raise(fault, err);
  if (!tss.present()) raise(kNP, err);
  if (tss.limit < (tss32(tss) ? 0x67u : 0x2Bu)) raise(kTS, err);

  // Everything is read and the old state saved before anything changes (faults here belong to
  // the old task).
  const TaskImage next = read_image(*this, tss);
  u32 old_flags = get_eflags();
  if (reason == TaskSwitch::kIret) old_flags &= ~fl::NT;
  write_image(*this, tr, return_eip, old_flags);
  if (reason == TaskSwitch::kJump || reason == TaskSwitch::kIret) set_busy(*this, tr.selector, false);
  if (reason != TaskSwitch::kIret) set_busy(*this, selector, true);
  if (reason == TaskSwitch::kCall || reason == TaskSwitch::kInterrupt) write_sys(tss.base, 2, tr.selector);

  // Commit: the new task's registers. Faults from here on are reported in the new task. A
  // pending single-step trap belongs to the old task (Intel SDM Vol. 3 §17.3.1.4).
  m_debug_trap &= ~dr6::BS;
  tss.attr |= kBusyBit;
  tr = tss;
  cr0 |= cr0::TS;
  if (tss32(tss) && (cr0 & cr0::PG)) set_cr3(next.cr3);
  for (int i = 0; i < 8; ++i) gpr[i] = next.regs[i];
  u32 flags = next.eflags | fl::kFixedOne;
  if (reason == TaskSwitch::kCall || reason == TaskSwitch::kInterrupt) flags |= fl::NT;
  if (!tss32(tss)) flags = (get_eflags() & 0xFFFF0000u & ~fl::VM) | (flags & 0xFFFF);
  eflags = flags;
  lf.op = FlagOp::kNone;
  eip = next_eip = next.eip;
  cpl = v86() ? 3 : (next.segs[kCs] & 3);

  // Segment caches are marked unusable first, so a fault while loading leaves no stale cache.
  for (u8 s = 0; s < kSegCount; ++s) {
    seg[s].selector = next.segs[s];
    if (!v86()) seg[s].attr = 0;
    refresh_segment(seg[s]);
  }
  load_task_ldt(*this, next.ldt, ext);
  load_task_segment(*this, kCs, next.segs[kCs], ext);
  load_task_segment(*this, kSs, next.segs[kSs], ext);
  for (u8 s : {kEs, kDs, kFs, kGs}) load_task_segment(*this, s, tss32(tss) || s < kFs ? next.segs[s] : 0, ext);
  if (next.debug_trap) set_task_switch_trap();

  if (has_error) {
    const u8 size = tss32(tss) ? 4 : 2;
    push(size, error_code);
  }
  if (eip > seg[kCs].limit) gp(0);
}

}  // namespace tern
