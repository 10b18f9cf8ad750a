// The local APIC: register access through its MMIO page, priorities (TPR/PPR), INTA and EOI,
// virtual wire (LINT0 ExtINT) to the 8259, IPIs to itself, software disable masking the LVT,
// the timer in one-shot and periodic modes with the divide configuration, error status.
#include <catch2/catch.hpp>

#include "base/state.h"
#include "devices/apic.h"

using namespace tern;

namespace {

struct FakePic : InterruptAcknowledge {
  u8 acknowledge() override {
    ++acks;
    return 0x20;
  }
  int acks = 0;
};

struct Board {
  Clock clock;
  PhysMemory mem{2 << 20};
  IoSpace io;
  Cpu cpu{mem, io, clock};
  FakePic pic;
  LocalApic apic{cpu, mem, clock};
  std::vector<u8> eois;
  Board() {
    apic.set_pic(&pic);
    apic.set_eoi_listener([this](u8 v) { eois.push_back(v); });
  }
  u32 reg(u32 offset) { return static_cast<u32>(mem.read(LocalApic::kDefaultBase + offset, 4)); }
  void set(u32 offset, u32 v) { mem.write(LocalApic::kDefaultBase + offset, v, 4); }
  void enable() { set(0xF0, 0x1FF); }
  void run_to(u64 ns) {
    while (clock.next_deadline() <= ns) {
      clock.advance_to(clock.next_deadline());
      clock.run_due();
    }
    clock.advance_to(ns);
  }
};

}  // namespace

TEST_CASE("APIC registers: ID, version, SVR, DFR reset values") {
  Board b;
  CHECK(b.reg(0x20) == 0);
  CHECK(b.reg(0x30) == 0x00050014);
  CHECK(b.reg(0xF0) == 0xFF);
  CHECK(b.reg(0xE0) == 0xFFFFFFFF);
  CHECK(b.reg(0x350) == 0x700);  // LINT0: ExtINT, unmasked (virtual wire)
  CHECK(b.reg(0x320) == 0x10000);
  b.set(0x20, 0x05000000);
  CHECK(b.reg(0x20) == 0x05000000);
  CHECK(b.mem.read(LocalApic::kDefaultBase + 0x33, 1) == 0x00);
  CHECK(b.mem.read(LocalApic::kDefaultBase + 0x30, 1) == 0x14);
}

TEST_CASE("accepted vectors go IRR -> ISR at INTA and leave at EOI, by priority class") {
  Board b;
  b.enable();
  b.apic.accept(0x41, false);
  b.apic.accept(0x52, true);
  CHECK(b.reg(0x200 + 0x20) == (1u << 1 | 1u << 18));  // IRR bits 0x41 and 0x52
  CHECK(b.reg(0x180 + 0x20) == (1u << 18));             // TMR bit 0x52 (level)
  CHECK(b.apic.acknowledge() == 0x52);
  CHECK(b.reg(0xA0) == 0x50);                  // PPR follows the in-service class
  CHECK(b.apic.acknowledge() == 0xFF);         // 0x41 is below PPR: spurious vector
  b.set(0xB0, 0);
  CHECK(b.eois == std::vector<u8>{0x52});      // level: EOI goes to the I/O APIC
  CHECK(b.apic.acknowledge() == 0x41);
  b.set(0xB0, 0);
  CHECK(b.eois.size() == 1);
}

TEST_CASE("TPR holds back vectors of its class and below") {
  Board b;
  b.enable();
  b.set(0x80, 0x60);
  b.apic.accept(0x65, false);
  CHECK(b.apic.acknowledge() == 0xFF);
  b.apic.accept(0x71, false);
  CHECK(b.apic.acknowledge() == 0x71);
  b.set(0x80, 0x00);
  b.set(0xB0, 0);
  CHECK(b.apic.acknowledge() == 0x65);
}

TEST_CASE("LINT0 in ExtINT mode passes the 8259's interrupt and its INTA") {
  Board b;
  b.apic.set_irq(LocalApic::kLint0, true);
  CHECK(b.apic.acknowledge() == 0x20);
  CHECK(b.pic.acks == 1);
  SECTION("masked LINT0 blocks the 8259") {
    b.enable();
    b.set(0x350, 0x10700);
    CHECK(b.apic.acknowledge() == 0xFF);
    CHECK(b.pic.acks == 1);
  }
  SECTION("with the APIC globally disabled LINT0 is INTR") {
    b.cpu.msr.apic_base &= ~u64{0x800};
    b.set(0x350, 0x10700);  // not decoded: no effect
    CHECK(b.apic.acknowledge() == 0x20);
    CHECK(b.mem.read(LocalApic::kDefaultBase + 0x30, 4) == 0xFFFFFFFF);
  }
}

TEST_CASE("a software-disabled APIC keeps its LVT masked") {
  Board b;
  b.set(0x320, 0x00030);
  CHECK(b.reg(0x320) == 0x10030);
  b.enable();
  b.set(0x320, 0x00030);
  CHECK(b.reg(0x320) == 0x00030);
  b.set(0xF0, 0x0FF);
  CHECK(b.reg(0x320) == 0x10030);
  CHECK(b.reg(0x350) == 0x10700);
}

TEST_CASE("IPIs to itself by shorthand or by matching destination") {
  Board b;
  b.enable();
  b.set(0x300, 0x00040000 | 0x33);  // shorthand self, fixed
  CHECK(b.apic.acknowledge() == 0x33);
  b.set(0xB0, 0);
  b.set(0x310, 0x00000000);
  b.set(0x300, 0x34);  // physical destination 0 = this APIC
  CHECK(b.apic.acknowledge() == 0x34);
  b.set(0xB0, 0);
  b.set(0x310, 0x03000000);
  b.set(0x300, 0x35);  // physical destination 3: nobody
  CHECK(b.apic.acknowledge() == 0xFF);
  b.set(0xD0, 0x01000000);  // logical ID bit 0, flat model
  b.set(0x310, 0x01000000);
  b.set(0x300, 0x800 | 0x36);
  CHECK(b.apic.acknowledge() == 0x36);
  CHECK((b.reg(0x300) & (1u << 12)) == 0);  // delivery status: idle
  b.set(0x300, 0x000C4500);                 // INIT to all others (SeaBIOS's SMP probe): nothing
  CHECK(b.apic.acknowledge() == 0xFF);
}

TEST_CASE("illegal vectors set the error status, latched by an ESR write") {
  Board b;
  b.enable();
  b.apic.accept(0x05, false);
  CHECK(b.reg(0x280) == 0);
  b.set(0x280, 0);
  CHECK(b.reg(0x280) == 0x40);
  b.set(0x280, 0);
  CHECK(b.reg(0x280) == 0);
}

TEST_CASE("one-shot timer counts down at bus clock / divisor and fires once") {
  Board b;
  b.enable();
  b.set(0x3E0, 0x3);         // divide by 16
  b.set(0x320, 0x40);        // one-shot, vector 0x40
  b.set(0x380, 1000);        // 16 us
  b.run_to(8'000);
  CHECK(b.reg(0x390) == 500);
  b.run_to(15'999);
  CHECK(b.apic.acknowledge() == 0xFF);
  b.run_to(16'000);
  CHECK(b.reg(0x390) == 0);
  CHECK(b.apic.acknowledge() == 0x40);
  b.set(0xB0, 0);
  b.run_to(100'000);
  CHECK(b.apic.acknowledge() == 0xFF);
}

TEST_CASE("periodic timer reloads; divide changes keep the count") {
  Board b;
  b.enable();
  b.set(0x3E0, 0xB);         // divide by 1
  b.set(0x320, 0x20041);     // periodic, vector 0x41
  b.set(0x380, 100);
  int fired = 0;
  for (u64 t = 1; t <= 1000; ++t) {
    b.run_to(t);
    if (b.apic.acknowledge() == 0x41) {
      ++fired;
      b.set(0xB0, 0);
    }
  }
  CHECK(fired == 10);
  b.run_to(1050);
  CHECK(b.reg(0x390) == 50);
  b.set(0x3E0, 0x0);  // divide by 2
  CHECK(b.reg(0x390) == 50);
  b.run_to(1150);
  CHECK(b.reg(0x390) == 100);
  SECTION("writing 0 to the initial count stops it") {
    b.set(0x380, 0);
    CHECK(b.reg(0x390) == 0);
    CHECK(b.clock.next_deadline() == Clock::kNever);
  }
}

TEST_CASE("APIC state survives save and load, timer included") {
  Board b;
  b.enable();
  b.set(0x3E0, 0xB);
  b.set(0x320, 0x20042);
  b.set(0x380, 1000);
  b.apic.accept(0x61, false);
  b.run_to(300);
  std::vector<u8> saved;
  StateIo out(saved);
  b.clock.serialize(out);
  b.apic.serialize(out);
  Board c;
  StateIo in("apic", saved);
  c.clock.serialize(in);
  c.apic.serialize(in);
  in.expect_end();
  CHECK(c.reg(0x390) == 700);
  CHECK(c.apic.acknowledge() == 0x61);
  c.set(0xB0, 0);
  c.run_to(1000);
  CHECK(c.apic.acknowledge() == 0x42);
}
