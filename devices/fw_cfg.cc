#include "devices/fw_cfg.h"

#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

// Selector bit 14 asks for the write channel; items are named without it.
constexpr u16 kSelectorWriteFlag = 0x4000;
constexpr size_t kFileNameSize = 56;
constexpr size_t kDirectoryEntrySize = 64;  // u32 size, u16 select, u16 reserved, name[56]

// DMA control bits (fw_cfg.rst "DMA interface").
constexpr u32 kDmaError = 0x01;
constexpr u32 kDmaRead = 0x02;
constexpr u32 kDmaSkip = 0x04;
constexpr u32 kDmaSelect = 0x08;
constexpr u32 kDmaWrite = 0x10;
// Reading the DMA address ports gives this signature ("QEMU CFG"), big-endian.
constexpr u64 kDmaSignature = 0x51454D5520434647ull;

u32 bswap32(u32 v) { return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24); }

u64 get_be(const u8* p, unsigned size) {
  u64 v = 0;
  for (unsigned i = 0; i < size; ++i) v = v << 8 | p[i];
  return v;
}

void put_be32(std::vector<u8>& out, u32 v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<u8>(v >> (8 * i)));
}

}  // namespace

FwCfg::FwCfg(IoSpace& io, PhysMemory& mem) : m_mem(mem) {
  IoOps selector;
  selector.widths = 1 | 2;
  selector.write = [this](u32, u64 value, unsigned) { select(static_cast<u16>(value)); };
  io.map(kSelectorPort, 1, selector);
  IoOps data;
  data.widths = 1;
  data.read = [this](u32, unsigned) -> u64 { return read_data(); };
  io.map(kDataPort, 1, data);
  IoOps dma;
  dma.widths = 4;
  dma.read = [](u32 offset, unsigned) -> u64 {
    // The bytes of the signature in port order: "QEMU" at 0x514, " CFG" at 0x518.
    const u32 half = static_cast<u32>(offset < 4 ? kDmaSignature >> 32 : kDmaSignature);
    return bswap32(half);
  };
  dma.write = [this](u32 offset, u64 value, unsigned) { write_dma_address(offset / 4, static_cast<u32>(value)); };
  io.map(kDmaPort, 8, dma);
  rebuild_directory();
}

void FwCfg::add_item(u16 key, std::vector<u8> data) { m_items[key & ~kSelectorWriteFlag] = std::move(data); }

u16 FwCfg::add_file(const std::string& name, std::vector<u8> data) {
  for (const auto& [file, key] : m_files) {
    if (file == name) {
      m_items[key] = std::move(data);
      rebuild_directory();
      return key;
    }
  }
  const u16 key = static_cast<u16>(fw_cfg_key::kFileFirst + m_files.size());
  m_files.emplace_back(name.substr(0, kFileNameSize - 1), key);
  m_items[key] = std::move(data);
  rebuild_directory();
  return key;
}

const std::vector<u8>* FwCfg::item(u16 key) const {
  const auto it = m_items.find(key & ~kSelectorWriteFlag);
  return it == m_items.end() ? nullptr : &it->second;
}

void FwCfg::rebuild_directory() {
  std::vector<u8> dir;
  put_be32(dir, static_cast<u32>(m_files.size()));
  for (const auto& [name, key] : m_files) {
    put_be32(dir, static_cast<u32>(m_items[key].size()));
    dir.push_back(static_cast<u8>(key >> 8));
    dir.push_back(static_cast<u8>(key));
    dir.push_back(0);
    dir.push_back(0);
    const size_t at = dir.size();
    dir.resize(at + kFileNameSize, 0);
    std::memcpy(dir.data() + at, name.data(), name.size());
  }
  static_assert(kDirectoryEntrySize == 8 + kFileNameSize);
  m_items[fw_cfg_key::kFileDir] = std::move(dir);
}

void FwCfg::select(u16 key) {
  m_selected = key & ~kSelectorWriteFlag;
  m_offset = 0;
  log(LogCat::kFwCfg, LogLevel::kTrace, "select {:#06x}", m_selected);
}

u8 FwCfg::read_data() {
  const std::vector<u8>* data = item(m_selected);
  // Past the end, or an item that does not exist, reads as zeros.
  if (!data || m_offset >= data->size()) return 0;
  return (*data)[m_offset++];
}

void FwCfg::write_dma_address(unsigned half, u32 value) {
  // The guest writes the address big-endian: the port value is its byte-swapped form.
  if (half == 0) {
    m_dma_high = bswap32(value);
    return;
  }
  const u64 address = (u64{m_dma_high} << 32) | bswap32(value);
  m_dma_high = 0;
  dma(address);
}

void FwCfg::dma(u64 address) {
  u8 request[16];
  if (!m_mem.dma_read(address, request, sizeof request)) {
    log(LogCat::kFwCfg, LogLevel::kWarn, "DMA request at {:#x} is not in RAM", address);
    return;
  }
  const u32 control = static_cast<u32>(get_be(request, 4));
  const u32 length = static_cast<u32>(get_be(request + 4, 4));
  const u64 target = get_be(request + 8, 8);
  if (control & kDmaSelect) select(static_cast<u16>(control >> 16));
  bool error = false;
  if (control & kDmaWrite) {
    error = true;  // no item on this board is writable
  } else if (control & (kDmaRead | kDmaSkip)) {
    const std::vector<u8>* data = item(m_selected);
    const size_t available = data && m_offset < data->size() ? data->size() - m_offset : 0;
    const size_t copied = std::min<size_t>(length, available);
    if (control & kDmaRead) {
      error = copied && !m_mem.dma_write(target, data->data() + m_offset, copied);
      // Bytes past the end of the item read as zeros.
      static constexpr u8 kZeros[256] = {};
      for (u64 at = copied; at < length && !error; at += sizeof kZeros)
        error = !m_mem.dma_write(target + at, kZeros, std::min<u64>(sizeof kZeros, length - at));
    }
    m_offset += static_cast<u32>(copied);
  }
  log(LogCat::kFwCfg, LogLevel::kTrace, "DMA control {:#x} length {} to {:#x}{}", control, length, target,
      error ? " failed" : "");
  // Completion: the control word becomes 0, or the error bit alone.
  const u8 done[4] = {0, 0, 0, static_cast<u8>(error ? kDmaError : 0)};
  m_mem.dma_write(address, done, sizeof done);
}

void FwCfg::reset() {
  m_selected = 0;
  m_offset = 0;
  m_dma_high = 0;
}

void FwCfg::serialize(StateIo& io) {
  // The items are rebuilt from the configuration; only the read position is state.
  io(m_selected, m_offset, m_dma_high);
}

}  // namespace tern
