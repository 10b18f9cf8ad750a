// A test bench for the IDE devices: one channel on a small physical memory, an interrupt
// recorder, and helpers that talk to the registers as a driver does.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "base/irq.h"
#include "base/state.h"
#include "devices/ata_disk.h"
#include "devices/atapi_cdrom.h"
#include "devices/disk_image.h"
#include "devices/ide_channel.h"
#include "mmu/phys_memory.h"

namespace tern::test {

struct IrqRecorder : IrqSink {
  bool level = false;
  int rises = 0;
  void set_irq(unsigned, bool l) override {
    if (l && !level) ++rises;
    level = l;
  }
};

// Sector `lba` of a test image: its number in the first 8 bytes, then a pattern.
inline std::vector<u8> pattern_image(u64 sectors, u32 sector_size) {
  std::vector<u8> data(sectors * sector_size);
  for (u64 s = 0; s < sectors; ++s) {
    u8* p = data.data() + s * sector_size;
    for (u32 i = 0; i < sector_size; ++i) p[i] = static_cast<u8>(s * 13 + i * 7 + 1);
    store_le<u64>(p, s);
  }
  return data;
}

struct IdeRig {
  // Registers (offsets in the command block).
  static constexpr u32 kData = 0, kError = 1, kFeature = 1, kCount = 2, kLbaLow = 3, kLbaMid = 4, kLbaHigh = 5,
                       kDevice = 6, kStatus = 7, kCommand = 7;

  PhysMemory mem{1 << 20};
  IrqRecorder irq;
  IdeChannel channel{mem, IrqLine(&irq, 14)};

  IdeRig() { channel.set_bus_master_enabled(true); }

  AtaDisk& add_disk(unsigned position, std::vector<u8> image) {
    auto disk = std::make_unique<AtaDisk>(make_memory_image(std::move(image)), "TEST-HD");
    AtaDisk& ref = *disk;
    channel.attach(position, std::move(disk));
    return ref;
  }
  AtapiCdrom& add_cdrom(unsigned position, std::unique_ptr<DiskImage> media) {
    auto cd = std::make_unique<AtapiCdrom>(std::move(media), "TEST-CD");
    AtapiCdrom& ref = *cd;
    channel.attach(position, std::move(cd));
    return ref;
  }

  u8 in(u32 reg) { return static_cast<u8>(channel.read_command_block(reg, 1)); }
  void out(u32 reg, u8 value) { channel.write_command_block(reg, value, 1); }
  u8 status() { return in(kStatus); }
  u8 alt_status() { return channel.read_alt_status(); }
  void control(u8 value) { channel.write_device_control(value); }
  u16 data16() { return static_cast<u16>(channel.read_command_block(kData, 2)); }
  void out16(u16 value) { channel.write_command_block(kData, value, 2); }

  std::vector<u8> read_data(size_t bytes) {
    std::vector<u8> out;
    for (size_t i = 0; i < bytes; i += 2) {
      const u16 w = data16();
      out.push_back(static_cast<u8>(w));
      out.push_back(static_cast<u8>(w >> 8));
    }
    out.resize(bytes);
    return out;
  }
  void write_data(const std::vector<u8>& bytes) {
    for (size_t i = 0; i < bytes.size(); i += 2) out16(static_cast<u16>(bytes[i] | (bytes[i + 1] << 8)));
  }
  std::vector<u16> identify_words(u8 command) {
    out(kCommand, command);
    const std::vector<u8> raw = read_data(512);
    std::vector<u16> words(256);
    for (int i = 0; i < 256; ++i) words[i] = static_cast<u16>(raw[2 * i] | raw[2 * i + 1] << 8);
    return words;
  }
  // A 28-bit LBA command to the selected device 0.
  void lba28(u8 command, u32 lba, u8 count, u8 device = 0) {
    out(kCount, count);
    out(kLbaLow, static_cast<u8>(lba));
    out(kLbaMid, static_cast<u8>(lba >> 8));
    out(kLbaHigh, static_cast<u8>(lba >> 16));
    out(kDevice, static_cast<u8>(0xE0 | device << 4 | ((lba >> 24) & 0x0F)));
    out(kCommand, command);
  }
  void lba48(u8 command, u64 lba, u16 count) {
    out(kCount, static_cast<u8>(count >> 8));
    out(kLbaLow, static_cast<u8>(lba >> 24));
    out(kLbaMid, static_cast<u8>(lba >> 32));
    out(kLbaHigh, static_cast<u8>(lba >> 40));
    out(kCount, static_cast<u8>(count));
    out(kLbaLow, static_cast<u8>(lba));
    out(kLbaMid, static_cast<u8>(lba >> 8));
    out(kLbaHigh, static_cast<u8>(lba >> 16));
    out(kDevice, 0x40);
    out(kCommand, command);
  }

  // Bus master of this channel (registers at offset 0 of its 8-byte block).
  void bm_write8(u32 offset, u8 value) { channel.write_bus_master(offset, value, 1); }
  u8 bm_status() { return static_cast<u8>(channel.read_bus_master(IdeBusMaster::kStatus, 1)); }
  // A PRD table at `table` listing (address, bytes) with EOT on the last.
  void prd_table(u32 table, const std::vector<std::pair<u32, u32>>& entries) {
    for (size_t i = 0; i < entries.size(); ++i) {
      u8 prd[8];
      store_le<u32>(prd, entries[i].first);
      store_le<u32>(prd + 4, (entries[i].second & 0xFFFF) | (i + 1 == entries.size() ? 0x80000000u : 0));
      REQUIRE(mem.dma_write(table + 8 * i, prd, 8));
    }
    channel.write_bus_master(IdeBusMaster::kPrdTable, table, 4);
  }
  void bm_start(bool to_memory) {
    bm_write8(IdeBusMaster::kCommand, static_cast<u8>(IdeBusMaster::kStart | (to_memory ? IdeBusMaster::kWriteToMemory : 0)));
  }
  void bm_stop() { bm_write8(IdeBusMaster::kCommand, 0); }
  std::vector<u8> memory(u32 addr, size_t n) {
    std::vector<u8> out(n);
    REQUIRE(mem.dma_read(addr, out.data(), n));
    return out;
  }
};

// Saves the channel, loads the bytes into `other` and checks that saving again gives them back.
inline std::vector<u8> save_channel(IdeChannel& channel) {
  std::vector<u8> bytes;
  StateIo out(bytes);
  channel.serialize(out);
  return bytes;
}

inline void load_channel(IdeChannel& channel, const std::vector<u8>& bytes) {
  StateIo in("ide", bytes);
  channel.serialize(in);
  in.expect_end();
}

}  // namespace tern::test
