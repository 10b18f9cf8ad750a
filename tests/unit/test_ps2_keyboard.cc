// The PS/2 keyboard's command set and key input.
#include <catch2/catch.hpp>

#include <vector>

#include "base/state.h"
#include "devices/ps2_keyboard.h"

using namespace tern;

namespace {

std::vector<u8> drain(Ps2Device& d) {
  std::vector<u8> out;
  while (d.has_output()) out.push_back(d.take_output());
  return out;
}

using Bytes = std::vector<u8>;

}  // namespace

TEST_CASE("reset answers ACK and BAT passed") {
  Ps2Keyboard k;
  k.receive(0xFF);
  CHECK(drain(k) == Bytes{0xFA, 0xAA});
}

TEST_CASE("identify, echo and unknown commands") {
  Ps2Keyboard k;
  k.receive(0xF2);
  CHECK(drain(k) == Bytes{0xFA, 0xAB, 0x83});
  k.receive(0xEE);
  CHECK(drain(k) == Bytes{0xEE});
  k.receive(0x42);
  CHECK(drain(k) == Bytes{0xFE});
  k.receive(0xFE);  // resend the last byte
  CHECK(drain(k) == Bytes{0xFE});
}

TEST_CASE("LEDs and typematic take an argument byte") {
  Ps2Keyboard k;
  k.receive(0xED);
  k.receive(0x05);
  CHECK(drain(k) == Bytes{0xFA, 0xFA});
  CHECK(k.leds() == 0x05);
  SECTION("a command instead of the argument starts that command") {
    k.receive(0xED);
    k.receive(0xF2);
    CHECK(drain(k) == Bytes{0xFA, 0xFA, 0xAB, 0x83});
    CHECK(k.leds() == 0x05);
  }
}

TEST_CASE("scan code set: query, select set 1, refuse set 3") {
  Ps2Keyboard k;
  k.receive(0xF0);
  k.receive(0x00);
  CHECK(drain(k) == Bytes{0xFA, 0xFA, 0x02});
  k.receive(0xF0);
  k.receive(0x03);
  CHECK(drain(k) == Bytes{0xFA, 0xFE});
  CHECK(k.scancode_set() == 2);
  k.receive(0xF0);
  k.receive(0x01);
  drain(k);
  CHECK(k.scancode_set() == 1);
  k.key_scancode(0x1C);
  k.key_scancode(0xF0);
  k.key_scancode(0x1C);
  CHECK(drain(k) == Bytes{0x1E, 0x9E});
}

TEST_CASE("disable stops key input; enable resumes it") {
  Ps2Keyboard k;
  k.receive(0xF5);
  drain(k);
  k.key_scancode(0x1C);
  CHECK(!k.has_output());
  k.receive(0xF4);
  drain(k);
  k.key_scancode(0x1C);
  CHECK(drain(k) == Bytes{0x1C});
}

TEST_CASE("a full buffer reports an overrun code") {
  Ps2Keyboard k;
  for (size_t i = 0; i < Ps2Device::kQueueSize + 10; ++i) k.key_scancode(0x1C);
  const Bytes all = drain(k);
  CHECK(all.size() == Ps2Device::kQueueSize);
  CHECK(all.back() == 0x00);
}

TEST_CASE("keyboard state survives save and load") {
  Ps2Keyboard k;
  k.receive(0xED);
  k.receive(0x03);
  k.key_scancode(0x29);
  std::vector<u8> saved;
  StateIo out(saved);
  k.serialize(out);
  Ps2Keyboard l;
  StateIo in("kbd", saved);
  l.serialize(in);
  in.expect_end();
  CHECK(l.leds() == 3);
  CHECK(drain(l) == Bytes{0xFA, 0xFA, 0x29});
}
