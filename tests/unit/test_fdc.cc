// The 82077AA floppy controller with the 8237 on channel 2: reset polling, seeks and the
// interrupt status, READ/WRITE DATA by DMA and by FIFO, terminal count and end of cylinder,
// READ ID and the data rate, FORMAT TRACK, the change line, and save states.
#include <catch2/catch.hpp>

#include <algorithm>

#include "base/state.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "mmu/phys_memory.h"
#include "tests/unit/ide_rig.h"

using namespace tern;
using tern::test::IrqRecorder;
using tern::test::pattern_image;

namespace {

constexpr u16 kDor = 0x3F2, kMsr = 0x3F4, kFifo = 0x3F5, kDir = 0x3F7;
constexpr u8 kRead = 0xE6, kWrite = 0xC5, kReadId = 0x4A, kFormat = 0x4D, kSeek = 0x0F, kRecal = 0x07,
             kSenseInt = 0x08;
constexpr u64 k144Sectors = 2880;

struct FdcRig {
  IoSpace io;
  PhysMemory mem{1 << 20};
  IrqRecorder irq;
  Dma8237 dma{io, mem};
  Fdc82077 fdc{io, IrqLine(&irq, 6), dma.channel(2)};
  std::vector<u8> image;

  explicit FdcRig(u64 sectors = k144Sectors, bool read_only = false) : image(pattern_image(sectors, 512)) {
    fdc.attach_drive(0, make_memory_image(image, read_only));
    io.write(0xD6, 0xC0, 1);  // cascade on, as the BIOS leaves it
    io.write(0xD4, 0x00, 1);
  }

  void out(u16 port, u8 v) { io.write(port, v, 1); }
  u8 in(u16 port) { return static_cast<u8>(io.read(port, 1)); }
  u8 msr() { return in(kMsr); }

  // Leaves reset with interrupts and DMA enabled, motor A on, and reads the four polls.
  void enable() {
    out(kDor, 0x00);
    out(kDor, 0x1C);
    REQUIRE(irq.level);
    for (int i = 0; i < 4; ++i) REQUIRE(command({kSenseInt}, 2)[0] == (0xC0 | i));
    REQUIRE_FALSE(irq.level);
    out(kDir, 0x00);  // CCR: 500 kbps, the 1.44M rate
  }
  // Sends a command as SeaBIOS's floppy_pio does (RQM set, DIO clear before each byte) and
  // reads `results` bytes back.
  std::vector<u8> command(std::initializer_list<u8> bytes, size_t results) {
    for (u8 b : bytes) {
      REQUIRE((msr() & 0xC0) == 0x80);
      out(kFifo, b);
    }
    std::vector<u8> r;
    for (size_t i = 0; i < results; ++i) {
      REQUIRE((msr() & 0xC0) == 0xC0);
      r.push_back(in(kFifo));
    }
    if (results) CHECK((msr() & 0xC0) == 0x80);
    return r;
  }
  void dma_setup(u32 addr, u32 count, bool to_memory) {
    out(0x0A, 0x06);
    out(0x0C, 0);
    out(0x04, static_cast<u8>(addr));
    out(0x04, static_cast<u8>(addr >> 8));
    out(0x0C, 0);
    out(0x05, static_cast<u8>(count - 1));
    out(0x05, static_cast<u8>((count - 1) >> 8));
    out(0x0B, to_memory ? 0x46 : 0x4A);
    out(0x81, static_cast<u8>(addr >> 16));
    out(0x0A, 0x02);
  }
  std::vector<u8> memory(u32 addr, size_t n) {
    std::vector<u8> v(n);
    REQUIRE(mem.dma_read(addr, v.data(), n));
    return v;
  }
  // Sector (c, h, r) of the 1.44M image.
  std::vector<u8> sectors(u8 c, u8 h, u8 r, unsigned count) const {
    const size_t lba = (size_t{c} * 2 + h) * 18 + r - 1;
    return std::vector<u8>(image.begin() + lba * 512, image.begin() + (lba + count) * 512);
  }
  std::vector<u8> seek(u8 head, u8 cylinder) {
    command({kSeek, static_cast<u8>(head << 2), cylinder}, 0);
    REQUIRE(irq.level);
    return command({kSenseInt}, 2);
  }
};

}  // namespace

TEST_CASE("FDC: leaving reset interrupts and four drive polls follow", "[fdc]") {
  FdcRig r;
  CHECK(r.msr() == 0x00);  // held in reset at power-on
  r.enable();
  CHECK(r.command({kSenseInt}, 1) == std::vector<u8>{0x80});  // nothing left: invalid
  CHECK(r.command({0x10}, 1) == std::vector<u8>{0x90});        // VERSION: 82077AA
  CHECK(r.command({0x1F}, 1) == std::vector<u8>{0x80});        // no such command
  // DSR bit 7 is a software reset too.
  r.out(kMsr, 0x80);
  CHECK(r.irq.level);
  CHECK(r.command({kSenseInt}, 2)[0] == 0xC0);
}

TEST_CASE("FDC: DOR bit 3 gates the interrupt line", "[fdc]") {
  FdcRig r;
  r.out(kDor, 0x00);
  r.out(kDor, 0x14);  // out of reset, IRQ/DMA disabled
  CHECK_FALSE(r.irq.level);
  r.out(kDor, 0x1C);
  CHECK(r.irq.level);
}

TEST_CASE("FDC: SPECIFY, CONFIGURE and LOCK show in DUMPREG; LOCK survives reset", "[fdc]") {
  FdcRig r;
  r.enable();
  r.command({0x03, 0xAF, 0x02}, 0);
  r.command({0x13, 0x00, 0x47, 0x05}, 0);
  std::vector<u8> d = r.command({0x0E}, 10);
  CHECK(d[4] == 0xAF);
  CHECK(d[5] == 0x02);
  CHECK(d[8] == 0x47);
  CHECK(d[9] == 0x05);
  CHECK(r.command({0x94}, 1) == std::vector<u8>{0x10});
  r.out(kMsr, 0x80);
  r.command({kSenseInt}, 2);
  d = r.command({0x0E}, 10);
  CHECK(d[7] == 0x80);
  CHECK(d[8] == 0x47);
  CHECK(r.command({0x14}, 1) == std::vector<u8>{0x00});
  r.out(kMsr, 0x80);
  for (int i = 0; i < 4; ++i) r.command({kSenseInt}, 2);
  CHECK(r.command({0x0E}, 10)[8] == 0x20);
  r.command({0x12, 0x83}, 0);  // PERPENDICULAR MODE
  CHECK((r.command({0x0E}, 10)[7] & 0x7F) == 0x03);
}

TEST_CASE("FDC: SEEK and RECALIBRATE interrupt; SENSE INTERRUPT STATUS reports them", "[fdc]") {
  FdcRig r;
  r.enable();
  CHECK(r.seek(1, 33) == std::vector<u8>{0x24, 33});
  CHECK_FALSE(r.irq.level);
  r.command({kRecal, 0x00}, 0);
  CHECK(r.irq.level);
  CHECK(r.command({kSenseInt}, 2) == std::vector<u8>{0x20, 0});
  // Drive 1 is not connected: a recalibrate never finds track 0.
  r.command({kRecal, 0x01}, 0);
  CHECK(r.command({kSenseInt}, 2) == std::vector<u8>{0x71, 0});
}

TEST_CASE("FDC: the disk change line clears when the drive steps with a diskette in", "[fdc]") {
  FdcRig r;
  r.enable();
  CHECK(r.in(kDir) == 0x80);
  r.seek(0, 1);
  CHECK(r.in(kDir) == 0x00);
}

TEST_CASE("FDC: SENSE DRIVE STATUS shows track 0 and write protection", "[fdc]") {
  FdcRig r(k144Sectors, true);
  r.enable();
  r.command({kRecal, 0}, 0);
  r.command({kSenseInt}, 2);
  CHECK(r.command({0x04, 0x04}, 1) == std::vector<u8>{0x40 | 0x20 | 0x10 | 0x08 | 0x04});
  r.seek(0, 5);
  CHECK(r.command({0x04, 0x00}, 1) == std::vector<u8>{0x40 | 0x20 | 0x08});
}

TEST_CASE("FDC: READ DATA by DMA ends normally at terminal count", "[fdc]") {
  FdcRig r;
  r.enable();
  r.seek(1, 1);
  r.dma_setup(0x10000, 2 * 512, true);
  const std::vector<u8> res = r.command({kRead, 0x04, 1, 1, 3, 2, 4, 0x1B, 0xFF}, 0);
  CHECK(r.irq.level);
  const std::vector<u8> st = r.command({}, 7);
  // The transfer ended with the EOT sector of side 1 (MT): the next address is cylinder 2.
  CHECK(st == std::vector<u8>{0x04, 0, 0, 2, 0, 1, 2});
  CHECK_FALSE(r.irq.level);
  CHECK(r.memory(0x10000, 1024) == r.sectors(1, 1, 3, 2));
}

TEST_CASE("FDC: the last sector of the track without terminal count is END OF CYLINDER", "[fdc]") {
  FdcRig r;
  r.enable();
  r.seek(0, 2);
  r.dma_setup(0x10000, 8 * 512, true);
  r.command({kRead & 0x7F, 0x00, 2, 0, 17, 2, 18, 0x1B, 0xFF}, 0);  // no MT
  const std::vector<u8> st = r.command({}, 7);
  CHECK(st == std::vector<u8>{0x40, 0x80, 0, 3, 0, 1, 2});
  CHECK(r.memory(0x10000, 1024) == r.sectors(2, 0, 17, 2));
}

TEST_CASE("FDC: multi-track reads continue on side 1", "[fdc]") {
  FdcRig r;
  r.enable();
  r.seek(0, 4);
  r.dma_setup(0x10000, 3 * 512, true);
  r.command({kRead, 0x00, 4, 0, 17, 2, 18, 0x1B, 0xFF}, 0);
  const std::vector<u8> st = r.command({}, 7);
  CHECK(st == std::vector<u8>{0x04, 0, 0, 4, 1, 2, 2});  // ended on head 1, next R=2
  CHECK(r.memory(0x10000, 1024) == r.sectors(4, 0, 17, 2));
  CHECK(r.memory(0x10400, 512) == r.sectors(4, 1, 1, 1));
}

TEST_CASE("FDC: WRITE DATA by DMA reaches the image; write protection refuses it", "[fdc]") {
  FdcRig r;
  r.enable();
  r.seek(0, 10);
  std::vector<u8> data(1024);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<u8>(i * 5);
  REQUIRE(r.mem.dma_write(0x20000, data.data(), data.size()));
  r.dma_setup(0x20000, 1024, false);
  r.command({kWrite, 0x00, 10, 0, 7, 2, 8, 0x1B, 0xFF}, 0);
  CHECK(r.command({}, 7) == std::vector<u8>{0x00, 0, 0, 10, 1, 1, 2});  // EOT on side 0 (MT): side 1
  // Read them back.
  r.dma_setup(0x30000, 1024, true);
  r.command({kRead, 0x00, 10, 0, 7, 2, 8, 0x1B, 0xFF}, 0);
  CHECK(r.command({}, 7)[0] == 0x00);
  CHECK(r.memory(0x30000, 1024) == data);

  FdcRig ro(k144Sectors, true);
  ro.enable();
  ro.dma_setup(0x20000, 512, false);
  ro.command({kWrite, 0x00, 0, 0, 1, 2, 1, 0x1B, 0xFF}, 0);
  const std::vector<u8> st = ro.command({}, 7);
  CHECK(st[0] == 0x40);
  CHECK(st[1] == 0x02);
}

TEST_CASE("FDC: sectors and tracks the diskette lacks end in NO DATA / MISSING ADDRESS MARK", "[fdc]") {
  FdcRig r;
  r.enable();
  r.dma_setup(0x10000, 512, true);
  r.command({kRead, 0x00, 0, 0, 19, 2, 19, 0x1B, 0xFF}, 0);  // sector 19 on an 18-sector track
  std::vector<u8> st = r.command({}, 7);
  CHECK(st[0] == 0x40);
  CHECK(st[1] == 0x04);
  r.command({kRead, 0x00, 5, 0, 1, 2, 1, 0x1B, 0xFF}, 0);  // the head is on cylinder 0
  st = r.command({}, 7);
  CHECK(st[1] == 0x04);
  CHECK(st[2] == 0x10);  // wrong cylinder
  r.seek(0, 80);
  r.command({kRead, 0x00, 80, 0, 1, 2, 1, 0x1B, 0xFF}, 0);  // beyond the last track
  st = r.command({}, 7);
  CHECK(st[1] == 0x01);
  // With CONFIGURE EIS the controller seeks to the command's cylinder itself.
  r.command({0x13, 0x00, 0x40, 0x00}, 0);
  r.dma_setup(0x10000, 512, true);
  r.command({kRead, 0x00, 7, 0, 1, 2, 1, 0x1B, 0xFF}, 0);
  CHECK(r.command({}, 7)[0] == 0x00);
  CHECK(r.memory(0x10000, 512) == r.sectors(7, 0, 1, 1));
}

TEST_CASE("FDC: READ ID finds the media only at its data rate", "[fdc]") {
  FdcRig r;
  r.enable();
  r.out(kDir, 0x02);  // 250 kbps: a 720K rate
  r.command({kReadId, 0x00}, 0);
  std::vector<u8> st = r.command({}, 7);
  CHECK(st[0] == 0x40);
  CHECK(st[1] == 0x01);
  r.out(kDir, 0x00);  // 500 kbps
  r.command({kReadId, 0x00}, 0);
  st = r.command({}, 7);
  CHECK(st[0] == 0x00);
  const u8 first = st[5];
  r.command({kReadId, 0x00}, 0);
  CHECK(r.command({}, 7)[5] == first % 18 + 1);  // the next sector passes under the head
}

TEST_CASE("FDC: 720K and 2.88M media read at 250 kbps and 1 Mbps", "[fdc]") {
  for (const auto& [sectors, rate, spt] : {std::tuple{1440u, u8{2}, 9u}, std::tuple{5760u, u8{3}, 36u}}) {
    FdcRig r(sectors);
    r.enable();
    r.out(kDir, rate);
    r.seek(1, 3);
    r.dma_setup(0x10000, 512, true);
    r.command({kRead, 0x04, 3, 1, static_cast<u8>(spt), 2, static_cast<u8>(spt), 0x1B, 0xFF}, 0);
    CHECK(r.command({}, 7)[0] == 0x04);
    const size_t lba = (3 * 2 + 1) * spt + spt - 1;
    CHECK(r.memory(0x10000, 512) == std::vector<u8>(r.image.begin() + lba * 512, r.image.begin() + (lba + 1) * 512));
  }
}

TEST_CASE("FDC: FORMAT TRACK writes the filler byte into each sector", "[fdc]") {
  FdcRig r;
  r.enable();
  r.seek(1, 6);
  std::vector<u8> ids;
  for (u8 s = 1; s <= 18; ++s) ids.insert(ids.end(), {6, 1, s, 2});
  REQUIRE(r.mem.dma_write(0x40000, ids.data(), ids.size()));
  r.dma_setup(0x40000, static_cast<u32>(ids.size()), false);
  r.command({kFormat, 0x04, 2, 18, 0x6C, 0xF6}, 0);
  CHECK(r.command({}, 7)[0] == 0x04);
  r.dma_setup(0x10000, 18 * 512, true);
  r.command({kRead & 0x7F, 0x04, 6, 1, 1, 2, 18, 0x1B, 0xFF}, 0);
  CHECK(r.command({}, 7)[0] == 0x04);
  CHECK(r.memory(0x10000, 18 * 512) == std::vector<u8>(18 * 512, 0xF6));
  CHECK(r.memory(0x10000, 1) != r.sectors(6, 0, 1, 1));
}

TEST_CASE("FDC: a transfer waits for a masked DMA channel", "[fdc]") {
  FdcRig r;
  r.enable();
  r.dma_setup(0x10000, 512, true);
  r.out(0x0A, 0x06);  // mask channel 2 again
  r.command({kRead, 0x00, 0, 0, 1, 2, 1, 0x1B, 0xFF}, 0);
  CHECK(r.msr() == 0x10);  // busy, waiting for DMA
  CHECK_FALSE(r.irq.level);
  r.out(0x0A, 0x02);
  CHECK(r.irq.level);
  CHECK(r.command({}, 7)[0] == 0x00);
  CHECK(r.memory(0x10000, 512) == r.sectors(0, 0, 1, 1));
}

TEST_CASE("FDC: non-DMA mode moves data through the FIFO", "[fdc]") {
  FdcRig r;
  r.enable();
  r.command({0x03, 0xAF, 0x03}, 0);  // ND
  r.command({kRead & 0x7F, 0x00, 0, 0, 17, 2, 18, 0x1B, 0xFF}, 0);
  CHECK(r.irq.level);
  std::vector<u8> got;
  while ((r.msr() & 0xE0) == 0xE0) got.push_back(r.in(kFifo));  // RQM, DIO, non-DMA
  CHECK(got == r.sectors(0, 0, 17, 2));
  const std::vector<u8> st = r.command({}, 7);
  CHECK(st[0] == 0x40);  // no terminal count in non-DMA mode: end of cylinder
  CHECK(st[1] == 0x80);
  std::vector<u8> data(512, 0x3C);
  r.command({kWrite & 0x7F, 0x00, 0, 0, 2, 2, 2, 0x1B, 0xFF}, 0);
  CHECK((r.msr() & 0xE0) == 0xA0);
  for (u8 b : data) r.out(kFifo, b);
  CHECK(r.command({}, 7)[1] == 0x80);
}

TEST_CASE("FDC: state saves and loads as the identity, in a non-DMA read", "[fdc][state]") {
  FdcRig r;
  r.enable();
  r.command({0x03, 0xAF, 0x03}, 0);
  r.command({kRead & 0x7F, 0x00, 0, 0, 18, 2, 18, 0x1B, 0xFF}, 0);
  std::vector<u8> got;
  for (int i = 0; i < 100; ++i) got.push_back(r.in(kFifo));
  std::vector<u8> saved;
  StateIo out(saved);
  r.fdc.serialize(out);

  FdcRig other;
  StateIo in("fdc", saved);
  other.fdc.serialize(in);
  in.expect_end();
  std::vector<u8> again;
  StateIo out2(again);
  other.fdc.serialize(out2);
  CHECK(again == saved);
  while ((other.msr() & 0xE0) == 0xE0) got.push_back(other.in(kFifo));
  CHECK(got == r.sectors(0, 0, 18, 1));

  FdcRig empty;
  Fdc82077 no_drive(empty.io, IrqLine(), empty.dma.channel(2));
  StateIo in2("fdc", saved);
  CHECK_THROWS(no_drive.serialize(in2));
}
