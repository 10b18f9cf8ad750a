// QEMU's firmware configuration device (fw_cfg), the channel through which SeaBIOS learns the
// machine: numbered items and named files, read through the selector port 0x510 and the data
// port 0x511, or with the DMA interface at 0x514 (big-endian address of a request structure in
// guest memory; writing the low half at 0x518 starts it).
//
// QEMU docs/specs/fw_cfg.rst (the interface as firmware uses it): item keys, the file directory
// (key 0x19), the DMA request {control, length, address} and its control bits.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/types.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern {

class StateIo;

namespace fw_cfg_key {
inline constexpr u16 kSignature = 0x00;
inline constexpr u16 kId = 0x01;
inline constexpr u16 kUuid = 0x02;
inline constexpr u16 kRamSize = 0x03;
inline constexpr u16 kNoGraphic = 0x04;
inline constexpr u16 kNbCpus = 0x05;
inline constexpr u16 kKernelAddr = 0x07;
inline constexpr u16 kKernelSize = 0x08;
inline constexpr u16 kKernelCmdline = 0x09;
inline constexpr u16 kInitrdAddr = 0x0A;
inline constexpr u16 kInitrdSize = 0x0B;
inline constexpr u16 kBootDevice = 0x0C;
inline constexpr u16 kNuma = 0x0D;
inline constexpr u16 kBootMenu = 0x0E;
inline constexpr u16 kMaxCpus = 0x0F;
inline constexpr u16 kKernelEntry = 0x10;
inline constexpr u16 kKernelData = 0x11;
inline constexpr u16 kInitrdData = 0x12;
inline constexpr u16 kCmdlineAddr = 0x13;
inline constexpr u16 kCmdlineSize = 0x14;
inline constexpr u16 kCmdlineData = 0x15;
inline constexpr u16 kSetupAddr = 0x16;
inline constexpr u16 kSetupSize = 0x17;
inline constexpr u16 kSetupData = 0x18;
inline constexpr u16 kFileDir = 0x19;
inline constexpr u16 kFileFirst = 0x20;
// x86-specific items.
inline constexpr u16 kAcpiTables = 0x8000;
inline constexpr u16 kSmbiosEntries = 0x8001;
inline constexpr u16 kIrq0Override = 0x8002;
inline constexpr u16 kE820Table = 0x8003;
}  // namespace fw_cfg_key

class FwCfg {
 public:
  static constexpr u16 kSelectorPort = 0x510;
  static constexpr u16 kDataPort = 0x511;
  static constexpr u16 kDmaPort = 0x514;
  // FW_CFG_ID bits: the traditional interface and DMA.
  static constexpr u32 kFeatureTraditional = 1;
  static constexpr u32 kFeatureDma = 2;

  FwCfg(IoSpace& io, PhysMemory& mem);

  // Adds or replaces a numbered item.
  void add_item(u16 key, std::vector<u8> data);
  // Adds (or replaces) a named file and lists it in the directory; returns its key.
  u16 add_file(const std::string& name, std::vector<u8> data);
  const std::vector<u8>* item(u16 key) const;

  // The read position: back to no item selected.
  void reset();
  void serialize(StateIo& io);

 private:
  void select(u16 key);
  u8 read_data();
  void write_dma_address(unsigned half, u32 value);
  // Performs the DMA request at guest-physical `address`.
  void dma(u64 address);
  void rebuild_directory();

  PhysMemory& m_mem;
  std::map<u16, std::vector<u8>> m_items;
  std::vector<std::pair<std::string, u16>> m_files;  // in order of addition
  u16 m_selected = 0;
  u32 m_offset = 0;
  u32 m_dma_high = 0;
};

}  // namespace tern
