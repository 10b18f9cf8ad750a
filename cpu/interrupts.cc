// Exception and interrupt delivery: the real-mode IVT, and protected-mode interrupt and trap
// gates with stack switches, including exits from virtual-8086 mode (Intel SDM Vol. 3 §6.12).
#include "base/log.h"
#include "cpu/cpu.h"

namespace tern {

namespace {

// Writes values onto a stack described by a segment cache, checking its limit first.
struct StackWriter {
  Cpu& cpu;
  const Segment& ss;
  u32 sp;
  u8 size;
  bool user;

  void check(u32 count, u32 error) {
    const u32 bytes = count * size;
    const u32 mask = ss.big() ? 0xFFFFFFFFu : 0xFFFFu;
    const u32 low = (sp - bytes) & mask;
    if (low < ss.lo || u64{low} + bytes - 1 > ss.hi) cpu.raise(kSS, error);
  }
  void push(u32 value) {
    const u32 mask = ss.big() ? 0xFFFFFFFFu : 0xFFFFu;
    sp = (sp - size) & mask;
    cpu.write_lin(ss.base + sp, size, value, user);
  }
};

}  // namespace

void Cpu::software_interrupt(u8 vector, bool int_n) {
  // INT n in virtual-8086 mode: IOPL-sensitive, or redirected through the v86 IVT under VME.
  if (v86() && int_n) {
    if (cr4 & cr4::VME) {
      const u16 bitmap_base = static_cast<u16>(read_sys(tr.base + 0x66, 2));
      const u32 redirect_byte = tr.base + bitmap_base - 32 + vector / 8;
      const bool redirected = tr.limit >= 0x67 && bitmap_base - 32u + vector / 8 <= tr.limit &&
                              !((read_sys(redirect_byte, 1) >> (vector % 8)) & 1);
      if (redirected) {
        // Deliver as in real mode through the IVT at linear 0, with VIF standing in for IF.
        u32 flags = get_eflags();
        if (iopl() < 3) flags = (flags & ~fl::IF) | ((flags & fl::VIF) ? fl::IF : 0) | fl::IOPL;
        const u32 target = read_lin(vector * 4u, 4, true);
        push(2, flags);
        push(2, seg[kCs].selector);
        push(2, next_eip);
        if (iopl() < 3)
          eflags &= ~(fl::VIF | fl::TF);
        else
          eflags &= ~(fl::IF | fl::TF);
        eflags &= ~fl::RF;
        load_cs_real(static_cast<u16>(target >> 16), target & 0xFFFF);
        return;
      }
    }
    if (iopl() < 3) gp(0);
  }
  deliver(vector, true, false, 0, next_eip);
}

void Cpu::deliver(u8 vector, bool software, bool has_error, u32 error_code, u32 return_eip) {
  log(LogCat::kCpu, LogLevel::kTrace, "deliver vector {:#x} error {:#x} at {:04x}:{:08x}", vector,
      has_error ? error_code : 0, seg[kCs].selector, eip);
  if (!protected_mode()) {
    if (vector * 4u + 3 > idtr.limit) gp(0);
    const u32 target = read_lin(idtr.base + vector * 4u, 4, false);
    push(2, get_eflags());
    push(2, seg[kCs].selector);
    push(2, return_eip);
    eflags &= ~(fl::IF | fl::TF | fl::AC | fl::RF);
    load_cs_real(static_cast<u16>(target >> 16), target & 0xFFFF);
    eip = next_eip;
    return;
  }

  const u32 ext = software ? 0 : 1;
  const u32 idt_error = vector * 8u + 2 + ext;
  if (vector * 8u + 7 > idtr.limit) gp(idt_error);
  const u64 gate = u64{read_sys(idtr.base + vector * 8u, 4)} | (u64{read_sys(idtr.base + vector * 8u + 4, 4)} << 32);
  const u8 gate_type = (gate >> 40) & 0x1F;
  const u8 gate_dpl = (gate >> 45) & 3;
  const bool gate_present = (gate >> 47) & 1;
  if (gate_type != 0x05 && gate_type != 0x06 && gate_type != 0x07 && gate_type != 0x0E && gate_type != 0x0F)
    gp(idt_error);
  if (software && gate_dpl < cpl) gp(idt_error);
  if (!gate_present) raise(kNP, idt_error);
  if (gate_type == 0x05) {
    task_switch(static_cast<u16>(gate >> 16), TaskSwitch::kInterrupt, has_error, error_code, return_eip, ext);
    return;
  }

  const bool gate32 = gate_type & 0x8;
  const bool trap_gate = gate_type & 0x1;
  const u16 selector = static_cast<u16>(gate >> 16);
  u32 offset = static_cast<u32>((gate & 0xFFFF) | ((gate >> 32) & 0xFFFF0000u));
  if (!gate32) offset &= 0xFFFF;
  if ((selector & 0xFFFC) == 0) gp(ext);
  const u64 desc = read_descriptor(selector, kGP);
  Segment cs = segment_from_descriptor(selector, desc);
  const u32 sel_error = (selector & 0xFFFC) + ext;
  if (!cs.code() || cs.dpl() > cpl) gp(sel_error);
  if (!cs.present()) raise(kNP, sel_error);

  const u8 size = gate32 ? 4 : 2;
  const u32 old_flags = get_eflags();
  const bool from_v86 = v86();
  u8 new_cpl = cpl;
  if (!cs.conforming() && cs.dpl() < cpl) {
    new_cpl = cs.dpl();
    if (from_v86 && new_cpl != 0) gp(sel_error);
    // Inner-privilege stack from the TSS.
    u16 new_ss_sel;
    u32 new_esp;
    if (tr.type() == 0x9 || tr.type() == 0xB) {
      const u32 at = 4 + new_cpl * 8u;
      if (at + 5 > tr.limit) raise(kTS, (tr.selector & 0xFFFC) + ext);
      new_esp = read_sys(tr.base + at, 4);
      new_ss_sel = static_cast<u16>(read_sys(tr.base + at + 4, 2));
    } else {
      const u32 at = 2 + new_cpl * 4u;
      if (at + 3 > tr.limit) raise(kTS, (tr.selector & 0xFFFC) + ext);
      new_esp = read_sys(tr.base + at, 2);
      new_ss_sel = static_cast<u16>(read_sys(tr.base + at + 2, 2));
    }
    const u32 ss_error = (new_ss_sel & 0xFFFC) + ext;
    if ((new_ss_sel & 0xFFFC) == 0) raise(kTS, ext);
    const u64 ss_desc = read_descriptor(new_ss_sel, kTS);
    Segment ss = segment_from_descriptor(new_ss_sel, ss_desc);
    if ((new_ss_sel & 3) != new_cpl || ss.dpl() != new_cpl || ss.system() || ss.code() || !(ss.attr & 2))
      raise(kTS, ss_error);
    if (!ss.present()) raise(kSS, ss_error);
    refresh_segment(ss);
    StackWriter w{*this, ss, new_esp, size, new_cpl == 3};
    const u32 count = (from_v86 ? 9 : 5) + (has_error ? 1 : 0);
    w.check(count, ss_error);
    if (from_v86) {
      w.push(seg[kGs].selector);
      w.push(seg[kFs].selector);
      w.push(seg[kDs].selector);
      w.push(seg[kEs].selector);
    }
    w.push(seg[kSs].selector);
    w.push(gpr[kEsp]);
    w.push(old_flags);
    w.push(seg[kCs].selector);
    w.push(return_eip);
    if (has_error) w.push(error_code);
    mark_descriptor_accessed(new_ss_sel, ss_desc);
    ss.attr |= 1;
    if (from_v86) {
      eflags &= ~fl::VM;
      for (u8 s : {kEs, kDs, kFs, kGs}) {
        seg[s] = Segment{};
        seg[s].attr = 0;
        refresh_segment(seg[s]);
      }
    }
    seg[kSs] = ss;
    refresh_segment(seg[kSs]);
    gpr[kEsp] = ss.big() ? w.sp : (gpr[kEsp] & 0xFFFF0000u) | (w.sp & 0xFFFF);
  } else {
    if (from_v86) gp(sel_error);
    StackWriter w{*this, seg[kSs], esp_value(), size, cpl == 3};
    w.check(3 + (has_error ? 1 : 0), 0);
    w.push(old_flags);
    w.push(seg[kCs].selector);
    w.push(return_eip);
    if (has_error) w.push(error_code);
    set_esp(w.sp);
  }
  if (offset > cs.limit) gp(0);
  mark_descriptor_accessed(selector, desc);
  cs.attr |= 1;
  cs.selector = static_cast<u16>((selector & 0xFFFC) | new_cpl);
  cpl = new_cpl;
  seg[kCs] = cs;
  refresh_segment(seg[kCs]);
  eflags &= ~(fl::TF | fl::NT | fl::RF | fl::VM);
  if (!trap_gate) eflags &= ~fl::IF;
  eip = next_eip = offset;
}

}  // namespace tern
