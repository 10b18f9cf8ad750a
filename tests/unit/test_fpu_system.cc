// x87 and MMX system behaviour: #NM from CR0.EM/TS (and FWAIT's MP rule), MMX #UD under
// CR0.EM, pending unmasked exceptions reported through #MF (CR0.NE = 1) or the FERR# line
// (CR0.NE = 0), FOP/FIP/FDP bookkeeping, the FSTENV/FSAVE/FXSAVE images in their real- and
// protected-mode, 16- and 32-bit layouts, and the x87/MMX register aliasing.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "base/clock.h"
#include "cpu/cpu.h"
#include "cpu/fpu/float80.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern {
namespace {

// Records the level of the FERR# line.
struct LevelSink : IrqSink {
  int level = -1;
  unsigned raises = 0;
  void set_irq(unsigned, bool l) override {
    raises += l && level != 1;
    level = l;
  }
};

// A CPU with an IDT whose vector v handler is a HLT at kHandlers + 16 v: a run ends halted either
// after the code (EIP past its final HLT) or in the handler of the exception it raised.
class Rig {
 public:
  static constexpr u32 kGdt = 0x500, kIdt = 0x800, kHandlers = 0x2000, kStack = 0x8000;
  static constexpr u32 kCode = 0x10000, kData = 0x20000;

  Rig() : m_mem(1 << 20), m_cpu(m_mem, m_io, m_clock) {
    put(kGdt + 8, 0x00CF9B000000FFFFull, 8);
    put(kGdt + 16, 0x00CF93000000FFFFull, 8);
    for (u32 v = 0; v < 32; ++v) {
      const u32 h = kHandlers + 16 * v;
      put(kIdt + 8 * v, (u64{h >> 16} << 48) | (u64{0x8E00} << 32) | (0x08u << 16) | (h & 0xFFFF), 8);
      put(h, 0xF4, 1);
    }
    m_cpu.ferr = IrqLine(&ferr, 13);
  }

  Cpu& cpu() { return m_cpu; }

  // Flat 32-bit protected mode at CPL 0 with CR0 = PE | ET | extra, the FPU as FNINIT leaves it
  // (RESET leaves every exception unmasked and every tag "zero").
  void protected_mode(u32 cr0_extra) {
    m_cpu.reset();
    m_cpu.fpu = X87State{};
    m_cpu.cr0 = cr0::PE | cr0::ET | cr0_extra;
    m_cpu.gdtr = {kGdt, 23};
    m_cpu.idtr = {kIdt, 32 * 8 - 1};
    for (u8 s = 0; s < kSegCount; ++s) {
      m_cpu.seg[s] = Cpu::segment_from_descriptor(s == kCs ? 0x08 : 0x10, s == kCs ? 0x00CF9B000000FFFFull : 0x00CF93000000FFFFull);
      m_cpu.refresh_segment(m_cpu.seg[s]);
    }
    m_cpu.update_paging();
    m_cpu.gpr[kEsp] = kStack;
    m_cpu.eip = m_cpu.next_eip = kCode;
  }

  // Real mode with CS = 0x1000 (code at kCode), DS = 0x2000 (data at kData), CR0.NE as given.
  void real_mode(u32 cr0_extra) {
    m_cpu.reset();
    m_cpu.fpu = X87State{};
    m_cpu.cr0 = cr0::ET | cr0_extra;
    m_cpu.load_cs_real(kCode >> 4, 0);
    for (u8 s : {kDs, kEs, kSs}) m_cpu.load_segment(s, kData >> 4);
    m_cpu.gpr[kEsp] = 0xFFF0;
    m_cpu.eip = m_cpu.next_eip = 0;
  }

  // Runs `code` followed by HLT from the start of the code area. Returns the exception vector
  // taken, or -1.
  int run(std::vector<u8> code) {
    code.push_back(0xF4);
    m_mem.dma_write(kCode, code.data(), code.size());
    m_cpu.eip = m_cpu.next_eip = kCode - m_cpu.seg[kCs].base;
    m_cpu.halted = false;
    m_cpu.run(1000);
    const u32 at = m_cpu.seg[kCs].base + m_cpu.eip - 1;
    if (at >= kHandlers && at < kHandlers + 32 * 16) return static_cast<int>((at - kHandlers) / 16);
    return -1;
  }

  // The EIP the exception handler got (top of the stack).
  u32 pushed_eip() { return static_cast<u32>(get(m_cpu.seg[kSs].base + m_cpu.gpr[kEsp], 4)); }

  void put(u32 addr, u64 v, unsigned size) { m_mem.dma_write(addr, &v, size); }
  u64 get(u32 addr, unsigned size) {
    u64 v = 0;
    m_mem.dma_read(addr, &v, size);
    return v;
  }

  LevelSink ferr;

 private:
  PhysMemory m_mem;
  IoSpace m_io;
  Clock m_clock;
  Cpu m_cpu;
};

// FLD1; FLDZ; FDIV ST(1), ST(0)? Here: a divide by zero with ZE unmasked, leaving it pending.
// B8 imm32 = mov eax; the control word 0x037B unmasks ZE.
std::vector<u8> unmask_ze_and_divide_by_zero() {
  return {0xC7, 0x05, 0x00, 0x00, 0x02, 0x00, 0x7B, 0x03, 0x00, 0x00,  // mov dword [0x20000], 0x037B
          0xD9, 0x2D, 0x00, 0x00, 0x02, 0x00,                          // fldcw [0x20000]
          0xD9, 0xE8,                                                  // fld1
          0xD9, 0xEE,                                                  // fldz
          0xDE, 0xF9};                                                 // fdivp st(1), st(0): 1/0
}

TEST_CASE("x87 instructions raise #NM when CR0.EM or CR0.TS is set", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::EM);
  CHECK(rig.run({0xD9, 0xE8}) == kNM);
  rig.protected_mode(cr0::TS);
  CHECK(rig.run({0xDB, 0xE3}) == kNM);  // FNINIT too
  CHECK(rig.pushed_eip() == Rig::kCode);
  rig.protected_mode(cr0::MP);
  CHECK(rig.run({0xD9, 0xE8}) == -1);
}

TEST_CASE("FWAIT raises #NM only when CR0.MP and CR0.TS are both set", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::TS);
  CHECK(rig.run({0x9B}) == -1);
  rig.protected_mode(cr0::TS | cr0::MP);
  CHECK(rig.run({0x9B}) == kNM);
  rig.protected_mode(cr0::EM);
  CHECK(rig.run({0x9B}) == -1);
}

TEST_CASE("MMX instructions raise #UD under CR0.EM and #NM under CR0.TS", "[fpu][mmx]") {
  Rig rig;
  rig.protected_mode(cr0::EM);
  CHECK(rig.run({0x0F, 0xEF, 0xC0}) == kUD);  // pxor mm0, mm0
  rig.protected_mode(cr0::TS);
  CHECK(rig.run({0x0F, 0xEF, 0xC0}) == kNM);
  rig.protected_mode(0);
  CHECK(rig.run({0x0F, 0x77}) == -1);  // emms
}

TEST_CASE("a pending unmasked exception raises #MF at the next waiting instruction when CR0.NE=1", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::NE);
  std::vector<u8> code = unmask_ze_and_divide_by_zero();
  const u32 fdivp_at = Rig::kCode + static_cast<u32>(code.size()) - 2;
  code.insert(code.end(), {0xDF, 0xE0});  // fnstsw ax: no-wait, no fault
  const u32 wait_at = Rig::kCode + static_cast<u32>(code.size());
  code.push_back(0x9B);  // fwait
  CHECK(rig.run(code) == kMF);
  CHECK(rig.pushed_eip() == wait_at);
  const Cpu& cpu = rig.cpu();
  CHECK((cpu.gpr[kEax] & 0xFFFF) == (cpu.fpu.status & 0xFFFF));
  CHECK((cpu.fpu.status & (fp::kZE | fp::kES | fp::kB)) == (fp::kZE | fp::kES | fp::kB));
  // FIP/FOP name the instruction that caused the exception, not the one that reported it.
  CHECK(cpu.fpu.fip == fdivp_at);
  CHECK(cpu.fpu.fcs == 0x08);
  CHECK(cpu.fpu.opcode == 0x6F9);  // DE F9
  // The unmasked zero divide left the stack alone: 1 and 0 are still there.
  CHECK(cpu.fpu.top() == 6);
}

TEST_CASE("FNCLEX clears a pending exception so that no #MF follows", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::NE);
  std::vector<u8> code = unmask_ze_and_divide_by_zero();
  code.insert(code.end(), {0xDB, 0xE2, 0x9B, 0xD9, 0xE8});  // fnclex; fwait; fld1
  CHECK(rig.run(code) == -1);
  CHECK((rig.cpu().fpu.status & (fp::kExceptions | fp::kES)) == 0);
}

TEST_CASE("with CR0.NE=0 a pending exception asserts FERR# and the instruction proceeds", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  std::vector<u8> code = unmask_ze_and_divide_by_zero();
  code.insert(code.end(), {0xD9, 0xE8});  // fld1: a waiting instruction
  CHECK(rig.run(code) == -1);
  CHECK(rig.ferr.level == 1);
  CHECK(rig.ferr.raises == 1);
  CHECK(rig.cpu().fpu.top() == 5);  // the FLD1 was executed
}

TEST_CASE("FLDCW that unmasks a set exception flag makes the next waiting instruction raise #MF", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::NE);
  const std::vector<u8> code = {
      0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9,                          // fld1; fldz; fdivp: masked ZE
      0xC7, 0x05, 0x00, 0x00, 0x02, 0x00, 0x7B, 0x03, 0x00, 0x00,  // mov dword [0x20000], 0x037B
      0xD9, 0x2D, 0x00, 0x00, 0x02, 0x00,                          // fldcw: unmask ZE
      0xD9, 0xE8};                                                 // fld1
  CHECK(rig.run(code) == kMF);
  CHECK(rig.pushed_eip() == Rig::kCode + code.size() - 2);
}

TEST_CASE("FNSTENV stores the 32-bit protected-mode environment and masks all exceptions", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  const std::vector<u8> code = {
      0xD9, 0xEE,                          // fldz            (R7: zero)
      0xD9, 0xE8,                          // fld1            (R6: valid)
      0xDD, 0x05, 0x40, 0x00, 0x02, 0x00,  // fld qword [0x20040]: the FDP of this one is recorded
      0xD9, 0x35, 0x00, 0x00, 0x02, 0x00}; // fnstenv [0x20000]
  rig.put(Rig::kData + 0x40, 0x7FF0000000000000ull, 8);  // +infinity (R5: special)
  CHECK(rig.run(code) == -1);
  CHECK(rig.get(Rig::kData + 0, 4) == 0xFFFF037F);
  CHECK(rig.get(Rig::kData + 4, 4) == (0xFFFF0000u | (5u << 11)));
  CHECK(rig.get(Rig::kData + 8, 4) == 0xFFFF0000u + (0b01 << 14 | 0b00 << 12 | 0b10 << 10 | 0x3FF));
  CHECK(rig.get(Rig::kData + 12, 4) == Rig::kCode + 4);                // FIP
  CHECK(rig.get(Rig::kData + 16, 4) == (0x08u | (0x505u << 16)));     // FCS, FOP (DD 05)
  CHECK(rig.get(Rig::kData + 20, 4) == 0x20040);                       // FDP
  CHECK((rig.get(Rig::kData + 24, 4) & 0xFFFF) == 0x10);               // FDS
  CHECK(rig.cpu().fpu.control == 0x037F);
}

TEST_CASE("FNSTENV with a 16-bit operand size stores the 14-byte protected-mode layout", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  const std::vector<u8> code = {
      0xDD, 0x05, 0x40, 0x00, 0x02, 0x00,         // fld qword [0x20040]
      0x66, 0xD9, 0x35, 0x00, 0x00, 0x02, 0x00};  // o16 fnstenv [0x20000]
  rig.put(Rig::kData + 0x40, 0x3FF0000000000000ull, 8);  // 1.0
  rig.put(Rig::kData + 14, 0xAAAA, 2);                   // just past the image: untouched
  CHECK(rig.run(code) == -1);
  CHECK(rig.get(Rig::kData + 0, 2) == 0x037F);
  CHECK(rig.get(Rig::kData + 2, 2) == (7u << 11));
  CHECK(rig.get(Rig::kData + 4, 2) == 0x3FFF);     // R7 valid, the rest empty
  CHECK(rig.get(Rig::kData + 6, 2) == 0x0000);     // FIP bits 15..0 of 0x10000
  CHECK(rig.get(Rig::kData + 8, 2) == 0x08);       // FCS
  CHECK(rig.get(Rig::kData + 10, 2) == 0x0040);    // FDP bits 15..0
  CHECK(rig.get(Rig::kData + 12, 2) == 0x10);      // FDS
  CHECK(rig.get(Rig::kData + 14, 2) == 0xAAAA);
}

TEST_CASE("FLDENV of a 32-bit image restores control, status and which registers are empty", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  rig.put(Rig::kData + 0, 0xFFFF0C7F, 4);  // round toward zero
  rig.put(Rig::kData + 4, 0xFFFF4100, 4);  // C3, C0, TOP 0
  rig.put(Rig::kData + 8, 0xFFFFFFFC, 4);  // R0 in use (tag 00 although it holds zero)
  CHECK(rig.run({0xD9, 0x25, 0x00, 0x00, 0x02, 0x00}) == -1);  // fldenv [0x20000]
  const X87State& s = rig.cpu().fpu;
  CHECK(s.control == 0x0C7F);
  CHECK(s.status == 0x4100);
  CHECK(s.tag == 0xFFFD);  // recomputed from the contents: R0 holds +0
}

TEST_CASE("FSTENV and FLDENV use the 16-bit real-mode layout in real mode", "[fpu]") {
  Rig rig;
  rig.real_mode(0);
  const std::vector<u8> code = {
      0xD9, 0xE8,              // fld1 at 1000:0000 (linear 0x10000)
      0xD9, 0x36, 0x00, 0x01,  // fnstenv [0x100]
  };
  CHECK(rig.run(code) == -1);
  const u32 env = Rig::kData + 0x100;
  CHECK(rig.get(env + 0, 2) == 0x037F);
  CHECK(rig.get(env + 6, 2) == 0x0000);  // FIP bits 15..0 of linear 0x10000
  CHECK(rig.get(env + 8, 2) == ((0x1u << 12) | 0x1E8));  // FIP bits 19..16, FOP D9 E8
}

TEST_CASE("FNSAVE then FRSTOR restores registers, tags and status, and FNSAVE reinitialises", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  const std::vector<u8> code = {
      0xD9, 0xEB, 0xD9, 0xEE, 0xD9, 0xE8,  // fldpi; fldz; fld1
      0xDD, 0x35, 0x00, 0x00, 0x02, 0x00,  // fnsave [0x20000]
      0xD9, 0xE8,                          // fld1 (in the fresh state)
      0xDD, 0x25, 0x00, 0x00, 0x02, 0x00}; // frstor [0x20000]
  CHECK(rig.run(code) == -1);
  const X87State& s = rig.cpu().fpu;
  CHECK(s.top() == 5);
  CHECK(s.tag == 0x13FF);  // R5 valid, R6 zero, R7 valid, the rest empty
  CHECK(s.regs[5] == Float80{0x8000000000000000ull, 0x3FFF});
  CHECK(s.regs[7] == Float80{0xC90FDAA22168C235ull, 0x4000});
  // The image: 28-byte environment, then ST(0) = 1.0.
  CHECK(rig.get(Rig::kData + 28, 8) == 0x8000000000000000ull);
  CHECK(rig.get(Rig::kData + 36, 2) == 0x3FFF);
}

TEST_CASE("FXSAVE stores the abridged tag and registers and needs a 16-byte aligned operand", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  std::vector<u8> code = {0xD9, 0xE8, 0xD9, 0xEE,               // fld1; fldz
                          0x0F, 0xAE, 0x05, 0x00, 0x01, 0x02, 0x00};  // fxsave [0x20100]
  CHECK(rig.run(code) == -1);
  const u32 img = Rig::kData + 0x100;
  CHECK(rig.get(img + 0, 2) == 0x037F);
  CHECK(rig.get(img + 2, 2) == (6u << 11));
  CHECK(rig.get(img + 4, 1) == 0xC0);  // R6 and R7 in use
  CHECK(rig.get(img + 24, 4) == 0x1F80);
  CHECK(rig.get(img + 32, 8) == 0);    // ST(0) = +0
  CHECK(rig.get(img + 48, 8) == 0x8000000000000000ull);
  rig.protected_mode(0);
  CHECK(rig.run({0x0F, 0xAE, 0x05, 0x08, 0x01, 0x02, 0x00}) == kGP);
}

TEST_CASE("FXRSTOR restores what FXSAVE stored and rejects reserved MXCSR bits", "[fpu]") {
  Rig rig;
  rig.protected_mode(0);
  CHECK(rig.run({0xD9, 0xEB, 0x0F, 0xAE, 0x05, 0x00, 0x01, 0x02, 0x00,  // fldpi; fxsave
                 0xDB, 0xE3,                                            // fninit
                 0x0F, 0xAE, 0x0D, 0x00, 0x01, 0x02, 0x00}) == -1);     // fxrstor
  CHECK(rig.cpu().fpu.top() == 7);
  CHECK(rig.cpu().fpu.regs[7] == Float80{0xC90FDAA22168C235ull, 0x4000});
  rig.put(Rig::kData + 0x100 + 24, 0x10000, 4);
  rig.protected_mode(0);
  CHECK(rig.run({0x0F, 0xAE, 0x0D, 0x00, 0x01, 0x02, 0x00}) == kGP);
}

TEST_CASE("writing an MMX register sets TOP to 0, every tag valid and its exponent to all ones", "[mmx]") {
  Rig rig;
  rig.protected_mode(0);
  CHECK(rig.run({0xD9, 0xE8,                     // fld1: TOP = 7
                 0xB8, 0x44, 0x33, 0x22, 0x11,   // mov eax, 0x11223344
                 0x0F, 0x6E, 0xD0}) == -1);      // movd mm2, eax
  const X87State& s = rig.cpu().fpu;
  CHECK(s.top() == 0);
  CHECK(s.tag == 0);
  CHECK(s.regs[2] == Float80{0x11223344, 0xFFFF});
  CHECK(s.regs[7] == Float80{0x8000000000000000ull, 0x3FFF});
  CHECK(rig.run({0x0F, 0x77}) == -1);  // emms
  CHECK(rig.cpu().fpu.tag == 0xFFFF);
}

TEST_CASE("FRSTOR of an image with an unmasked exception flag pends it", "[fpu]") {
  Rig rig;
  rig.protected_mode(cr0::NE);
  // A 108-byte image: control word with IE unmasked, status with IE set, all tags empty.
  rig.put(Rig::kData + 0, 0xFFFF037E, 4);
  rig.put(Rig::kData + 4, 0xFFFF0001, 4);
  rig.put(Rig::kData + 8, 0xFFFFFFFF, 4);
  CHECK(rig.run({0xDD, 0x25, 0x00, 0x00, 0x02, 0x00, 0xD9, 0xE8}) == kMF);
  CHECK(rig.pushed_eip() == Rig::kCode + 6);
}

}  // namespace
}  // namespace tern
