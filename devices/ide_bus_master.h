// The bus-master IDE function of one PIIX channel (Intel 82371SB PIIX3 datasheet §2.7, the
// "Programming Interface for Bus Master IDE Controller", SFF-8038i): the command, status and
// PRD table pointer registers, and the walk of the physical region descriptor table.
//
// A PRD is two dwords: a physical address (bit 0 zero) and a byte count in bits 15-0 (0 means
// 64 KiB) with bit 31 marking the last entry (EOT). The bus master fetches PRDs through the
// same physical map as the CPU; a PRD that points outside RAM ends the transfer with the
// status Error bit, never a host access.
#pragma once

#include "base/types.h"
#include "devices/ide_device.h"

namespace tern {

class PhysMemory;
class StateIo;

class IdeBusMaster final : public IdeDmaPort {
 public:
  // Register offsets within the channel's 8-byte block.
  static constexpr u32 kCommand = 0;
  static constexpr u32 kStatus = 2;
  static constexpr u32 kPrdTable = 4;

  // Command register bits.
  static constexpr u8 kStart = 0x01;
  static constexpr u8 kWriteToMemory = 0x08;
  // Status register bits.
  static constexpr u8 kActive = 0x01;
  static constexpr u8 kError = 0x02;
  static constexpr u8 kInterrupt = 0x04;
  static constexpr u8 kDrive0DmaCapable = 0x20;
  static constexpr u8 kDrive1DmaCapable = 0x40;

  explicit IdeBusMaster(PhysMemory& mem) : m_mem(mem) {}

  u8 read_byte(u32 offset) const;
  // Returns true when the write set the Start bit (a transfer may now begin).
  bool write_byte(u32 offset, u8 value);

  bool active() const { return m_status & kActive; }
  // After the device's transfer ended (or stalled): the Active bit follows whether PRD space
  // remains, as §2.7.3 describes for PRD tables larger and smaller than the transfer.
  void transfer_stopped(bool device_done);
  // The device asserted INTRQ.
  void device_interrupt() { m_status |= kInterrupt; }

  size_t to_memory(const u8* src, size_t count) override;
  size_t from_memory(u8* dst, size_t count) override;

  void reset();
  void serialize(StateIo& io);

 private:
  bool next_prd();
  template <class Copy>
  size_t walk(size_t count, Copy copy);

  PhysMemory& m_mem;
  u8 m_command = 0;
  u8 m_status = 0;
  u32 m_prd_table = 0;
  // The PRD walk: next descriptor, and what is left of the current one.
  u32 m_next_prd = 0;
  u32 m_addr = 0;
  u32 m_left = 0;
  bool m_last = false;
};

}  // namespace tern
