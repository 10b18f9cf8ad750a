// Operand accessors for handlers specialised by operand form.
//
// The decoder resolves where each operand lives (register, memory, immediate); a handler written
// once as a template over accessors is instantiated for the forms that matter, and the decoder
// stores the matching instantiation in DecodedInsn::handler (cpu/ops/forms.cc). `Any` reaches
// every form through Cpu::read_op/write_op and is what the generic handlers of ops.def use.
#pragma once

#include "cpu/cpu.h"

namespace tern::operand {

// Each accessor also gives the operand's size, a constant where the form fixes it (which lets
// the compiler fold masks and sign bits).

// Any operand kind, decided at run time.
struct Any {
  static u8 size(const DecodedInsn& d, int i) { return d.ops[i].size; }
  static u32 read(Cpu& cpu, const DecodedInsn& d, int i) { return cpu.read_op(d, i); }
  static void write(Cpu& cpu, const DecodedInsn& d, int i, u32 v) { cpu.write_op(d, i, v); }
};

// A 32-bit general register.
struct Reg32 {
  static u8 size(const DecodedInsn&, int) { return 4; }
  static u32 read(Cpu& cpu, const DecodedInsn& d, int i) { return cpu.gpr[d.ops[i].reg]; }
  static void write(Cpu& cpu, const DecodedInsn& d, int i, u32 v) { cpu.gpr[d.ops[i].reg] = v; }
};

// An 8- or 16-bit general register.
struct Reg {
  static u8 size(const DecodedInsn& d, int i) { return d.ops[i].size; }
  static u32 read(Cpu& cpu, const DecodedInsn& d, int i) { return cpu.reg(d.ops[i].reg, d.ops[i].size); }
  static void write(Cpu& cpu, const DecodedInsn& d, int i, u32 v) { cpu.set_reg(d.ops[i].reg, d.ops[i].size, v); }
};

// Memory at the instruction's effective address.
struct Mem {
  static u8 size(const DecodedInsn& d, int i) { return d.ops[i].size; }
  static u32 read(Cpu& cpu, const DecodedInsn& d, int i) {
    return cpu.read(d.seg, cpu.effective_address(d), d.ops[i].size);
  }
  static void write(Cpu& cpu, const DecodedInsn& d, int i, u32 v) {
    cpu.write(d.seg, cpu.effective_address(d), d.ops[i].size, v);
  }
};

// A 32-bit memory operand: with the size known, the inlined access folds its size checks.
struct Mem32 {
  static u8 size(const DecodedInsn&, int) { return 4; }
  static u32 read(Cpu& cpu, const DecodedInsn& d, int) { return cpu.read(d.seg, cpu.effective_address(d), 4); }
  static void write(Cpu& cpu, const DecodedInsn& d, int, u32 v) { cpu.write(d.seg, cpu.effective_address(d), 4, v); }
};

// The immediate (already extended to the operand size).
struct Imm {
  static u8 size(const DecodedInsn& d, int i) { return d.ops[i].size; }
  static u32 read(Cpu&, const DecodedInsn& d, int) { return d.imm; }
};

// The instantiation of H<Dst, Src>::run for the form of operands 0 and 1 of `d`, or null when
// the form has no specialisation (H<Dst, Src> for impossible pairs is never selected).
template <template <class, class> class H, class Dst>
Handler pick_source(const Operand& src) {
  switch (src.kind) {
    case OperandKind::kReg: return src.size == 4 ? &H<Dst, Reg32>::run : &H<Dst, Reg>::run;
    case OperandKind::kImm: return &H<Dst, Imm>::run;
    case OperandKind::kMem: return src.size == 4 ? &H<Dst, Mem32>::run : &H<Dst, Mem>::run;
    default: return nullptr;
  }
}

template <template <class, class> class H>
Handler pick(const DecodedInsn& d) {
  const Operand& dst = d.ops[0];
  switch (dst.kind) {
    case OperandKind::kReg: return dst.size == 4 ? pick_source<H, Reg32>(d.ops[1]) : pick_source<H, Reg>(d.ops[1]);
    case OperandKind::kMem:
      if (d.ops[1].kind == OperandKind::kMem) return nullptr;
      return dst.size == 4 ? pick_source<H, Mem32>(d.ops[1]) : pick_source<H, Mem>(d.ops[1]);
    default: return nullptr;
  }
}

// The same for a handler with one operand, H<Dst>::run.
template <template <class> class H>
Handler pick_one(const DecodedInsn& d) {
  const Operand& dst = d.ops[0];
  switch (dst.kind) {
    case OperandKind::kReg: return dst.size == 4 ? &H<Reg32>::run : &H<Reg>::run;
    case OperandKind::kMem: return dst.size == 4 ? &H<Mem32>::run : &H<Mem>::run;
    default: return nullptr;
  }
}

}  // namespace tern::operand
