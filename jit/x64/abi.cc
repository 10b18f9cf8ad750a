#include "jit/x64/abi.h"

#include "cpu/cpu.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// Callee-saved host registers first: they survive the calls of flag thunks untouched.
const a::Gp kGuestRegs[8] = {a::rbx, a::rbp, a::r12, a::r13, a::r14, a::rsi, a::rdi, a::r8};

}  // namespace

a::Gp guest_reg(u8 r) { return kGuestRegs[r]; }

bool guest_reg_callee_saved(u8 r) { return r < 5; }

a::Gp view(const a::Gp& r, u8 size) {
  switch (size) {
    case 1: return r.r8Lo();
    case 2: return r.r16();
    case 4: return r.r32();
    default: return r.r64();
  }
}

CpuLayout CpuLayout::of(Cpu& cpu) {
  const char* base = reinterpret_cast<const char*>(&cpu);
  auto at = [&](const void* p) { return static_cast<i32>(static_cast<const char*>(p) - base); };
  CpuLayout l{};
  for (int i = 0; i < 8; ++i) l.gpr[i] = at(&cpu.gpr[i]);
  l.eip = at(&cpu.eip);
  l.next_eip = at(&cpu.next_eip);
  l.eflags = at(&cpu.eflags);
  l.lf_res = at(&cpu.lf.res);
  l.lf_src1 = at(&cpu.lf.src1);
  l.lf_src2 = at(&cpu.lf.src2);
  l.lf_op = at(&cpu.lf.op);
  l.lf_size = at(&cpu.lf.size);
  for (int s = 0; s < kSegCount; ++s) {
    l.seg_base[s] = at(&cpu.seg[s].base);
    l.seg_lo[s] = at(&cpu.seg[s].lo);
    l.seg_hi[s] = at(&cpu.seg[s].hi);
    l.seg_readable[s] = at(&cpu.seg[s].readable);
    l.seg_writable[s] = at(&cpu.seg[s].writable);
  }
  l.tlb[0] = at(&cpu.mmu().entry(false, 0));
  l.tlb[1] = at(&cpu.mmu().entry(true, 0));
  const TlbEntry& e = cpu.mmu().entry(false, 0);
  const char* eb = reinterpret_cast<const char*>(&e);
  l.tlb_read_tag = static_cast<i32>(reinterpret_cast<const char*>(&e.read_tag) - eb);
  l.tlb_write_tag = static_cast<i32>(reinterpret_cast<const char*>(&e.write_tag) - eb);
  l.tlb_exec_tag = static_cast<i32>(reinterpret_cast<const char*>(&e.exec_tag) - eb);
  l.tlb_addend = static_cast<i32>(reinterpret_cast<const char*>(&e.addend) - eb);
  l.tlb_identity_read_tag = static_cast<i32>(reinterpret_cast<const char*>(&e.identity_read_tag) - eb);
  l.tlb_identity_write_tag = static_cast<i32>(reinterpret_cast<const char*>(&e.identity_write_tag) - eb);
  return l;
}

}  // namespace tern::x64
