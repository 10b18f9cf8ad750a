// CPUID, model-specific registers, the time-stamp and performance counters, SYSENTER/SYSEXIT:
// the identity of a Pentium II (family 6, model 5).
#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

// CPUID.1:EDX of the emulated processor: FPU VME DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE
// MCA CMOV PAT MMX FXSR.
constexpr u32 kFeatures = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                          (1u << 7) | (1u << 8) | (1u << 9) | (1u << 11) | (1u << 12) | (1u << 13) |
                          (1u << 14) | (1u << 15) | (1u << 16) | (1u << 23) | (1u << 24);
constexpr u32 kSignature = 0x0652;

constexpr u32 kMsrTsc = 0x10;
constexpr u32 kMsrPlatformId = 0x17;
constexpr u32 kMsrApicBase = 0x1B;
constexpr u32 kMsrBiosSignId = 0x8B;
constexpr u32 kMsrMtrrCap = 0xFE;
constexpr u32 kMsrSysenterCs = 0x174;
constexpr u32 kMsrSysenterEsp = 0x175;
constexpr u32 kMsrSysenterEip = 0x176;
constexpr u32 kMsrMcgCap = 0x179;
constexpr u32 kMsrMcgStatus = 0x17A;
constexpr u32 kMsrMtrrPhysFirst = 0x200;
constexpr u32 kMsrMtrrPhysLast = 0x20F;
constexpr u32 kMsrMtrrFix64k = 0x250;
constexpr u32 kMsrMtrrFix16kFirst = 0x258;
constexpr u32 kMsrMtrrFix16kLast = 0x259;
constexpr u32 kMsrMtrrFix4kFirst = 0x268;
constexpr u32 kMsrMtrrFix4kLast = 0x26F;
constexpr u32 kMsrPat = 0x277;
constexpr u32 kMsrMtrrDefType = 0x2FF;

// The storage behind a plain read/write MSR, or null.
u64* msr_slot(Cpu& cpu, u32 index) {
  Msrs& m = cpu.msr;
  if (index >= kMsrMtrrPhysFirst && index <= kMsrMtrrPhysLast) return &m.mtrr_var[index - kMsrMtrrPhysFirst];
  if (index == kMsrMtrrFix64k) return &m.mtrr_fixed[0];
  if (index >= kMsrMtrrFix16kFirst && index <= kMsrMtrrFix16kLast) return &m.mtrr_fixed[1 + index - kMsrMtrrFix16kFirst];
  if (index >= kMsrMtrrFix4kFirst && index <= kMsrMtrrFix4kLast) return &m.mtrr_fixed[3 + index - kMsrMtrrFix4kFirst];
  if (index == kMsrPat) return &m.pat;
  if (index == kMsrMtrrDefType) return &m.mtrr_def_type;
  return nullptr;
}

void require_cpl0(Cpu& cpu) {
  if (cpu.protected_mode() && (cpu.v86() || cpu.cpl != 0)) cpu.gp(0);
}

}  // namespace

void op_cpuid(Cpu& cpu, const DecodedInsn&) {
  u32 leaf = cpu.gpr[kEax];
  // Leaves above the maximum return the highest basic leaf (Intel SDM "CPUID").
  if (leaf > 2) leaf = 2;
  u32 a = 0, b = 0, c = 0, d = 0;
  switch (leaf) {
    case 0:
      a = 2;
      b = 0x756E6547;  // "Genu"
      d = 0x49656E69;  // "ineI"
      c = 0x6C65746E;  // "ntel"
      break;
    case 1:
      a = kSignature;
      d = kFeatures;
      break;
    default:
      // Cache and TLB descriptors of a Pentium II with 512 KiB L2.
      a = 0x03020101;
      d = 0x0C040843;
      break;
  }
  cpu.gpr[kEax] = a;
  cpu.gpr[kEbx] = b;
  cpu.gpr[kEcx] = c;
  cpu.gpr[kEdx] = d;
}

void op_rdmsr(Cpu& cpu, const DecodedInsn&) {
  require_cpl0(cpu);
  const u32 index = cpu.gpr[kEcx];
  u64 value;
  switch (index) {
    case kMsrTsc: value = cpu.tsc(); break;
    case kMsrPlatformId: value = 0; break;
    case kMsrApicBase: value = cpu.msr.apic_base; break;
    case kMsrBiosSignId: value = 0; break;
    case kMsrMtrrCap: value = cpu.msr.mtrr_cap; break;
    case kMsrSysenterCs: value = cpu.msr.sysenter_cs; break;
    case kMsrSysenterEsp: value = cpu.msr.sysenter_esp; break;
    case kMsrSysenterEip: value = cpu.msr.sysenter_eip; break;
    case kMsrMcgCap: value = 0; break;
    case kMsrMcgStatus: value = 0; break;
    default: {
      const u64* slot = msr_slot(cpu, index);
      if (!slot) cpu.gp(0);
      value = *slot;
    }
  }
  cpu.gpr[kEax] = static_cast<u32>(value);
  cpu.gpr[kEdx] = static_cast<u32>(value >> 32);
}

void op_wrmsr(Cpu& cpu, const DecodedInsn&) {
  require_cpl0(cpu);
  const u32 index = cpu.gpr[kEcx];
  const u64 value = (u64{cpu.gpr[kEdx]} << 32) | cpu.gpr[kEax];
  switch (index) {
    case kMsrTsc: cpu.msr.tsc_offset = value - (cpu.tsc() - cpu.msr.tsc_offset); break;
    case kMsrApicBase: cpu.msr.apic_base = (value & 0xFFFFFF900ull) | (cpu.msr.apic_base & 0x100); break;
    case kMsrBiosSignId: case kMsrMcgStatus: break;
    case kMsrSysenterCs: cpu.msr.sysenter_cs = static_cast<u32>(value); break;
    case kMsrSysenterEsp: cpu.msr.sysenter_esp = static_cast<u32>(value); break;
    case kMsrSysenterEip: cpu.msr.sysenter_eip = static_cast<u32>(value); break;
    default: {
      u64* slot = msr_slot(cpu, index);
      if (!slot) cpu.gp(0);
      *slot = value;
    }
  }
}

void op_rdtsc(Cpu& cpu, const DecodedInsn&) {
  if ((cpu.cr4 & cr4::TSD) && cpu.protected_mode() && cpu.cpl != 0) cpu.gp(0);
  const u64 t = cpu.tsc();
  cpu.gpr[kEax] = static_cast<u32>(t);
  cpu.gpr[kEdx] = static_cast<u32>(t >> 32);
}

void op_rdpmc(Cpu& cpu, const DecodedInsn&) {
  if (!(cpu.cr4 & cr4::PCE) && cpu.protected_mode() && cpu.cpl != 0) cpu.gp(0);
  if (cpu.gpr[kEcx] > 1) cpu.gp(0);
  // The performance counters are not modelled: they count no events.
  cpu.gpr[kEax] = 0;
  cpu.gpr[kEdx] = 0;
}

namespace {

Segment flat_segment(u16 selector, bool code, u8 dpl) {
  Segment s;
  s.selector = selector;
  s.base = 0;
  s.limit = 0xFFFFFFFF;
  s.attr = static_cast<u16>(0xC000 | 0x90 | (dpl << 5) | (code ? 0xB : 0x3));
  return s;
}

}  // namespace

void op_sysenter(Cpu& cpu, const DecodedInsn&) {
  if (!cpu.protected_mode() || (cpu.msr.sysenter_cs & 0xFFFC) == 0) cpu.gp(0);
  const u16 cs = static_cast<u16>(cpu.msr.sysenter_cs & 0xFFFC);
  cpu.eflags &= ~(fl::VM | fl::IF | fl::RF);
  cpu.cpl = 0;
  cpu.seg[kCs] = flat_segment(cs, true, 0);
  cpu.seg[kSs] = flat_segment(static_cast<u16>(cs + 8), false, 0);
  cpu.refresh_segment(cpu.seg[kCs]);
  cpu.refresh_segment(cpu.seg[kSs]);
  cpu.gpr[kEsp] = cpu.msr.sysenter_esp;
  cpu.next_eip = cpu.msr.sysenter_eip;
}

void op_sysexit(Cpu& cpu, const DecodedInsn&) {
  if (!cpu.protected_mode() || cpu.v86() || cpu.cpl != 0 || (cpu.msr.sysenter_cs & 0xFFFC) == 0) cpu.gp(0);
  const u16 cs = static_cast<u16>((cpu.msr.sysenter_cs & 0xFFFC) + 16);
  cpu.cpl = 3;
  cpu.seg[kCs] = flat_segment(static_cast<u16>(cs | 3), true, 3);
  cpu.seg[kSs] = flat_segment(static_cast<u16>((cs + 8) | 3), false, 3);
  cpu.refresh_segment(cpu.seg[kCs]);
  cpu.refresh_segment(cpu.seg[kSs]);
  cpu.gpr[kEsp] = cpu.gpr[kEcx];
  cpu.next_eip = cpu.gpr[kEdx];
}

}  // namespace tern
