// The 8254 PIT on the virtual clock: every mode's OUT waveform and count, latches, read-back
// status, BCD, gates through port 0x61, IRQ 0 edges, save/restore.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/pit.h"

using namespace tern;

namespace {

struct EdgeCounter : IrqSink {
  void set_irq(unsigned, bool level) override {
    if (level && !high) ++rising;
    high = level;
  }
  bool high = false;
  int rising = 0;
};

struct Board {
  Clock clock;
  IoSpace io;
  EdgeCounter irq0;
  Pit pit{io, clock, IrqLine(&irq0, 0)};

  // Runs virtual time up to input-clock tick `t` (firing due timers on the way).
  void to_tick(u64 t) {
    const u64 target = Pit::tick_time(t);
    while (clock.next_deadline() <= target) {
      clock.advance_to(clock.next_deadline());
      clock.run_due();
    }
    clock.advance_to(target);
    clock.run_due();
  }
  u64 tick() const { return Pit::tick_at(clock.now()); }
  void program(unsigned counter, u8 mode, u16 count, bool bcd = false) {
    io.write(0x43, static_cast<u8>(counter << 6 | 0x30 | mode << 1 | (bcd ? 1 : 0)), 1);
    io.write(static_cast<u16>(0x40 + counter), count & 0xFF, 1);
    io.write(static_cast<u16>(0x40 + counter), count >> 8, 1);
  }
  u16 read_count(unsigned counter) {
    io.write(0x43, static_cast<u8>(counter << 6), 1);  // counter latch
    const u32 lo = io.read(static_cast<u16>(0x40 + counter), 1);
    return static_cast<u16>(lo | io.read(static_cast<u16>(0x40 + counter), 1) << 8);
  }
  u8 status(unsigned counter) {
    io.write(0x43, static_cast<u8>(0xE0 | 2u << counter), 1);  // read-back status only
    return static_cast<u8>(io.read(static_cast<u16>(0x40 + counter), 1));
  }
  bool out2() { return io.read(0x61, 1) & 0x20; }
};

}  // namespace

TEST_CASE("PIT ticks convert to virtual time at 1.193182 MHz") {
  CHECK(Pit::tick_at(1'000'000'000) == 1'193'182);
  CHECK(Pit::tick_time(1'193'182) == 1'000'000'000);
  for (u64 t : {u64{0}, u64{1}, u64{7}, u64{65536}, u64{123456789}}) CHECK(Pit::tick_at(Pit::tick_time(t)) == t);
}

TEST_CASE("mode 2 on counter 0 raises IRQ 0 once per period") {
  Board b;
  b.program(0, 2, 1000);
  b.irq0.rising = 0;  // OUT went high when the mode was set
  const u64 start = b.tick();
  b.to_tick(start + 1'000'000);
  CHECK(b.irq0.rising == 1000);
  SECTION("a new count takes effect at the end of the current period") {
    b.to_tick(start + 1'000'500);
    b.io.write(0x40, 100, 1);
    b.io.write(0x40, 0, 1);
    CHECK(b.read_count(0) == 500);
    b.to_tick(start + 1'001'000 + 1000);
    CHECK(b.irq0.rising == 1001 + 10);
  }
}

TEST_CASE("mode 2 count runs N..1 and OUT is low for the last tick") {
  Board b;
  b.program(0, 2, 10);
  const u64 start = b.tick();
  CHECK(b.read_count(0) == 10);
  b.to_tick(start + 3);
  CHECK(b.read_count(0) == 7);
  b.to_tick(start + 9);
  CHECK(b.read_count(0) == 1);
  CHECK(!b.irq0.high);
  b.to_tick(start + 10);
  CHECK(b.irq0.high);
  CHECK(b.read_count(0) == 10);
}

TEST_CASE("mode 0 raises OUT at terminal count and keeps counting down") {
  Board b;
  b.program(0, 0, 100);
  const u64 start = b.tick();
  CHECK(!b.irq0.high);
  b.to_tick(start + 99);
  CHECK(!b.irq0.high);
  CHECK(b.read_count(0) == 1);
  b.to_tick(start + 100);
  CHECK(b.irq0.high);
  CHECK(b.irq0.rising == 1);
  b.to_tick(start + 101);
  CHECK(b.read_count(0) == 0xFFFF);
  b.to_tick(start + 70000);
  CHECK(b.irq0.rising == 1);
  SECTION("writing the first byte of a new count stops it and sets OUT low") {
    b.io.write(0x40, 0x10, 1);
    CHECK(!b.irq0.high);
    const u16 frozen = b.read_count(0);
    b.to_tick(start + 70100);
    CHECK(b.read_count(0) == frozen);
  }
}

TEST_CASE("mode 3 is a square wave with half-period halves") {
  Board b;
  b.program(0, 3, 1000);
  b.irq0.rising = 0;
  const u64 start = b.tick();
  b.to_tick(start + 499);
  CHECK(b.irq0.high);
  b.to_tick(start + 500);
  CHECK(!b.irq0.high);
  b.to_tick(start + 999);
  CHECK(!b.irq0.high);
  b.to_tick(start + 1000);
  CHECK(b.irq0.high);
  CHECK(b.read_count(0) % 2 == 0);
  b.to_tick(start + 100'000);
  CHECK(b.irq0.rising == 100);
}

TEST_CASE("the counter latch holds the count until both bytes are read") {
  Board b;
  b.program(0, 2, 5000);
  const u64 start = b.tick();
  b.to_tick(start + 100);
  b.io.write(0x43, 0x00, 1);
  b.to_tick(start + 200);
  b.io.write(0x43, 0x00, 1);  // ignored: the first latch is unread
  const u32 lo = b.io.read(0x40, 1);
  const u32 hi = b.io.read(0x40, 1);
  CHECK((lo | hi << 8) == 4900);
  CHECK(b.read_count(0) == 4800);
}

TEST_CASE("LSB-only and MSB-only access modes") {
  Board b;
  b.io.write(0x43, 0x14, 1);  // counter 0, LSB only, mode 2
  b.io.write(0x40, 50, 1);
  const u64 start = b.tick();
  b.to_tick(start + 5);
  CHECK(b.io.read(0x40, 1) == 45);
  CHECK(b.io.read(0x40, 1) == 45);
  b.io.write(0x43, 0x24, 1);  // MSB only, mode 2: count 0x0200
  b.io.write(0x40, 0x02, 1);
  CHECK(b.io.read(0x40, 1) == 0x02);
}

TEST_CASE("read-back returns status with OUT, null count and the control bits") {
  Board b;
  b.io.write(0x43, 0xB4, 1);  // counter 2, LSB/MSB, mode 2, binary
  CHECK(b.status(2) == 0xF4);  // null count set: no count loaded yet; OUT high in mode 2
  b.io.write(0x61, 0x01, 1);
  b.io.write(0x42, 0x00, 1);
  b.io.write(0x42, 0x01, 1);
  CHECK(b.status(2) == 0xB4);
  SECTION("status and count latched together read status first") {
    b.io.write(0x43, 0xC8, 1);  // latch count and status of counter 2
    CHECK(b.io.read(0x42, 1) == 0xB4);
    CHECK(b.io.read(0x42, 1) == 0x00);
    CHECK(b.io.read(0x42, 1) == 0x01);
  }
}

TEST_CASE("BCD mode counts in decimal digits") {
  Board b;
  b.program(0, 2, 0x1000, true);
  b.irq0.rising = 0;
  const u64 start = b.tick();
  b.to_tick(start + 1);
  CHECK(b.read_count(0) == 0x0999);
  b.to_tick(start + 1000);
  CHECK(b.read_count(0) == 0x1000);
  CHECK(b.irq0.rising == 1);
}

TEST_CASE("port 0x61 gates counter 2 and shows its OUT: SeaBIOS's TSC calibration") {
  Board b;
  b.io.write(0x61, 0x01, 1);
  b.program(2, 0, 0x800);
  const u64 start = b.tick();
  CHECK(!b.out2());
  b.to_tick(start + 0x7FF);
  CHECK(!b.out2());
  b.to_tick(start + 0x800);
  CHECK(b.out2());
  CHECK((b.io.read(0x61, 1) & 0x0F) == 0x01);
  SECTION("a low gate pauses mode 0") {
    b.program(2, 0, 100);
    const u64 t0 = b.tick();
    b.to_tick(t0 + 50);
    b.io.write(0x61, 0x00, 1);
    b.to_tick(t0 + 500);
    CHECK(b.read_count(2) == 50);
    CHECK(!b.out2());
    b.io.write(0x61, 0x01, 1);
    b.to_tick(t0 + 549);
    CHECK(!b.out2());
    b.to_tick(t0 + 550);
    CHECK(b.out2());
  }
}

TEST_CASE("the refresh bit of port 0x61 toggles with virtual time") {
  Board b;
  const u32 first = b.io.read(0x61, 1) & 0x10;
  b.clock.advance_to(b.clock.now() + 15085);
  CHECK((b.io.read(0x61, 1) & 0x10) != first);
}

TEST_CASE("mode 1 is a one-shot retriggered by the gate's rising edge") {
  Board b;
  b.program(2, 1, 100);
  CHECK(b.out2());  // waits for a trigger with OUT high
  b.io.write(0x61, 0x01, 1);
  const u64 t0 = b.tick();
  CHECK(!b.out2());
  b.to_tick(t0 + 60);
  b.io.write(0x61, 0x00, 1);  // the gate level does not matter in mode 1
  b.io.write(0x61, 0x01, 1);  // retrigger
  b.to_tick(t0 + 150);
  CHECK(!b.out2());
  b.to_tick(t0 + 160);
  CHECK(b.out2());
}

TEST_CASE("modes 4 and 5 strobe OUT low for one tick at terminal count") {
  Board b;
  b.io.write(0x61, 0x01, 1);
  b.program(2, 4, 30);
  u64 t0 = b.tick();
  b.to_tick(t0 + 29);
  CHECK(b.out2());
  b.to_tick(t0 + 30);
  CHECK(!b.out2());
  b.to_tick(t0 + 31);
  CHECK(b.out2());
  b.io.write(0x61, 0x00, 1);
  b.program(2, 5, 30);
  b.to_tick(b.tick() + 100);
  CHECK(b.out2());  // not triggered yet
  b.io.write(0x61, 0x01, 1);
  t0 = b.tick();
  b.to_tick(t0 + 30);
  CHECK(!b.out2());
  b.to_tick(t0 + 31);
  CHECK(b.out2());
}

TEST_CASE("a low gate in mode 2 holds OUT high and the rising edge restarts the count") {
  Board b;
  b.io.write(0x61, 0x01, 1);
  b.program(2, 2, 10);
  u64 t0 = b.tick();
  b.to_tick(t0 + 9);
  CHECK(!b.out2());
  b.io.write(0x61, 0x00, 1);
  CHECK(b.out2());
  b.to_tick(t0 + 100);
  b.io.write(0x61, 0x01, 1);
  t0 = b.tick();
  CHECK(b.read_count(2) == 10);
  b.to_tick(t0 + 9);
  CHECK(!b.out2());
}

TEST_CASE("PIT state survives save and load, timer included") {
  Board b;
  b.program(0, 2, 1000);
  const u64 start = b.tick();
  b.to_tick(start + 250);
  std::vector<u8> saved;
  StateIo out(saved);
  b.clock.serialize(out);
  b.pit.serialize(out);

  Board c;
  StateIo in("pit", saved);
  c.clock.serialize(in);
  c.pit.serialize(in);
  in.expect_end();
  CHECK(c.read_count(0) == 750);
  c.to_tick(start + 10'000);
  CHECK(c.irq0.rising == 10);
}
