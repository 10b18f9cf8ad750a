// Precise exceptions under the JIT: a fault in the middle of a translated block (a page fault on
// an inlined access, a segment limit, #DE from a handler) leaves EIP, the registers, the flags
// pending in generated code, CR2 and the error code exactly as the interpreter leaves them, and
// retires the same number of instructions.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

namespace {

constexpr u32 kPageDir = 0x100000;
constexpr u32 kPageTable = 0x101000;
constexpr u32 kAbsent = 0x50000;  // a page the tables leave not present

// Identity paging of the first 4 MiB with one absent page.
void enable_paging(JitRig& rig) {
  rig.put32(kPageDir, kPageTable | 0x7);
  for (u32 i = 0; i < 1024; ++i) rig.put32(kPageTable + 4 * i, i * 4096 | ((i * 4096 == kAbsent) ? 0 : 0x7));
  rig.cpu.set_cr3(kPageDir);
  rig.cpu.set_cr0(rig.cpu.cr0 | cr0::PG);
}

struct Fault {
  int vector;
  u32 frame[4];  // error code (or EIP), EIP, CS, EFLAGS as pushed
  u32 gpr[8];
  u32 cr2;
  u64 retired;
};

Fault run(bool jit, const std::function<void(x::Assembler&)>& code, const std::function<void(JitRig&)>& setup) {
  JitRig rig(jit);
  setup(rig);
  rig.assemble(JitRig::kCode, code);
  rig.cpu.gpr[kEax] = 0x7FFFFFFF;
  rig.cpu.gpr[kEbx] = 3;
  rig.cpu.gpr[kEcx] = 5;
  rig.cpu.gpr[kEdx] = 0xD0D0D0D0;
  rig.cpu.gpr[kEsi] = 0x51510000;
  Fault f{};
  f.retired = rig.run_to_halt();
  f.vector = rig.vector();
  for (int i = 0; i < 4; ++i) f.frame[i] = rig.get32(rig.cpu.gpr[kEsp] + 4 * i);
  for (int i = 0; i < 8; ++i) f.gpr[i] = rig.cpu.gpr[i];
  f.cr2 = rig.cpu.cr2;
  return f;
}

void require_same(const Fault& interp, const Fault& jit) {
  REQUIRE(interp.vector == jit.vector);
  for (int i = 0; i < 4; ++i) {
    INFO("exception frame dword " << i);
    CHECK(jit.frame[i] == interp.frame[i]);
  }
  for (int i = 0; i < 8; ++i) {
    INFO("register " << i);
    CHECK(jit.gpr[i] == interp.gpr[i]);
  }
  CHECK(jit.cr2 == interp.cr2);
  CHECK(jit.retired == interp.retired);
}

}  // namespace

TEST_CASE("a page fault in the middle of a block is exact: EIP, registers, pending flags, CR2") {
  u32 fault_eip = 0;
  auto code = [&](x::Assembler& a) {
    asmjit::Label at = a.newLabel();
    a.add(x::eax, 5);    // overflows: OF, SF set
    a.inc(x::ecx);       // keeps CF, replaces the rest
    a.sub(x::ebx, x::ecx);  // borrow: CF set; the flags the fault must push
    a.bind(at);
    a.mov(x::edx, x::dword_ptr(kAbsent + 0x10));
    a.mov(x::esi, 1);
    a.hlt();
    fault_eip = JitRig::kCode + static_cast<u32>(a.offset()) - 5 - 6 - 1;
  };
  const Fault interp = run(false, code, enable_paging);
  const Fault jit = run(true, code, enable_paging);
  REQUIRE(interp.vector == kPF);
  CHECK(interp.frame[0] == 0);  // not present, read, supervisor
  CHECK(interp.cr2 == kAbsent + 0x10);
  CHECK(interp.gpr[kEdx] == 0xD0D0D0D0);
  CHECK(interp.gpr[kEsi] == 0x51510000);
  CHECK((interp.frame[3] & fl::CF) != 0);
  require_same(interp, jit);
}

TEST_CASE("a page fault on a store after a CMP pushes the CMP's flags, with the write error code") {
  auto code = [](x::Assembler& a) {
    a.cmp(x::eax, x::ebx);
    a.setg(x::cl);
    a.mov(x::dword_ptr(kAbsent + 0xFFC), x::eax);
    a.hlt();
  };
  const Fault interp = run(false, code, enable_paging);
  const Fault jit = run(true, code, enable_paging);
  REQUIRE(interp.vector == kPF);
  CHECK(interp.frame[0] == 2);  // not present, write, supervisor
  require_same(interp, jit);
}

TEST_CASE("a segment limit violation in the middle of a block raises #GP at that instruction") {
  auto limit_ds = [](JitRig& rig) {
    rig.cpu.seg[kDs].limit = 0xFFF;
    rig.cpu.refresh_segment(rig.cpu.seg[kDs]);
  };
  auto code = [](x::Assembler& a) {
    a.xor_(x::eax, x::ebx);
    a.mov(x::ecx, x::dword_ptr(0xFFE));  // the dword crosses the limit
    a.hlt();
  };
  const Fault interp = run(false, code, limit_ds);
  const Fault jit = run(true, code, limit_ds);
  REQUIRE(interp.vector == kGP);
  require_same(interp, jit);
}

TEST_CASE("#DE from DIV in the middle of a block leaves the earlier results and flags") {
  auto code = [](x::Assembler& a) {
    a.add(x::ebx, x::ecx);
    a.xor_(x::ecx, x::ecx);
    a.neg(x::eax);
    a.div(x::ecx);
    a.hlt();
  };
  auto none = [](JitRig&) {};
  const Fault interp = run(false, code, none);
  const Fault jit = run(true, code, none);
  REQUIRE(interp.vector == kDE);
  require_same(interp, jit);
}

TEST_CASE("a page fault in a loop's first instruction, reached round a back edge, pushes that edge's flags") {
  // The block loops into a copy of its first instructions that takes the flags the back edge left
  // pending (CMP, whose CF the ADC reads); the load faults there on the ninth pass.
  auto code = [](x::Assembler& a) {
    asmjit::Label loop = a.newLabel();
    a.mov(x::edi, kAbsent - 8 * 4096);
    a.mov(x::ecx, 100);
    a.bind(loop);
    a.mov(x::edx, x::dword_ptr(x::edi));
    a.adc(x::edx, x::ebx);  // the CF of the CMP below, on the previous pass
    a.add(x::edi, 4096);
    a.xor_(x::ebx, 0x80000000);
    a.dec(x::ecx);
    a.cmp(x::ebx, x::ecx);  // CF alternates
    a.jne(loop);
    a.hlt();
  };
  const Fault interp = run(false, code, enable_paging);
  const Fault jit = run(true, code, enable_paging);
  REQUIRE(interp.vector == kPF);
  CHECK(interp.cr2 == kAbsent);
  CHECK(interp.gpr[kEcx] == 92);
  require_same(interp, jit);
}
