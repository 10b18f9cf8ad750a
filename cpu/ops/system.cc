// System instructions: HLT, descriptor-table registers, LLDT/LTR, access-rights queries, control
// and debug registers, cache and TLB control, RSM and UD2.
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

// Privileged instructions: CPL 0 only, never in virtual-8086 mode.
void require_cpl0(Cpu& cpu) {
  if (cpu.protected_mode() && (cpu.v86() || cpu.cpl != 0)) cpu.gp(0);
}

// Instructions that do not exist in real and virtual-8086 mode.
void require_protected(Cpu& cpu) {
  if (!cpu.protected_mode() || cpu.v86()) cpu.raise(kUD);
}

void load_table_register(Cpu& cpu, const DecodedInsn& d, TableReg& t) {
  require_cpl0(cpu);
  const u32 ea = cpu.effective_address(d);
  const u16 limit = static_cast<u16>(cpu.read(d.seg, ea, 2));
  u32 base = cpu.read(d.seg, (ea + 2) & (d.asize == 2 ? 0xFFFF : 0xFFFFFFFF), 4);
  if (d.osize == 2) base &= 0x00FFFFFF;
  t.limit = limit;
  t.base = base;
}

void store_table_register(Cpu& cpu, const DecodedInsn& d, const TableReg& t) {
  const u32 ea = cpu.effective_address(d);
  cpu.write(d.seg, ea, 2, t.limit);
  cpu.write(d.seg, (ea + 2) & (d.asize == 2 ? 0xFFFF : 0xFFFFFFFF), 4, d.osize == 2 ? t.base & 0x00FFFFFF : t.base);
}

// The descriptor that LAR/LSL/VERR/VERW look at, or nothing (ZF = 0) when it is out of reach.
bool visible_descriptor(Cpu& cpu, u16 selector, u64& desc) {
  if ((selector & 0xFFFC) == 0) return false;
  const bool ldt = selector & 4;
  if (ldt && (!cpu.ldtr.present() || (cpu.ldtr.selector & 0xFFFC) == 0)) return false;  // no LDT
  const u32 limit = ldt ? cpu.ldtr.limit : cpu.gdtr.limit;
  const u32 base = ldt ? cpu.ldtr.base : cpu.gdtr.base;
  if ((selector | 7u) > limit) return false;
  desc = u64{cpu.read_sys(base + (selector & 0xFFF8u), 4)} | (u64{cpu.read_sys(base + (selector & 0xFFF8u) + 4, 4)} << 32);
  const Segment s = Cpu::segment_from_descriptor(selector, desc);
  // Non-conforming segments and system descriptors must be visible at max(CPL, RPL).
  if (!s.conforming() && (s.dpl() < cpu.cpl || s.dpl() < (selector & 3))) return false;
  return true;
}

void set_zf(Cpu& cpu, bool on) { cpu.set_arith(on ? cpu.arith_flags() | fl::ZF : cpu.arith_flags() & ~fl::ZF); }

}  // namespace

void op_hlt(Cpu& cpu, const DecodedInsn&) {
  require_cpl0(cpu);
  cpu.halted = true;
}

void op_lgdt(Cpu& cpu, const DecodedInsn& d) { load_table_register(cpu, d, cpu.gdtr); }
void op_lidt(Cpu& cpu, const DecodedInsn& d) { load_table_register(cpu, d, cpu.idtr); }
void op_sgdt(Cpu& cpu, const DecodedInsn& d) { store_table_register(cpu, d, cpu.gdtr); }
void op_sidt(Cpu& cpu, const DecodedInsn& d) { store_table_register(cpu, d, cpu.idtr); }

void op_sldt(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  const u8 size = d.ops[0].kind == OperandKind::kMem ? 2 : d.osize;
  if (d.ops[0].kind == OperandKind::kMem)
    cpu.write(d.seg, cpu.effective_address(d), 2, cpu.ldtr.selector);
  else
    cpu.set_reg(d.ops[0].reg, size, cpu.ldtr.selector);
}

void op_str(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  if (d.ops[0].kind == OperandKind::kMem)
    cpu.write(d.seg, cpu.effective_address(d), 2, cpu.tr.selector);
  else
    cpu.set_reg(d.ops[0].reg, d.osize, cpu.tr.selector);
}

void op_lldt(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  require_cpl0(cpu);
  const u16 selector = static_cast<u16>(cpu.read_op(d, 0));
  if ((selector & 0xFFFC) == 0) {
    cpu.ldtr = Segment{};
    cpu.ldtr.selector = selector;
    cpu.ldtr.attr = 0;
    return;
  }
  if (selector & 4) cpu.gp(selector & 0xFFFC);
  const u64 desc = cpu.read_descriptor(selector);
  const Segment s = Cpu::segment_from_descriptor(selector, desc);
  if (!s.system() || s.type() != 0x2) cpu.gp(selector & 0xFFFC);
  if (!s.present()) cpu.raise(kNP, selector & 0xFFFC);
  cpu.ldtr = s;
}

void op_ltr(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  require_cpl0(cpu);
  const u16 selector = static_cast<u16>(cpu.read_op(d, 0));
  if ((selector & 0xFFFC) == 0) cpu.gp(0);
  if (selector & 4) cpu.gp(selector & 0xFFFC);
  const u64 desc = cpu.read_descriptor(selector);
  Segment s = Cpu::segment_from_descriptor(selector, desc);
  if (!s.system() || (s.type() != 0x1 && s.type() != 0x9)) cpu.gp(selector & 0xFFFC);
  if (!s.present()) cpu.raise(kNP, selector & 0xFFFC);
  // Mark the TSS busy in the GDT.
  cpu.write_sys(cpu.gdtr.base + (selector & 0xFFF8u) + 5, 1, static_cast<u32>((desc >> 40) & 0xFF) | 0x2);
  s.attr |= 0x2;
  cpu.tr = s;
}

void op_verr(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  u64 desc = 0;
  bool ok = visible_descriptor(cpu, static_cast<u16>(cpu.read_op(d, 0)), desc);
  if (ok) {
    const Segment s = Cpu::segment_from_descriptor(0, desc);
    ok = !s.system() && (!s.code() || (s.attr & 2));
  }
  set_zf(cpu, ok);
}

void op_verw(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  u64 desc = 0;
  const u16 selector = static_cast<u16>(cpu.read_op(d, 0));
  bool ok = visible_descriptor(cpu, selector, desc);
  if (ok) {
    const Segment s = Cpu::segment_from_descriptor(0, desc);
    ok = !s.system() && !s.code() && (s.attr & 2) && s.dpl() >= cpu.cpl && s.dpl() >= (selector & 3);
  }
  set_zf(cpu, ok);
}

namespace {

// System descriptor types LAR (all but 0, 8, A, D and gates for LSL) and LSL accept.
bool lar_type_ok(u8 type) { return type == 1 || type == 2 || type == 3 || type == 4 || type == 5 || type == 9 || type == 0xB || type == 0xC; }
bool lsl_type_ok(u8 type) { return type == 1 || type == 2 || type == 3 || type == 9 || type == 0xB; }

}  // namespace

void op_lar(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  u64 desc = 0;
  const u16 selector = static_cast<u16>(cpu.read_op(d, 1));
  bool ok = visible_descriptor(cpu, selector, desc);
  const Segment s = Cpu::segment_from_descriptor(selector, desc);
  if (ok && s.system() && !lar_type_ok(s.type())) ok = false;
  if (ok) cpu.set_reg(d.ops[0].reg, d.osize, static_cast<u32>(desc >> 32) & 0x00F0FF00u);
  set_zf(cpu, ok);
}

void op_lsl(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  u64 desc = 0;
  const u16 selector = static_cast<u16>(cpu.read_op(d, 1));
  bool ok = visible_descriptor(cpu, selector, desc);
  const Segment s = Cpu::segment_from_descriptor(selector, desc);
  if (ok && s.system() && !lsl_type_ok(s.type())) ok = false;
  if (ok) cpu.set_reg(d.ops[0].reg, d.osize, s.limit);
  set_zf(cpu, ok);
}

void op_arpl(Cpu& cpu, const DecodedInsn& d) {
  require_protected(cpu);
  const u32 dst = cpu.read_op(d, 0);
  const u32 src = cpu.read_op(d, 1);
  if ((dst & 3) < (src & 3)) {
    cpu.write_op(d, 0, (dst & ~3u) | (src & 3));
    set_zf(cpu, true);
  } else {
    set_zf(cpu, false);
  }
}

void op_clts(Cpu& cpu, const DecodedInsn&) {
  require_cpl0(cpu);
  cpu.cr0 &= ~cr0::TS;
}

void op_invd(Cpu& cpu, const DecodedInsn&) { require_cpl0(cpu); }
void op_wbinvd(Cpu& cpu, const DecodedInsn&) { require_cpl0(cpu); }

void op_invlpg(Cpu& cpu, const DecodedInsn& d) {
  require_cpl0(cpu);
  cpu.mmu().invlpg(cpu.seg[d.seg].base + cpu.effective_address(d));
}

void op_lmsw(Cpu& cpu, const DecodedInsn& d) {
  require_cpl0(cpu);
  // LMSW sets PE but never clears it, and touches only PE, MP, EM and TS.
  const u32 value = cpu.read_op(d, 0) & 0xF;
  cpu.set_cr0((cpu.cr0 & ~0xEu) | value | (cpu.cr0 & cr0::PE));
}

void op_smsw(Cpu& cpu, const DecodedInsn& d) {
  if (d.ops[0].kind == OperandKind::kMem)
    cpu.write(d.seg, cpu.effective_address(d), 2, cpu.cr0 & 0xFFFF);
  else
    cpu.set_reg(d.ops[0].reg, d.osize, cpu.cr0);
}

void op_mov_to_cr(Cpu& cpu, const DecodedInsn& d) {
  require_cpl0(cpu);
  const u32 value = cpu.gpr[d.ops[1].reg];
  switch (d.ops[0].reg) {
    case 0: cpu.set_cr0(value); break;
    case 2: cpu.cr2 = value; break;
    case 3: cpu.set_cr3(value); break;
    case 4: cpu.set_cr4(value); break;
    default: cpu.raise(kUD);
  }
}

void op_mov_from_cr(Cpu& cpu, const DecodedInsn& d) {
  require_cpl0(cpu);
  u32 value;
  switch (d.ops[1].reg) {
    case 0: value = cpu.cr0; break;
    case 2: value = cpu.cr2; break;
    case 3: value = cpu.cr3; break;
    case 4: value = cpu.cr4; break;
    default: cpu.raise(kUD);
  }
  cpu.gpr[d.ops[0].reg] = value;
}

void op_mov_to_dr(Cpu& cpu, const DecodedInsn& d) {
  cpu.write_debug_register(d.ops[0].reg, cpu.gpr[d.ops[1].reg]);
}

void op_mov_from_dr(Cpu& cpu, const DecodedInsn& d) {
  cpu.gpr[d.ops[0].reg] = cpu.read_debug_register(d.ops[1].reg);
}

void op_rsm(Cpu& cpu, const DecodedInsn&) { cpu.raise(kUD); }  // never in SMM
void op_ud(Cpu& cpu, const DecodedInsn&) { cpu.raise(kUD); }

}  // namespace tern
