// The PIIX3 ISA bridge: PIRQ routing to ISA IRQs and I/O APIC inputs, reserved IRQs, reset
// control at 0xCF9, save/restore.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/piix3.h"

using namespace tern;

namespace {

struct Lines : IrqSink {
  void set_irq(unsigned line, bool level) override { high[line] = level; }
  bool high[24] = {};
};

struct Board {
  IoSpace io;
  PciBus bus{io};
  Lines isa, ioapic;
  int resets = 0;
  Piix3 sb{&isa, &ioapic, [this] { ++resets; }};
  Board() {
    bus.attach(1, 0, sb);
    bus.set_pirq_sink(&sb);
    bus.set_legacy_ports(sb.reset_control_ports());
  }
  void route(unsigned pirq, u8 value) { bus.config_write(1, 0, static_cast<u8>(0x60 + pirq), value, 1); }
};

}  // namespace

TEST_CASE("PIIX3 identity and power-on routing (all disabled)") {
  Board b;
  CHECK(b.bus.config_read(1, 0, 0x00, 4) == 0x70008086);
  CHECK(b.bus.config_read(1, 0, 0x0A, 2) == 0x0601);
  CHECK(b.bus.config_read(1, 0, 0x60, 4) == 0x80808080);
  b.sb.set_irq(0, true);
  CHECK(b.ioapic.high[16]);
  for (bool h : b.isa.high) CHECK(!h);
}

TEST_CASE("a routed PIRQ drives its ISA IRQ; lines sharing an IRQ are ORed") {
  Board b;
  b.route(0, 10);
  b.route(1, 10);
  b.route(2, 11);
  b.sb.set_irq(0, true);
  CHECK(b.isa.high[10]);
  b.sb.set_irq(1, true);
  b.sb.set_irq(0, false);
  CHECK(b.isa.high[10]);
  b.sb.set_irq(1, false);
  CHECK(!b.isa.high[10]);
  b.sb.set_irq(2, true);
  CHECK(b.isa.high[11]);
  SECTION("rerouting moves an asserted line") {
    b.route(2, 5);
    CHECK(!b.isa.high[11]);
    CHECK(b.isa.high[5]);
    b.route(2, 0x85);
    CHECK(!b.isa.high[5]);
  }
}

TEST_CASE("reserved IRQ numbers are not routed") {
  Board b;
  for (u8 irq : {0, 1, 2, 8, 13}) {
    b.route(3, irq);
    CHECK(b.sb.route(3) == -1);
  }
  b.route(3, 9);
  CHECK(b.sb.route(3) == 9);
}

TEST_CASE("port 0xCF9 resets the machine when bit 2 is written") {
  Board b;
  b.io.write(0xCF9, 0x02, 1);
  CHECK(b.resets == 0);
  CHECK(b.io.read(0xCF9, 1) == 0x02);
  b.io.write(0xCF9, 0x06, 1);
  CHECK(b.resets == 1);
  b.io.write(0xCF8, 0x80000800, 4);  // dword accesses are still configuration cycles
  CHECK(b.io.read(0xCFC, 4) == 0x70008086);
}

TEST_CASE("PIIX3 routing survives save and load") {
  Board b;
  b.route(0, 11);
  b.sb.set_irq(0, true);
  std::vector<u8> saved;
  StateIo out(saved);
  b.sb.serialize(out);
  Board c;
  StateIo in("piix3", saved);
  c.sb.serialize(in);
  in.expect_end();
  CHECK(c.sb.route(0) == 11);
  c.sb.set_irq(0, false);
  CHECK(!c.isa.high[11]);
  c.route(0, 11);
  c.sb.set_irq(0, true);
  CHECK(c.isa.high[11]);
}
