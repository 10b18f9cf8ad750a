// The PCI bus: configuration mechanism #1, write masks, BAR sizing and mapping callbacks,
// INTx routing to PIRQ lines, multi-function header, reset and save/restore.
#include <catch2/catch.hpp>

#include <vector>

#include "base/state.h"
#include "devices/pci.h"

using namespace tern;

namespace {

struct Mapping {
  int bar;
  std::optional<u32> old_base, new_base;
};

class TestFunction : public PciFunction {
 public:
  explicit TestFunction(std::vector<Mapping>& log)
      : PciFunction(PciId{0x8086, 0x1234, 2, 0x010180, 0x1AF4, 0x1100}) {
    define_bar(0, PciBarKind::kIo, 16, [&log](auto o, auto n) { log.push_back({0, o, n}); });
    define_bar(1, PciBarKind::kMemoryPrefetchable, 0x100000, [&log](auto o, auto n) { log.push_back({1, o, n}); });
    define_rom_bar(0x10000, [&log](auto o, auto n) { log.push_back({6, o, n}); });
    set_interrupt_pin(1);
    set_writable(0x40, 0xFF, 1);
  }
  void config_written(u8 offset, unsigned size) override { writes.push_back({offset, size}); }
  std::vector<std::pair<u8, unsigned>> writes;
};

struct PirqRecorder : IrqSink {
  void set_irq(unsigned line, bool level) override { levels[line] = level; ++changes; }
  bool levels[4] = {};
  int changes = 0;
};

u32 cfg_read(IoSpace& io, u8 dev, u8 fn, u8 reg, unsigned size = 4) {
  io.write(0xCF8, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC), 4);
  return io.read(static_cast<u16>(0xCFC + (reg & 3)), size);
}

void cfg_write(IoSpace& io, u8 dev, u8 fn, u8 reg, u32 value, unsigned size = 4) {
  io.write(0xCF8, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC), 4);
  io.write(static_cast<u16>(0xCFC + (reg & 3)), value, size);
}

}  // namespace

TEST_CASE("configuration mechanism #1 reads the header of an attached function") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f(log);
  bus.attach(3, 0, f);
  CHECK(cfg_read(io, 3, 0, 0x00) == 0x12348086);
  CHECK(cfg_read(io, 3, 0, 0x08) == 0x01018002);
  CHECK(cfg_read(io, 3, 0, 0x2C) == 0x11001AF4);
  CHECK(cfg_read(io, 3, 0, 0x02, 2) == 0x1234);
  CHECK(cfg_read(io, 3, 0, 0x0B, 1) == 0x01);
  CHECK(cfg_read(io, 3, 0, 0x3D, 1) == 1);
  SECTION("an empty slot reads all ones") { CHECK(cfg_read(io, 4, 0, 0x00) == 0xFFFFFFFF); }
  SECTION("CONFIG_ADDRESS reads back without its reserved bits") {
    io.write(0xCF8, 0x80001A07, 4);
    CHECK(io.read(0xCF8, 4) == 0x80001A04);
  }
  SECTION("with the enable bit clear the data port reads all ones") {
    io.write(0xCF8, 0x00001800, 4);
    CHECK(io.read(0xCFC, 4) == 0xFFFFFFFF);
  }
  SECTION("bus 1 has nothing on it") {
    io.write(0xCF8, 0x80011800, 4);
    CHECK(io.read(0xCFC, 4) == 0xFFFFFFFF);
  }
}

TEST_CASE("read-only fields ignore writes; STATUS error bits clear on writing one") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f(log);
  bus.attach(3, 0, f);
  cfg_write(io, 3, 0, 0x00, 0xFFFFFFFF);
  CHECK(cfg_read(io, 3, 0, 0x00) == 0x12348086);
  cfg_write(io, 3, 0, 0x40, 0xAB, 1);
  CHECK(cfg_read(io, 3, 0, 0x40, 1) == 0xAB);
  CHECK(cfg_read(io, 3, 0, 0x41, 1) == 0);
  REQUIRE(!f.writes.empty());
  CHECK(f.writes.back() == std::pair<u8, unsigned>{0x40, 1});
}

TEST_CASE("BAR sizing returns the size mask and type bits") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f(log);
  bus.attach(3, 0, f);
  cfg_write(io, 3, 0, 0x10, 0xFFFFFFFF);
  CHECK(cfg_read(io, 3, 0, 0x10) == 0xFFFFFFF1);
  cfg_write(io, 3, 0, 0x14, 0xFFFFFFFF);
  CHECK(cfg_read(io, 3, 0, 0x14) == 0xFFF00008);
  cfg_write(io, 3, 0, 0x30, 0xFFFFFFFF);
  CHECK(cfg_read(io, 3, 0, 0x30) == 0xFFFF0001);
  CHECK(cfg_read(io, 3, 0, 0x18) == 0);  // BAR 2 is not implemented
  CHECK(log.empty());                     // decoding is off: nothing was mapped
}

TEST_CASE("BARs map when COMMAND enables decoding and move when rewritten") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f(log);
  bus.attach(3, 0, f);
  cfg_write(io, 3, 0, 0x10, 0xC000);
  cfg_write(io, 3, 0, 0x14, 0xE0000000);
  CHECK(log.empty());
  cfg_write(io, 3, 0, 0x04, pci_cmd::kIo, 2);
  REQUIRE(log.size() == 1);
  CHECK(log[0].bar == 0);
  CHECK(!log[0].old_base);
  CHECK(log[0].new_base == 0xC000u);
  CHECK(f.bar_base(0) == 0xC000u);
  cfg_write(io, 3, 0, 0x04, pci_cmd::kIo | pci_cmd::kMemory, 2);
  REQUIRE(log.size() == 2);
  CHECK(log[1].bar == 1);
  CHECK(log[1].new_base == 0xE0000000u);
  cfg_write(io, 3, 0, 0x10, 0xC100);
  REQUIRE(log.size() == 3);
  CHECK(log[2].old_base == 0xC000u);
  CHECK(log[2].new_base == 0xC100u);
  SECTION("the ROM BAR maps only with its enable bit") {
    cfg_write(io, 3, 0, 0x30, 0xFEB00000);
    CHECK(log.size() == 3);
    cfg_write(io, 3, 0, 0x30, 0xFEB00001);
    REQUIRE(log.size() == 4);
    CHECK(log[3].bar == 6);
    CHECK(log[3].new_base == 0xFEB00000u);
  }
  SECTION("clearing COMMAND unmaps everything") {
    cfg_write(io, 3, 0, 0x04, 0, 2);
    REQUIRE(log.size() == 5);
    CHECK(!log[3].new_base);
    CHECK(!log[4].new_base);
    CHECK(!f.bar_base(0));
  }
  SECTION("reset restores the power-on header and unmaps") {
    bus.reset();
    CHECK(cfg_read(io, 3, 0, 0x10) == 1);
    CHECK(cfg_read(io, 3, 0, 0x04, 2) == 0);
    CHECK(!f.bar_base(0));
    CHECK(!f.bar_base(1));
  }
  SECTION("saving and loading restores registers and mappings") {
    std::vector<u8> saved;
    StateIo out(saved);
    f.serialize(out);
    std::vector<Mapping> log2;
    TestFunction g(log2);
    PciBus bus2(io);
    bus2.attach(3, 0, g);
    StateIo in("pci", saved);
    g.serialize(in);
    in.expect_end();
    CHECK(g.bar_base(0) == 0xC100u);
    CHECK(g.bar_base(1) == 0xE0000000u);
    CHECK(log2.size() == 2);
  }
}

TEST_CASE("an I/O BAR beyond 64 KiB or at 0 does not decode") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f(log);
  bus.attach(3, 0, f);
  cfg_write(io, 3, 0, 0x04, pci_cmd::kIo, 2);
  CHECK(log.empty());
  cfg_write(io, 3, 0, 0x10, 0x12340);
  CHECK(log.empty());
}

TEST_CASE("INTx pins are routed to PIRQ lines by slot rotation, wired-OR") {
  IoSpace io;
  PciBus bus(io);
  PirqRecorder pirq;
  bus.set_pirq_sink(&pirq);
  std::vector<Mapping> log;
  TestFunction a(log), b(log);
  bus.attach(3, 0, a);  // device 3, INTA -> PIRQC
  bus.attach(7, 0, b);  // device 7, INTA -> PIRQC too
  CHECK(PciBus::pirq_of(1, 1) == 0);
  CHECK(PciBus::pirq_of(1, 4) == 3);
  CHECK(PciBus::pirq_of(0, 1) == 3);
  a.set_irq(true);
  CHECK(pirq.levels[2]);
  CHECK((cfg_read(io, 3, 0, 0x06, 2) & kPciStatusInterrupt) != 0);
  b.set_irq(true);
  a.set_irq(false);
  CHECK(pirq.levels[2]);  // b still holds it
  b.set_irq(false);
  CHECK(!pirq.levels[2]);
  SECTION("COMMAND.INTx-disable masks the pin") {
    a.set_irq(true);
    cfg_write(io, 3, 0, 0x04, pci_cmd::kIntxDisable, 2);
    CHECK(!pirq.levels[2]);
    cfg_write(io, 3, 0, 0x04, 0, 2);
    CHECK(pirq.levels[2]);
  }
}

TEST_CASE("function 0 of a multi-function device sets header type bit 7") {
  IoSpace io;
  PciBus bus(io);
  std::vector<Mapping> log;
  TestFunction f0(log), f1(log);
  bus.attach(1, 0, f0);
  CHECK(cfg_read(io, 1, 0, 0x0E, 1) == 0x00);
  bus.attach(1, 1, f1);
  CHECK(cfg_read(io, 1, 0, 0x0E, 1) == 0x80);
  CHECK(cfg_read(io, 1, 1, 0x0E, 1) == 0x00);
}

TEST_CASE("byte accesses to 0xCF8-0xCFB are not configuration cycles") {
  IoSpace io;
  PciBus bus(io);
  u32 written_offset = 99;
  u64 written_value = 0;
  IoOps legacy;
  legacy.read = [](u32 offset, unsigned) -> u64 { return offset == 1 ? 0x0A : 0xFF; };
  legacy.write = [&](u32 offset, u64 value, unsigned) {
    written_offset = offset;
    written_value = value;
  };
  bus.set_legacy_ports(legacy);
  io.write(0xCF8, 0x80000000, 4);
  io.write(0xCF9, 0x06, 1);
  CHECK(written_offset == 1);
  CHECK(written_value == 0x06);
  CHECK(io.read(0xCF9, 1) == 0x0A);
  CHECK(io.read(0xCF8, 4) == 0x80000000);
}
