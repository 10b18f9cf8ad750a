// PIIX IDE channel with ATA disks: IDENTIFY, PIO and DMA transfers, errors, resets, interrupts
// and save states.
#include <catch2/catch.hpp>

#include "devices/pci.h"
#include "devices/piix_ide.h"
#include "tests/unit/ide_rig.h"

using namespace tern;
using namespace tern::test;

namespace {

constexpr u8 kReadSectors = 0x20, kReadSectorsExt = 0x24, kReadMultiple = 0xC4, kReadDma = 0xC8, kReadDmaExt = 0x25,
             kWriteSectors = 0x30, kWriteMultiple = 0xC5, kWriteDma = 0xCA, kReadVerify = 0x40, kSetMultiple = 0xC6,
             kIdentify = 0xEC, kIdentifyPacket = 0xA1, kSetFeatures = 0xEF, kInitParams = 0x91, kFlush = 0xE7,
             kStandbyImmediate = 0xE0, kIdleImmediate = 0xE1, kCheckPower = 0xE5, kDiagnostic = 0x90;
constexpr u8 kDrdy = 0x40, kDsc = 0x10, kDrq = 0x08, kErr = 0x01, kBsy = 0x80;
constexpr u64 kSectors = 40960;  // 20 MiB

std::vector<u8> sector_of(const std::vector<u8>& image, u64 lba, u64 count = 1) {
  return std::vector<u8>(image.begin() + lba * 512, image.begin() + (lba + count) * 512);
}

std::string ata_string(const std::vector<u16>& w, int first, int words) {
  std::string s;
  for (int i = first; i < first + words; ++i) {
    s += static_cast<char>(w[i] >> 8);
    s += static_cast<char>(w[i] & 0xFF);
  }
  return s.substr(0, s.find_last_not_of(' ') + 1);
}

}  // namespace

TEST_CASE("IDENTIFY DEVICE reports geometry, capacity, LBA48 and a valid checksum", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(kSectors * 512));
  const std::vector<u16> w = rig.identify_words(kIdentify);
  CHECK(w[0] == 0x0040);
  CHECK(w[1] == 40);  // 40960 / (16 * 63)
  CHECK(w[3] == 16);
  CHECK(w[6] == 63);
  CHECK(ata_string(w, 27, 20) == "TERN HARDDISK");
  CHECK(ata_string(w, 10, 10) == "TEST-HD");
  CHECK((w[47] & 0xFF) == AtaDisk::kMaxMultiple);
  CHECK((w[49] & (1 << 9)) != 0);  // LBA
  CHECK((w[49] & (1 << 8)) != 0);  // DMA
  CHECK((w[53] & 0x07) == 0x07);
  CHECK((u32{w[60]} | u32{w[61]} << 16) == kSectors);
  CHECK((w[83] & (1 << 10)) != 0);  // 48-bit addressing
  CHECK((w[86] & (1 << 10)) != 0);
  CHECK((u64{w[100]} | u64{w[101]} << 16 | u64{w[102]} << 32 | u64{w[103]} << 48) == kSectors);
  CHECK((w[80] & (1 << 6)) != 0);
  // Device 0 alone: it answers for device 1 (what SeaBIOS checks to skip probing device 1).
  CHECK((w[93] & 0xDF61) == 0x4041);
  // Integrity word: signature A5h and the sum of all 512 bytes is zero.
  CHECK((w[255] & 0xFF) == 0xA5);
  u8 sum = 0;
  for (u16 x : w) sum = static_cast<u8>(sum + (x & 0xFF) + (x >> 8));
  CHECK(sum == 0);
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("IDENTIFY raises INTRQ with DRQ; reading Status acknowledges it", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.out(IdeRig::kCommand, kIdentify);
  CHECK(rig.irq.level);
  CHECK((rig.alt_status() & kDrq) != 0);
  CHECK(rig.irq.level);  // Alternate Status does not acknowledge
  CHECK((rig.status() & (kDrq | kBsy | kErr)) == kDrq);
  CHECK_FALSE(rig.irq.level);
  rig.read_data(512);
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("READ SECTORS (LBA28) returns each sector with one interrupt per DRQ block", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  rig.lba28(kReadSectors, 1000, 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(rig.irq.level);
    CHECK((rig.status() & (kDrq | kErr)) == kDrq);
    CHECK(rig.read_data(512) == sector_of(image, 1000 + i));
  }
  CHECK(rig.irq.rises == 3);
  CHECK(rig.status() == (kDrdy | kDsc));
  // The registers hold the last sector transferred.
  CHECK(rig.in(IdeRig::kLbaLow) == (1002 & 0xFF));
  CHECK(rig.in(IdeRig::kLbaMid) == (1002 >> 8));
}

TEST_CASE("READ SECTORS with a count of 0 transfers 256 sectors", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  rig.lba28(kReadSectors, 10, 0);
  for (int i = 0; i < 256; ++i) REQUIRE(rig.read_data(512) == sector_of(image, 10 + i));
  CHECK((rig.status() & kDrq) == 0);
}

TEST_CASE("CHS addressing uses the default translation, then INITIALIZE DEVICE PARAMETERS", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  // Cylinder 2, head 3, sector 5 with 16 heads and 63 sectors per track.
  auto chs_read = [&](u16 c, u8 h, u8 s) {
    rig.out(IdeRig::kCount, 1);
    rig.out(IdeRig::kLbaLow, s);
    rig.out(IdeRig::kLbaMid, static_cast<u8>(c));
    rig.out(IdeRig::kLbaHigh, static_cast<u8>(c >> 8));
    rig.out(IdeRig::kDevice, static_cast<u8>(0xA0 | h));
    rig.out(IdeRig::kCommand, kReadSectors);
  };
  chs_read(2, 3, 5);
  CHECK(rig.read_data(512) == sector_of(image, (2 * 16 + 3) * 63 + 4));
  // Sector 0 does not exist in CHS.
  chs_read(0, 0, 0);
  CHECK(rig.status() == (kDrdy | kDsc | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x10);

  rig.out(IdeRig::kCount, 32);
  rig.out(IdeRig::kDevice, 0xA0 | 7);  // 8 heads
  rig.out(IdeRig::kCommand, kInitParams);
  CHECK(rig.status() == (kDrdy | kDsc));
  const std::vector<u16> w = rig.identify_words(kIdentify);
  CHECK(w[55] == 8);
  CHECK(w[56] == 32);
  CHECK(w[54] == kSectors / (8 * 32));
  CHECK(w[1] == 40);  // the default translation is unchanged
  chs_read(1, 2, 3);
  CHECK(rig.read_data(512) == sector_of(image, (1 * 8 + 2) * 32 + 2));
}

TEST_CASE("WRITE SECTORS: first block without interrupt, data reaches the image", "[ide]") {
  IdeRig rig;
  AtaDisk& disk = rig.add_disk(0, std::vector<u8>(kSectors * 512));
  std::vector<u8> a(512, 0x11), b(512, 0x22);
  rig.lba28(kWriteSectors, 77, 2);
  CHECK_FALSE(rig.irq.level);
  CHECK((rig.status() & kDrq) != 0);
  rig.write_data(a);
  CHECK(rig.irq.level);  // the second block is asked for with an interrupt
  CHECK((rig.status() & kDrq) != 0);
  rig.write_data(b);
  CHECK(rig.irq.level);
  CHECK(rig.status() == (kDrdy | kDsc));
  std::vector<u8> got(1024);
  REQUIRE(disk.image().read_sectors(77, 2, 512, got.data()));
  CHECK(std::vector<u8>(got.begin(), got.begin() + 512) == a);
  CHECK(std::vector<u8>(got.begin() + 512, got.end()) == b);
  // And PIO reads it back.
  rig.lba28(kReadSectors, 78, 1);
  CHECK(rig.read_data(512) == b);
}

TEST_CASE("READ SECTORS EXT addresses with the HOB bytes", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  rig.lba48(kReadSectorsExt, 30000, 2);
  CHECK(rig.read_data(1024) == sector_of(image, 30000, 2));
  CHECK(rig.status() == (kDrdy | kDsc));
  // An LBA with bits above 28 set is outside this disk: IDNF.
  rig.lba48(kReadSectorsExt, u64{1} << 40, 1);
  CHECK(rig.status() == (kDrdy | kDsc | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x10);
}

TEST_CASE("HOB in Device Control reads the previous register bytes", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.out(IdeRig::kCount, 0x12);
  rig.out(IdeRig::kCount, 0x34);
  CHECK(rig.in(IdeRig::kCount) == 0x34);
  rig.control(0x80);
  CHECK(rig.in(IdeRig::kCount) == 0x12);
  rig.out(IdeRig::kLbaLow, 0);  // a register write clears HOB
  CHECK(rig.in(IdeRig::kCount) == 0x34);
}

TEST_CASE("READ/WRITE MULTIPLE move DRQ blocks of the multiple count", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  AtaDisk& disk = rig.add_disk(0, image);
  rig.lba28(kReadMultiple, 5, 10);
  CHECK(rig.status() == (kDrdy | kDsc | kErr));  // before SET MULTIPLE MODE
  CHECK(rig.in(IdeRig::kError) == 0x04);

  rig.out(IdeRig::kCount, 3);
  rig.out(IdeRig::kCommand, kSetMultiple);
  CHECK((rig.status() & kErr) != 0);  // not a power of two
  rig.out(IdeRig::kCount, 4);
  rig.out(IdeRig::kCommand, kSetMultiple);
  CHECK(rig.status() == (kDrdy | kDsc));
  CHECK((rig.identify_words(kIdentify)[59]) == 0x0104);

  const int before = rig.irq.rises;
  rig.lba28(kReadMultiple, 5, 10);
  CHECK((rig.status() & kDrq) != 0);
  CHECK(rig.read_data(4 * 512) == sector_of(image, 5, 4));
  CHECK((rig.status() & kDrq) != 0);
  CHECK(rig.read_data(4 * 512) == sector_of(image, 9, 4));
  CHECK((rig.status() & kDrq) != 0);
  CHECK(rig.read_data(2 * 512) == sector_of(image, 13, 2));
  CHECK(rig.status() == (kDrdy | kDsc));
  CHECK(rig.irq.rises - before == 3);

  std::vector<u8> data(6 * 512);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<u8>(i * 3);
  rig.lba28(kWriteMultiple, 100, 6);
  rig.write_data(std::vector<u8>(data.begin(), data.begin() + 4 * 512));
  CHECK((rig.status() & kDrq) != 0);
  rig.write_data(std::vector<u8>(data.begin() + 4 * 512, data.end()));
  CHECK(rig.status() == (kDrdy | kDsc));
  std::vector<u8> got(data.size());
  REQUIRE(disk.image().read_sectors(100, 6, 512, got.data()));
  CHECK(got == data);
}

TEST_CASE("out-of-range and unknown commands end with IDNF/ABRT and an interrupt", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(kSectors * 512));
  rig.lba28(kReadSectors, kSectors - 1, 2);
  CHECK(rig.irq.level);
  CHECK(rig.status() == (kDrdy | kDsc | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x10);
  rig.lba28(kWriteSectors, kSectors, 1);
  CHECK(rig.status() == (kDrdy | kDsc | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x10);
  rig.lba28(kReadDma, 0x0FFFFFFF, 1);
  CHECK(rig.in(IdeRig::kError) == 0x10);
  rig.out(IdeRig::kCommand, 0x5C);  // not an ATA-6 command
  CHECK(rig.status() == (kDrdy | kDsc | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x04);
  rig.out(IdeRig::kCommand, kIdentifyPacket);  // a disk is no packet device
  CHECK(rig.in(IdeRig::kError) == 0x04);
  // The next good command clears ERR.
  rig.lba28(kReadVerify, 0, 8);
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("SET FEATURES selects transfer modes; bad subcommands abort", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.out(IdeRig::kFeature, 0x03);
  rig.out(IdeRig::kCount, 0x45);  // UDMA 5
  rig.out(IdeRig::kCommand, kSetFeatures);
  CHECK(rig.status() == (kDrdy | kDsc));
  std::vector<u16> w = rig.identify_words(kIdentify);
  CHECK(w[88] == (0x003F | 0x2000));
  CHECK((w[63] & 0xFF00) == 0);
  rig.out(IdeRig::kFeature, 0x03);
  rig.out(IdeRig::kCount, 0x21);  // MWDMA 1
  rig.out(IdeRig::kCommand, kSetFeatures);
  w = rig.identify_words(kIdentify);
  CHECK(w[63] == (0x0007 | 0x0200));
  rig.out(IdeRig::kFeature, 0x03);
  rig.out(IdeRig::kCount, 0x47);  // UDMA 7 does not exist
  rig.out(IdeRig::kCommand, kSetFeatures);
  CHECK(rig.in(IdeRig::kError) == 0x04);
  rig.out(IdeRig::kFeature, 0x82);  // write cache off
  rig.out(IdeRig::kCommand, kSetFeatures);
  CHECK(rig.status() == (kDrdy | kDsc));
  CHECK((rig.identify_words(kIdentify)[85] & (1 << 5)) == 0);
  rig.out(IdeRig::kFeature, 0x99);
  rig.out(IdeRig::kCommand, kSetFeatures);
  CHECK(rig.in(IdeRig::kError) == 0x04);
}

TEST_CASE("power commands and FLUSH CACHE complete", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.out(IdeRig::kCommand, kStandbyImmediate);
  CHECK(rig.status() == (kDrdy | kDsc));
  rig.out(IdeRig::kCommand, kCheckPower);
  CHECK(rig.in(IdeRig::kCount) == 0x00);
  rig.out(IdeRig::kCommand, kIdleImmediate);
  rig.out(IdeRig::kCommand, kCheckPower);
  CHECK(rig.in(IdeRig::kCount) == 0xFF);
  rig.out(IdeRig::kCommand, kFlush);
  CHECK(rig.irq.level);
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("SRST: BSY while asserted, the ATA signature after", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.lba28(kReadSectors, 3, 2);
  rig.control(0x04 | 0x02);
  CHECK(rig.alt_status() == kBsy);
  rig.control(0x02);
  CHECK(rig.status() == (kDrdy | kDsc));
  CHECK(rig.in(IdeRig::kCount) == 1);
  CHECK(rig.in(IdeRig::kLbaLow) == 1);
  CHECK(rig.in(IdeRig::kLbaMid) == 0);
  CHECK(rig.in(IdeRig::kLbaHigh) == 0);
  CHECK(rig.in(IdeRig::kError) == 0x01);
  CHECK_FALSE(rig.irq.level);
  // The aborted read left no data phase behind.
  CHECK(rig.data16() == 0xFFFF);
}

TEST_CASE("nIEN masks INTRQ; clearing it lets a pending interrupt through", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.control(0x02);
  rig.out(IdeRig::kCommand, kFlush);
  CHECK_FALSE(rig.irq.level);
  rig.control(0x00);
  CHECK(rig.irq.level);
  rig.status();
  CHECK_FALSE(rig.irq.level);
}

TEST_CASE("an absent device 1 latches registers, reads Status 00h, signature FFh/FFh", "[ide]") {
  IdeRig rig;
  rig.add_disk(0, std::vector<u8>(64 * 512));
  rig.out(IdeRig::kDevice, 0xB0);
  rig.out(IdeRig::kCount, 0x55);
  rig.out(IdeRig::kLbaLow, 0xAA);
  CHECK(rig.in(IdeRig::kCount) == 0x55);
  CHECK(rig.in(IdeRig::kLbaLow) == 0xAA);
  CHECK(rig.in(IdeRig::kDevice) == 0xB0);
  CHECK(rig.status() == 0x00);
  rig.out(IdeRig::kCommand, kIdentify);  // nobody executes it
  CHECK(rig.status() == 0x00);
  CHECK_FALSE(rig.irq.level);
  rig.out(IdeRig::kDevice, 0xA0);
  CHECK(rig.status() == (kDrdy | kDsc));
  // After a reset its signature is FFh/FFh (no device), while device 0 shows the ATA one.
  rig.control(0x04);
  rig.control(0x00);
  rig.out(IdeRig::kDevice, 0xB0);
  CHECK(rig.in(IdeRig::kLbaMid) == 0xFF);
  CHECK(rig.in(IdeRig::kLbaHigh) == 0xFF);
  CHECK(rig.status() == 0x00);
  rig.out(IdeRig::kDevice, 0xA0);
  CHECK(rig.in(IdeRig::kLbaMid) == 0x00);
}

TEST_CASE("a channel without devices floats: all ones", "[ide]") {
  IdeRig rig;
  CHECK(rig.status() == 0xFF);
  CHECK(rig.alt_status() == 0xFF);
  CHECK(rig.in(IdeRig::kCount) == 0xFF);
}

TEST_CASE("two disks: each answers when selected; word 93 records the pair", "[ide]") {
  IdeRig rig;
  const auto image0 = pattern_image(64, 512);
  const auto image1 = pattern_image(128, 512);
  rig.add_disk(0, image0);
  rig.add_disk(1, image1);
  rig.out(IdeRig::kDevice, 0xB0);
  const std::vector<u16> w1 = rig.identify_words(kIdentify);
  CHECK((u32{w1[60]} | u32{w1[61]} << 16) == 128);
  CHECK((w1[93] & 0x0100) != 0);
  rig.lba28(kReadSectors, 100, 1, 1);
  CHECK(rig.read_data(512) == sector_of(image1, 100));
  rig.out(IdeRig::kDevice, 0xA0);
  const std::vector<u16> w0 = rig.identify_words(kIdentify);
  CHECK((w0[93] & 0xDF61) != 0x4041);
  CHECK((w0[93] & 0x0030) == 0x0030);
  // EXECUTE DEVICE DIAGNOSTIC selects device 0 and reports "passed".
  rig.out(IdeRig::kDevice, 0xB0);
  rig.out(IdeRig::kCommand, kDiagnostic);
  CHECK(rig.in(IdeRig::kError) == 0x01);
  CHECK((rig.in(IdeRig::kDevice) & 0x10) == 0);
}

TEST_CASE("32-bit data port reads take four bytes", "[ide]") {
  IdeRig rig;
  const auto image = pattern_image(64, 512);
  rig.add_disk(0, image);
  rig.lba28(kReadSectors, 7, 1);
  std::vector<u8> got;
  for (int i = 0; i < 128; ++i) {
    const u32 v = rig.channel.read_command_block(0, 4);
    for (int b = 0; b < 4; ++b) got.push_back(static_cast<u8>(v >> (8 * b)));
  }
  CHECK(got == sector_of(image, 7));
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("READ DMA scatters sectors along the PRD table", "[ide][dma]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  rig.prd_table(0x1000, {{0x20000, 512}, {0x30000, 1024}});
  rig.lba28(kReadDma, 400, 3);
  CHECK((rig.alt_status() & kDrq) != 0);
  CHECK_FALSE(rig.irq.level);
  rig.bm_start(true);
  CHECK(rig.irq.level);
  CHECK((rig.bm_status() & (IdeBusMaster::kInterrupt | IdeBusMaster::kActive)) == IdeBusMaster::kInterrupt);
  CHECK(rig.memory(0x20000, 512) == sector_of(image, 400));
  CHECK(rig.memory(0x30000, 1024) == sector_of(image, 401, 2));
  rig.bm_stop();
  CHECK(rig.status() == (kDrdy | kDsc));
  rig.bm_write8(IdeBusMaster::kStatus, IdeBusMaster::kInterrupt);  // write one to clear
  CHECK((rig.bm_status() & IdeBusMaster::kInterrupt) == 0);
}

TEST_CASE("WRITE DMA gathers memory into the image, started before the command", "[ide][dma]") {
  IdeRig rig;
  AtaDisk& disk = rig.add_disk(0, std::vector<u8>(kSectors * 512));
  std::vector<u8> data(2048);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<u8>(i ^ 0x5A);
  REQUIRE(rig.mem.dma_write(0x40000, data.data(), data.size()));
  rig.prd_table(0x1000, {{0x40000, 2048}});
  rig.bm_start(false);
  rig.lba28(kWriteDma, 9, 4);
  CHECK(rig.irq.level);
  CHECK(rig.status() == (kDrdy | kDsc));
  std::vector<u8> got(2048);
  REQUIRE(disk.image().read_sectors(9, 4, 512, got.data()));
  CHECK(got == data);
}

TEST_CASE("READ DMA EXT with a 64 KiB PRD (byte count 0)", "[ide][dma]") {
  IdeRig rig;
  const auto image = pattern_image(kSectors, 512);
  rig.add_disk(0, image);
  rig.prd_table(0x1000, {{0x50000, 0}});
  rig.lba48(kReadDmaExt, 1000, 128);
  rig.bm_start(true);
  CHECK((rig.bm_status() & (IdeBusMaster::kInterrupt | IdeBusMaster::kActive)) == IdeBusMaster::kInterrupt);
  CHECK(rig.memory(0x50000, 65536) == sector_of(image, 1000, 128));
}

TEST_CASE("a PRD table larger than the transfer leaves Active set", "[ide][dma]") {
  IdeRig rig;
  rig.add_disk(0, pattern_image(64, 512));
  rig.prd_table(0x1000, {{0x20000, 4096}});
  rig.lba28(kReadDma, 0, 1);
  rig.bm_start(true);
  CHECK((rig.bm_status() & (IdeBusMaster::kInterrupt | IdeBusMaster::kActive)) ==
        (IdeBusMaster::kInterrupt | IdeBusMaster::kActive));
  CHECK(rig.status() == (kDrdy | kDsc));
}

TEST_CASE("a PRD table smaller than the transfer stalls the device without an interrupt", "[ide][dma]") {
  IdeRig rig;
  const auto image = pattern_image(64, 512);
  rig.add_disk(0, image);
  rig.prd_table(0x1000, {{0x20000, 512}});
  rig.lba28(kReadDma, 0, 2);
  rig.bm_start(true);
  CHECK((rig.bm_status() & (IdeBusMaster::kInterrupt | IdeBusMaster::kActive)) == 0);
  CHECK_FALSE(rig.irq.level);
  CHECK((rig.alt_status() & kDrq) != 0);
  // A second table for the rest completes the command.
  rig.bm_stop();
  rig.prd_table(0x1100, {{0x30000, 512}});
  rig.bm_start(true);
  CHECK(rig.irq.level);
  CHECK(rig.memory(0x20000, 512) == sector_of(image, 0));
  CHECK(rig.memory(0x30000, 512) == sector_of(image, 1));
}

TEST_CASE("a PRD outside RAM sets the bus master Error bit, host memory untouched", "[ide][dma]") {
  IdeRig rig;
  rig.add_disk(0, pattern_image(64, 512));
  rig.prd_table(0x1000, {{0xFFFF0000u, 512}});
  rig.lba28(kReadDma, 0, 1);
  rig.bm_start(true);
  CHECK((rig.bm_status() & IdeBusMaster::kError) != 0);
  CHECK((rig.bm_status() & IdeBusMaster::kActive) == 0);
  CHECK_FALSE(rig.irq.level);
  // A PRD table pointer outside RAM, too.
  rig.bm_stop();
  rig.channel.write_bus_master(IdeBusMaster::kPrdTable, 0xFFFFF000u, 4);
  rig.bm_write8(IdeBusMaster::kStatus, IdeBusMaster::kError);
  rig.bm_start(true);
  CHECK((rig.bm_status() & IdeBusMaster::kError) != 0);
}

TEST_CASE("no DMA while PCI bus mastering is disabled", "[ide][dma]") {
  IdeRig rig;
  rig.channel.set_bus_master_enabled(false);
  const auto image = pattern_image(64, 512);
  rig.add_disk(0, image);
  rig.prd_table(0x1000, {{0x20000, 512}});
  rig.lba28(kReadDma, 5, 1);
  rig.bm_start(true);
  CHECK_FALSE(rig.irq.level);
  CHECK(rig.memory(0x20000, 512) == std::vector<u8>(512, 0));
  rig.channel.set_bus_master_enabled(true);
  CHECK(rig.irq.level);
  CHECK(rig.memory(0x20000, 512) == sector_of(image, 5));
}

TEST_CASE("IDE state saves and loads as the identity, in the middle of a transfer", "[ide][state]") {
  const auto image = pattern_image(256, 512);
  IdeRig rig;
  rig.add_disk(0, image);
  rig.out(IdeRig::kCount, 8);
  rig.out(IdeRig::kCommand, kSetMultiple);
  rig.lba28(kReadMultiple, 20, 12);
  const std::vector<u8> first = rig.read_data(1000);
  const std::vector<u8> saved = save_channel(rig.channel);

  IdeRig other;
  other.add_disk(0, image);
  load_channel(other.channel, saved);
  CHECK(save_channel(other.channel) == saved);
  std::vector<u8> rest = other.read_data(12 * 512 - 1000);
  std::vector<u8> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  CHECK(all == sector_of(image, 20, 12));
  CHECK(other.status() == (kDrdy | kDsc));

  IdeRig wrong;  // a machine with other drives refuses the state
  CHECK_THROWS(load_channel(wrong.channel, saved));
}

TEST_CASE("PIIX IDE function: IDs, BAR 4, legacy decode gated by PCICMD and IDETIM", "[ide][pci]") {
  IoSpace io;
  PhysMemory mem(1 << 20);
  IrqRecorder irq14, irq15;
  PciBus bus(io);
  PiixIde ide(io, mem, IrqLine(&irq14, 14), IrqLine(&irq15, 15));
  bus.attach(1, 1, ide);
  ide.channel(0).attach(0, std::make_unique<AtaDisk>(make_memory_image(pattern_image(64, 512)), "PCI-HD"));
  CHECK(bus.config_read(1, 1, 0x00, 4) == 0x70108086u);
  CHECK(bus.config_read(1, 1, 0x08, 4) >> 8 == 0x010180u);
  CHECK(bus.config_read(1, 1, 0x3D, 1) == 0);  // legacy IRQs, no INTx pin
  // BAR 4: 16 bytes of I/O.
  bus.config_write(1, 1, 0x20, 0xFFFFFFFF, 4);
  CHECK(bus.config_read(1, 1, 0x20, 4) == 0xFFFFFFF1u);
  bus.config_write(1, 1, 0x20, 0xC000, 4);

  CHECK(io.read(0x1F7, 1) == 0xFF);  // not decoded at power-on
  bus.config_write(1, 1, 0x04, 0x0005, 2);  // I/O space and bus master
  CHECK(io.read(0x1F7, 1) == 0xFF);  // IDETIM decode still off
  bus.config_write(1, 1, 0x40, 0x8000, 2);
  CHECK(io.read(0x1F7, 1) == 0x50);
  CHECK(io.read(0x177, 1) == 0xFF);  // the secondary channel is still off
  bus.config_write(1, 1, 0x42, 0x8000, 2);
  CHECK(io.read(0x177, 1) == 0xFF);  // decoded, but no device: floating

  // A DMA read through the ports, as a driver does it.
  u8 prd[8];
  store_le<u32>(prd, 0x8000);
  store_le<u32>(prd + 4, 0x80000000u | 512);
  REQUIRE(mem.dma_write(0x1000, prd, 8));
  io.write(0xC004, 0x1000, 4);
  io.write(0x1F2, 1, 1);
  io.write(0x1F3, 9, 1);
  io.write(0x1F4, 0, 1);
  io.write(0x1F5, 0, 1);
  io.write(0x1F6, 0xE0, 1);
  io.write(0x1F7, 0xC8, 1);
  io.write(0xC000, 0x09, 1);
  CHECK(irq14.level);
  CHECK(io.read(0xC002, 1) == 0x04);
  std::vector<u8> got(512);
  REQUIRE(mem.dma_read(0x8000, got.data(), 512));
  CHECK(got == sector_of(pattern_image(64, 512), 9));

  // Moving BAR 4 moves the registers.
  bus.config_write(1, 1, 0x20, 0xD000, 4);
  CHECK(io.read(0xD002, 1) == 0x04);
  CHECK(io.read(0xC002, 1) == 0xFF);
  // Turning I/O space off removes the legacy ports.
  bus.config_write(1, 1, 0x04, 0x0000, 2);
  CHECK(io.read(0x1F7, 1) == 0xFF);
}
