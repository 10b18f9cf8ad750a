// The MC146818 RTC: calendar arithmetic, time from the start time plus virtual time, BCD/binary
// and 12/24-hour formats, SET mode writes, divider reset, periodic/update/alarm interrupts on
// IRQ 8, UIP, NMI mask, CMOS RAM, save/restore.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/rtc.h"

using namespace tern;

namespace {

constexpr i64 k2024 = 1704067200;  // 2024-01-01 00:00:00 UTC, a Monday
constexpr u64 kSecond = 1'000'000'000;

struct Line : IrqSink {
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
  Line irq8;
  Rtc rtc;
  explicit Board(i64 start = k2024) : rtc(io, clock, IrqLine(&irq8, 8), start) {}

  void run_to(u64 ns) {
    while (clock.next_deadline() <= ns) {
      clock.advance_to(clock.next_deadline());
      clock.run_due();
    }
    clock.advance_to(ns);
  }
  u8 get(u8 index) {
    io.write(0x70, index, 1);
    return static_cast<u8>(io.read(0x71, 1));
  }
  void set(u8 index, u8 value) {
    io.write(0x70, index, 1);
    io.write(0x71, value, 1);
  }
};

}  // namespace

TEST_CASE("calendar conversion: known dates, weekdays, leap days, carries") {
  CivilTime t = civil_from_epoch(0);
  CHECK((t.year == 1970 && t.month == 1 && t.day == 1 && t.weekday == 5));
  t = civil_from_epoch(951782400);
  CHECK((t.year == 2000 && t.month == 2 && t.day == 29 && t.weekday == 3));
  t = civil_from_epoch(k2024 + 86399);
  CHECK((t.year == 2024 && t.month == 1 && t.day == 1 && t.hour == 23 && t.minute == 59 && t.second == 59));
  CHECK(t.weekday == 2);
  t = civil_from_epoch(-1);
  CHECK((t.year == 1969 && t.month == 12 && t.day == 31 && t.hour == 23));
  for (i64 s = -5'000'000'000; s < 8'000'000'000; s += 7'777'777) CHECK(epoch_from_civil(civil_from_epoch(s)) == s);
  CivilTime feb30{2023, 2, 30, 0, 0, 0, 1};
  t = civil_from_epoch(epoch_from_civil(feb30));
  CHECK((t.month == 3 && t.day == 2));
  CivilTime month13{2023, 13, 1, 0, 0, 0, 1};
  CHECK(epoch_from_civil(month13) == k2024);
}

TEST_CASE("the clock starts at the configured time in BCD 24-hour format and follows virtual time") {
  Board b;
  CHECK(b.get(0x00) == 0x00);
  CHECK(b.get(0x04) == 0x00);
  CHECK(b.get(0x06) == 0x02);
  CHECK(b.get(0x07) == 0x01);
  CHECK(b.get(0x08) == 0x01);
  CHECK(b.get(0x09) == 0x24);
  CHECK(b.get(Rtc::kCentury) == 0x20);
  CHECK(b.get(Rtc::kRegA) == 0x26);
  CHECK(b.get(Rtc::kRegB) == 0x02);
  CHECK(b.get(Rtc::kRegD) == 0x80);
  b.run_to(3661 * kSecond + kSecond / 2);
  CHECK(b.get(0x04) == 0x01);
  CHECK(b.get(0x02) == 0x01);
  CHECK(b.get(0x00) == 0x01);
}

TEST_CASE("binary and 12-hour formats") {
  Board b(k2024 + 13 * 3600 + 5 * 60 + 42);
  b.set(Rtc::kRegB, 0x04);  // binary, 12-hour
  CHECK(b.get(0x00) == 42);
  CHECK(b.get(0x04) == 0x81);  // 1 PM
  b.set(Rtc::kRegB, 0x00);     // BCD, 12-hour
  CHECK(b.get(0x04) == 0x81);
  b.set(Rtc::kRegB, 0x06);  // binary, 24-hour
  CHECK(b.get(0x04) == 13);
}

TEST_CASE("SET mode holds the clock while fields are written one by one") {
  // From January 31, writing month 2 before day 15 must not pass through "February 31".
  Board b(k2024 + 30 * 86400);
  b.set(Rtc::kRegB, 0x82);
  b.set(0x09, 0x25);
  b.set(0x08, 0x02);
  b.set(0x07, 0x15);
  b.set(0x04, 0x10);
  b.set(0x02, 0x20);
  b.set(0x00, 0x30);
  b.run_to(5 * kSecond);
  CHECK(b.get(0x00) == 0x30);  // frozen
  b.set(Rtc::kRegB, 0x02);
  CHECK(b.get(0x07) == 0x15);
  CHECK(b.get(0x08) == 0x02);
  CHECK(b.get(0x09) == 0x25);
  CHECK(b.get(0x06) == 0x07);  // 2025-02-15 is a Saturday
  b.run_to(6 * kSecond);
  CHECK(b.get(0x00) == 0x31);
  CHECK(b.rtc.time().hour == 10);
}

TEST_CASE("a stopped divider holds time; restarting it updates half a second later") {
  Board b;
  b.set(Rtc::kRegA, 0x76);
  b.run_to(10 * kSecond);
  CHECK(b.get(0x00) == 0x00);
  b.set(Rtc::kRegA, 0x26);
  b.run_to(10 * kSecond + kSecond / 2 - 1);
  CHECK(b.get(0x00) == 0x00);
  b.run_to(10 * kSecond + kSecond / 2);
  CHECK(b.get(0x00) == 0x01);
}

TEST_CASE("periodic interrupt at the register A rate, acknowledged by reading C") {
  Board b;
  b.set(Rtc::kRegB, 0x42);  // PIE
  b.run_to(976'562 - 1);
  CHECK(!b.irq8.high);
  b.run_to(976'563);
  CHECK(b.irq8.high);
  CHECK(b.get(Rtc::kRegC) == 0xC0);
  CHECK(!b.irq8.high);
  CHECK(b.get(Rtc::kRegC) == 0x00);
  b.run_to(kSecond);
  CHECK(b.irq8.rising == 2);  // the next period; nobody read C since, so the line stayed high
  CHECK(b.irq8.high);
  SECTION("rate 15 is 2 Hz") {
    b.get(Rtc::kRegC);
    b.set(Rtc::kRegA, 0x2F);
    b.irq8.rising = 0;
    for (int i = 0; i < 8; ++i) {
      b.run_to(kSecond + (i + 1) * kSecond / 2);
      b.get(Rtc::kRegC);
    }
    CHECK(b.irq8.rising == 8);
  }
}

TEST_CASE("with PIE off the periodic flag is still set in register C") {
  Board b;
  b.get(Rtc::kRegC);
  b.run_to(2'000'000);
  CHECK(b.get(Rtc::kRegC) == 0x40);
  CHECK(!b.irq8.high);
}

TEST_CASE("update-ended interrupt once per second") {
  Board b;
  b.set(Rtc::kRegB, 0x12);  // UIE
  b.run_to(kSecond - 1);
  CHECK(!b.irq8.high);
  b.run_to(kSecond);
  CHECK(b.irq8.high);
  CHECK((b.get(Rtc::kRegC) & 0xB0) == 0x90);  // PF (0x40) is set too: periods elapse without PIE
  b.run_to(3 * kSecond);
  CHECK(b.irq8.rising == 2);
}

TEST_CASE("alarm interrupt when the time matches, with don't-care bytes") {
  Board b;
  b.set(0x01, 0x05);
  b.set(0x03, 0x00);
  b.set(0x05, 0xC0);  // any hour
  b.set(Rtc::kRegB, 0x22);  // AIE
  b.run_to(4 * kSecond);
  CHECK(!b.irq8.high);
  b.run_to(5 * kSecond);
  CHECK(b.irq8.high);
  CHECK((b.get(Rtc::kRegC) & 0xB0) == 0xB0);  // IRQF, AF, and UF (not enabled but set)
}

TEST_CASE("UIP is set only in the 244 us before an update") {
  Board b;
  b.run_to(kSecond - 300'000);
  CHECK((b.get(Rtc::kRegA) & 0x80) == 0);
  b.run_to(kSecond - 200'000);
  CHECK((b.get(Rtc::kRegA) & 0x80) != 0);
  b.run_to(kSecond + 1);
  CHECK((b.get(Rtc::kRegA) & 0x80) == 0);
}

TEST_CASE("port 0x70 bit 7 masks NMI; CMOS RAM keeps bytes; C and D are read-only") {
  Board b;
  b.io.write(0x70, 0x80 | 0x34, 1);
  CHECK(b.rtc.nmi_masked());
  b.io.write(0x71, 0x5A, 1);
  CHECK(b.rtc.cmos(0x34) == 0x5A);
  b.io.write(0x70, 0x34, 1);
  CHECK(!b.rtc.nmi_masked());
  CHECK(b.io.read(0x71, 1) == 0x5A);
  b.set(Rtc::kRegD, 0x00);
  CHECK(b.get(Rtc::kRegD) == 0x80);
  b.rtc.set_cmos(0x10, 0x40);
  CHECK(b.get(0x10) == 0x40);
}

TEST_CASE("reset clears interrupt enables and flags but keeps time and RAM") {
  Board b;
  b.set(Rtc::kRegB, 0x12);
  b.set(0x40, 0x77);
  b.run_to(kSecond);
  CHECK(b.irq8.high);
  b.rtc.reset();
  CHECK(!b.irq8.high);
  CHECK(b.get(Rtc::kRegB) == 0x02);
  CHECK(b.get(0x40) == 0x77);
  CHECK(b.get(0x00) == 0x01);
}

TEST_CASE("RTC state survives save and load") {
  Board b;
  b.set(Rtc::kRegB, 0x12);
  b.set(0x50, 0x99);
  b.run_to(2 * kSecond + 10);
  std::vector<u8> saved;
  StateIo out(saved);
  b.clock.serialize(out);
  b.rtc.serialize(out);

  Board c(0);
  StateIo in("rtc", saved);
  c.clock.serialize(in);
  c.rtc.serialize(in);
  in.expect_end();
  CHECK(c.get(0x09) == 0x24);
  CHECK(c.get(0x00) == 0x02);
  CHECK(c.get(0x50) == 0x99);
  c.get(Rtc::kRegC);
  c.run_to(3 * kSecond);
  CHECK(c.irq8.high);
}
