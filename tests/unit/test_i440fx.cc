// The i440FX host bridge: identity (QEMU's i440FX as SeaBIOS knows it), PAM steering of the BIOS
// window between ROM and shadow RAM, SMRAM register lock, reset.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/i440fx.h"

using namespace tern;

namespace {

struct Board {
  PhysMemory mem{4 << 20};
  IoSpace io;
  PciBus bus{io};
  I440fx nb{mem};
  Board() {
    mem.add_rom(0xE0000, std::vector<u8>(0x20000, 0xAB));
    bus.attach(0, 0, nb);
  }
  void pam(u8 reg, u8 value) { bus.config_write(0, 0, reg, value, 1); }
};

}  // namespace

TEST_CASE("the host bridge is QEMU's i440FX to the firmware") {
  Board b;
  CHECK(b.bus.config_read(0, 0, 0x00, 4) == 0x12378086);
  CHECK(b.bus.config_read(0, 0, 0x08, 4) == 0x06000002);
  CHECK(b.bus.config_read(0, 0, 0x2C, 4) == 0x11001AF4);
}

TEST_CASE("PAM0 steers 0xF0000-0xFFFFF between ROM and shadow RAM") {
  Board b;
  CHECK(b.mem.read(0xF0000, 1) == 0xAB);
  b.mem.write(0xF0000, 0x11, 1);
  CHECK(b.mem.read(0xF0000, 1) == 0xAB);  // ROM: the write went nowhere
  b.pam(0x59, 0x30);
  b.mem.write(0xF0000, 0x11, 1);
  CHECK(b.mem.read(0xF0000, 1) == 0x11);
  b.pam(0x59, 0x10);  // read RAM, writes to ROM (dropped)
  b.mem.write(0xF0000, 0x22, 1);
  CHECK(b.mem.read(0xF0000, 1) == 0x11);
  b.pam(0x59, 0x20);  // reads from ROM, writes into RAM
  b.mem.write(0xF0000, 0x33, 1);
  CHECK(b.mem.read(0xF0000, 1) == 0xAB);
  b.pam(0x59, 0x30);
  CHECK(b.mem.read(0xF0000, 1) == 0x33);
  b.pam(0x59, 0xFF);
  CHECK(b.bus.config_read(0, 0, 0x59, 1) == 0x30);  // the low nibble is reserved
}

TEST_CASE("PAM1-6 each steer two 16 KiB segments of 0xC0000-0xEFFFF") {
  Board b;
  b.pam(0x5A, 0x03);  // 0xC0000-0xC3FFF only
  b.mem.write(0xC0000, 0x44, 1);
  b.mem.write(0xC4000, 0x55, 1);
  CHECK(b.mem.read(0xC0000, 1) == 0x44);
  CHECK(b.mem.read(0xC4000, 1) == 0xFF);  // open bus
  b.pam(0x5F, 0x30);                      // 0xEC000-0xEFFFF
  b.mem.write(0xEC000, 0x66, 1);
  CHECK(b.mem.read(0xEC000, 1) == 0x66);
  CHECK(b.mem.read(0xE8000, 1) == 0xAB);
}

TEST_CASE("SMRAM: D_LCK forbids D_OPEN until reset") {
  Board b;
  CHECK(b.nb.smram() == 0x02);
  b.pam(0x72, 0x4A);
  CHECK(b.nb.smram() == 0x4A);
  b.pam(0x72, 0x1A);
  b.pam(0x72, 0x42);
  CHECK(b.nb.smram() == 0x1A);
  b.bus.reset();
  CHECK(b.nb.smram() == 0x02);
}

TEST_CASE("reset returns the BIOS window to ROM; a loaded state restores the shadow") {
  Board b;
  b.pam(0x59, 0x30);
  b.mem.write(0xF0000, 0x11, 1);
  std::vector<u8> saved;
  StateIo out(saved);
  b.nb.serialize(out);
  b.bus.reset();
  CHECK(b.mem.read(0xF0000, 1) == 0xAB);
  StateIo in("i440fx", saved);
  b.nb.serialize(in);
  in.expect_end();
  CHECK(b.mem.read(0xF0000, 1) == 0x11);
}
