// Exception and interrupt delivery (Intel SDM Vol. 3 §6.12-6.13, §20.3-20.4): the real-mode IVT,
// protected-mode interrupt, trap and task gates with stack switches, exits from virtual-8086
// mode, and INT n in virtual-8086 mode (IOPL-sensitive, or redirected through the 8086 IVT by
// the CR4.VME interrupt redirection bitmap).
//
// Every check is made and every push written before a register changes, so a fault during
// delivery (reported by the caller's fault path, possibly as #DF) leaves the interrupted state.
#include "base/log.h"
#include "cpu/cpu.h"

namespace tern {

namespace {

constexpr u8 kTaskGate = 0x5;
constexpr u8 kIntGate16 = 0x6;
constexpr u8 kTrapGate16 = 0x7;
constexpr u8 kIntGate32 = 0xE;
constexpr u8 kTrapGate32 = 0xF;

// Writes values onto a stack described by a segment cache, after checking the whole frame fits.
struct StackWriter {
  Cpu& cpu;
  const Segment& ss;
  u32 sp;
  u8 size;
  bool user;  // pushes to a ring-3 stack are user accesses for paging

  u32 mask() const { return ss.big() ? 0xFFFFFFFFu : 0xFFFFu; }
  void check(u32 count, u32 error) {
    const u32 bytes = count * size;
    const u32 low = (sp - bytes) & mask();
    if (low < ss.lo || u64{low} + bytes - 1 > ss.hi) cpu.raise(kSS, error);
  }
  void push(u32 value) {
    sp = (sp - size) & mask();
    cpu.write_lin(ss.base + sp, size, value, user);
  }
};

// The 32 bytes below the I/O map base of the TSS: a clear bit sends INT n of a virtual-8086
// program to its own IVT (Intel SDM Vol. 3 §20.3.3.5).
bool redirected_to_v86(Cpu& cpu, u8 vector) {
  if (cpu.tr.limit < 0x67) cpu.gp(0);
  const u32 iomap = cpu.read_sys(cpu.tr.base + 0x66, 2);
  const u32 offset = iomap - 32 + vector / 8;
  if (offset > cpu.tr.limit) cpu.gp(0);
  return !((cpu.read_sys(cpu.tr.base + offset, 1) >> (vector % 8)) & 1);
}

// Leaving virtual-8086 mode, DS ES FS GS hold paragraphs that mean nothing in protected mode:
// the handler gets them null (their selectors are on its stack).
void null_data_segments(Cpu& cpu) {
  for (u8 s : {kEs, kDs, kFs, kGs}) {
    cpu.seg[s] = Segment{};
    cpu.seg[s].attr = 0;
    cpu.refresh_segment(cpu.seg[s]);
  }
}

// The handler's code segment at `new_cpl` (its RPL becomes the CPL).
void load_handler_cs(Cpu& cpu, Segment cs, u64 desc, u8 new_cpl, u32 offset) {
  cpu.mark_descriptor_accessed(cs.selector, desc);
  cs.attr |= 1;
  cs.selector = static_cast<u16>((cs.selector & 0xFFFC) | new_cpl);
  cpu.cpl = new_cpl;
  cpu.seg[kCs] = cs;
  cpu.refresh_segment(cpu.seg[kCs]);
  cpu.eip = cpu.next_eip = offset;
}

}  // namespace

void Cpu::software_interrupt(u8 vector, bool int_n) {
  // INT n in virtual-8086 mode is IOPL-sensitive unless VME redirects it (Intel SDM Vol. 3
  // Table 20-2); INT3 and INTO always go to the protected-mode handler.
  if (v86() && int_n) {
    if ((cr4 & cr4::VME) && redirected_to_v86(*this, vector)) {
      m_debug_trap = 0;
      // Below IOPL 3 the pushed image shows VIF as IF and IOPL as 3, and VIF is what clears.
      const bool virtual_if = iopl() < 3;
      u32 flags = get_eflags();
      if (virtual_if) flags = (flags & ~fl::IF) | ((flags & fl::VIF) ? fl::IF : 0) | fl::IOPL;
      const u32 target = read_lin(vector * 4u, 4, true);
      push(2, flags);
      push(2, seg[kCs].selector);
      push(2, next_eip);
      eflags &= ~(fl::TF | fl::RF | (virtual_if ? fl::VIF : fl::IF));
      load_cs_real(static_cast<u16>(target >> 16), target & 0xFFFF);
      return;
    }
    if (iopl() < 3) gp(0);
  }
  deliver(vector, true, false, 0, next_eip);
}

void Cpu::deliver(u8 vector, bool software, bool has_error, u32 error_code, u32 return_eip) {
  log(LogCat::kCpu, LogLevel::kTrace, "deliver vector {:#x} error {:#x} at {:04x}:{:08x}", vector,
      has_error ? error_code : 0, seg[kCs].selector, eip);
  // Pending traps and interrupt shadows belong to the interrupted context.
  m_debug_trap = 0;
  m_inhibit = m_inhibit_debug = false;
  // The #DB handler may use the debug registers: entry clears DR7.GD (Intel SDM Vol. 3 §17.2.4).
  if (vector == kDB && !software) dr[7] &= ~(1u << 13);
  if (!protected_mode()) return deliver_real_mode(vector, return_eip);

  // EXT: the event is not a software interrupt; it marks error codes of faults it causes.
  const u32 ext = software ? 0 : 1;
  const u32 idt_error = vector * 8u + 2 + ext;
  if (vector * 8u + 7 > idtr.limit) gp(idt_error);
  const u64 gate = u64{read_sys(idtr.base + vector * 8u, 4)} | (u64{read_sys(idtr.base + vector * 8u + 4, 4)} << 32);
  const bool system = !((gate >> 44) & 1);
  const u8 type = (gate >> 40) & 0xF;
  const u8 dpl = (gate >> 45) & 3;
  if (!system || (type != kTaskGate && type != kIntGate16 && type != kTrapGate16 && type != kIntGate32 &&
                  type != kTrapGate32))
    gp(idt_error);
  if (software && dpl < cpl) gp(idt_error);
  if (!((gate >> 47) & 1)) raise(kNP, idt_error);
  if (type == kTaskGate) {
    task_switch(static_cast<u16>(gate >> 16), TaskSwitch::kInterrupt, has_error, error_code, return_eip, ext);
    return;
  }
  deliver_through_gate(vector, gate, has_error, error_code, return_eip, ext);
}

// Real mode: FLAGS, CS, IP on the stack, CS:IP from the IVT at IDTR.base.
void Cpu::deliver_real_mode(u8 vector, u32 return_eip) {
  if (vector * 4u + 3 > idtr.limit) gp(0);
  const u32 target = read_lin(idtr.base + vector * 4u, 4, false);
  push(2, get_eflags());
  push(2, seg[kCs].selector);
  push(2, return_eip);
  eflags &= ~(fl::IF | fl::TF | fl::AC | fl::RF);
  load_cs_real(static_cast<u16>(target >> 16), target & 0xFFFF);
  eip = next_eip;
}

// An interrupt or trap gate: to the handler's privilege level (with a stack switch from the TSS
// when it is inner), leaving virtual-8086 mode when the interrupted code ran there.
void Cpu::deliver_through_gate(u8 vector, u64 gate, bool has_error, u32 error_code, u32 return_eip, u32 ext) {
  const u8 type = (gate >> 40) & 0xF;
  const u16 selector = static_cast<u16>(gate >> 16);
  const u8 size = (type & 0x8) ? 4 : 2;
  u32 offset = static_cast<u32>((gate & 0xFFFF) | ((gate >> 32) & 0xFFFF0000u));
  if (size == 2) offset &= 0xFFFF;
  if ((selector & 0xFFFC) == 0) gp(ext);
  const u64 desc = read_descriptor(selector, kGP, ext);
  Segment cs = segment_from_descriptor(selector, desc);
  const u32 sel_error = (selector & 0xFFFC) | ext;
  if (cs.system() || !cs.code() || cs.dpl() > cpl) gp(sel_error);
  if (!cs.present()) raise(kNP, sel_error);

  const bool from_v86 = v86();
  const bool inner = !cs.conforming() && cs.dpl() < cpl;
  // From virtual-8086 mode the handler must be a non-conforming ring-0 segment.
  if (from_v86 && (!inner || cs.dpl() != 0)) gp(sel_error);
  const u8 new_cpl = inner ? cs.dpl() : cpl;
  const u32 old_flags = get_eflags();
  const u32 count = (inner ? 5 : 3) + (from_v86 ? 4 : 0) + (has_error ? 1 : 0);

  InnerStack stack{seg[kSs], 0, esp_value()};
  if (inner) stack = inner_stack(new_cpl, ext);
  refresh_segment(stack.ss);
  StackWriter w{*this, stack.ss, stack.esp, size, new_cpl == 3};
  w.check(count, inner ? (stack.ss.selector & 0xFFFC) | ext : ext);
  if (offset > cs.limit) gp(ext);
  if (from_v86) {
    w.push(seg[kGs].selector);
    w.push(seg[kFs].selector);
    w.push(seg[kDs].selector);
    w.push(seg[kEs].selector);
  }
  if (inner) {
    w.push(seg[kSs].selector);
    w.push(gpr[kEsp]);
  }
  w.push(old_flags);
  w.push(seg[kCs].selector);
  w.push(return_eip);
  if (has_error) w.push(error_code);

  // Commit.
  eflags &= ~(fl::TF | fl::NT | fl::RF | fl::VM);
  if (type == kIntGate16 || type == kIntGate32) eflags &= ~fl::IF;
  if (from_v86) null_data_segments(*this);
  if (inner) {
    mark_descriptor_accessed(stack.ss.selector, stack.descriptor);
    seg[kSs] = stack.ss;
    seg[kSs].attr |= 1;
    refresh_segment(seg[kSs]);
    gpr[kEsp] = stack.ss.big() ? w.sp : (gpr[kEsp] & 0xFFFF0000u) | (w.sp & 0xFFFF);
  } else {
    set_esp(w.sp);
  }
  load_handler_cs(*this, cs, desc, new_cpl, offset);
  log(LogCat::kCpu, LogLevel::kTrace, "vector {:#x} -> {:04x}:{:08x}", vector, seg[kCs].selector, eip);
}

}  // namespace tern
