// PUSH POP (general and segment registers) PUSHA POPA PUSHF POPF ENTER LEAVE.
#include "cpu/cpu.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"
#include "cpu/ops/operands.h"

namespace tern {

namespace {

template <class Src>
struct Push {
  static void run(Cpu& cpu, const DecodedInsn& d) { cpu.push(d.osize, Src::read(cpu, d, 0)); }
};

// POP to a register (POP to memory has its own ESP rule: op_pop).
template <class Dst>
struct PopRegister {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 value = cpu.stack_read(0, d.osize);
    cpu.set_esp(cpu.esp_value() + d.osize);
    Dst::write(cpu, d, 0, value);
  }
};

}  // namespace

void op_push(Cpu& cpu, const DecodedInsn& d) { Push<operand::Any>::run(cpu, d); }

void op_pop(Cpu& cpu, const DecodedInsn& d) {
  const u32 value = cpu.stack_read(0, d.osize);
  const u32 new_esp = (cpu.esp_value() + d.osize) & cpu.sp_mask();
  if (d.ops[0].kind == OperandKind::kMem) {
    // POP to memory computes its address with ESP already incremented (Intel SDM "POP").
    const u32 saved = cpu.gpr[kEsp];
    cpu.set_esp(new_esp);
    const u32 ea = cpu.effective_address(d);
    cpu.gpr[kEsp] = saved;
    cpu.write(d.seg, ea, d.osize, value);
    cpu.set_esp(new_esp);
  } else {
    cpu.set_esp(new_esp);
    cpu.set_reg(d.ops[0].reg, d.osize, value);
  }
}

void op_push_sreg(Cpu& cpu, const DecodedInsn& d) {
  // With a 32-bit operand size the slot is 4 bytes but only the selector's 16 bits are written.
  const u32 new_sp = (cpu.esp_value() - d.osize) & cpu.sp_mask();
  cpu.write(kSs, new_sp, 2, cpu.seg[d.ops[0].reg].selector);
  cpu.set_esp(new_sp);
}

void op_pop_sreg(Cpu& cpu, const DecodedInsn& d) {
  const u8 sreg = d.ops[0].reg;
  const u16 selector = static_cast<u16>(cpu.stack_read(0, 2));
  cpu.load_segment(sreg, selector);
  cpu.set_esp(cpu.esp_value() + d.osize);
  if (sreg == kSs) cpu.inhibit_interrupts();
}

void op_pusha(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.osize;
  const u32 sp = cpu.esp_value();
  const u32 regs[8] = {cpu.gpr[kEax], cpu.gpr[kEcx], cpu.gpr[kEdx], cpu.gpr[kEbx],
                       sp,            cpu.gpr[kEbp], cpu.gpr[kEsi], cpu.gpr[kEdi]};
  for (int i = 0; i < 8; ++i) cpu.write(kSs, (sp - size * (i + 1)) & cpu.sp_mask(), size, regs[i]);
  cpu.set_esp(sp - 8 * size);
}

void op_popa(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.osize;
  u32 values[8];
  for (int i = 0; i < 8; ++i) values[i] = cpu.stack_read(static_cast<u32>(size * i), size);
  for (int i = 0; i < 8; ++i)
    if (7 - i != kEsp) cpu.set_reg(static_cast<u8>(7 - i), size, values[i]);
  cpu.set_esp(cpu.esp_value() + 8 * size);
}

void op_pushf(Cpu& cpu, const DecodedInsn& d) {
  u32 flags = cpu.get_eflags() & ~(fl::VM | fl::RF);
  if (cpu.v86() && cpu.iopl() < 3) {
    if (!(cpu.cr4 & cr4::VME) || d.osize != 2) cpu.gp(0);
    // VME: the image shows VIF as IF and IOPL as 3.
    flags = (flags & ~fl::IF) | ((cpu.eflags & fl::VIF) ? fl::IF : 0) | fl::IOPL;
  }
  cpu.push(d.osize, flags);
}

void op_popf(Cpu& cpu, const DecodedInsn& d) {
  u32 value = cpu.stack_read(0, d.osize);
  u32 mask = fl::kWritable & ~(fl::VM | fl::RF | fl::VIF | fl::VIP);
  if (cpu.v86()) {
    if (cpu.iopl() < 3) {
      if (!(cpu.cr4 & cr4::VME) || d.osize != 2) cpu.gp(0);
      // VME: IF in the image goes to VIF; a pending virtual interrupt makes setting it fault.
      if ((value & fl::IF) && (cpu.eflags & fl::VIP)) cpu.gp(0);
      if (value & fl::TF) cpu.gp(0);
      cpu.set_esp(cpu.esp_value() + d.osize);
      cpu.set_eflags((value & ~fl::IF) | ((value & fl::IF) ? fl::VIF : 0), (mask & ~(fl::IF | fl::IOPL)) | fl::VIF);
      return;
    }
    mask &= ~fl::IOPL;
  } else if (cpu.protected_mode()) {
    if (cpu.cpl > 0) mask &= ~fl::IOPL;
    if (cpu.cpl > cpu.iopl()) mask &= ~fl::IF;
  }
  if (d.osize == 2) mask &= 0xFFFF;
  cpu.set_esp(cpu.esp_value() + d.osize);
  cpu.set_eflags(value, mask);
}

void op_enter(Cpu& cpu, const DecodedInsn& d) {
  const u8 size = d.osize;
  const u32 alloc = d.imm & 0xFFFF;
  const u32 level = d.imm2 & 31;
  const u32 mask = cpu.sp_mask();
  u32 sp = cpu.esp_value();
  u32 bp = cpu.gpr[kEbp];
  sp = (sp - size) & mask;
  cpu.write(kSs, sp, size, bp);
  const u32 frame = sp;
  if (level > 0) {
    for (u32 i = 1; i < level; ++i) {
      bp = cpu.stack32() ? bp - size : (bp & 0xFFFF0000u) | ((bp - size) & 0xFFFF);
      const u32 v = cpu.read(kSs, bp & mask, size);
      sp = (sp - size) & mask;
      cpu.write(kSs, sp, size, v);
    }
    sp = (sp - size) & mask;
    cpu.write(kSs, sp, size, frame);
  }
  sp = (sp - alloc) & mask;
  // The final stack pointer must be writable too (Intel SDM "ENTER": #SS on the last byte).
  cpu.linear(kSs, sp, 1, Access::kWrite);
  cpu.set_reg(kEbp, size, frame);
  cpu.set_esp(sp);
}

void op_leave(Cpu& cpu, const DecodedInsn& d) {
  const u32 frame = cpu.gpr[kEbp] & cpu.sp_mask();
  const u32 value = cpu.read(kSs, frame, d.osize);
  cpu.set_esp(frame + d.osize);
  cpu.set_reg(kEbp, d.osize, value);
}

Handler stack_form_handler(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kPush: return operand::pick_one<Push>(d);
    case Op::kPop: return d.ops[0].kind == OperandKind::kReg ? operand::pick_one<PopRegister>(d) : nullptr;
    default: return nullptr;
  }
}

}  // namespace tern
