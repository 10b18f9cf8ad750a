// The PIIX4 power-management function: PM I/O mapping at PMBASE, the ACPI timer on the virtual
// clock, ACPI enable through port 0xB2, SCI events, soft-off, the SMBus host on an empty bus.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/piix4_acpi.h"

using namespace tern;

namespace {

struct Line : IrqSink {
  void set_irq(unsigned, bool level) override { high = level; }
  bool high = false;
};

struct Board {
  Clock clock;
  IoSpace io;
  PciBus bus{io};
  Line sci;
  int power_offs = 0;
  Piix4Acpi pm{io, clock, IrqLine(&sci, 9), [this] { ++power_offs; }};
  Board() { bus.attach(1, 3, pm); }
  void cfg(u8 reg, u32 v, unsigned size) { bus.config_write(1, 3, reg, v, size); }
  // As SeaBIOS sets it up: PM I/O at 0x600, SMBus at 0x700.
  void firmware_setup() {
    cfg(0x40, 0x601, 4);
    cfg(0x80, 0x01, 1);
    cfg(0x90, 0x701, 4);
    cfg(0xD2, 0x09, 1);
    cfg(0x04, 0x0001, 2);
  }
  void run_to(u64 ns) {
    while (clock.next_deadline() <= ns) {
      clock.advance_to(clock.next_deadline());
      clock.run_due();
    }
    clock.advance_to(ns);
  }
};

}  // namespace

TEST_CASE("PIIX4 PM identity and SeaBIOS's SMM-done marker") {
  Board b;
  CHECK(b.bus.config_read(1, 3, 0x00, 4) == 0x71138086);
  CHECK(b.bus.config_read(1, 3, 0x08, 4) == 0x06800003);
  CHECK(b.bus.config_read(1, 3, 0x5B, 1) == 0x02);
  CHECK(b.bus.config_read(1, 3, 0x40, 4) == 0x00000001);
}

TEST_CASE("PM registers appear at PMBASE only with PMIOSE set") {
  Board b;
  b.cfg(0x40, 0x601, 4);
  CHECK(b.io.read(0x608, 4) == 0xFFFFFFFF);
  CHECK(!b.pm.pm_base());
  b.cfg(0x80, 0x01, 1);
  CHECK(b.pm.pm_base() == 0x600);
  CHECK(b.io.read(0x604, 2) == 0);
  b.cfg(0x40, 0xB001, 4);
  CHECK(b.pm.pm_base() == 0xB000);
  CHECK(b.io.read(0x604, 2) == 0xFFFF);
}

TEST_CASE("the ACPI timer counts at 3.579545 MHz of virtual time, 24 bits") {
  Board b;
  b.firmware_setup();
  CHECK(b.io.read(0x608, 4) == 0);
  b.run_to(1'000'000'000);
  CHECK(b.io.read(0x608, 4) == 3'579'545);
  b.run_to(5'000'000'000);
  CHECK(b.io.read(0x608, 4) == (5 * 3'579'545) % (1 << 24));
  CHECK(b.io.read(0x608, 2) == ((5 * 3'579'545) % (1 << 24) & 0xFFFF));
}

TEST_CASE("SLP_EN with SLP_TYP 0 powers off; other sleep types are refused") {
  Board b;
  b.firmware_setup();
  b.io.write(0x604, 0x2000 | (5 << 10), 2);
  CHECK(b.power_offs == 0);
  b.io.write(0x604, 0x2000, 2);
  CHECK(b.power_offs == 1);
  CHECK((b.io.read(0x604, 2) & 0x2000) == 0);  // SLP_EN reads back 0
}

TEST_CASE("ACPI enable through port 0xB2 lets enabled events raise SCI") {
  Board b;
  b.firmware_setup();
  b.io.write(0x602, Piix4Acpi::kPowerButton, 2);
  b.pm.press_power_button();
  CHECK(!b.sci.high);  // ACPI mode is off: no SCI
  b.io.write(0xB2, 0xF1, 1);
  CHECK((b.io.read(0x604, 2) & 1) == 1);
  CHECK(b.sci.high);
  CHECK((b.io.read(0x600, 2) & Piix4Acpi::kPowerButton) != 0);
  b.io.write(0x600, Piix4Acpi::kPowerButton, 2);
  CHECK(!b.sci.high);
  b.io.write(0xB2, 0xF0, 1);
  CHECK((b.io.read(0x604, 2) & 1) == 0);
  b.io.write(0xB3, 0x5A, 1);
  CHECK(b.io.read(0xB3, 1) == 0x5A);
}

TEST_CASE("timer overflow (bit 23) sets TMROF_STS and, enabled, raises SCI") {
  Board b;
  b.firmware_setup();
  b.io.write(0xB2, 0xF1, 1);
  b.io.write(0x602, Piix4Acpi::kTimerOverflow, 2);
  b.run_to(2'343'000'000);
  CHECK(!b.sci.high);
  b.run_to(2'344'000'000);
  CHECK(b.sci.high);
  b.io.write(0x600, Piix4Acpi::kTimerOverflow, 2);
  CHECK(!b.sci.high);
  SECTION("with TMROF_EN off the status bit is still set") {
    b.io.write(0x602, 0, 2);
    b.run_to(5'000'000'000);
    CHECK((b.io.read(0x600, 2) & Piix4Acpi::kTimerOverflow) != 0);
    CHECK(!b.sci.high);
  }
}

TEST_CASE("SMBus transactions on the empty bus end with a device error") {
  Board b;
  b.firmware_setup();
  b.io.write(0x704, 0xA1, 1);  // read from SPD EEPROM 0x50
  b.io.write(0x702, 0x48, 1);  // start, byte data
  CHECK(b.io.read(0x700, 1) == 0x04);
  b.io.write(0x700, 0x04, 1);
  CHECK(b.io.read(0x700, 1) == 0x00);
  b.cfg(0xD2, 0x00, 1);
  CHECK(b.io.read(0x700, 1) == 0xFF);
}

TEST_CASE("PIIX4 PM state survives save and load, mappings included") {
  Board b;
  b.firmware_setup();
  b.io.write(0xB2, 0xF1, 1);
  b.io.write(0x602, Piix4Acpi::kPowerButton, 2);
  std::vector<u8> saved;
  StateIo out(saved);
  b.pm.serialize(out);
  Board c;
  StateIo in("pm", saved);
  c.pm.serialize(in);
  in.expect_end();
  CHECK(c.pm.pm_base() == 0x600);
  c.pm.press_power_button();
  CHECK(c.sci.high);
}
