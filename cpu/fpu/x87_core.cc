// The register stack, tags, status-word summary, entry checks and memory operands shared by the
// x87 instruction handlers.
#include "cpu/fpu/x87.h"

#include "base/bits.h"

namespace tern::x87 {

u8 tag_of(Float80 v) {
  switch (fp::classify(v)) {
    case fp::Class::kZero: return kTagZero;
    case fp::Class::kNormal: return kTagValid;
    default: return kTagSpecial;
  }
}

void set_phys_tag(X87State& s, unsigned r, u8 tag) {
  s.tag = static_cast<u16>((s.tag & ~(3u << (2 * r))) | (u32{tag} << (2 * r)));
}

void set_st(X87State& s, unsigned i, Float80 v) {
  const unsigned r = phys(s, i);
  s.regs[r] = v;
  set_phys_tag(s, r, tag_of(v));
}

void pop(X87State& s) {
  set_phys_tag(s, s.top(), kTagEmpty);
  s.set_top(s.top() + 1);
}

void push(X87State& s, Float80 v) {
  s.set_top(s.top() - 1);
  set_st(s, 0, v);
}

void retag(X87State& s) {
  for (unsigned r = 0; r < 8; ++r)
    if (phys_tag(s, r) != kTagEmpty) set_phys_tag(s, r, tag_of(s.regs[r]));
}

void initialize(X87State& s) {
  s.control = 0x037F;
  s.status = 0;
  s.tag = 0xFFFF;
  s.opcode = 0;
  s.fip = s.fdp = 0;
  s.fcs = s.fds = 0;
}

void refresh_summary(X87State& s) {
  // ES summarises unmasked exceptions; a stack fault is an invalid operation. B mirrors ES on
  // the P6 (SDM Vol. 1 §8.1.3.1).
  if (s.status & ~s.control & fp::kExceptions)
    s.status |= fp::kES | fp::kB;
  else
    s.status &= static_cast<u16>(~(fp::kES | fp::kB));
}

void apply_flags(X87State& s, u16 flags) {
  s.status |= flags & (fp::kExceptions | fp::kSF);
  set_cc(s, fp::kC1, flags);
  refresh_summary(s);
}

void check_available(Cpu& cpu) {
  if (cpu.cr0 & (cr0::EM | cr0::TS)) cpu.raise(kNM);
}

void check_pending(Cpu& cpu) {
  if (!(cpu.fpu.status & fp::kES)) return;
  if (cpu.cr0 & cr0::NE) cpu.raise(kMF);
  cpu.ferr.raise();
}

void begin(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  check_pending(cpu);
  X87State& s = cpu.fpu;
  s.opcode = static_cast<u16>(((d.opcode & 7) << 8) | d.modrm);
  s.fip = cpu.eip;
  s.fcs = cpu.seg[kCs].selector;
  if (d.has_mem()) {
    s.fdp = cpu.effective_address(d);
    s.fds = cpu.seg[d.seg].selector;
  }
}

bool stack_underflow(X87State& s) {
  s.status |= fp::kIE | fp::kSF;
  set_cc(s, fp::kC1, 0);
  refresh_summary(s);
  return s.control & fp::kIE;
}

bool stack_overflow(X87State& s) {
  s.status |= fp::kIE | fp::kSF;
  set_cc(s, fp::kC1, fp::kC1);
  refresh_summary(s);
  return s.control & fp::kIE;
}

u32 linear_operand(Cpu& cpu, u8 sreg, u32 offset, u32 size, u32 align, Access access) {
  const u32 lin = cpu.linear(sreg, offset, align, access);
  cpu.linear(sreg, offset + size - align, align, access);  // the end of the range
  return lin;
}

Float80 read_f80(Cpu& cpu, u8 sreg, u32 offset) {
  const u32 lin = linear_operand(cpu, sreg, offset, 10, 8, Access::kRead);
  const u64 signif = u64{cpu.read_lin(lin, 4, cpu.user())} | (u64{cpu.read_lin(lin + 4, 4, cpu.user())} << 32);
  return Float80{signif, static_cast<u16>(cpu.read_lin(lin + 8, 2, cpu.user()))};
}

u32 probe_write(Cpu& cpu, u8 sreg, u32 offset, u32 size, u32 align) {
  const u32 lin = linear_operand(cpu, sreg, offset, size, align, Access::kWrite);
  cpu.probe_lin(lin, size, Access::kWrite, cpu.user());
  return lin;
}

void write_f80(Cpu& cpu, u8 sreg, u32 offset, Float80 v) {
  const u32 lin = probe_write(cpu, sreg, offset, 10, 8);
  cpu.write_lin(lin, 4, static_cast<u32>(v.signif), cpu.user());
  cpu.write_lin(lin + 4, 4, static_cast<u32>(v.signif >> 32), cpu.user());
  cpu.write_lin(lin + 8, 2, v.sign_exp, cpu.user());
}

namespace {

// Widens a single or double real without quietening SNaNs.
Float80 widen(u64 bits, int frac_bits, int exp_bits, fp::Ctx& ctx) {
  const u64 exp_mask = (u64{1} << exp_bits) - 1;
  const u64 exp = (bits >> frac_bits) & exp_mask;
  const u64 frac = bits & ((u64{1} << frac_bits) - 1);
  if (exp == exp_mask) {
    const bool sign = (bits >> (frac_bits + exp_bits)) & 1;
    return fp::make(sign, 0x7FFF, (u64{1} << 63) | (frac << (63 - frac_bits)));
  }
  fp::Ctx quiet{ctx.control};
  const Float80 v = frac_bits == 23 ? fp::from_f32(quiet, static_cast<u32>(bits)) : fp::from_f64(quiet, bits);
  if (quiet.flags & fp::kDE) ctx.denormal_source = true;
  return v;
}

}  // namespace

Float80 read_source(Cpu& cpu, const DecodedInsn& d, int operand, bool integer, fp::Ctx& ctx) {
  const u32 ea = cpu.effective_address(d);
  const u8 size = d.ops[operand].size;
  if (integer) {
    const u32 v = cpu.read(d.seg, ea, size);
    return fp::from_int(size == 2 ? static_cast<i16>(v) : static_cast<i32>(v));
  }
  if (size == 4) return widen(cpu.read(d.seg, ea, 4), 23, 8, ctx);
  return widen(cpu.read64(d.seg, ea), 52, 11, ctx);
}

}  // namespace tern::x87
