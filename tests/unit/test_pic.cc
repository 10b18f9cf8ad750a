// The 8259A pair: initialization, priorities, EOI kinds, rotation, AEOI, special mask and
// special fully nested modes, poll, edge/level (ELCR), spurious IRQ 7/15, save/restore.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/pic.h"

using namespace tern;

namespace {

struct IntrPin : IrqSink {
  void set_irq(unsigned, bool level) override { high = level; }
  bool high = false;
};

struct Board {
  IoSpace io;
  IntrPin cpu;
  DualPic pic{io, IrqLine(&cpu, 0)};

  // The BIOS initialization: vectors 0x08 and 0x70, cascade on IR2, 8086 mode (`icw4` extra bits).
  explicit Board(u8 icw4 = 0x01) {
    io.write(0x20, 0x11, 1);
    io.write(0x21, 0x08, 1);
    io.write(0x21, 0x04, 1);
    io.write(0x21, icw4, 1);
    io.write(0xA0, 0x11, 1);
    io.write(0xA1, 0x70, 1);
    io.write(0xA1, 0x02, 1);
    io.write(0xA1, icw4 & ~0x10, 1);
  }
  void pulse(unsigned irq) {
    pic.set_irq(irq, true);
    pic.set_irq(irq, false);
  }
  void eoi_master() { io.write(0x20, 0x20, 1); }
  void eoi_slave() { io.write(0xA0, 0x20, 1); }
  u8 isr_master() {
    io.write(0x20, 0x0B, 1);
    return static_cast<u8>(io.read(0x20, 1));
  }
  u8 irr_master() {
    io.write(0x20, 0x0A, 1);
    return static_cast<u8>(io.read(0x20, 1));
  }
};

}  // namespace

TEST_CASE("a rising edge on IRQ 0 interrupts with the ICW2 vector until EOI") {
  Board b;
  CHECK(!b.cpu.high);
  b.pic.set_irq(0, true);
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x08);
  CHECK(!b.cpu.high);
  CHECK(b.isr_master() == 0x01);
  b.pic.set_irq(0, false);
  b.pic.set_irq(0, true);
  CHECK(!b.cpu.high);  // same level in service: blocked until EOI
  b.eoi_master();
  CHECK(b.isr_master() == 0);
  CHECK(b.cpu.high);
}

TEST_CASE("an edge input held high does not interrupt twice") {
  Board b;
  b.pic.set_irq(1, true);
  CHECK(b.pic.acknowledge() == 0x09);
  b.eoi_master();
  CHECK(!b.cpu.high);
}

TEST_CASE("fully nested mode: lower priority waits, higher priority nests") {
  Board b;
  b.pic.set_irq(3, true);
  CHECK(b.pic.acknowledge() == 0x0B);
  b.pic.set_irq(5, true);
  CHECK(!b.cpu.high);
  b.pic.set_irq(0, true);
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x08);
  CHECK(b.isr_master() == 0x09);
  b.eoi_master();  // non-specific: clears IRQ 0, the highest in service
  CHECK(b.isr_master() == 0x08);
  CHECK(!b.cpu.high);
  b.eoi_master();
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x0D);
}

TEST_CASE("IMR masks requests without losing them") {
  Board b;
  b.io.write(0x21, 0x02, 1);
  CHECK(b.io.read(0x21, 1) == 0x02);
  b.pic.set_irq(1, true);
  CHECK(!b.cpu.high);
  CHECK(b.irr_master() == 0x02);
  b.io.write(0x21, 0x00, 1);
  CHECK(b.cpu.high);
}

TEST_CASE("slave requests cascade through IR2 with the slave's vectors") {
  Board b;
  b.pic.set_irq(8, true);
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x70);
  CHECK(b.isr_master() == 0x04);
  b.io.write(0xA0, 0x0B, 1);
  CHECK(b.io.read(0xA0, 1) == 0x01);
  b.pic.set_irq(14, true);
  CHECK(!b.cpu.high);  // the cascade level is in service on the master
  b.eoi_slave();
  b.eoi_master();
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x76);
}

TEST_CASE("a request that goes away before INTA yields spurious IRQ 7 or 15") {
  Board b;
  b.pic.set_irq(5, true);
  CHECK(b.cpu.high);
  b.pic.set_irq(5, false);
  CHECK(!b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x0F);
  CHECK(b.isr_master() == 0);
}

TEST_CASE("ELCR makes an input level triggered; reserved ELCR bits stay zero") {
  Board b;
  b.io.write(0x4D0, 0xFF, 1);
  b.io.write(0x4D1, 0xFF, 1);
  CHECK(b.io.read(0x4D0, 1) == 0xF8);
  CHECK(b.io.read(0x4D1, 1) == 0xDE);
  b.io.write(0x4D0, 0x00, 1);
  b.io.write(0x4D1, 0x04, 1);  // IRQ 10 level
  b.pic.set_irq(10, true);
  CHECK(b.pic.acknowledge() == 0x72);
  b.eoi_slave();
  b.eoi_master();
  CHECK(b.cpu.high);  // still asserted: interrupts again
  CHECK(b.pic.acknowledge() == 0x72);
  b.pic.set_irq(10, false);
  b.eoi_slave();
  b.eoi_master();
  CHECK(!b.cpu.high);
}

TEST_CASE("ICW4 AEOI clears the in-service bit at INTA") {
  Board b(0x03);
  b.pic.set_irq(4, true);
  CHECK(b.pic.acknowledge() == 0x0C);
  CHECK(b.isr_master() == 0);
  b.pic.set_irq(4, false);
  b.pic.set_irq(4, true);
  CHECK(b.cpu.high);
}

TEST_CASE("rotate on non-specific EOI makes the serviced level the lowest priority") {
  Board b;
  b.pic.set_irq(0, true);
  CHECK(b.pic.acknowledge() == 0x08);
  b.io.write(0x20, 0xA0, 1);  // rotate on non-specific EOI
  b.pic.set_irq(0, false);
  b.pic.set_irq(4, true);
  b.pic.set_irq(0, true);
  CHECK(b.pic.acknowledge() == 0x0C);  // IR1 is now highest; IR4 beats IR0
  SECTION("set priority makes the named level the lowest") {
    b.io.write(0x20, 0x64, 1);          // specific EOI for IR4
    b.io.write(0x20, 0xC0 | 0x05, 1);   // IR5 lowest, IR6 highest
    b.pic.set_irq(7, true);
    CHECK(b.pic.acknowledge() == 0x0F);
    CHECK(b.isr_master() == 0x80);      // a real IR7, not spurious
  }
}

TEST_CASE("special mask mode lets lower levels in while a masked level is in service") {
  Board b;
  b.pic.set_irq(3, true);
  CHECK(b.pic.acknowledge() == 0x0B);
  b.pic.set_irq(6, true);
  CHECK(!b.cpu.high);
  b.io.write(0x21, 0x08, 1);  // mask IR3
  b.io.write(0x20, 0x68, 1);  // set special mask mode
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x0E);
  b.io.write(0x20, 0x48, 1);  // reset special mask mode
  b.pic.set_irq(5, true);
  CHECK(!b.cpu.high);
}

TEST_CASE("special fully nested mode lets the slave interrupt within its own service") {
  Board b(0x11);
  b.pic.set_irq(12, true);
  CHECK(b.pic.acknowledge() == 0x74);
  b.pic.set_irq(9, true);  // higher priority on the slave
  CHECK(b.cpu.high);
  CHECK(b.pic.acknowledge() == 0x71);
}

TEST_CASE("the poll command returns the pending level and acknowledges it") {
  Board b;
  b.pic.set_irq(6, true);
  b.io.write(0x20, 0x0C, 1);
  CHECK(b.io.read(0x20, 1) == 0x86);
  CHECK(b.isr_master() == 0x40);
  CHECK(!b.cpu.high);
  b.io.write(0x20, 0x0C, 1);
  CHECK(b.io.read(0x20, 1) == 0x00);
}

TEST_CASE("PIC state survives save and load") {
  Board b;
  b.io.write(0x21, 0xF0, 1);
  b.pic.set_irq(1, true);
  CHECK(b.pic.acknowledge() == 0x09);
  std::vector<u8> saved;
  StateIo out(saved);
  b.pic.serialize(out);

  IoSpace io;
  IntrPin cpu;
  DualPic other(io, IrqLine(&cpu, 0));
  StateIo in("pic", saved);
  other.serialize(in);
  in.expect_end();
  CHECK(other.master().imr() == 0xF0);
  CHECK(other.master().isr() == 0x02);
  CHECK(other.master().vector_base() == 0x08);
  CHECK(other.slave().vector_base() == 0x70);
}

TEST_CASE("reset returns both chips to power-on state") {
  Board b;
  b.io.write(0x21, 0xFF, 1);
  b.pic.reset();
  CHECK(b.io.read(0x21, 1) == 0x00);
  CHECK(b.pic.master().vector_base() == 0);
}
