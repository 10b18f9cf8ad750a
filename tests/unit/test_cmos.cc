// The CMOS contents the board sets up for SeaBIOS: memory sizes, boot order, equipment,
// floppy types, CPU count.
#include <catch2/catch.hpp>

#include "bios/cmos.h"

using namespace tern;

namespace {

struct Board {
  Clock clock;
  IoSpace io;
  Rtc rtc{io, clock, IrqLine(), 0};
};

}  // namespace

TEST_CASE("128 MiB: extended memory capped at 0xFFFF KiB, 1792 blocks above 16 MiB") {
  Board b;
  CmosSetup s;
  s.ram_below_4g = 128u << 20;
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x15) == 0x80);
  CHECK(b.rtc.cmos(0x16) == 0x02);
  CHECK(b.rtc.cmos(0x17) == 0xFF);
  CHECK(b.rtc.cmos(0x18) == 0xFF);
  CHECK(b.rtc.cmos(0x30) == 0xFF);
  CHECK(b.rtc.cmos(0x31) == 0xFF);
  CHECK(b.rtc.cmos(0x34) == 0x00);
  CHECK(b.rtc.cmos(0x35) == 0x07);
  CHECK(b.rtc.cmos(0x5B) == 0);
  CHECK(b.rtc.cmos(0x5F) == 0);
}

TEST_CASE("small and large memory sizes") {
  Board b;
  CmosSetup s;
  s.ram_below_4g = 8u << 20;
  s.ram_above_4g = u64{1} << 30;
  fill_cmos(b.rtc, s);
  CHECK((b.rtc.cmos(0x30) | b.rtc.cmos(0x31) << 8) == 7 * 1024);
  CHECK((b.rtc.cmos(0x34) | b.rtc.cmos(0x35) << 8) == 0);
  CHECK((b.rtc.cmos(0x5B) | b.rtc.cmos(0x5C) << 8 | b.rtc.cmos(0x5D) << 16) == 0x4000);
}

TEST_CASE("boot order nibbles as QEMU writes them") {
  Board b;
  CmosSetup s;
  s.boot_order = "cad";
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x3D) == 0x12);
  CHECK(b.rtc.cmos(0x38) == 0x30);
  s.boot_order = "dn";
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x3D) == 0x43);
  CHECK(b.rtc.cmos(0x38) == 0x00);
}

TEST_CASE("equipment byte and floppy types") {
  Board b;
  CmosSetup s;
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x14) == 0x06);
  CHECK(b.rtc.cmos(0x10) == 0x00);
  s.floppy_types[0] = 4;
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x10) == 0x40);
  CHECK(b.rtc.cmos(0x14) == 0x07);
  s.floppy_types[1] = 2;
  fill_cmos(b.rtc, s);
  CHECK(b.rtc.cmos(0x10) == 0x42);
  CHECK(b.rtc.cmos(0x14) == 0x47);
}
