// The decoded-instruction cache (cpu/decode_cache.h) never runs stale code: guest stores into an
// instruction already executed (self-modifying code), stores that hit only its last byte, DMA
// into code pages and changes of the memory map all take effect on the next execution; and code
// that shares a page with data keeps working when the page loses and regains its code mark.
#include <catch2/catch.hpp>

#include "cpu/decode_cache.h"
#include "tests/unit/cpu_harness.h"

namespace {

using namespace tern;
using namespace tern::test;

constexpr u32 kCode = TernCpu::kCodeBase;
constexpr u32 kData = TernCpu::kDataPhys;  // data address = physical address: DS base 0

// Byte by byte: GCC 12 mistakes vector::insert of short lists for an overflow (-Warray-bounds).
void put(std::vector<u8>& v, std::initializer_list<u8> bytes) {
  for (u8 b : bytes) v.push_back(b);
}

void put32(std::vector<u8>& v, u32 x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<u8>(x >> (8 * i)));
}

// A loop that runs `mov eax, 0x11111111` twice and, between the runs, stores `value` into the
// byte at `offset` of that instruction: the second run must see the store.
std::vector<u8> patching_loop(u8 offset, u8 value) {
  std::vector<u8> c = {0xB9, 2, 0, 0, 0};                 // mov ecx, 2
  const u32 target = kCode + static_cast<u32>(c.size());
  put(c, {0xB8, 0x11, 0x11, 0x11, 0x11});      // target: mov eax, 0x11111111
  put(c, {0xC6, 0x05});                        // mov byte [target + offset], value
  put32(c, target + offset);
  c.push_back(value);
  c.push_back(0x49);                                      // dec ecx
  put(c, {0x75, static_cast<u8>(-(static_cast<int>(c.size()) + 2 - 5))});  // jnz target
  return c;
}

}  // namespace

TEST_CASE("a store into an executed instruction changes what runs next time", "[cpu][decode_cache]") {
  TernCpu cpu;
  const RunResult r = cpu.run(patching_loop(1, 0x22), CpuState{}, kData);
  REQUIRE(r.vector == -1);
  CHECK(r.out.gpr[kEax] == 0x11111122);
  CHECK(r.out.gpr[kEcx] == 0);
}

TEST_CASE("a store into the last byte of an executed instruction invalidates it", "[cpu][decode_cache]") {
  TernCpu cpu;
  const RunResult r = cpu.run(patching_loop(4, 0x33), CpuState{}, kData);
  REQUIRE(r.vector == -1);
  CHECK(r.out.gpr[kEax] == 0x33111111);
}

TEST_CASE("a store that turns an executed instruction into another one is seen", "[cpu][decode_cache]") {
  TernCpu cpu;
  // The opcode byte itself: B8 (mov eax, imm32) becomes BB (mov ebx, imm32).
  const RunResult r = cpu.run(patching_loop(0, 0xBB), CpuState{}, kData);
  REQUIRE(r.vector == -1);
  CHECK(r.out.gpr[kEax] == 0x11111111);
  CHECK(r.out.gpr[kEbx] == 0x11111111);
}

TEST_CASE("DMA into a code page replaces the cached instructions", "[cpu][decode_cache]") {
  TernCpu cpu;
  RunResult r = cpu.run({0xB8, 0x44, 0x44, 0x44, 0x44}, CpuState{}, kData);
  CHECK(r.out.gpr[kEax] == 0x44444444);
  // New bytes at the same address, written as a device would, then run again without a reset
  // (the TLB still maps the page).
  const u8 code[] = {0xB8, 0x55, 0x55, 0x55, 0x55};
  REQUIRE(cpu.memory().dma_write(kCode, code, sizeof code));
  cpu.cpu().eip = kCode;
  cpu.cpu().run(1);
  CHECK(cpu.cpu().gpr[kEax] == 0x55555555);
}

TEST_CASE("code that shares its page with much-written data keeps running correctly", "[cpu][decode_cache]") {
  TernCpu cpu;
  // Stores to the code page DecodeCache::kUnmarkWrites * 2 times (the page loses its code mark
  // and regains it), then the patching loop: its second pass must see the patch.
  std::vector<u8> c = {0xB9};
  put32(c, DecodeCache::kUnmarkWrites * 2);               // mov ecx, n
  const size_t loop = c.size();
  put(c, {0x89, 0x0D});                        // loop: mov [kCode + 0x800], ecx
  put32(c, kCode + 0x800);
  c.push_back(0x49);                                      // dec ecx
  put(c, {0x75, static_cast<u8>(loop - (c.size() + 2))});  // jnz loop
  put(c, {0xBA, 2, 0, 0, 0});                  // mov edx, 2
  const size_t target = c.size();
  put(c, {0xB8, 0x11, 0x11, 0x11, 0x11});      // target: mov eax, 0x11111111
  put(c, {0xC6, 0x05});                        // mov byte [target + 1], 0x66
  put32(c, kCode + static_cast<u32>(target) + 1);
  c.push_back(0x66);
  c.push_back(0x4A);                                      // dec edx
  put(c, {0x75, static_cast<u8>(target - (c.size() + 2))});  // jnz target
  const RunResult r = cpu.run(c, CpuState{}, kData);
  REQUIRE(r.vector == -1);
  CHECK(r.out.gpr[kEax] == 0x11111166);
  CHECK(r.out.gpr[kEcx] == 0);
}
