// fw_cfg: the selector/data ports, the file directory, the DMA interface (select, read, skip,
// zero fill past the end, write refused) and the DMA signature.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "base/state.h"
#include "devices/fw_cfg.h"

using namespace tern;

namespace {

u32 bswap32(u32 v) { return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24); }

struct Board {
  PhysMemory mem{2 << 20};
  IoSpace io;
  FwCfg fw{io, mem};

  std::string read_bytes(u16 key, size_t n) {
    io.write(FwCfg::kSelectorPort, key, 2);
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>(io.read(FwCfg::kDataPort, 1));
    return s;
  }
  // Runs one DMA request placed at 0x1000; returns its control word afterwards.
  u32 dma(u32 control, u32 length, u64 address) {
    u8 req[16];
    for (int i = 0; i < 4; ++i) req[i] = static_cast<u8>(control >> (24 - 8 * i));
    for (int i = 0; i < 4; ++i) req[4 + i] = static_cast<u8>(length >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i) req[8 + i] = static_cast<u8>(address >> (56 - 8 * i));
    mem.dma_write(0x1000, req, sizeof req);
    io.write(0x514, 0, 4);
    io.write(0x518, bswap32(0x1000), 4);
    u8 done[4];
    mem.dma_read(0x1000, done, 4);
    return u32{done[0]} << 24 | u32{done[1]} << 16 | u32{done[2]} << 8 | done[3];
  }
};

}  // namespace

TEST_CASE("items read byte by byte through the data port, zeros past the end") {
  Board b;
  b.fw.add_item(fw_cfg_key::kSignature, {'Q', 'E', 'M', 'U'});
  CHECK(b.read_bytes(fw_cfg_key::kSignature, 6) == std::string("QEMU\0\0", 6));
  CHECK(b.read_bytes(0x1234, 2) == std::string("\0\0", 2));
  SECTION("selecting again restarts the item; the write-channel bit names the same item") {
    CHECK(b.read_bytes(0x4000, 2) == "QE");
  }
}

TEST_CASE("the file directory lists files big-endian with their keys") {
  Board b;
  const u16 k1 = b.fw.add_file("etc/e820", {1, 2, 3});
  const u16 k2 = b.fw.add_file("bootorder", {4, 5});
  CHECK(k1 == 0x20);
  CHECK(k2 == 0x21);
  CHECK(b.fw.add_file("etc/e820", {9}) == 0x20);  // replacing keeps the key
  const std::string dir = b.read_bytes(fw_cfg_key::kFileDir, 4 + 2 * 64);
  CHECK(dir.substr(0, 4) == std::string("\0\0\0\x02", 4));
  CHECK(dir.substr(4, 4) == std::string("\0\0\0\x01", 4));  // size of the replaced etc/e820
  CHECK(dir.substr(8, 2) == std::string("\0\x20", 2));
  CHECK(dir.substr(12, 9) == std::string("etc/e820\0", 9));
  CHECK(dir.substr(68, 4) == std::string("\0\0\0\x02", 4));
  CHECK(dir.substr(76, 10) == std::string("bootorder\0", 10));
}

TEST_CASE("DMA select+read copies an item into guest memory and completes") {
  Board b;
  b.fw.add_item(fw_cfg_key::kId, {3, 0, 0, 0});
  const u32 control = u32{fw_cfg_key::kId} << 16 | 0x08 | 0x02;
  CHECK(b.dma(control, 4, 0x2000) == 0);
  u8 got[4];
  b.mem.dma_read(0x2000, got, 4);
  CHECK(got[0] == 3);
  SECTION("reading past the end fills zeros") {
    b.mem.dma_write(0x3000, "xxxxxx", 6);
    CHECK(b.dma(control, 6, 0x3000) == 0);
    char buf[6];
    b.mem.dma_read(0x3000, buf, 6);
    CHECK(std::string(buf, 6) == std::string("\x03\0\0\0\0\0", 6));
  }
  SECTION("skip advances the position like a read") {
    b.fw.add_item(0x05, {1, 2, 3, 4});
    CHECK(b.dma(u32{0x05} << 16 | 0x08 | 0x04, 2, 0) == 0);
    CHECK(b.dma(0x02, 2, 0x4000) == 0);
    u8 two[2];
    b.mem.dma_read(0x4000, two, 2);
    CHECK((two[0] == 3 && two[1] == 4));
  }
  SECTION("writes are refused with the error bit") { CHECK(b.dma(u32{0x05} << 16 | 0x08 | 0x10, 2, 0x4000) == 1); }
}

TEST_CASE("the DMA ports read back the \"QEMU CFG\" signature") {
  Board b;
  const u32 hi = b.io.read(0x514, 4), lo = b.io.read(0x518, 4);
  char sig[8];
  std::memcpy(sig, &hi, 4);
  std::memcpy(sig + 4, &lo, 4);
  CHECK(std::string(sig, 8) == "QEMU CFG");
}

TEST_CASE("the read position is state; reset clears it") {
  Board b;
  b.fw.add_item(0x05, {1, 2, 3, 4});
  b.read_bytes(0x05, 1);
  std::vector<u8> saved;
  StateIo out(saved);
  b.fw.serialize(out);
  Board c;
  c.fw.add_item(0x05, {1, 2, 3, 4});
  StateIo in("fw_cfg", saved);
  c.fw.serialize(in);
  CHECK(c.io.read(FwCfg::kDataPort, 1) == 2);
  c.fw.reset();
  CHECK(c.io.read(FwCfg::kDataPort, 1) == 0);
}
