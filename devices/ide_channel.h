// One IDE channel (ATA/ATAPI-6 §5, §6): up to two devices behind one command block (8 ports),
// the Device Control / Alternate Status register, INTRQ to an ISA interrupt line, and the
// channel's bus-master DMA registers.
//
// Writes to the command block reach both devices (the Command register only the selected one);
// reads come from the selected device. A position without a drive next to one with a drive
// latches register writes but executes nothing: Status reads 00h and its reset signature is
// FFh/FFh, which is how SeaBIOS and Linux find device 1 missing (QEMU's IDE answers the same).
// With no drive at all the bus floats and reads all ones.
#pragma once

#include <array>
#include <memory>

#include "base/irq.h"
#include "devices/ide_bus_master.h"
#include "devices/ide_device.h"
#include "mmu/io_ops.h"

namespace tern {

class PhysMemory;
class StateIo;

class IdeChannel {
 public:
  IdeChannel(PhysMemory& mem, IrqLine irq);

  // Puts `device` at position 0 (master) or 1 (slave); before the guest runs.
  void attach(unsigned position, std::unique_ptr<IdeDevice> device);
  // The drive at `position`, or null.
  IdeDevice* device(unsigned position) const { return m_present[position] ? m_devices[position].get() : nullptr; }

  // The command block (offsets 0-7 from 1F0h/170h) and the control block register at 3F6h/376h.
  u32 read_command_block(u32 offset, unsigned size);
  void write_command_block(u32 offset, u32 value, unsigned size);
  u8 read_alt_status() const;
  void write_device_control(u8 value);
  IoOps command_block_ops();
  IoOps control_ops();

  // Bus-master registers (8 bytes); `enabled` is the PCI Bus Master Enable bit.
  u32 read_bus_master(u32 offset, unsigned size) const;
  void write_bus_master(u32 offset, u32 value, unsigned size);
  IoOps bus_master_ops();
  void set_bus_master_enabled(bool enabled);

  bool irq_level() const { return m_irq_level; }
  void reset();
  void serialize(StateIo& io);

 private:
  // Device Control register bits.
  static constexpr u8 kNien = 0x02;
  static constexpr u8 kSrst = 0x04;
  static constexpr u8 kHob = 0x80;

  IdeDevice* selected() const { return m_devices[m_selected].get(); }
  u8 read_register(u32 offset);
  void write_register(u32 offset, u8 value);
  void write_command(u8 command);
  void run_dma();
  void update_irq();

  PhysMemory& m_mem;
  IrqLine m_irq;
  IdeBusMaster m_bus_master;
  // Drives, and stand-ins for a missing drive beside a present one (m_present false).
  std::array<std::unique_ptr<IdeDevice>, 2> m_devices;
  std::array<bool, 2> m_present{};
  unsigned m_selected = 0;
  u8 m_control = 0;
  bool m_bus_master_enabled = false;
  bool m_device_irq = false;  // INTRQ of the selected device, for the bus master's edge
  bool m_irq_level = false;
};

}  // namespace tern
