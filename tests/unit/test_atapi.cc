// The ATAPI CD-ROM: signature, IDENTIFY PACKET DEVICE, the PACKET protocol with byte count
// limits and DMA, the MMC packet commands guests use, sense data and the tray.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "tests/unit/ide_rig.h"

using namespace tern;
using namespace tern::test;

namespace {

constexpr u8 kDrdy = 0x40, kDrq = 0x08, kErr = 0x01, kBsy = 0x80;
constexpr u64 kDiscSectors = 300;

using Cdb = std::array<u8, 12>;

struct CdRig : IdeRig {
  std::vector<u8> disc = pattern_image(kDiscSectors, 2048);
  AtapiCdrom* cd = nullptr;

  explicit CdRig(bool with_media = true) {
    cd = &add_cdrom(0, with_media ? make_memory_image(disc, true) : nullptr);
  }

  // Issues PACKET and sends the command packet; the caller handles the data phase.
  void packet(const Cdb& cdb, u16 byte_limit = 0xFFFE, bool dma = false) {
    out(kFeature, dma ? 1 : 0);
    out(kLbaMid, static_cast<u8>(byte_limit));
    out(kLbaHigh, static_cast<u8>(byte_limit >> 8));
    out(kDevice, 0xA0);
    out(kCommand, 0xA0);
    REQUIRE((status() & (kBsy | kDrq)) == kDrq);
    REQUIRE((in(kCount) & 0x03) == 0x01);  // CoD, to the device
    for (size_t i = 0; i < cdb.size(); i += 2) out16(static_cast<u16>(cdb[i] | cdb[i + 1] << 8));
  }

  // Runs a data-in packet command by PIO and returns its data; empty with ERR on failure.
  std::vector<u8> transfer(const Cdb& cdb, u16 byte_limit = 0xFFFE, std::vector<u32>* blocks = nullptr) {
    packet(cdb, byte_limit);
    std::vector<u8> data;
    for (;;) {
      const u8 st = status();
      if (!(st & kDrq)) break;
      REQUIRE((in(kCount) & 0x03) == 0x02);  // IO, data to the host
      const u32 n = in(kLbaMid) | in(kLbaHigh) << 8;
      if (blocks) blocks->push_back(n);
      const std::vector<u8> block = read_data(n);
      data.insert(data.end(), block.begin(), block.end());
    }
    CHECK((in(kCount) & 0x03) == 0x03);  // status phase
    return data;
  }
  bool failed() { return (alt_status() & kErr) != 0; }

  struct Sense {
    u8 key, asc, ascq;
  };
  Sense sense() {
    const std::vector<u8> s = transfer({0x03, 0, 0, 0, 18});
    REQUIRE(s.size() == 18);
    CHECK(s[0] == 0x70);
    return {static_cast<u8>(s[2] & 0x0F), s[12], s[13]};
  }
  // Consumes the power-on unit attention.
  void settle() {
    transfer({0x00});
    sense();
  }
};

u32 be32(const std::vector<u8>& v, size_t at) {
  return u32{v[at]} << 24 | u32{v[at + 1]} << 16 | u32{v[at + 2]} << 8 | v[at + 3];
}
u16 be16(const std::vector<u8>& v, size_t at) { return static_cast<u16>(v[at] << 8 | v[at + 1]); }

Cdb read10(u32 lba, u16 count) {
  return {0x28, 0, static_cast<u8>(lba >> 24), static_cast<u8>(lba >> 16), static_cast<u8>(lba >> 8),
          static_cast<u8>(lba), 0, static_cast<u8>(count >> 8), static_cast<u8>(count)};
}

std::vector<u8> disc_sectors(const std::vector<u8>& disc, u64 lba, u64 count) {
  return std::vector<u8>(disc.begin() + lba * 2048, disc.begin() + (lba + count) * 2048);
}

}  // namespace

TEST_CASE("ATAPI: IDENTIFY DEVICE aborts with the packet signature", "[atapi]") {
  CdRig rig;
  CHECK(rig.in(IdeRig::kLbaMid) == 0x14);  // power-on signature
  CHECK(rig.in(IdeRig::kLbaHigh) == 0xEB);
  rig.out(IdeRig::kCommand, 0xEC);
  CHECK(rig.status() == (kDrdy | kErr));
  CHECK(rig.in(IdeRig::kError) == 0x04);
  CHECK(rig.in(IdeRig::kLbaMid) == 0x14);
  CHECK(rig.in(IdeRig::kLbaHigh) == 0xEB);
  CHECK(rig.in(IdeRig::kCount) == 0x01);
  CHECK(rig.in(IdeRig::kLbaLow) == 0x01);
}

TEST_CASE("ATAPI: IDENTIFY PACKET DEVICE describes a removable CD-ROM", "[atapi]") {
  CdRig rig;
  const std::vector<u16> w = rig.identify_words(0xA1);
  CHECK(w[0] == 0x85C0);
  CHECK(((w[0] >> 8) & 0x1F) == 0x05);
  CHECK((w[49] & (1 << 8)) != 0);   // DMA
  CHECK((w[82] & (1 << 4)) != 0);   // PACKET feature set
  CHECK((w[80] & (1 << 6)) != 0);
  std::string model;
  for (int i = 27; i < 47; ++i) {
    model += static_cast<char>(w[i] >> 8);
    model += static_cast<char>(w[i] & 0xFF);
  }
  CHECK(model.rfind("TERN DVD-ROM", 0) == 0);
  CHECK((w[255] & 0xFF) == 0xA5);
  CHECK(rig.status() == kDrdy);
}

TEST_CASE("ATAPI: SRST restores the signature with status 00h", "[atapi]") {
  CdRig rig;
  rig.control(0x04);
  CHECK(rig.alt_status() == kBsy);
  rig.control(0x00);
  CHECK(rig.status() == 0x00);
  CHECK(rig.in(IdeRig::kLbaMid) == 0x14);
  CHECK(rig.in(IdeRig::kLbaHigh) == 0xEB);
  // DEVICE RESET does the same without an interrupt.
  rig.out(IdeRig::kCommand, 0x08);
  CHECK_FALSE(rig.irq.level);
  CHECK(rig.in(IdeRig::kLbaHigh) == 0xEB);
}

TEST_CASE("ATAPI: the packet phase asks without an interrupt, data and status phases with one", "[atapi]") {
  CdRig rig;
  rig.packet({0x12, 0, 0, 0, 36});
  CHECK(rig.irq.level);
  CHECK((rig.status() & kDrq) != 0);
  CHECK(rig.in(IdeRig::kCount) == 0x02);
  CHECK((rig.in(IdeRig::kLbaMid) | rig.in(IdeRig::kLbaHigh) << 8) == 36);
  const std::vector<u8> inq = rig.read_data(36);
  CHECK(inq[0] == 0x05);
  CHECK(inq[1] == 0x80);
  CHECK(std::string(inq.begin() + 8, inq.begin() + 12) == "TERN");
  CHECK(rig.irq.level);
  CHECK(rig.status() == kDrdy);
  CHECK(rig.in(IdeRig::kCount) == 0x03);
}

TEST_CASE("ATAPI: power-on unit attention, reported once through REQUEST SENSE", "[atapi]") {
  CdRig rig;
  // INQUIRY never reports it.
  CHECK(rig.transfer({0x12, 0, 0, 0, 36}).size() == 36);
  rig.transfer({0x00});
  CHECK(rig.failed());
  CHECK(rig.in(IdeRig::kError) == 0x60);  // sense key 6 in bits 7-4
  const auto s = rig.sense();
  CHECK(s.key == 6);
  CHECK(s.asc == 0x29);
  rig.transfer({0x00});
  CHECK_FALSE(rig.failed());
  CHECK(rig.sense().key == 0);
}

TEST_CASE("ATAPI: READ CAPACITY gives the last block and 2048-byte blocks", "[atapi]") {
  CdRig rig;
  rig.settle();
  const std::vector<u8> cap = rig.transfer({0x25});
  REQUIRE(cap.size() == 8);
  CHECK(be32(cap, 0) == kDiscSectors - 1);
  CHECK(be32(cap, 4) == 2048);
}

TEST_CASE("ATAPI: READ(10) by PIO honours the byte count limit", "[atapi]") {
  CdRig rig;
  rig.settle();
  std::vector<u32> blocks;
  CHECK(rig.transfer(read10(10, 3), 2048, &blocks) == disc_sectors(rig.disc, 10, 3));
  CHECK(blocks == std::vector<u32>{2048, 2048, 2048});
  blocks.clear();
  CHECK(rig.transfer(read10(20, 3), 0xFFFE, &blocks) == disc_sectors(rig.disc, 20, 3));
  CHECK(blocks == std::vector<u32>{6144});
  blocks.clear();
  CHECK(rig.transfer(read10(30, 3), 5000, &blocks) == disc_sectors(rig.disc, 30, 3));
  CHECK(blocks == std::vector<u32>{5000, 1144});
  blocks.clear();
  // An odd limit is rounded down to even for all but the last block.
  CHECK(rig.transfer(read10(40, 1), 1023, &blocks) == disc_sectors(rig.disc, 40, 1));
  CHECK(blocks == std::vector<u32>{1022, 1022, 4});
  CHECK_FALSE(rig.failed());
}

TEST_CASE("ATAPI: READ(12) and zero-length reads", "[atapi]") {
  CdRig rig;
  rig.settle();
  CHECK(rig.transfer({0xA8, 0, 0, 0, 1, 0x20, 0, 0, 0, 2}) == disc_sectors(rig.disc, 0x120, 2));
  CHECK(rig.transfer(read10(5, 0)).empty());
  CHECK_FALSE(rig.failed());
}

TEST_CASE("ATAPI: out-of-range reads and unknown commands give ILLEGAL REQUEST sense", "[atapi]") {
  CdRig rig;
  rig.settle();
  CHECK(rig.transfer(read10(kDiscSectors - 1, 2)).empty());
  CHECK(rig.failed());
  CHECK(rig.in(IdeRig::kError) == 0x50);
  auto s = rig.sense();
  CHECK(s.key == 5);
  CHECK(s.asc == 0x21);
  rig.transfer({0x2A});  // WRITE(10): not on this drive
  CHECK(rig.failed());
  s = rig.sense();
  CHECK(s.key == 5);
  CHECK(s.asc == 0x20);
  rig.transfer({0x12, 0x01, 0x80, 0, 36});  // INQUIRY with EVPD
  s = rig.sense();
  CHECK(s.asc == 0x24);
  // The sense is consumed: the next REQUEST SENSE says NO SENSE.
  CHECK(rig.sense().key == 0);
}

TEST_CASE("ATAPI: an empty drive is NOT READY, medium not present", "[atapi]") {
  CdRig rig(false);
  rig.transfer({0x00});
  CHECK(rig.failed());
  CHECK(rig.in(IdeRig::kError) == 0x20);  // what SeaBIOS checks for "not ready"
  const auto s = rig.sense();
  CHECK(s.key == 2);
  CHECK(s.asc == 0x3A);
  CHECK(s.ascq == 0x01);
  rig.transfer({0x25});
  CHECK(rig.failed());
  // Commands that need no disc work.
  CHECK(rig.transfer({0x12, 0, 0, 0, 36}).size() == 36);
}

TEST_CASE("ATAPI: MODE SENSE returns the capabilities page, all pages, and rejects saved values", "[atapi]") {
  CdRig rig;
  rig.settle();
  std::vector<u8> m = rig.transfer({0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128});
  REQUIRE(m.size() >= 10);
  CHECK(be16(m, 0) == m.size() - 2);
  CHECK(m[2] == 0x01);
  CHECK(be16(m, 6) == 0);  // no block descriptors
  CHECK(m[8] == 0x2A);
  CHECK(m[9] == m.size() - 10);
  CHECK((m[8 + 6] & 0x08) != 0);  // eject supported
  m = rig.transfer({0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 255});
  CHECK(m.size() > 40);
  // Allocation length cuts the reply.
  CHECK(rig.transfer({0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 8}).size() == 8);
  // MODE SENSE(6) has a 4-byte header.
  m = rig.transfer({0x1A, 0, 0x2A, 0, 64});
  CHECK(m[0] == m.size() - 1);
  CHECK(m[4] == 0x2A);
  rig.transfer({0x5A, 0, 0xEA, 0, 0, 0, 0, 0, 128});  // saved values
  CHECK(rig.sense().asc == 0x39);
  rig.transfer({0x5A, 0, 0x05, 0, 0, 0, 0, 0, 128});  // write parameters page: none
  CHECK(rig.sense().asc == 0x24);
}

TEST_CASE("ATAPI: GET CONFIGURATION reports the CD-ROM profile and features", "[atapi]") {
  CdRig rig;
  std::vector<u8> c = rig.transfer({0x46, 0, 0, 0, 0, 0, 0, 1, 0});
  REQUIRE(c.size() >= 8);
  CHECK(be32(c, 0) == c.size() - 4);
  CHECK(be16(c, 6) == 0x0008);
  CHECK(be16(c, 8) == 0x0000);  // first feature: profile list
  // RT=2: exactly the core feature.
  c = rig.transfer({0x46, 0x02, 0, 0x01, 0, 0, 0, 1, 0});
  CHECK(c.size() == 8 + 8);
  CHECK(be16(c, 8) == 0x0001);
  CHECK(be32(c, 12) == 2);  // ATAPI
  CdRig empty(false);
  c = empty.transfer({0x46, 0, 0, 0, 0, 0, 0, 1, 0});
  CHECK(be16(c, 6) == 0);
}

TEST_CASE("ATAPI: a DVD-sized image reports the DVD-ROM profile", "[atapi]") {
  const std::string path = (std::filesystem::temp_directory_path() / "tern-test-dvd.iso").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    REQUIRE(::ftruncate(::fileno(f), static_cast<off_t>(400000) * 2048) == 0);
    std::fclose(f);
  }
  IdeRig rig;
  rig.add_cdrom(0, open_disk_image(path, MediaKind::kCdrom, false, "--cdrom"));
  std::filesystem::remove(path);
  rig.out(IdeRig::kFeature, 0);
  rig.out(IdeRig::kLbaMid, 0xFE);
  rig.out(IdeRig::kLbaHigh, 0xFF);
  rig.out(IdeRig::kCommand, 0xA0);
  const Cdb cdb = {0x46, 0, 0, 0, 0, 0, 0, 1, 0};
  for (size_t i = 0; i < 12; i += 2) rig.out16(static_cast<u16>(cdb[i] | cdb[i + 1] << 8));
  const u32 n = rig.in(IdeRig::kLbaMid) | rig.in(IdeRig::kLbaHigh) << 8;
  const std::vector<u8> c = rig.read_data(n);
  CHECK(be16(c, 6) == 0x0010);
}

TEST_CASE("ATAPI: READ TOC formats 0, 1 and 2 in LBA and MSF", "[atapi]") {
  CdRig rig;
  rig.settle();
  std::vector<u8> t = rig.transfer({0x43, 0, 0, 0, 0, 0, 0, 0, 100});
  REQUIRE(t.size() == 4 + 16);
  CHECK(be16(t, 0) == 18);
  CHECK(t[2] == 1);
  CHECK(t[3] == 1);
  CHECK(t[5] == 0x14);
  CHECK(t[6] == 1);
  CHECK(be32(t, 8) == 0);
  CHECK(t[14] == 0xAA);
  CHECK(be32(t, 16) == kDiscSectors);
  t = rig.transfer({0x43, 0x02, 0, 0, 0, 0, 0, 0, 100});  // MSF: 300 + 150 frames = 00:06:00
  CHECK(t[17] == 0);
  CHECK(t[18] == 6);
  CHECK(t[19] == 0);
  CHECK(t[9] == 0);
  CHECK(t[10] == 2);  // track 1 at 00:02:00
  t = rig.transfer({0x43, 0, 0, 0, 0, 0, 0xAA, 0, 100});  // lead-out only
  CHECK(t.size() == 12);
  t = rig.transfer({0x43, 0, 1, 0, 0, 0, 0, 0, 100});
  CHECK(t.size() == 12);
  CHECK(be16(t, 0) == 10);
  t = rig.transfer({0x43, 0x02, 2, 0, 0, 0, 0, 0, 100});
  CHECK(t.size() == 4 + 4 * 11);
  CHECK(t[4 + 3] == 0xA0);
  CHECK(t[4 + 2 * 11 + 3] == 0xA2);
  CHECK(t[4 + 2 * 11 + 9] == 6);  // lead-out at 00:06:00
  rig.transfer({0x43, 0, 0, 0, 0, 0, 2, 0, 100});  // there is no track 2
  CHECK(rig.sense().asc == 0x24);
}

TEST_CASE("ATAPI: GET EVENT STATUS NOTIFICATION reports new media once; polled only", "[atapi]") {
  CdRig rig;
  std::vector<u8> e = rig.transfer({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8});
  REQUIRE(e.size() == 8);
  CHECK(be16(e, 0) == 6);
  CHECK(e[2] == 0x04);
  CHECK(e[4] == 2);     // new media
  CHECK(e[5] == 0x02);  // media present, tray closed
  e = rig.transfer({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8});
  CHECK(e[4] == 0);
  e = rig.transfer({0x4A, 0x01, 0, 0, 0x02, 0, 0, 0, 8});  // a class we do not have
  CHECK(e.size() == 4);
  CHECK(e[2] == 0x80);
  rig.transfer({0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8});
  CHECK(rig.failed());
  CHECK(rig.sense().asc == 0x24);
}

TEST_CASE("ATAPI: the tray locks, ejects and loads with unit attention", "[atapi]") {
  CdRig rig;
  rig.settle();
  rig.transfer({0x1E, 0, 0, 0, 1});  // prevent removal
  CHECK(rig.cd->locked());
  rig.transfer({0x1B, 0, 0, 0, 0x02});  // eject
  CHECK(rig.failed());
  CHECK(rig.sense().asc == 0x53);
  rig.transfer({0x1E, 0, 0, 0, 0});
  rig.transfer({0x1B, 0, 0, 0, 0x02});
  CHECK_FALSE(rig.failed());
  CHECK(rig.cd->tray_open());
  std::vector<u8> m = rig.transfer({0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8});
  CHECK(m[1] == 0x10);
  rig.transfer({0x00});
  auto s = rig.sense();
  CHECK(s.key == 2);
  CHECK(s.ascq == 0x02);  // tray open
  std::vector<u8> e = rig.transfer({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8});
  CHECK(e[4] == 3);     // media removal
  CHECK(e[5] == 0x01);  // tray open, no medium
  e = rig.transfer({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8});
  CHECK(e[4] == 0);
  rig.transfer({0x1B, 0, 0, 0, 0x03});  // load
  rig.transfer({0x00});
  s = rig.sense();
  CHECK(s.key == 6);
  CHECK(s.asc == 0x28);
  rig.transfer({0x00});
  CHECK_FALSE(rig.failed());
}

TEST_CASE("ATAPI: READ DISC INFORMATION and MECHANISM STATUS", "[atapi]") {
  CdRig rig;
  rig.settle();
  const std::vector<u8> d = rig.transfer({0x51, 0, 0, 0, 0, 0, 0, 0, 34});
  REQUIRE(d.size() == 34);
  CHECK(be16(d, 0) == 32);
  CHECK((d[2] & 0x03) == 0x02);  // complete disc
  CHECK(d[3] == 1);
  CHECK(d[4] == 1);
  const std::vector<u8> m = rig.transfer({0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8});
  REQUIRE(m.size() == 8);
  CHECK(m[1] == 0);
  rig.transfer({0xBB, 0, 0xFF, 0xFF});  // SET CD SPEED
  CHECK_FALSE(rig.failed());
}

TEST_CASE("ATAPI: READ CD returns user data only", "[atapi]") {
  CdRig rig;
  rig.settle();
  CHECK(rig.transfer({0xBE, 0, 0, 0, 0, 7, 0, 0, 2, 0x10}) == disc_sectors(rig.disc, 7, 2));
  rig.transfer({0xBE, 0, 0, 0, 0, 7, 0, 0, 1, 0xF8});  // raw sectors: not made up
  CHECK(rig.sense().asc == 0x24);
}

TEST_CASE("ATAPI: READ(10) by DMA", "[atapi][dma]") {
  CdRig rig;
  rig.settle();
  rig.prd_table(0x1000, {{0x20000, 3 * 2048}});
  rig.packet(read10(50, 3), 0xFFFE, true);
  CHECK((rig.alt_status() & kDrq) != 0);
  rig.bm_start(true);
  CHECK(rig.irq.level);
  CHECK((rig.bm_status() & (IdeBusMaster::kInterrupt | IdeBusMaster::kActive)) == IdeBusMaster::kInterrupt);
  CHECK(rig.status() == kDrdy);
  CHECK(rig.in(IdeRig::kCount) == 0x03);
  CHECK(rig.memory(0x20000, 3 * 2048) == disc_sectors(rig.disc, 50, 3));
}

TEST_CASE("ATAPI: state saves and loads as the identity in the middle of a read", "[atapi][state]") {
  CdRig rig;
  rig.settle();
  rig.packet(read10(60, 2), 2048);
  const std::vector<u8> first = rig.read_data(1000);
  const std::vector<u8> saved = save_channel(rig.channel);
  CdRig other;
  load_channel(other.channel, saved);
  CHECK(save_channel(other.channel) == saved);
  std::vector<u8> got = first;
  const std::vector<u8> rest = other.read_data(2048 - 1000);
  got.insert(got.end(), rest.begin(), rest.end());
  CHECK((other.status() & kDrq) != 0);
  const std::vector<u8> second = other.read_data(2048);
  got.insert(got.end(), second.begin(), second.end());
  CHECK(got == disc_sectors(rig.disc, 60, 2));
  CHECK(other.status() == kDrdy);
  CdRig empty(false);
  CHECK_THROWS(load_channel(empty.channel, saved));
}
