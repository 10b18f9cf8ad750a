// Integer behaviour the host-CPU differential test cannot show: exceptions (#DE with EIP at the
// faulting instruction and no register changed), repeated string instructions over long counts,
// 16-bit address wrap-around and faults in the middle of a REP, and tern's documented model of
// the flags the SDM leaves undefined (cpu/flags.cc), which must hold on every host.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/cpu_harness.h"

namespace {

using namespace tern;
using namespace tern::test;

constexpr u32 kData = TernCpu::kDataPhys;  // data address = physical address: DS/ES bases 0

CpuState state(u32 eax, u32 ebx = 0, u32 ecx = 0, u32 edx = 0, u32 flags = 0) {
  CpuState s;
  s.gpr[kEax] = eax, s.gpr[kEbx] = ebx, s.gpr[kEcx] = ecx, s.gpr[kEdx] = edx;
  s.eflags = fl::kFixedOne | flags;
  return s;
}

RunResult run(const std::vector<u8>& code, const CpuState& in, const std::function<void(Cpu&)>& prepare = {}) {
  static TernCpu cpu;
  return cpu.run(code, in, kData, prepare);
}

}  // namespace

TEST_CASE("DIV and IDIV raise #DE with EIP at the instruction and change no register", "[cpu][fault]") {
  struct Case {
    const char* what;
    std::vector<u8> code;  // a NOP, then the divide: the fault EIP is kCodeBase + 1
    CpuState in;
  };
  const Case cases[] = {
      {"DIV r8 by zero", {0x90, 0xF6, 0xF3}, state(0x1234, 0)},
      {"DIV r16 by zero", {0x90, 0x66, 0xF7, 0xF3}, state(0x1234, 0xFFFF0000)},
      {"DIV r32 by zero", {0x90, 0xF7, 0xF3}, state(1, 0)},
      {"DIV r8 quotient above 255", {0x90, 0xF6, 0xF3}, state(0x0100, 1)},
      {"DIV r32 quotient above 2^32-1", {0x90, 0xF7, 0xF3}, state(0, 1, 0, 1)},
      {"IDIV r8 by zero", {0x90, 0xF6, 0xFB}, state(5, 0)},
      {"IDIV r8 -32768 / -1", {0x90, 0xF6, 0xFB}, state(0x8000, 0xFF)},
      {"IDIV r16 quotient 32768", {0x90, 0x66, 0xF7, 0xFB}, state(0x8000, 1, 0, 0)},
      {"IDIV r32 INT32_MIN / -1", {0x90, 0xF7, 0xFB}, state(0x80000000, 0xFFFFFFFF, 0, 0xFFFFFFFF)},
      {"IDIV m32 by zero", {0x90, 0xF7, 0x3D, 0x00, 0x00, 0x03, 0x00}, state(7)},
      {"AAM 0", {0x90, 0xD4, 0x00}, state(0x55)},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CpuState in = c.in;
    in.eflags |= fl::CF | fl::ZF;
    const RunResult r = run(c.code, in);
    CHECK(r.vector == kDE);
    CHECK(r.fault_eip == TernCpu::kCodeBase + 1);
    for (int reg = 0; reg < 8; ++reg)
      if (reg != kEsp) CHECK(r.out.gpr[reg] == in.gpr[reg]);
  }
}

TEST_CASE("IDIV r8 with quotient -128 does not fault", "[cpu][fault]") {
  const RunResult r = run({0xF6, 0xFB}, state(0xFF80, 1));  // -128 / 1
  CHECK(r.vector == -1);
  CHECK((r.out.gpr[kEax] & 0xFFFF) == 0x0080);
}

TEST_CASE("REP MOVSB copies more bytes than one interpreter step handles", "[cpu][string]") {
  static TernCpu cpu;
  constexpr u32 kCount = 5000, kSrc = kData + 0x100, kDst = kData + 0x4100;
  u8* mem = cpu.memory().ram_ptr(kSrc, 0x8000);
  for (u32 i = 0; i < kCount; ++i) mem[i] = static_cast<u8>(i * 7 + 3);
  CpuState in = state(0, 0, kCount);
  in.gpr[kEsi] = kSrc, in.gpr[kEdi] = kDst;
  const RunResult r = cpu.run({0xF3, 0xA4}, in, kData);
  CHECK(r.vector == -1);
  CHECK(r.out.gpr[kEcx] == 0);
  CHECK(r.out.gpr[kEsi] == kSrc + kCount);
  CHECK(r.out.gpr[kEdi] == kDst + kCount);
  CHECK(std::memcmp(mem, mem + 0x4000, kCount) == 0);
}

TEST_CASE("REP MOVSB onto the next byte repeats the first byte, as one iteration after another does", "[cpu][string]") {
  static TernCpu cpu;
  constexpr u32 kCount = 3000, kSrc = kData + 0x100;
  u8* mem = cpu.memory().ram_ptr(kSrc, kCount + 1);
  for (u32 i = 0; i <= kCount; ++i) mem[i] = static_cast<u8>(i + 1);
  CpuState in = state(0, 0, kCount);
  in.gpr[kEsi] = kSrc, in.gpr[kEdi] = kSrc + 1;
  const RunResult r = cpu.run({0xF3, 0xA4}, in, kData);
  CHECK(r.out.gpr[kEcx] == 0);
  CHECK(std::all_of(mem, mem + kCount + 1, [](u8 b) { return b == 1; }));
}

TEST_CASE("REP MOVSD with dwords straddling page boundaries copies every byte", "[cpu][string]") {
  static TernCpu cpu;
  constexpr u32 kCount = 2500, kSrc = kData + 0x0FFE, kDst = kData + 0x5FFD;  // both unaligned
  u8* src = cpu.memory().ram_ptr(kSrc, 4 * kCount);
  for (u32 i = 0; i < 4 * kCount; ++i) src[i] = static_cast<u8>(i * 13 + 5);
  CpuState in = state(0, 0, kCount);
  in.gpr[kEsi] = kSrc, in.gpr[kEdi] = kDst;
  const RunResult r = cpu.run({0xF3, 0xA5}, in, kData);
  CHECK(r.out.gpr[kEcx] == 0);
  CHECK(r.out.gpr[kEsi] == kSrc + 4 * kCount);
  CHECK(r.out.gpr[kEdi] == kDst + 4 * kCount);
  CHECK(std::memcmp(src, cpu.memory().ram_ptr(kDst, 4 * kCount), 4 * kCount) == 0);
}

TEST_CASE("REP STOSD with DF set fills downward", "[cpu][string]") {
  static TernCpu cpu;
  constexpr u32 kTop = kData + 0x8000;
  CpuState in = state(0xA5A5A5A5, 0, 3000, 0, fl::DF);
  in.gpr[kEdi] = kTop;
  const RunResult r = cpu.run({0xF3, 0xAB}, in, kData);
  CHECK(r.out.gpr[kEcx] == 0);
  CHECK(r.out.gpr[kEdi] == kTop - 4 * 3000);
  const u8* mem = cpu.memory().ram_ptr(kTop - 4 * 2999, 4 * 3000);
  CHECK(std::all_of(mem, mem + 4 * 3000, [](u8 b) { return b == 0xA5; }));
}

TEST_CASE("16-bit address size: MOVSB wraps SI and DI at 64 KiB and keeps the upper halves", "[cpu][string]") {
  static TernCpu cpu;
  CpuState in = state(0, 0, 0xABCD0003);
  in.gpr[kEsi] = 0x1234FFFF, in.gpr[kEdi] = 0x5678FFFE;
  u8* low = cpu.memory().ram_ptr(0, 0x10000);
  low[0xFFFF] = 0x11, low[0x0000] = 0x22, low[0x0001] = 0x33;
  const RunResult r = cpu.run({0x67, 0xF3, 0xA4}, in, kData);  // DS and ES based at 0
  CHECK(r.vector == -1);
  CHECK(r.out.gpr[kEcx] == 0xABCD0000);
  CHECK(r.out.gpr[kEsi] == 0x12340002);
  CHECK(r.out.gpr[kEdi] == 0x56780001);
  CHECK(low[0xFFFE] == 0x11);
  CHECK(low[0xFFFF] == 0x22);
  CHECK(low[0x0000] == 0x33);
}

TEST_CASE("a fault in the middle of REP STOSB leaves ECX and EDI at the faulting iteration", "[cpu][string][fault]") {
  CpuState in = state(0x77, 0, 16);
  in.gpr[kEdi] = kData;
  const RunResult r = run({0xF3, 0xAA}, in, [](Cpu& c) {
    c.seg[kEs].limit = kData + 7;  // bytes kData .. kData+7 writable, the 9th store faults
    c.refresh_segment(c.seg[kEs]);
  });
  CHECK(r.vector == kGP);
  CHECK(r.error_code == 0);
  CHECK(r.fault_eip == TernCpu::kCodeBase);
  CHECK(r.out.gpr[kEcx] == 8);
  CHECK(r.out.gpr[kEdi] == kData + 8);
}

TEST_CASE("REPE CMPSB stops after the first difference; REPNE SCASB after the first match", "[cpu][string]") {
  static TernCpu cpu;
  constexpr u32 kA = kData + 0x100, kB = kData + 0x140;  // outside the harness's data window
  u8* mem = cpu.memory().ram_ptr(kA, 0x48);
  std::memcpy(mem, "abcdefgh", 8);
  std::memcpy(mem + (kB - kA), "abcdXfgh", 8);
  CpuState in = state(0, 0, 8);
  in.gpr[kEsi] = kA, in.gpr[kEdi] = kB;
  RunResult r = cpu.run({0xF3, 0xA6}, in, kData);
  CHECK(r.out.gpr[kEcx] == 3);  // stopped after comparing 'e' with 'X'
  CHECK(r.out.gpr[kEsi] == kA + 5);
  CHECK((r.out.eflags & fl::ZF) == 0);
  in = state('f', 0, 8);
  in.gpr[kEdi] = kA;
  r = cpu.run({0xF2, 0xAE}, in, kData);
  CHECK(r.out.gpr[kEcx] == 2);
  CHECK(r.out.gpr[kEdi] == kA + 6);
  CHECK((r.out.eflags & fl::ZF) != 0);
}

// ---- The undefined-flag model (cpu/flags.cc): P6 core behaviour, checked on every host. ----

namespace {

constexpr u32 kAllSet = fl::kArith;

u32 flags_after(const std::vector<u8>& code, const CpuState& in) { return run(code, in).out.eflags & fl::kArith; }

}  // namespace

TEST_CASE("undefined-flag model: MUL, IMUL, DIV leave the flags they leave undefined unchanged", "[cpu][flags]") {
  // MUL EBX: 3 * 5 = 15, no overflow: CF = OF = 0; SF ZF AF PF keep their (set) values.
  CHECK(flags_after({0xF7, 0xE3}, state(3, 5, 0, 0, kAllSet)) == (fl::SF | fl::ZF | fl::AF | fl::PF));
  CHECK(flags_after({0xF7, 0xE3}, state(3, 5, 0, 0, 0)) == 0);
  // IMUL EAX, EBX with overflow: CF = OF = 1, the rest unchanged (clear).
  CHECK(flags_after({0x0F, 0xAF, 0xC3}, state(0x10000, 0x10000)) == (fl::CF | fl::OF));
  // DIV EBX: all six unchanged.
  CHECK(flags_after({0xF7, 0xF3}, state(100, 7, 0, 0, fl::OF | fl::ZF | fl::PF)) == (fl::OF | fl::ZF | fl::PF));
}

TEST_CASE("undefined-flag model: shifts keep AF, and OF unless the count is 1", "[cpu][flags]") {
  // SHL EAX, 3 of 0x20000000: CF = 1; OF (undefined) and AF keep their values.
  CHECK(flags_after({0xC1, 0xE0, 0x03}, state(0x20000000, 0, 0, 0, fl::OF | fl::AF)) ==
        (fl::CF | fl::OF | fl::AF | fl::ZF | fl::PF));
  CHECK(flags_after({0xC1, 0xE0, 0x03}, state(0x20000000)) == (fl::CF | fl::ZF | fl::PF));
  // SHL EAX, 1 of 0x40000000: OF = MSB(result) xor CF = 1, AF unchanged.
  CHECK(flags_after({0xD1, 0xE0}, state(0x40000000, 0, 0, 0, fl::AF)) == (fl::OF | fl::SF | fl::AF | fl::PF));
  // ROL EAX, 2: OF unchanged, SF ZF AF PF unchanged, CF = LSB of the result.
  CHECK(flags_after({0xC1, 0xC0, 0x02}, state(0x40000000, 0, 0, 0, fl::OF | fl::ZF)) == (fl::CF | fl::OF | fl::ZF));
  // SHRD EAX, EBX, 4: AF and OF unchanged.
  CHECK(flags_after({0x0F, 0xAC, 0xD8, 0x05}, state(0x10, 0, 0, 0, fl::AF)) == (fl::AF | fl::CF | fl::ZF | fl::PF));
}

TEST_CASE("undefined-flag model: bit tests and scans change only CF or ZF", "[cpu][flags]") {
  // BT EAX, EBX (bit 0 set): CF = 1, OF SF ZF AF PF unchanged.
  CHECK(flags_after({0x0F, 0xA3, 0xD8}, state(1, 0, 0, 0, fl::OF | fl::SF | fl::PF)) == (fl::CF | fl::OF | fl::SF | fl::PF));
  // BSF EAX, EBX with EBX = 0: ZF = 1, EAX unchanged, the rest unchanged.
  const RunResult r = run({0x0F, 0xBC, 0xC3}, state(0xDEADBEEF, 0, 0, 0, fl::CF | fl::AF));
  CHECK(r.out.gpr[kEax] == 0xDEADBEEF);
  CHECK((r.out.eflags & fl::kArith) == (fl::ZF | fl::CF | fl::AF));
  // BSR EAX, EBX with EBX = 0x80: EAX = 7, ZF = 0, the rest unchanged.
  CHECK(flags_after({0x0F, 0xBD, 0xC3}, state(0, 0x80, 0, 0, fl::ZF | fl::SF)) == fl::SF);
}

TEST_CASE("undefined-flag model: decimal adjustments", "[cpu][flags]") {
  // DAA: OF unchanged.
  CHECK((flags_after({0x27}, state(0x0F, 0, 0, 0, fl::OF)) & fl::OF) != 0);
  CHECK((flags_after({0x27}, state(0x0F)) & fl::OF) == 0);
  // AAA with an adjustment: AF = CF = 1, OF unchanged, SF cleared.
  CHECK((flags_after({0x37}, state(0x0F, 0, 0, 0, fl::OF | fl::SF)) & (fl::AF | fl::CF | fl::OF | fl::SF)) ==
        (fl::AF | fl::CF | fl::OF));
  // AAM: OF AF CF cleared, SF ZF PF from AL.
  CHECK(flags_after({0xD4, 0x0A}, state(0x50, 0, 0, 0, fl::OF | fl::AF | fl::CF)) == (fl::ZF | fl::PF));
  // AAD of AX = FFFFh: AL = FFh + F6h = F5h with a carry: CF = AF = 1, OF = 0, SF = 1.
  CHECK(flags_after({0xD5, 0x0A}, state(0xFFFF, 0, 0, 0, fl::OF)) == (fl::CF | fl::AF | fl::SF | fl::PF));
}

TEST_CASE("undefined-flag model: logical operations clear AF", "[cpu][flags]") {
  CHECK(flags_after({0x21, 0xD8}, state(0xF, 0xF, 0, 0, fl::AF | fl::CF | fl::OF)) == fl::PF);
  CHECK(flags_after({0x85, 0xD8}, state(0x80000000, 0x80000000, 0, 0, fl::AF)) == (fl::SF | fl::PF));
}
