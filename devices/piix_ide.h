// The PIIX3 IDE function, PCI 00:01.1 (82371SB function 1): two IDE channels at the fixed
// compatibility-mode ports (primary 1F0h-1F7h and 3F6h on IRQ 14, secondary 170h-177h and 376h
// on IRQ 15) and the bus-master IDE registers behind BAR 4.
//
// Intel 82371SB (PIIX3) datasheet §2.4 (IDE configuration: PCICMD, BMIBA, IDETIM, SIDETIM) and
// §2.7 (bus master IDE registers). The legacy ports decode while PCICMD I/O space is enabled and
// the channel's IDETIM bit 15 (IDE decode enable) is set, as firmware leaves them; bus-master
// DMA runs while PCICMD bus master is enabled.
#pragma once

#include <array>
#include <memory>

#include "base/irq.h"
#include "devices/ide_channel.h"
#include "devices/pci.h"
#include "mmu/io_space.h"

namespace tern {

class PhysMemory;
class StateIo;

class PiixIde : public PciFunction {
 public:
  PiixIde(IoSpace& io, PhysMemory& mem, IrqLine primary_irq, IrqLine secondary_irq);

  IdeChannel& channel(unsigned n) { return *m_channels[n]; }

  void serialize(StateIo& io);

 protected:
  void config_written(u8 offset, unsigned size) override;
  void reset_function() override;

 private:
  static constexpr u8 kIdetim = 0x40;   // primary 40h-41h, secondary 42h-43h
  static constexpr u8 kSidetim = 0x44;

  void map_bus_master(std::optional<u32> old_base, std::optional<u32> new_base);
  void update_decode();

  IoSpace& m_io;
  std::array<std::unique_ptr<IdeChannel>, 2> m_channels;
  std::array<bool, 2> m_decoded{};
};

}  // namespace tern
