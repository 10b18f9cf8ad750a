// The board's storage: the PIIX3 IDE function (01.1) with the user's disks and CD-ROM, the 8237
// DMA pair and the 82077AA floppy controller, and what the firmware needs to know about them
// (CMOS floppy types, SeaBIOS's fw_cfg "bootorder" file).
//
// Drive positions follow QEMU's PC, which is what SeaBIOS, GRUB and Linux installations expect:
// --hda primary master, --hdb primary slave, the CD-ROM drive secondary master (present even
// without a disc), --fda floppy drive A. Interrupts: IDE 14 and 15, floppy 6; floppy DMA on
// channel 2.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/irq.h"
#include "devices/disk_image.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "devices/piix_ide.h"
#include "machine/config.h"

namespace tern {

class StateIo;

// The images the configuration names, opened and checked (exit 125 on a bad one).
struct StorageImages {
  std::unique_ptr<DiskImage> hda, hdb, cdrom, fda;
};
StorageImages open_storage_images(const MachineConfig& config);

class Storage {
 public:
  Storage(IoSpace& io, PhysMemory& mem, IrqLine irq6, IrqLine irq14, IrqLine irq15, StorageImages images);

  // The PCI function the board attaches at 01.1 (reset with the bus).
  PiixIde& ide() { return *m_ide; }
  Dma8237& dma() { return *m_dma; }
  Fdc82077& fdc() { return *m_fdc; }

  // CMOS register 10h drive types of floppy drives A and B (0: none).
  u8 floppy_cmos_type(unsigned drive) const;

  // Power-on state of the ISA parts (the IDE function resets with the PCI bus).
  void reset();
  // The DMA controller, the floppy controller and the IDE function with its drives.
  void serialize(StateIo& io);

 private:
  std::unique_ptr<Dma8237> m_dma;
  std::unique_ptr<Fdc82077> m_fdc;
  std::unique_ptr<PiixIde> m_ide;
};

// The lines of SeaBIOS's "bootorder" fw_cfg file for a --boot string (a floppy, c disk,
// d CD-ROM): the OpenFirmware device paths of the drives this configuration has, in that order.
std::vector<std::string> storage_boot_paths(const MachineConfig& config);

}  // namespace tern
