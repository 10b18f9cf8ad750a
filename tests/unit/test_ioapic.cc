// The I/O APIC: registers through IOREGSEL/IOWIN, masked power-on, edge and level delivery to
// the local APIC, remote IRR until EOI, destinations.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/ioapic.h"

using namespace tern;

namespace {

struct Board {
  Clock clock;
  PhysMemory mem{2 << 20};
  IoSpace io;
  Cpu cpu{mem, io, clock};
  LocalApic lapic{cpu, mem, clock};
  IoApic ioapic{mem, lapic};
  Board() { mem.write(LocalApic::kDefaultBase + 0xF0, 0x1FF, 4); }
  u32 reg(u8 index) {
    mem.write(IoApic::kDefaultBase, index, 4);
    return static_cast<u32>(mem.read(IoApic::kDefaultBase + 0x10, 4));
  }
  void set(u8 index, u32 v) {
    mem.write(IoApic::kDefaultBase, index, 4);
    mem.write(IoApic::kDefaultBase + 0x10, v, 4);
  }
  void route(unsigned pin, u32 low, u32 high = 0) {
    set(static_cast<u8>(0x11 + 2 * pin), high);
    set(static_cast<u8>(0x10 + 2 * pin), low);
  }
  void eoi() { mem.write(LocalApic::kDefaultBase + 0xB0, 0, 4); }
};

}  // namespace

TEST_CASE("I/O APIC identity and masked power-on entries") {
  Board b;
  CHECK(b.reg(0x01) == 0x00170011);
  CHECK(b.reg(0x10) == 0x00010000);
  b.set(0x00, 0x0A000000);
  CHECK(b.reg(0x00) == 0x0A000000);
  b.ioapic.set_irq(2, true);
  CHECK(b.lapic.acknowledge() == 0xFF);  // masked: nothing delivered
}

TEST_CASE("edge inputs deliver on each rising edge") {
  Board b;
  b.route(2, 0x30);
  b.ioapic.set_irq(2, true);
  CHECK(b.lapic.acknowledge() == 0x30);
  b.eoi();
  b.ioapic.set_irq(2, true);  // still high: no new edge
  CHECK(b.lapic.acknowledge() == 0xFF);
  b.ioapic.set_irq(2, false);
  b.ioapic.set_irq(2, true);
  CHECK(b.lapic.acknowledge() == 0x30);
}

TEST_CASE("level inputs hold remote IRR until EOI and repeat while asserted") {
  Board b;
  b.route(10, 0x8000 | 0x51);
  b.ioapic.set_irq(10, true);
  CHECK((b.reg(0x10 + 20) & 0x4000) != 0);
  CHECK(b.lapic.acknowledge() == 0x51);
  b.ioapic.set_irq(10, true);
  CHECK(b.lapic.acknowledge() == 0xFF);
  b.eoi();  // still asserted: delivered again
  CHECK(b.lapic.acknowledge() == 0x51);
  b.ioapic.set_irq(10, false);
  b.eoi();
  CHECK((b.reg(0x10 + 20) & 0x4000) == 0);
  CHECK(b.lapic.acknowledge() == 0xFF);
  SECTION("unmasking an asserted level input delivers it") {
    b.route(11, 0x18000 | 0x52);
    b.ioapic.set_irq(11, true);
    CHECK(b.lapic.acknowledge() == 0xFF);
    b.route(11, 0x08000 | 0x52);
    CHECK(b.lapic.acknowledge() == 0x52);
  }
}

TEST_CASE("destinations: physical ID, logical flat, nobody") {
  Board b;
  b.route(4, 0x33, 0x01000000);  // physical 1: not this APIC (ID 0)
  b.ioapic.set_irq(4, true);
  CHECK(b.lapic.acknowledge() == 0xFF);
  b.ioapic.set_irq(4, false);
  b.mem.write(LocalApic::kDefaultBase + 0xD0, 0x01000000, 4);
  b.route(4, 0x800 | 0x33, 0x01000000);  // logical: bit 0
  b.ioapic.set_irq(4, true);
  CHECK(b.lapic.acknowledge() == 0x33);
}

TEST_CASE("I/O APIC state survives save and load") {
  Board b;
  b.route(9, 0x8000 | 0x49);
  b.ioapic.set_irq(9, true);
  std::vector<u8> saved;
  StateIo out(saved);
  b.ioapic.serialize(out);
  Board c;
  StateIo in("ioapic", saved);
  c.ioapic.serialize(in);
  in.expect_end();
  CHECK(c.ioapic.redirection(9) == (0x8000 | 0x49 | 0x4000));
}
