// The code cache: a full cache is flushed as a whole and translation starts again; RESET flushes
// as well; the statistics say how much was translated.
#include <catch2/catch.hpp>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

namespace {

// 3000 distinct blocks, each adding its index, run in sequence several times.
void many_blocks(x::Assembler& a) {
  asmjit::Label round = a.newLabel();
  a.mov(x::ecx, 4);
  a.xor_(x::eax, x::eax);
  a.bind(round);
  for (int i = 0; i < 3000; ++i) {
    asmjit::Label next = a.newLabel();
    a.add(x::eax, i);
    a.jmp(next);
    a.bind(next);
  }
  a.dec(x::ecx);
  a.jnz(round);
  a.hlt();
}

}  // namespace

TEST_CASE("a full code cache is flushed and the guest runs on correctly") {
  JitOptions small;
  small.cache_bytes = 64 << 10;
  JitRig rig(true, small);
  rig.assemble(JitRig::kCode, many_blocks);
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 4u * (2999u * 3000u / 2));
  CHECK(rig.jit->stats().flushes >= 1);
  CHECK(rig.jit->code_bytes_used() <= small.cache_bytes);
}

TEST_CASE("with a large cache, repeated rounds reuse the translations") {
  JitRig rig(true);
  rig.assemble(JitRig::kCode, many_blocks);
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 4u * (2999u * 3000u / 2));
  CHECK(rig.jit->stats().flushes == 0);
  CHECK(rig.jit->stats().blocks_translated < 3100);
}

TEST_CASE("RESET flushes every translation") {
  JitRig rig(true);
  rig.assemble(JitRig::kCode, [](x::Assembler& a) {
    a.mov(x::eax, 7);
    a.hlt();
  });
  rig.run_to_halt();
  REQUIRE(rig.jit->blocks_live() >= 1);
  rig.cpu.reset();
  CHECK(rig.jit->blocks_live() == 0);
  CHECK(rig.jit->stats().flushes == 1);
}
