// Self-modifying code under the JIT: stores to a page holding translated code invalidate the
// blocks they touch (through PhysMemory's code-page marks), a store into the block that is
// running stops it right after the store, and DMA over code is seen as well. Each guest also
// runs under the interpreter, whose result is the reference.
#include <catch2/catch.hpp>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

namespace {

// A loop that adds an immediate to EBX and then rewrites that immediate (imm = imm * 3 + 1),
// so every iteration runs an instruction the previous one changed.
void patching_loop(x::Assembler& a, asmjit::Label& patched) {
  asmjit::Label loop = a.newLabel();
  patched = a.newLabel();
  a.mov(x::ecx, 200);
  a.xor_(x::ebx, x::ebx);
  a.bind(loop);
  a.bind(patched);
  a.long_().add(x::ebx, 1);  // 81 C3 imm32: the immediate is at patched + 2
  a.mov(x::eax, x::dword_ptr(patched, 2));
  a.lea(x::eax, x::ptr(x::eax, x::eax, 1, 1));
  a.mov(x::dword_ptr(patched, 2), x::eax);
  a.dec(x::ecx);
  a.jnz(loop);
  a.hlt();
}

u32 expected_patching_sum() {
  u32 sum = 0, imm = 1;
  for (int i = 0; i < 200; ++i) {
    sum += imm;
    imm = imm * 3 + 1;
  }
  return sum;
}

// A block whose first instruction stores into the immediate of a later instruction of the same
// block: the later instruction must run with the new immediate.
void store_into_running_block(x::Assembler& a) {
  asmjit::Label target = a.newLabel();
  a.mov(x::dword_ptr(target, 1), 0x12345678);
  a.xor_(x::edx, x::edx);
  a.bind(target);
  a.mov(x::eax, 0x11111111);  // B8 imm32
  a.add(x::edx, x::eax);
  a.hlt();
}

}  // namespace

TEST_CASE("a guest that patches its own loop runs the patched code every iteration") {
  for (bool jit : {false, true}) {
    JitRig rig(jit);
    asmjit::Label patched;
    rig.assemble(JitRig::kCode, [&](x::Assembler& a) { patching_loop(a, patched); });
    rig.run_to_halt();
    INFO("jit " << jit);
    CHECK(rig.cpu.gpr[kEbx] == expected_patching_sum());
    if (jit) CHECK(rig.jit->stats().invalidated_blocks >= 199);
  }
}

TEST_CASE("a store into the running block stops it and the new instruction bytes run") {
  u64 retired[2] = {};
  for (bool jit : {false, true}) {
    JitRig rig(jit);
    rig.assemble(JitRig::kCode, store_into_running_block);
    retired[jit] = rig.run_to_halt();
    INFO("jit " << jit);
    CHECK(rig.cpu.gpr[kEax] == 0x12345678);
    CHECK(rig.cpu.gpr[kEdx] == 0x12345678);
  }
  CHECK(retired[0] == retired[1]);
}

TEST_CASE("code rewritten by DMA between runs is translated again") {
  JitRig rig(true);
  rig.assemble(JitRig::kCode, [](x::Assembler& a) {
    a.mov(x::eax, 1);
    a.hlt();
  });
  rig.run_to_halt();
  REQUIRE(rig.cpu.gpr[kEax] == 1);
  rig.assemble(JitRig::kCode, [](x::Assembler& a) {
    a.mov(x::eax, 2);
    a.hlt();
  });
  rig.cpu.halted = false;
  rig.cpu.eip = JitRig::kCode;
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 2);
  CHECK(rig.jit->stats().invalidated_blocks >= 1);
}

TEST_CASE("stores to data on a code page leave its translations alone") {
  JitRig rig(true);
  rig.assemble(JitRig::kCode, [](x::Assembler& a) {
    asmjit::Label loop = a.newLabel(), data = a.newLabel(), skip = a.newLabel();
    a.mov(x::ecx, 1000);
    a.jmp(skip);
    a.bind(data);
    a.dd(0);
    a.bind(skip);
    a.bind(loop);
    a.add(x::dword_ptr(data), 2);
    a.dec(x::ecx);
    a.jnz(loop);
    a.mov(x::eax, x::dword_ptr(data));
    a.hlt();
  });
  rig.run_to_halt();
  CHECK(rig.cpu.gpr[kEax] == 2000);
  CHECK(rig.jit->stats().invalidated_blocks == 0);
}
