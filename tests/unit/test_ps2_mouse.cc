// The PS/2 mouse: commands, stream packets, 2:1 scaling, IntelliMouse knock sequences, remote
// and wrap modes, status.
#include <catch2/catch.hpp>

#include <vector>

#include "base/state.h"
#include "devices/ps2_mouse.h"

using namespace tern;

namespace {

using Bytes = std::vector<u8>;

Bytes drain(Ps2Device& d) {
  Bytes out;
  while (d.has_output()) out.push_back(d.take_output());
  return out;
}

void rate(Ps2Mouse& m, u8 r) {
  m.receive(0xF3);
  m.receive(r);
}

}  // namespace

TEST_CASE("reset answers ACK, BAT passed and ID 0") {
  Ps2Mouse m;
  m.receive(0xFF);
  CHECK(drain(m) == Bytes{0xFA, 0xAA, 0x00});
}

TEST_CASE("no packets until reporting is enabled; then one per motion") {
  Ps2Mouse m;
  m.move(5, 5, 0, 0);
  CHECK(!m.has_output());
  m.receive(0xF4);
  CHECK(drain(m) == Bytes{0xFA});
  m.move(3, 2, 0, Ps2Mouse::kLeft);
  CHECK(drain(m) == Bytes{0x09 | 0x20, 0x03, 0xFE});  // y down 2 -> PS/2 -2
  m.move(-300, 0, 0, 0);
  CHECK(drain(m) == Bytes{0x18, 0x01, 0x00, 0x18, 0xD3, 0x00});  // split: -255 then -45
}

TEST_CASE("status request reports mode, scaling, resolution and rate") {
  Ps2Mouse m;
  m.receive(0xE7);
  m.receive(0xE8);
  m.receive(0x03);
  rate(m, 40);
  drain(m);
  m.receive(0xE9);
  CHECK(drain(m) == Bytes{0xFA, 0x10, 0x03, 40});
  m.receive(0xF6);
  m.receive(0xE9);
  CHECK(drain(m) == Bytes{0xFA, 0xFA, 0x00, 0x02, 100});
}

TEST_CASE("2:1 scaling applies the IBM table in stream mode") {
  Ps2Mouse m;
  m.receive(0xE7);
  m.receive(0xF4);
  drain(m);
  m.move(4, 0, 0, 0);
  CHECK(drain(m) == Bytes{0x08, 6, 0});
  m.move(10, 0, 0, 0);
  CHECK(drain(m) == Bytes{0x08, 20, 0});
}

TEST_CASE("the 200-100-80 knock gives a wheel mouse, 200-200-80 then adds buttons 4 and 5") {
  Ps2Mouse m;
  rate(m, 200);
  rate(m, 100);
  rate(m, 80);
  m.receive(0xF2);
  CHECK(drain(m) == Bytes{0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0x03});
  m.receive(0xF4);
  drain(m);
  m.move(0, 0, 2, 0);
  CHECK(drain(m) == Bytes{0x08, 0, 0, 0x02});
  rate(m, 200);
  rate(m, 200);
  rate(m, 80);
  drain(m);
  CHECK(m.device_id() == 4);
  m.move(0, 0, -1, Ps2Mouse::kButton4);
  CHECK(drain(m) == Bytes{0x08, 0, 0, 0x1F});
}

TEST_CASE("remote mode reports only on read-data") {
  Ps2Mouse m;
  m.receive(0xF0);
  m.receive(0xF4);
  drain(m);
  m.move(7, 0, 0, 0);
  CHECK(!m.has_output());
  m.receive(0xEB);
  CHECK(drain(m) == Bytes{0xFA, 0x08, 7, 0});
}

TEST_CASE("wrap mode echoes bytes until reset-wrap") {
  Ps2Mouse m;
  m.receive(0xEE);
  m.receive(0x12);
  m.receive(0xF4);
  m.receive(0xEC);
  m.receive(0xF2);
  CHECK(drain(m) == Bytes{0xFA, 0x12, 0xF4, 0xFA, 0xFA, 0x00});
}

TEST_CASE("mouse state survives save and load") {
  Ps2Mouse m;
  rate(m, 200);
  rate(m, 100);
  rate(m, 80);
  m.receive(0xF4);
  std::vector<u8> saved;
  StateIo out(saved);
  m.serialize(out);
  Ps2Mouse n;
  StateIo in("mouse", saved);
  n.serialize(in);
  in.expect_end();
  CHECK(n.device_id() == 3);
  CHECK(n.reporting());
  CHECK(n.sample_rate() == 80);
}
