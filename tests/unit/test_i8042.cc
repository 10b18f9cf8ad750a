// The i8042 controller with a keyboard and a mouse attached: self-tests, command byte, port
// enables, IRQ 1/12 per byte, set 2 -> set 1 translation, output port (A20, reset), pulse
// reset, controller-written output buffers, save/restore.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/i8042.h"
#include "devices/ps2_keyboard.h"
#include "devices/ps2_mouse.h"
#include "devices/ps2_scancodes.h"

using namespace tern;

namespace {

struct Lines : IrqSink {
  void set_irq(unsigned line, bool level) override {
    if (level && !high[line]) ++rising[line];
    high[line] = level;
  }
  bool high[16] = {};
  int rising[16] = {};
};

struct Board {
  IoSpace io;
  Lines irqs;
  Ps2Keyboard kbd;
  Ps2Mouse mouse;
  bool a20 = true;
  int resets = 0;
  I8042 kbc{io, IrqLine(&irqs, 1), IrqLine(&irqs, 12), kbd, mouse, [this](bool on) { a20 = on; },
            [this] { ++resets; }};

  u8 status() { return static_cast<u8>(io.read(0x64, 1)); }
  u8 data() { return static_cast<u8>(io.read(0x60, 1)); }
  void command(u8 c) { io.write(0x64, c, 1); }
  void command(u8 c, u8 arg) {
    command(c);
    io.write(0x60, arg, 1);
  }
  void send(u8 b) { io.write(0x60, b, 1); }
};

}  // namespace

TEST_CASE("controller self-tests answer 0x55 and 0x00 and set the system flag") {
  Board b;
  CHECK((b.status() & 0x04) == 0);
  b.command(0xAA);
  CHECK((b.status() & 0x01) == 0x01);
  CHECK((b.status() & 0x08) == 0x08);  // last write was a command
  CHECK(b.data() == 0x55);
  CHECK((b.status() & 0x05) == 0x04);
  b.command(0xAB);
  CHECK(b.data() == 0x00);
  b.command(0xA9);
  CHECK(b.data() == 0x00);
}

TEST_CASE("the command byte reads back and gates the keyboard interrupt") {
  Board b;
  b.command(0x60, 0x00);
  b.command(0x20);
  CHECK(b.data() == 0x00);
  b.send(0xF2);  // identify: FA AB 83, interrupts off
  CHECK(!b.irqs.high[1]);
  CHECK(b.data() == 0xFA);
  CHECK(b.data() == 0xAB);
  CHECK(b.data() == 0x83);
  CHECK((b.status() & 0x01) == 0);
  b.command(0x60, 0x01);
  b.send(0xEE);
  CHECK(b.irqs.high[1]);
  CHECK(b.data() == 0xEE);
  CHECK(!b.irqs.high[1]);
}

TEST_CASE("each keyboard byte is a new IRQ 1 edge") {
  Board b;
  b.command(0x60, 0x01);
  b.send(0xF2);
  CHECK(b.irqs.rising[1] == 1);
  b.data();
  CHECK(b.irqs.rising[1] == 2);
  b.data();
  CHECK(b.irqs.rising[1] == 3);
  b.data();
  CHECK(!b.irqs.high[1]);
}

TEST_CASE("translation turns set 2 make/break codes into set 1") {
  Board b;
  b.command(0x60, 0x41);  // translate, keyboard interrupt
  b.kbd.key_scancode(0x1C);  // A down
  CHECK(b.data() == 0x1E);
  b.kbd.key_scancode(0xF0);
  b.kbd.key_scancode(0x1C);  // A up
  CHECK(b.data() == 0x9E);
  b.kbd.key_scancode(0xE0);
  b.kbd.key_scancode(0x75);  // cursor up
  CHECK(b.data() == 0xE0);
  CHECK(b.data() == 0x48);
  b.send(0xF2);
  CHECK(b.data() == 0xFA);
  CHECK(b.data() == 0xAB);
  CHECK(b.data() == 0x41);  // the translated MF2 ID
}

TEST_CASE("the translation table maps every key of the 101-key layout") {
  // (set 2, set 1) pairs from the two scan code tables.
  const std::pair<u8, u8> keys[] = {
      {0x76, 0x01}, {0x16, 0x02}, {0x45, 0x0B}, {0x66, 0x0E}, {0x0D, 0x0F}, {0x15, 0x10}, {0x5A, 0x1C},
      {0x14, 0x1D}, {0x1C, 0x1E}, {0x12, 0x2A}, {0x5D, 0x2B}, {0x1A, 0x2C}, {0x4A, 0x35}, {0x59, 0x36},
      {0x7C, 0x37}, {0x11, 0x38}, {0x29, 0x39}, {0x58, 0x3A}, {0x05, 0x3B}, {0x06, 0x3C}, {0x04, 0x3D},
      {0x0C, 0x3E}, {0x03, 0x3F}, {0x0B, 0x40}, {0x83, 0x41}, {0x0A, 0x42}, {0x01, 0x43}, {0x09, 0x44},
      {0x77, 0x45}, {0x7E, 0x46}, {0x6C, 0x47}, {0x75, 0x48}, {0x7D, 0x49}, {0x7B, 0x4A}, {0x6B, 0x4B},
      {0x73, 0x4C}, {0x74, 0x4D}, {0x79, 0x4E}, {0x69, 0x4F}, {0x72, 0x50}, {0x7A, 0x51}, {0x70, 0x52},
      {0x71, 0x53}, {0x78, 0x57}, {0x07, 0x58}, {0x1F, 0x5B}, {0x27, 0x5C}, {0x2F, 0x5D}, {0xE0, 0xE0},
      {0xFA, 0xFA}, {0xAA, 0xAA},
  };
  for (auto [set2, set1] : keys) CHECK(set2_to_set1(set2) == set1);
}

TEST_CASE("disabled ports hold their bytes until enabled") {
  Board b;
  b.command(0xAD);
  b.kbd.key_scancode(0x1C);
  CHECK((b.status() & 0x01) == 0);
  b.command(0xAE);
  CHECK((b.status() & 0x01) == 1);
  CHECK(b.data() == 0x1C);
  b.command(0x20);
  CHECK(b.data() == 0x03);
}

TEST_CASE("mouse bytes arrive with AUX status and IRQ 12 through command 0xD4") {
  Board b;
  b.command(0xA8);
  b.command(0xD4, 0xF2);
  CHECK((b.status() & 0x21) == 0x21);
  CHECK(b.irqs.high[12]);
  CHECK(!b.irqs.high[1]);
  CHECK(b.data() == 0xFA);
  CHECK(b.data() == 0x00);
  b.command(0xA7);
  b.command(0xD4, 0xF2);
  CHECK((b.status() & 0x01) == 0);  // held while the mouse port is disabled
}

TEST_CASE("commands 0xD2 and 0xD3 place bytes as if from the keyboard or mouse") {
  Board b;
  b.command(0xD2, 0x5A);
  CHECK((b.status() & 0x21) == 0x01);
  CHECK(b.data() == 0x5A);
  b.command(0xD3, 0x77);
  CHECK((b.status() & 0x21) == 0x21);
  CHECK(b.data() == 0x77);
}

TEST_CASE("the output port gates A20 and its reset bit resets the machine") {
  Board b;
  b.command(0xD0);
  CHECK((b.data() & 0x03) == 0x03);
  b.command(0xD1, 0x01);
  CHECK(!b.a20);
  CHECK(!b.kbc.a20());
  b.command(0xDF);
  CHECK(b.a20);
  b.command(0xDD);
  CHECK(!b.a20);
  CHECK(b.resets == 0);
  b.command(0xD1, 0x02);
  CHECK(b.resets == 1);
}

TEST_CASE("pulse command 0xFE resets the machine; 0xFF does nothing") {
  Board b;
  b.command(0xFF);
  CHECK(b.resets == 0);
  b.command(0xFE);
  CHECK(b.resets == 1);
}

TEST_CASE("controller state survives save and load") {
  Board b;
  b.command(0x60, 0x47);
  b.command(0xD1, 0x01);
  b.send(0xF2);
  std::vector<u8> saved;
  StateIo out(saved);
  b.kbc.serialize(out);
  b.kbd.serialize(out);
  Board c;
  StateIo in("kbc", saved);
  c.kbc.serialize(in);
  c.kbd.serialize(in);
  in.expect_end();
  CHECK(c.kbc.command_byte() == 0x47);
  CHECK(!c.kbc.a20());
  CHECK(c.data() == 0xFA);
  CHECK(c.data() == 0xAB);
  CHECK(c.data() == 0x41);
}
