// The register convention of generated x86-64 code and where it finds the guest state.
//
// Design notes
// - The eight guest general registers stay in host registers for as long as generated code runs,
//   across chained blocks; they are written to Cpu::gpr before any helper call and at every exit
//   to the engine, and read back after, so the Cpu is exact whenever C++ code can look at it.
// - r15 holds the Cpu*, r11 the instruction budget `left` (jit/context.h).
// - Scratch: rax (linear address, then host pointer of a memory access), rcx and rdx (TLB walk,
//   flag materialisation), r9 and r10 (operand values).
// - The stack stays 16-byte aligned inside generated code, so helper calls need no adjustment;
//   thunks called from blocks realign before calling C++.
#pragma once

#include <asmjit/x86.h>

#include "base/types.h"
#include "cpu/state.h"

namespace tern {
class Cpu;
}

namespace tern::x64 {

namespace reg {
inline const asmjit::x86::Gp kCpu = asmjit::x86::r15;
inline const asmjit::x86::Gp kLeft = asmjit::x86::r11;
inline const asmjit::x86::Gp kAddr = asmjit::x86::rax;
inline const asmjit::x86::Gp kTmp1 = asmjit::x86::rcx;
inline const asmjit::x86::Gp kTmp2 = asmjit::x86::rdx;
inline const asmjit::x86::Gp kVal1 = asmjit::x86::r9;
inline const asmjit::x86::Gp kVal2 = asmjit::x86::r10;
}  // namespace reg

// Host register (64-bit) holding guest register r (kEax..kEdi).
asmjit::x86::Gp guest_reg(u8 r);
// Whether the host register of guest register r is saved across C calls by the host ABI.
bool guest_reg_callee_saved(u8 r);
// A 32-, 16- or 8-bit view of a host register.
asmjit::x86::Gp view(const asmjit::x86::Gp& r, u8 size);

// Offsets of guest state in a Cpu object, measured once (Cpu is not standard-layout).
struct CpuLayout {
  i32 gpr[8];
  i32 eip, next_eip, eflags;
  i32 lf_res, lf_src1, lf_src2, lf_op, lf_size;
  i32 seg_base[kSegCount], seg_lo[kSegCount], seg_hi[kSegCount];
  i32 seg_readable[kSegCount], seg_writable[kSegCount];
  i32 tlb[2];  // first TlbEntry of the supervisor and user sets
  i32 tlb_read_tag, tlb_write_tag, tlb_exec_tag, tlb_addend;  // within a TlbEntry
  i32 tlb_identity_read_tag, tlb_identity_write_tag;

  static CpuLayout of(Cpu& cpu);
};

// A memory operand at `offset` from the Cpu.
inline asmjit::x86::Mem cpu_mem(i32 offset, u32 size) { return asmjit::x86::ptr(reg::kCpu, offset, size); }

}  // namespace tern::x64
