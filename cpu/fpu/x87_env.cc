// x87 state images: FLDENV/FNSTENV (14 or 28 bytes), FRSTOR/FNSAVE (94 or 108 bytes) in the
// real-mode and protected-mode layouts of Intel SDM Vol. 1 §8.1.10 (Figures 8-9 to 8-12), and
// FXSAVE/FXRSTOR (512 bytes, Vol. 2 Table 3-53).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

namespace {

// A byte image of guest memory, read or written with one segment and paging check.
struct Image {
  u8 bytes[512] = {};

  void put16(u32 at, u32 v) { bytes[at] = static_cast<u8>(v); bytes[at + 1] = static_cast<u8>(v >> 8); }
  void put32(u32 at, u32 v) { put16(at, v); put16(at + 2, v >> 16); }
  u16 get16(u32 at) const { return static_cast<u16>(bytes[at] | (bytes[at + 1] << 8)); }
  u32 get32(u32 at) const { return get16(at) | (u32{get16(at + 2)} << 16); }
  void put80(u32 at, Float80 v) {
    put32(at, static_cast<u32>(v.signif));
    put32(at + 4, static_cast<u32>(v.signif >> 32));
    put16(at + 8, v.sign_exp);
  }
  Float80 get80(u32 at) const { return Float80{get32(at) | (u64{get32(at + 4)} << 32), get16(at + 8)}; }
};

u32 address(Cpu& cpu, const DecodedInsn& d) { return cpu.effective_address(d); }

// The state images need 2-byte (16-bit forms) or 4-byte alignment under #AC; FXSAVE's 16 is
// checked (as #GP) by check_fx_operand.
u32 image_align(const DecodedInsn& d) { return d.osize == 4 ? 4 : 2; }

void read_image(Cpu& cpu, const DecodedInsn& d, Image& img, u32 size) {
  const u32 lin = linear_operand(cpu, d.seg, address(cpu, d), size, image_align(d), Access::kRead);
  cpu.probe_lin(lin, size, Access::kRead, cpu.user());
  for (u32 i = 0; i < size; i += 2) img.put16(i, cpu.read_lin(lin + i, 2, cpu.user()));
}

void write_image(Cpu& cpu, const DecodedInsn& d, const Image& img, u32 size) {
  const u32 lin = probe_write(cpu, d.seg, address(cpu, d), size, image_align(d));
  for (u32 i = 0; i < size; i += 2) cpu.write_lin(lin + i, 2, img.get16(i), cpu.user());
}

// The full tag word as FSTENV reports it: derived from the register contents.
u16 full_tag(const X87State& s) {
  u16 tag = 0;
  for (unsigned r = 0; r < 8; ++r) {
    const u8 t = phys_tag(s, r) == kTagEmpty ? kTagEmpty : tag_of(s.regs[r]);
    tag = static_cast<u16>(tag | (t << (2 * r)));
  }
  return tag;
}

bool real_layout(const Cpu& cpu) { return !cpu.protected_mode() || cpu.v86(); }

// Writes the environment (control, status, tag, pointers) at the start of `img`; returns its size.
u32 store_env(const Cpu& cpu, Image& img, bool op32) {
  const X87State& s = cpu.fpu;
  const u32 step = op32 ? 4 : 2;
  const u32 fill = op32 ? 0xFFFF0000u : 0;  // reserved upper halves read as ones
  img.put32(0, fill | s.control);
  img.put32(step, fill | s.status);
  img.put32(2 * step, fill | full_tag(s));
  if (real_layout(cpu)) {
    // Real-address layout: 20/32-bit linear pointers split around the opcode.
    const u32 fip = (u32{s.fcs} << 4) + s.fip, fdp = (u32{s.fds} << 4) + s.fdp;
    if (op32) {
      img.put32(12, fill | (fip & 0xFFFF));
      img.put32(16, ((fip >> 4) & 0x0FFFF000u) | (s.opcode & 0x7FF));
      img.put32(20, fill | (fdp & 0xFFFF));
      img.put32(24, (fdp >> 4) & 0x0FFFF000u);
    } else {
      img.put16(6, fip);
      img.put16(8, ((fip >> 4) & 0xF000) | (s.opcode & 0x7FF));
      img.put16(10, fdp);
      img.put16(12, (fdp >> 4) & 0xF000);
    }
  } else if (op32) {
    img.put32(12, s.fip);
    img.put32(16, s.fcs | (u32{s.opcode & 0x7FFu} << 16));
    img.put32(20, s.fdp);
    img.put32(24, fill | s.fds);
  } else {
    img.put16(6, s.fip);
    img.put16(8, s.fcs);
    img.put16(10, s.fdp);
    img.put16(12, s.fds);
  }
  return op32 ? 28 : 14;
}

u32 load_env(const Cpu& cpu, X87State& s, const Image& img, bool op32) {
  const u32 step = op32 ? 4 : 2;
  s.control = loaded_control(img.get16(0));
  s.status = img.get16(step);
  s.tag = img.get16(2 * step);
  if (real_layout(cpu)) {
    s.fcs = s.fds = 0;
    if (op32) {
      s.fip = (img.get32(12) & 0xFFFF) | ((img.get32(16) << 4) & 0xFFFF0000u);
      s.opcode = img.get32(16) & 0x7FF;
      s.fdp = (img.get32(20) & 0xFFFF) | ((img.get32(24) << 4) & 0xFFFF0000u);
    } else {
      s.fip = img.get16(6) | ((u32{img.get16(8)} << 4) & 0xF0000);
      s.opcode = img.get16(8) & 0x7FF;
      s.fdp = img.get16(10) | ((u32{img.get16(12)} << 4) & 0xF0000);
    }
  } else if (op32) {
    s.fip = img.get32(12);
    s.fcs = img.get16(16);
    s.opcode = (img.get32(16) >> 16) & 0x7FF;
    s.fdp = img.get32(20);
    s.fds = img.get16(24);
  } else {
    s.fip = img.get16(6);
    s.fcs = img.get16(8);
    s.fdp = img.get16(10);
    s.fds = img.get16(12);
  }
  retag(s);
  refresh_summary(s);
  return op32 ? 28 : 14;
}

// FXSAVE/FXRSTOR need a 16-byte aligned operand (SDM Vol. 2 FXSAVE: #GP(0) otherwise).
void check_fx_operand(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  if ((cpu.seg[d.seg].base + address(cpu, d)) & 15) cpu.gp(0);
}

}  // namespace

void op_fnstenv(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  Image img;
  const u32 size = store_env(cpu, img, d.osize == 4);
  write_image(cpu, d, img, size);
  // FSTENV masks every exception after saving (SDM Vol. 2 FSTENV).
  cpu.fpu.control |= fp::kExceptions;
  refresh_summary(cpu.fpu);
}

void op_fldenv(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  Image img;
  read_image(cpu, d, img, d.osize == 4 ? 28 : 14);
  load_env(cpu, cpu.fpu, img, d.osize == 4);
}

void op_fnsave(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  Image img;
  const u32 env = store_env(cpu, img, d.osize == 4);
  for (unsigned i = 0; i < 8; ++i) img.put80(env + 10 * i, st(cpu.fpu, i));
  write_image(cpu, d, img, env + 80);
  initialize(cpu.fpu);
}

void op_frstor(Cpu& cpu, const DecodedInsn& d) {
  check_available(cpu);
  Image img;
  const u32 env = d.osize == 4 ? 28 : 14;
  read_image(cpu, d, img, env + 80);
  X87State s = cpu.fpu;
  load_env(cpu, s, img, d.osize == 4);
  for (unsigned i = 0; i < 8; ++i) s.regs[phys(s, i)] = img.get80(env + 10 * i);
  retag(s);
  cpu.fpu = s;
}

void op_fxsave(Cpu& cpu, const DecodedInsn& d) {
  check_fx_operand(cpu, d);
  const X87State& s = cpu.fpu;
  Image img;
  u8 abridged = 0;
  for (unsigned r = 0; r < 8; ++r)
    if (phys_tag(s, r) != kTagEmpty) abridged = static_cast<u8>(abridged | (1u << r));
  img.put16(0, s.control);
  img.put16(2, s.status);
  img.put16(4, abridged);
  img.put16(6, s.opcode & 0x7FF);
  img.put32(8, s.fip);
  img.put16(12, s.fcs);
  img.put32(16, s.fdp);
  img.put16(20, s.fds);
  img.put32(24, s.mxcsr);
  img.put32(28, 0xFFBF);  // MXCSR_MASK: the bits FXRSTOR accepts
  for (unsigned i = 0; i < 8; ++i) img.put80(32 + 16 * i, st(s, i));
  // The x87 part; the XMM area (no SSE state on this CPU model) is left as it is.
  const u32 lin = probe_write(cpu, d.seg, address(cpu, d), 512, 16);
  for (u32 i = 0; i < 160; i += 2) cpu.write_lin(lin + i, 2, img.get16(i), cpu.user());
}

void op_fxrstor(Cpu& cpu, const DecodedInsn& d) {
  check_fx_operand(cpu, d);
  Image img;
  read_image(cpu, d, img, 160);
  const u32 mxcsr = img.get32(24);
  if (mxcsr & ~0xFFBFu) cpu.gp(0);
  X87State s = cpu.fpu;
  s.control = loaded_control(img.get16(0));
  s.status = img.get16(2);
  s.tag = 0;
  for (unsigned r = 0; r < 8; ++r)
    if (!((img.bytes[4] >> r) & 1)) set_phys_tag(s, r, kTagEmpty);
  s.opcode = img.get16(6) & 0x7FF;
  s.fip = img.get32(8);
  s.fcs = img.get16(12);
  s.fdp = img.get32(16);
  s.fds = img.get16(20);
  s.mxcsr = mxcsr;
  for (unsigned i = 0; i < 8; ++i) s.regs[phys(s, i)] = img.get80(32 + 16 * i);
  retag(s);
  refresh_summary(s);
  cpu.fpu = s;
}

}  // namespace tern
