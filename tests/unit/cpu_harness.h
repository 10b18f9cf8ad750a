// A bare tern CPU for instruction tests: flat 32-bit protected mode at CPL 0, code at kCodeBase,
// an IDT whose every vector lands on its own HLT (so a test sees which exception was raised and
// the EIP it pushed), and a small data window. The window is reached through DS/ES bases chosen
// so that the guest offsets of the window equal any address a test picks (the host address of
// the native runner's data), which lets tern and the host CPU run byte-identical code.
#pragma once

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "base/clock.h"
#include "cpu/cpu.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern::test {

// The data window: kDataSize bytes starting kDataBefore bytes below the data address.
inline constexpr u32 kDataBefore = 32;
inline constexpr u32 kDataSize = 64;

// Architectural inputs and outputs of a code snippet. gpr[kEsp] is ignored.
struct CpuState {
  u32 gpr[8] = {};
  u32 eflags = fl::kFixedOne;
  std::array<u8, kDataSize> data = {};
};

struct RunResult {
  CpuState out;
  int vector = -1;     // exception raised, or -1
  u32 fault_eip = 0;   // EIP pushed by the exception
  u32 error_code = 0;  // its error code, if it has one
};

class TernCpu {
 public:
  static constexpr u32 kGdt = 0x500;
  static constexpr u32 kIdt = 0x800;
  static constexpr u32 kHandlers = 0x2000;  // vector v: HLT at kHandlers + 16 v
  static constexpr u32 kStackTop = 0x8000;
  static constexpr u32 kCodeBase = 0x10000;
  static constexpr u32 kDataPhys = 0x30000;  // physical address of the data address

  TernCpu() : m_mem(4 << 20), m_cpu(std::make_unique<Cpu>(m_mem, m_io, m_clock)) {
    // GDT: null, flat 32-bit code (0x08), flat 32-bit data (0x10).
    put64(kGdt + 8, 0x00CF9B000000FFFFull);
    put64(kGdt + 16, 0x00CF93000000FFFFull);
    for (u32 v = 0; v < 32; ++v) {
      const u32 handler = kHandlers + 16 * v;
      put64(kIdt + 8 * v, (u64{handler >> 16} << 48) | (u64{0x8E00} << 32) | (0x08u << 16) | (handler & 0xFFFF));
      m_mem.ram_ptr(handler, 1)[0] = 0xF4;  // HLT
    }
  }

  Cpu& cpu() { return *m_cpu; }
  PhysMemory& memory() { return m_mem; }

  // Puts the CPU in flat 32-bit protected mode with DS and ES based so that offset `data_addr`
  // is physical kDataPhys; EIP at kCodeBase.
  void enter_flat_mode(u32 data_addr) {
    Cpu& c = *m_cpu;
    c.reset();
    c.set_cr0(cr0::PE | cr0::ET);
    c.gdtr = {kGdt, 23};
    c.idtr = {kIdt, 32 * 8 - 1};
    for (u8 s = 0; s < kSegCount; ++s) {
      const bool code = s == kCs;
      c.seg[s] = Cpu::segment_from_descriptor(code ? 0x08 : 0x10, code ? 0x00CF9B000000FFFFull : 0x00CF93000000FFFFull);
      if (s == kDs || s == kEs) c.seg[s].base = kDataPhys - data_addr;
      c.refresh_segment(c.seg[s]);
    }
    c.cpl = 0;
    c.eip = c.next_eip = kCodeBase;
  }

  // Runs `code` from `in` until EIP leaves its end or an exception is raised. `prepare` may
  // change the CPU (segment limits, ...) after the flat-mode setup.
  RunResult run(const std::vector<u8>& code, const CpuState& in, u32 data_addr,
                const std::function<void(Cpu&)>& prepare = {}, u64 max_steps = 1'000'000) {
    enter_flat_mode(data_addr);
    Cpu& c = *m_cpu;
    if (prepare) prepare(c);
    // Through dma_write, so that cached decodes of earlier code at these addresses are dropped.
    m_mem.dma_write(kCodeBase, code.data(), code.size());
    m_mem.dma_write(kDataPhys - kDataBefore, in.data.data(), kDataSize);
    for (int r = 0; r < 8; ++r) c.gpr[r] = in.gpr[r];
    c.gpr[kEsp] = kStackTop;
    c.set_eflags(in.eflags, fl::kArith | fl::DF);
    const u32 end = kCodeBase + static_cast<u32>(code.size());
    RunResult r;
    for (u64 step = 0; step < max_steps && c.eip != end; ++step) {
      c.run(1);
      if (c.halted) {
        r.vector = static_cast<int>((c.eip - 1 - kHandlers) / 16);
        // #DF, #TS, #NP, #SS, #GP, #PF and #AC push an error code below EIP.
        const bool error_code = r.vector == 8 || (r.vector >= 10 && r.vector <= 14) || r.vector == 17;
        r.error_code = error_code ? c.read_sys(c.gpr[kEsp], 4) : 0;
        r.fault_eip = c.read_sys(c.gpr[kEsp] + (error_code ? 4 : 0), 4);
        break;
      }
    }
    for (int i = 0; i < 8; ++i) r.out.gpr[i] = c.gpr[i];
    r.out.gpr[kEsp] = in.gpr[kEsp];
    r.out.eflags = c.get_eflags();
    std::memcpy(r.out.data.data(), m_mem.ram_ptr(kDataPhys - kDataBefore, kDataSize), kDataSize);
    return r;
  }

 private:
  void put64(u32 addr, u64 v) {
    for (int i = 0; i < 8; ++i) m_mem.ram_ptr(addr + i, 1)[0] = static_cast<u8>(v >> (8 * i));
  }

  Clock m_clock;
  PhysMemory m_mem;
  IoSpace m_io;
  std::unique_ptr<Cpu> m_cpu;
};

}  // namespace tern::test
