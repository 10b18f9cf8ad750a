// A bare CPU for the JIT's unit tests, run by the interpreter alone or with a JIT engine:
// flat 32-bit protected mode at CPL 0, an IDT whose vector v lands on a HLT at kHandlers + 16 v
// (so a test sees which exception was raised and what it pushed), and guest code written with
// asmjit's 32-bit x86 assembler.
#pragma once

#include <asmjit/x86.h>

#include <functional>
#include <memory>

#include "base/bits.h"
#include "base/clock.h"
#include "cpu/cpu.h"
#include "jit/jit_engine.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern::test {

class JitRig {
 public:
  static constexpr u32 kGdt = 0x500;
  static constexpr u32 kIdt = 0x800;
  static constexpr u32 kHandlers = 0x2000;  // vector v: HLT at kHandlers + 16 v
  static constexpr u32 kStackTop = 0x9000;
  static constexpr u32 kCode = 0x10000;
  static constexpr u32 kData = 0x40000;
  static constexpr u32 kDataSize = 0x10000;

  explicit JitRig(bool with_jit, JitOptions options = {}) {
    put32(kGdt + 8, 0x0000FFFF);  // flat 32-bit code (0x08)
    put32(kGdt + 12, 0x00CF9B00);
    put32(kGdt + 16, 0x0000FFFF);  // flat 32-bit data (0x10)
    put32(kGdt + 20, 0x00CF9300);
    for (u32 v = 0; v < 32; ++v) {
      const u32 handler = kHandlers + 16 * v;
      put32(kIdt + 8 * v, (0x08u << 16) | (handler & 0xFFFF));
      put32(kIdt + 8 * v + 4, (handler & 0xFFFF0000u) | 0x8E00);
      mem.ram_ptr(handler, 1)[0] = 0xF4;  // HLT
    }
    if (with_jit) {
      jit = std::make_unique<JitEngine>(cpu, options);
      cpu.set_block_engine(jit.get());
    }
    flat_mode(kCode);
  }

  void flat_mode(u32 eip) {
    cpu.set_cr0(cr0::PE | cr0::ET);
    cpu.gdtr = {kGdt, 23};
    cpu.idtr = {kIdt, 32 * 8 - 1};
    for (u8 s = 0; s < kSegCount; ++s) {
      cpu.seg[s] = Cpu::segment_from_descriptor(s == kCs ? 0x08 : 0x10,
                                                s == kCs ? 0x00CF9B000000FFFFull : 0x00CF93000000FFFFull);
      cpu.refresh_segment(cpu.seg[s]);
    }
    cpu.cpl = 0;
    cpu.gpr[kEsp] = kStackTop;
    cpu.eip = cpu.next_eip = eip;
  }

  // Assembles 32-bit guest code for address `addr` and stores it there (through DMA, as a
  // loader would, so cached translations of older code at that address are dropped).
  u32 assemble(u32 addr, const std::function<void(asmjit::x86::Assembler&)>& emit) {
    m_code.reset();
    m_code.init(asmjit::Environment(asmjit::Arch::kX86), addr);
    asmjit::x86::Assembler as(&m_code);
    emit(as);
    m_code.flatten();
    m_code.resolveUnresolvedLinks();
    m_code.relocateToBase(addr);
    const asmjit::CodeBuffer& buf = m_code.textSection()->buffer();
    mem.dma_write(addr, buf.data(), buf.size());
    return static_cast<u32>(buf.size());
  }
  // The guest address of a label of the code assembled last.
  u32 address_of(const asmjit::Label& label) { return static_cast<u32>(m_code.labelOffsetFromBase(label) + m_code.baseAddress()); }

  // Runs until HLT, a triple fault or `max` instructions; returns the instructions retired.
  u64 run_to_halt(u64 max = 10'000'000) {
    const u64 start = cpu.retired();
    while (!cpu.halted && cpu.retired() - start < max) {
      cpu.run(max - (cpu.retired() - start));
      if (cpu.stop_reason() == CpuStop::kTripleFault) break;
    }
    return cpu.retired() - start;
  }

  // The exception vector a HLT in the IDT handlers says was raised, or -1.
  int vector() const {
    const u32 at = cpu.eip - 1;
    if (!cpu.halted || at < kHandlers || at >= kHandlers + 32 * 16) return -1;
    return static_cast<int>((at - kHandlers) / 16);
  }

  void put32(u32 addr, u32 v) { store_le<u32>(mem.ram_ptr(addr, 4), v); }
  u32 get32(u32 addr) { return load_le<u32>(mem.ram_ptr(addr, 4)); }

  PhysMemory mem{16 << 20};
  IoSpace io;
  Clock clock;
  Cpu cpu{mem, io, clock};
  std::unique_ptr<JitEngine> jit;

 private:
  asmjit::CodeHolder m_code;
};

}  // namespace tern::test
