// Port 0x92: fast A20 and the reset on a rising edge of bit 0.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/port92.h"

using namespace tern;

TEST_CASE("bit 1 drives A20 and reads back") {
  IoSpace io;
  int a20_calls = 0;
  bool a20 = false;
  Port92 p(io, [&](bool on) { a20 = on; ++a20_calls; }, [] {});
  io.write(0x92, 0x02, 1);
  CHECK(a20);
  CHECK(p.a20());
  CHECK(io.read(0x92, 1) == 0x02);
  io.write(0x92, 0x02, 1);
  CHECK(a20_calls == 1);  // only changes are reported
  io.write(0x92, 0x00, 1);
  CHECK(!a20);
}

TEST_CASE("a rising edge of bit 0 resets the machine") {
  IoSpace io;
  int resets = 0;
  Port92 p(io, [](bool) {}, [&] { ++resets; });
  io.write(0x92, 0x01, 1);
  CHECK(resets == 1);
  io.write(0x92, 0x03, 1);
  CHECK(resets == 1);
  p.reset();
  CHECK(io.read(0x92, 1) == 0x00);
  io.write(0x92, 0x01, 1);
  CHECK(resets == 2);
}

TEST_CASE("port 0x92 survives save and load") {
  IoSpace io;
  Port92 p(io, [](bool) {}, [] {});
  io.write(0x92, 0x02, 1);
  std::vector<u8> saved;
  StateIo out(saved);
  p.serialize(out);
  IoSpace io2;
  Port92 q(io2, [](bool) {}, [] {});
  StateIo in("port92", saved);
  q.serialize(in);
  CHECK(q.a20());
}
