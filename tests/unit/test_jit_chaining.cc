// Block chaining and the jump cache: transfers between translated blocks stay in generated code
// (patched jumps on the same page, the jump cache for other pages and for computed targets), so
// a hot loop returns to the engine only a handful of times.
#include <catch2/catch.hpp>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

TEST_CASE("a loop of several blocks on one page is chained and leaves the engine only a few times") {
  JitRig rig(true);
  rig.assemble(JitRig::kCode, [](x::Assembler& a) {
    asmjit::Label loop = a.newLabel(), odd = a.newLabel(), next = a.newLabel();
    a.mov(x::ecx, 100000);
    a.xor_(x::eax, x::eax);
    a.bind(loop);
    a.test(x::ecx, 1);
    a.jnz(odd);
    a.add(x::eax, 3);
    a.jmp(next);
    a.bind(odd);
    a.sub(x::eax, 1);
    a.bind(next);
    a.dec(x::ecx);
    a.jnz(loop);
    a.hlt();
  });
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 50000 * 3 - 50000);
  CHECK(rig.jit->stats().chained_links >= 4);
  CHECK(rig.jit->stats().dispatches < 50);
}

TEST_CASE("calls to another page and returns go through the jump cache without the engine") {
  JitRig rig(true);
  constexpr u32 kFunction = JitRig::kCode + 0x3000;
  rig.assemble(kFunction, [](x::Assembler& a) {
    a.add(x::eax, x::ecx);
    a.ret();
  });
  rig.assemble(JitRig::kCode, [&](x::Assembler& a) {
    asmjit::Label loop = a.newLabel();
    a.mov(x::ecx, 20000);
    a.xor_(x::eax, x::eax);
    a.bind(loop);
    a.call(asmjit::Imm(kFunction));
    a.dec(x::ecx);
    a.jnz(loop);
    a.hlt();
  });
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 20000u * 20001 / 2);
  CHECK(rig.jit->stats().dispatches < 50);
}

TEST_CASE("an indirect jump through a table reaches each target block through the jump cache") {
  JitRig rig(true);
  constexpr u32 kTable = JitRig::kData;
  asmjit::Label targets[3];
  rig.assemble(JitRig::kCode, [&](x::Assembler& a) {
    asmjit::Label loop = a.newLabel(), done = a.newLabel();
    for (auto& t : targets) t = a.newLabel();
    a.mov(x::ecx, 3000);
    a.xor_(x::eax, x::eax);
    a.bind(loop);
    a.mov(x::edx, x::ecx);
    a.and_(x::edx, 3);
    a.cmp(x::edx, 3);
    a.je(done);
    a.jmp(x::dword_ptr(kTable, x::edx, 2));
    a.bind(targets[0]);
    a.add(x::eax, 1);
    a.jmp(done);
    a.bind(targets[1]);
    a.add(x::eax, 10);
    a.jmp(done);
    a.bind(targets[2]);
    a.add(x::eax, 100);
    a.bind(done);
    a.dec(x::ecx);
    a.jnz(loop);
    a.hlt();
  });
  for (int i = 0; i < 3; ++i) rig.put32(kTable + 4 * i, rig.address_of(targets[i]));
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 750 * (1 + 10 + 100));
  CHECK(rig.jit->stats().dispatches < 50);
}
