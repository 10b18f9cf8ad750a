// The 8237 DMA pair: programming through the flip-flop, transfers to and from memory, terminal
// count, auto-initialize, decrement, masks, the cascade, word channels and save states.
#include <catch2/catch.hpp>

#include <numeric>

#include "base/state.h"
#include "devices/dma8237.h"
#include "mmu/phys_memory.h"

using namespace tern;

namespace {

struct DmaRig {
  IoSpace io;
  PhysMemory mem{1 << 20};
  Dma8237 dma{io, mem};

  void out(u16 port, u8 value) { io.write(port, value, 1); }
  u8 in(u16 port) { return static_cast<u8>(io.read(port, 1)); }

  // As a BIOS programs channel 2 (SeaBIOS dma_floppy): mask, address, count, mode, page, unmask.
  void program8(unsigned ch, u32 addr, u16 count_minus_1, u8 mode_bits) {
    static constexpr u8 kPage[4] = {0x87, 0x83, 0x81, 0x82};
    out(0x0A, static_cast<u8>(0x04 | ch));
    out(0x0C, 0);
    out(static_cast<u16>(ch * 2), static_cast<u8>(addr));
    out(static_cast<u16>(ch * 2), static_cast<u8>(addr >> 8));
    out(0x0C, 0);
    out(static_cast<u16>(ch * 2 + 1), static_cast<u8>(count_minus_1));
    out(static_cast<u16>(ch * 2 + 1), static_cast<u8>(count_minus_1 >> 8));
    out(0x0B, static_cast<u8>(mode_bits | ch));
    out(kPage[ch], static_cast<u8>(addr >> 16));
    out(0x0A, static_cast<u8>(ch));
  }
  void enable_cascade() {
    out(0xD6, 0xC0);  // channel 4: cascade
    out(0xD4, 0x00);  // unmask channel 4
  }
  std::vector<u8> memory(u32 addr, size_t n) {
    std::vector<u8> v(n);
    REQUIRE(mem.dma_read(addr, v.data(), n));
    return v;
  }
};

std::vector<u8> ramp(size_t n, u8 start = 1) {
  std::vector<u8> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

}  // namespace

TEST_CASE("8237: registers are programmed and read back through the byte flip-flop", "[dma]") {
  DmaRig r;
  r.program8(2, 0x12345, 0x01FF, 0x46);
  r.out(0x0C, 0);
  CHECK(r.in(0x04) == 0x45);
  CHECK(r.in(0x04) == 0x23);
  CHECK(r.in(0x05) == 0xFF);
  CHECK(r.in(0x05) == 0x01);
  CHECK(r.in(0x81) == 0x01);
  // Page registers are plain storage, port 80h included (POST codes).
  r.out(0x80, 0x42);
  CHECK(r.in(0x80) == 0x42);
}

TEST_CASE("8237: a write transfer fills memory and stops at terminal count", "[dma]") {
  DmaRig r;
  r.enable_cascade();
  r.program8(2, 0x21000, 511, 0x46);  // single mode, write (to memory), increment
  IsaDmaChannel& ch = r.dma.channel(2);
  const std::vector<u8> data = ramp(600);
  CHECK(ch.write_memory(data.data(), 300) == 300);
  CHECK_FALSE(ch.terminal_count());
  CHECK(ch.write_memory(data.data() + 300, 300) == 212);  // 512 bytes programmed
  CHECK(ch.terminal_count());
  CHECK(r.memory(0x21000, 512) == std::vector<u8>(data.begin(), data.begin() + 512));
  CHECK(r.memory(0x21200, 1) == std::vector<u8>{0});
  CHECK((r.in(0x08) & 0x04) == 0x04);  // TC for channel 2
  CHECK((r.in(0x08) & 0x04) == 0);     // cleared by the read
  // Without auto-initialize the channel is masked at terminal count.
  CHECK((r.in(0x0F) & 0x04) != 0);
  CHECK(ch.write_memory(data.data(), 10) == 0);
}

TEST_CASE("8237: auto-initialize reloads the base registers", "[dma]") {
  DmaRig r;
  r.enable_cascade();
  r.program8(1, 0x3000, 3, 0x54);  // write, auto-init
  IsaDmaChannel& ch = r.dma.channel(1);
  const std::vector<u8> data = ramp(4, 10);
  CHECK(ch.write_memory(data.data(), 4) == 4);
  CHECK(ch.terminal_count());
  CHECK(ch.write_memory(data.data(), 2) == 2);  // starts again at the base address
  CHECK(r.memory(0x3000, 4) == std::vector<u8>{10, 11, 12, 13});
  r.out(0x0C, 0);
  CHECK(r.in(0x02) == 0x02);
}

TEST_CASE("8237: address decrement and read (memory to device) transfers", "[dma]") {
  DmaRig r;
  r.enable_cascade();
  const std::vector<u8> src = ramp(8, 100);
  REQUIRE(r.mem.dma_write(0x5000, src.data(), src.size()));
  r.program8(3, 0x5007, 7, 0x68);  // read, decrement
  std::vector<u8> got(8);
  CHECK(r.dma.channel(3).read_memory(got.data(), 8) == 8);
  CHECK(got == std::vector<u8>{107, 106, 105, 104, 103, 102, 101, 100});
  // Verify mode moves nothing into memory.
  r.program8(2, 0x6000, 3, 0x40);
  CHECK(r.dma.channel(2).write_memory(src.data(), 4) == 4);
  CHECK(r.memory(0x6000, 4) == std::vector<u8>(4, 0));
}

TEST_CASE("8237: DREQ on a masked channel waits for the unmask", "[dma]") {
  DmaRig r;
  r.enable_cascade();
  int served = 0;
  IsaDmaChannel& ch = r.dma.channel(2);
  ch.set_handler([&] {
    ++served;
    const u8 byte = 0x77;
    ch.write_memory(&byte, 1);
    ch.set_dreq(false);
  });
  r.program8(2, 0x7000, 0, 0x46);
  r.out(0x0A, 0x06);  // mask channel 2 again
  ch.set_dreq(true);
  CHECK(served == 0);
  CHECK((r.in(0x08) & 0x40) != 0);  // DREQ 2 pending in the status register
  r.out(0x0A, 0x02);
  CHECK(served == 1);
  CHECK(r.memory(0x7000, 1) == std::vector<u8>{0x77});
}

TEST_CASE("8237: DMA1 runs only through an unmasked cascade channel 4", "[dma]") {
  DmaRig r;
  r.program8(2, 0x8000, 0, 0x46);
  const u8 byte = 1;
  CHECK(r.dma.channel(2).write_memory(&byte, 1) == 0);  // channel 4 is masked after reset
  r.enable_cascade();
  CHECK(r.dma.channel(2).write_memory(&byte, 1) == 1);
  // Command register bit 2 disables a controller.
  r.program8(2, 0x8000, 0, 0x46);
  r.out(0x08, 0x04);
  CHECK(r.dma.channel(2).write_memory(&byte, 1) == 0);
  // Master clear masks every channel.
  r.out(0x0D, 0);
  CHECK((r.in(0x0F) & 0x0F) == 0x0F);
}

TEST_CASE("8237: word channels count words and use page bits 7-1", "[dma]") {
  DmaRig r;
  r.enable_cascade();
  r.out(0xD4, 0x05);  // mask channel 5
  r.out(0xD8, 0);
  r.out(0xC4, 0x00);  // word address 0x0800 -> byte 0x1000 in the 128K page
  r.out(0xC4, 0x08);
  r.out(0xD8, 0);
  r.out(0xC6, 3);     // 4 words
  r.out(0xC6, 0);
  r.out(0xD6, 0x45);  // single, write, channel 5
  r.out(0x8B, 0x03);  // page: bit 0 ignored -> 0x20000
  r.out(0xD4, 0x01);
  const std::vector<u8> data = ramp(10, 1);
  IsaDmaChannel& ch = r.dma.channel(5);
  CHECK(ch.write_memory(data.data(), 10) == 8);
  CHECK(ch.terminal_count());
  CHECK(r.memory(0x21000, 8) == std::vector<u8>(data.begin(), data.begin() + 8));
}

TEST_CASE("8237: state saves and loads as the identity", "[dma][state]") {
  DmaRig r;
  r.enable_cascade();
  r.program8(2, 0x12345, 0x1FF, 0x46);
  r.out(0x0C, 0);
  r.in(0x04);  // flip-flop now on the high byte
  std::vector<u8> saved;
  StateIo out(saved);
  r.dma.serialize(out);
  DmaRig other;
  StateIo in("dma", saved);
  other.dma.serialize(in);
  in.expect_end();
  std::vector<u8> again;
  StateIo out2(again);
  other.dma.serialize(out2);
  CHECK(again == saved);
  CHECK(other.in(0x04) == 0x23);
  CHECK(other.in(0x81) == 0x01);
}
