// Far control transfer: JMP far, CALL far, RET far and IRET in real, virtual-8086 and protected
// mode (Intel SDM Vol. 3 §5.8 and the instruction pages), including call gates, task gates and
// returns to outer privilege levels and to virtual-8086 mode.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

constexpr u8 kCallGate16 = 0x4;
constexpr u8 kTaskGate = 0x5;
constexpr u8 kCallGate32 = 0xC;
constexpr u8 kTss16Available = 0x1;
constexpr u8 kTss32Available = 0x9;

struct FarPointer {
  u16 selector;
  u32 offset;
};

FarPointer far_operand(Cpu& cpu, const DecodedInsn& d) {
  if (d.ops[0].kind == OperandKind::kImm) return {static_cast<u16>(d.imm2), d.imm};
  const u32 ea = cpu.effective_address(d);
  const u32 offset = cpu.read(d.seg, ea, d.osize);
  const u16 selector = static_cast<u16>(cpu.read(d.seg, (ea + d.osize) & (d.asize == 2 ? 0xFFFF : 0xFFFFFFFF), 2));
  return {selector, offset};
}

void install_cs(Cpu& cpu, Segment cs, u16 selector, u8 new_cpl, u64 desc, u32 offset) {
  if (offset > cs.limit) cpu.gp(0);
  cpu.mark_descriptor_accessed(selector, desc);
  cs.attr |= 1;
  cs.selector = static_cast<u16>((selector & 0xFFFC) | new_cpl);
  cpu.refresh_segment(cs);
  cpu.seg[kCs] = cs;
  cpu.cpl = new_cpl;
  cpu.next_eip = offset;
}

// Checks a code segment that JMP/CALL reach directly and returns its cache.
Segment direct_code_segment(Cpu& cpu, u16 selector, u64 desc) {
  Segment cs = Cpu::segment_from_descriptor(selector, desc);
  const u32 err = selector & 0xFFFC;
  if (cs.conforming()) {
    if (cs.dpl() > cpu.cpl) cpu.gp(err);
  } else if ((selector & 3) > cpu.cpl || cs.dpl() != cpu.cpl) {
    cpu.gp(err);
  }
  if (!cs.present()) cpu.raise(kNP, err);
  return cs;
}

// Loads SS:ESP for a privilege change; checks of Intel SDM "CALL"/"RET" (#TS or #GP, #SS).
Segment checked_stack_segment(Cpu& cpu, u16 selector, u8 rpl_required, u8 fault, u64& desc_out) {
  const u32 err = selector & 0xFFFC;
  if (err == 0) cpu.raise(fault, 0);
  desc_out = cpu.read_descriptor(selector, fault);
  Segment ss = Cpu::segment_from_descriptor(selector, desc_out);
  if ((selector & 3) != rpl_required || ss.dpl() != rpl_required || ss.system() || ss.code() || !(ss.attr & 2))
    cpu.raise(fault, err);
  if (!ss.present()) cpu.raise(kSS, err);
  return ss;
}

// After a return to an outer level, data segment registers the new level may not use are nulled.
void invalidate_data_segments(Cpu& cpu) {
  for (u8 s : {kEs, kDs, kFs, kGs}) {
    Segment& sg = cpu.seg[s];
    const bool data_or_nonconforming = !sg.system() && (!sg.code() || !sg.conforming());
    if (data_or_nonconforming && sg.dpl() < cpu.cpl) {
      sg = Segment{};
      sg.attr = 0;
      cpu.refresh_segment(sg);
    }
  }
}

void set_esp_for(Cpu& cpu, u32 value) {
  if (cpu.stack32())
    cpu.gpr[kEsp] = value;
  else
    cpu.gpr[kEsp] = (cpu.gpr[kEsp] & 0xFFFF0000u) | (value & 0xFFFF);
}

// CALL through a call gate to an inner privilege level: the new stack from the TSS gets the old
// SS:ESP, `count` parameters copied from the old stack, and the return CS:EIP (Intel SDM Vol. 3
// §5.8.5). Everything is checked and written before a register changes.
void call_gate_inner(Cpu& cpu, Segment cs, u64 cs_desc, u32 offset, u64 gate, u8 size) {
  const u8 new_cpl = cs.dpl();
  const Cpu::InnerStack stack = cpu.inner_stack(new_cpl, 0);
  const Segment& ss = stack.ss;
  const u32 count = (gate >> 32) & 0x1F;
  const u32 mask = ss.big() ? 0xFFFFFFFFu : 0xFFFFu;
  const u32 total = (4 + count) * size;
  const u32 low = (stack.esp - total) & mask;
  if (low < ss.lo || u64{low} + total - 1 > ss.hi) cpu.raise(kSS, ss.selector & 0xFFFC);
  if (offset > cs.limit) cpu.gp(0);
  u32 params[32];
  for (u32 i = 0; i < count; ++i) params[i] = cpu.stack_read(i * size, size);
  u32 sp = stack.esp;
  auto push = [&](u32 v) {
    sp = (sp - size) & mask;
    cpu.write_sys(ss.base + sp, size, v);
  };
  push(cpu.seg[kSs].selector);
  push(cpu.gpr[kEsp]);
  for (u32 i = count; i-- > 0;) push(params[i]);
  push(cpu.seg[kCs].selector);
  push(cpu.next_eip);
  cpu.mark_descriptor_accessed(ss.selector, stack.descriptor);
  cpu.seg[kSs] = ss;
  cpu.seg[kSs].attr |= 1;
  cpu.refresh_segment(cpu.seg[kSs]);
  cpu.gpr[kEsp] = ss.big() ? sp : (cpu.gpr[kEsp] & 0xFFFF0000u) | (sp & 0xFFFF);
  install_cs(cpu, cs, cs.selector, new_cpl, cs_desc, offset);
}

// CALL through a call gate, with a stack switch and parameter copy when it goes inward.
void call_gate(Cpu& cpu, u16 gate_selector, u64 gate, bool is_call) {
  const u32 gate_err = gate_selector & 0xFFFC;
  const u8 gate_dpl = (gate >> 45) & 3;
  if (gate_dpl < cpu.cpl || gate_dpl < (gate_selector & 3)) cpu.gp(gate_err);
  if (!((gate >> 47) & 1)) cpu.raise(kNP, gate_err);
  const bool gate32 = ((gate >> 40) & 0xF) == kCallGate32;
  const u16 selector = static_cast<u16>(gate >> 16);
  u32 offset = static_cast<u32>((gate & 0xFFFF) | ((gate >> 32) & 0xFFFF0000u));
  if (!gate32) offset &= 0xFFFF;
  const u32 err = selector & 0xFFFC;
  if (err == 0) cpu.gp(0);
  const u64 desc = cpu.read_descriptor(selector);
  Segment cs = Cpu::segment_from_descriptor(selector, desc);
  if (!cs.code() || cs.dpl() > cpu.cpl) cpu.gp(err);
  if (!is_call && !cs.conforming() && cs.dpl() != cpu.cpl) cpu.gp(err);
  if (!cs.present()) cpu.raise(kNP, err);
  const u8 size = gate32 ? 4 : 2;

  if (is_call && !cs.conforming() && cs.dpl() < cpu.cpl) return call_gate_inner(cpu, cs, desc, offset, gate, size);
  if (is_call) {
    const u32 sp = cpu.esp_value();
    cpu.write(kSs, (sp - size) & cpu.sp_mask(), size, cpu.seg[kCs].selector);
    cpu.write(kSs, (sp - 2 * size) & cpu.sp_mask(), size, cpu.next_eip);
    if (offset > cs.limit) cpu.gp(0);
    set_esp_for(cpu, sp - 2 * size);
  }
  install_cs(cpu, cs, selector, cpu.cpl, desc, offset);
}

// JMP or CALL far in protected mode.
void protected_far(Cpu& cpu, const DecodedInsn& d, FarPointer target, bool is_call) {
  const u32 err = target.selector & 0xFFFC;
  if (err == 0) cpu.gp(0);
  const u64 desc = cpu.read_descriptor(target.selector);
  const Segment probe = Cpu::segment_from_descriptor(target.selector, desc);
  if (probe.code()) {
    Segment cs = direct_code_segment(cpu, target.selector, desc);
    u32 offset = target.offset;
    if (d.osize == 2) offset &= 0xFFFF;
    if (is_call) {
      const u32 sp = cpu.esp_value();
      if (offset > cs.limit) cpu.gp(0);
      cpu.write(kSs, (sp - d.osize) & cpu.sp_mask(), d.osize, cpu.seg[kCs].selector);
      cpu.write(kSs, (sp - 2 * d.osize) & cpu.sp_mask(), d.osize, cpu.next_eip);
      set_esp_for(cpu, sp - 2 * d.osize);
    }
    install_cs(cpu, cs, target.selector, cpu.cpl, desc, offset);
    return;
  }
  if (!probe.system()) cpu.gp(err);
  switch (probe.type()) {
    case kCallGate16:
    case kCallGate32:
      return call_gate(cpu, target.selector, desc, is_call);
    case kTaskGate:
    case kTss16Available:
    case kTss32Available: {
      if (probe.dpl() < cpu.cpl || probe.dpl() < (target.selector & 3)) cpu.gp(err);
      if (!probe.present()) cpu.raise(kNP, err);
      u16 tss_selector = target.selector;
      if (probe.type() == kTaskGate) tss_selector = static_cast<u16>(desc >> 16);
      cpu.task_switch(tss_selector, is_call ? TaskSwitch::kCall : TaskSwitch::kJump, false, 0, cpu.next_eip, 0);
      return;
    }
    default:
      cpu.gp(err);
  }
}

// RET far and IRET (non-v86 targets) share the return-to-same-or-outer-level logic.
// `frame` is the number of bytes of EIP/CS(/EFLAGS) popped before SS:ESP.
void protected_return(Cpu& cpu, u8 size, u32 new_eip, u16 new_cs_sel, u32 frame, u32 release, u64& cs_desc,
                      Segment& cs_out, bool& outer) {
  const u32 err = new_cs_sel & 0xFFFC;
  if (err == 0) cpu.gp(0);
  const u8 rpl = new_cs_sel & 3;
  if (rpl < cpu.cpl) cpu.gp(err);
  cs_desc = cpu.read_descriptor(new_cs_sel);
  Segment cs = Cpu::segment_from_descriptor(new_cs_sel, cs_desc);
  if (!cs.code()) cpu.gp(err);
  if (cs.conforming() ? cs.dpl() > rpl : cs.dpl() != rpl) cpu.gp(err);
  if (!cs.present()) cpu.raise(kNP, err);
  outer = rpl > cpu.cpl;
  if (!outer) {
    if (new_eip > cs.limit) cpu.gp(0);
    set_esp_for(cpu, cpu.esp_value() + frame + release);
    cs_out = cs;
    return;
  }
  const u32 new_esp = cpu.stack_read(frame + release, size);
  const u16 new_ss_sel = static_cast<u16>(cpu.stack_read(frame + release + size, size));
  u64 ss_desc;
  Segment ss = checked_stack_segment(cpu, new_ss_sel, rpl, kGP, ss_desc);
  if (new_eip > cs.limit) cpu.gp(0);
  cpu.mark_descriptor_accessed(new_ss_sel, ss_desc);
  ss.attr |= 1;
  cpu.refresh_segment(ss);
  cpu.seg[kSs] = ss;
  set_esp_for(cpu, new_esp + release);
  cs_out = cs;
}

}  // namespace

void op_jmp_far(Cpu& cpu, const DecodedInsn& d) {
  const FarPointer target = far_operand(cpu, d);
  if (!cpu.protected_mode() || cpu.v86()) {
    cpu.load_cs_real(target.selector, d.osize == 2 ? target.offset & 0xFFFF : target.offset);
    return;
  }
  protected_far(cpu, d, target, false);
}

void op_call_far(Cpu& cpu, const DecodedInsn& d) {
  const FarPointer target = far_operand(cpu, d);
  if (!cpu.protected_mode() || cpu.v86()) {
    const u32 offset = d.osize == 2 ? target.offset & 0xFFFF : target.offset;
    if (offset > cpu.seg[kCs].limit) cpu.gp(0);
    const u32 sp = cpu.esp_value();
    cpu.write(kSs, (sp - d.osize) & cpu.sp_mask(), d.osize, cpu.seg[kCs].selector);
    cpu.write(kSs, (sp - 2 * d.osize) & cpu.sp_mask(), d.osize, cpu.next_eip);
    cpu.set_esp(sp - 2 * d.osize);
    cpu.load_cs_real(target.selector, offset);
    return;
  }
  protected_far(cpu, d, target, true);
}

void op_ret_far(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.osize;
  const u32 release = d.ops[0].kind == OperandKind::kImm ? (d.imm & 0xFFFF) : 0;
  u32 new_eip = cpu.stack_read(0, size);
  const u16 new_cs = static_cast<u16>(cpu.stack_read(size, size));
  if (size == 2) new_eip &= 0xFFFF;
  if (!cpu.protected_mode() || cpu.v86()) {
    cpu.load_cs_real(new_cs, new_eip);
    cpu.set_esp(cpu.esp_value() + 2 * size + release);
    return;
  }
  u64 desc;
  Segment cs;
  bool outer;
  protected_return(cpu, size, new_eip, new_cs, 2 * size, release, desc, cs, outer);
  install_cs(cpu, cs, new_cs, new_cs & 3, desc, new_eip);
  if (outer) invalidate_data_segments(cpu);
}

namespace {

// IRET from protected mode back to a virtual-8086 task (Intel SDM "IRET": RETURN-TO-VIRTUAL-8086-MODE).
void iret_to_v86(Cpu& cpu, u32 new_eip, u16 new_cs, u32 new_flags) {
  const u32 esp = cpu.stack_read(12, 4);
  const u16 ss = static_cast<u16>(cpu.stack_read(16, 4));
  const u16 es = static_cast<u16>(cpu.stack_read(20, 4));
  const u16 ds = static_cast<u16>(cpu.stack_read(24, 4));
  const u16 fs = static_cast<u16>(cpu.stack_read(28, 4));
  const u16 gs = static_cast<u16>(cpu.stack_read(32, 4));
  cpu.set_eflags(new_flags, fl::kWritable);
  cpu.cpl = 3;
  const u16 selectors[kSegCount] = {es, new_cs, ss, ds, fs, gs};
  for (u8 s = 0; s < kSegCount; ++s) {
    Segment& sg = cpu.seg[s];
    sg.selector = selectors[s];
    sg.base = u32{selectors[s]} << 4;
    sg.limit = 0xFFFF;
    sg.attr = 0xF3;
    cpu.refresh_segment(sg);
  }
  cpu.gpr[kEsp] = esp;
  cpu.next_eip = new_eip & 0xFFFF;
}

}  // namespace

void op_iret(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.osize;
  cpu.unblock_nmi();
  if (!cpu.protected_mode()) {
    u32 new_eip = cpu.stack_read(0, size);
    const u16 new_cs = static_cast<u16>(cpu.stack_read(size, size));
    const u32 flags = cpu.stack_read(2 * size, size);
    if (size == 2) new_eip &= 0xFFFF;
    cpu.load_cs_real(new_cs, new_eip);
    cpu.set_esp(cpu.esp_value() + 3 * size);
    cpu.set_eflags(flags, size == 2 ? 0xFFFF : fl::kWritable & ~(fl::VM | fl::VIP | fl::VIF));
    return;
  }
  if (cpu.v86()) {
    // IOPL 3: an ordinary real-mode style IRET that cannot change IOPL; below 3, VME or #GP.
    if (cpu.iopl() < 3 && (!(cpu.cr4 & cr4::VME) || size != 2)) cpu.gp(0);
    u32 new_eip = cpu.stack_read(0, size);
    const u16 new_cs = static_cast<u16>(cpu.stack_read(size, size));
    const u32 flags = cpu.stack_read(2 * size, size);
    if (size == 2) new_eip &= 0xFFFF;
    if (cpu.iopl() < 3) {
      if (((flags & fl::IF) && (cpu.eflags & fl::VIP)) || (flags & fl::TF)) cpu.gp(0);
      cpu.load_cs_real(new_cs, new_eip);
      cpu.set_esp(cpu.esp_value() + 3 * size);
      cpu.set_eflags((flags & ~fl::IF) | ((flags & fl::IF) ? fl::VIF : 0), (0xFFFF & ~(fl::IF | fl::IOPL)) | fl::VIF);
      return;
    }
    cpu.load_cs_real(new_cs, new_eip);
    cpu.set_esp(cpu.esp_value() + 3 * size);
    cpu.set_eflags(flags, (size == 2 ? 0xFFFF : fl::kWritable & ~(fl::VM | fl::VIP | fl::VIF)) & ~fl::IOPL);
    return;
  }
  if (cpu.eflags & fl::NT) {
    // Return from a nested task through the back link of the current TSS.
    const u16 back_link = static_cast<u16>(cpu.read_sys(cpu.tr.base, 2));
    cpu.task_switch(back_link, TaskSwitch::kIret, false, 0, cpu.next_eip, 0);
    return;
  }
  u32 new_eip = cpu.stack_read(0, size);
  const u16 new_cs = static_cast<u16>(cpu.stack_read(size, size));
  const u32 new_flags = cpu.stack_read(2 * size, size);
  if (size == 2) new_eip &= 0xFFFF;
  if (size == 4 && (new_flags & fl::VM) && cpu.cpl == 0) return iret_to_v86(cpu, new_eip, new_cs, new_flags);

  u64 desc;
  Segment cs;
  bool outer;
  const u8 old_cpl = cpu.cpl;
  protected_return(cpu, size, new_eip, new_cs, 3 * size, 0, desc, cs, outer);
  u32 mask = fl::kWritable & ~(fl::VM | fl::VIP | fl::VIF);
  if (old_cpl == 0) mask |= fl::VIP | fl::VIF;
  if (old_cpl > 0) mask &= ~fl::IOPL;
  if (old_cpl > cpu.iopl()) mask &= ~fl::IF;
  if (size == 2) mask &= 0xFFFF;
  install_cs(cpu, cs, new_cs, new_cs & 3, desc, new_eip);
  cpu.set_eflags(new_flags, mask);
  if (outer) invalidate_data_segments(cpu);
}

}  // namespace tern
