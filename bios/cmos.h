// The CMOS RAM contents a PC BIOS reads at boot, laid out as QEMU's PC board writes them, which
// is what SeaBIOS expects: base and extended memory sizes, memory above 16 MiB and above 4 GiB,
// the equipment byte, floppy drive types, boot order and CPU count.
#pragma once

#include <string>

#include "base/types.h"
#include "devices/rtc.h"

namespace tern {

struct CmosSetup {
  u64 ram_below_4g = 0;   // bytes of RAM below the PCI hole
  u64 ram_above_4g = 0;   // bytes of RAM from 4 GiB up
  // Boot devices in order: a floppy, c hard disk, d CD-ROM, n network (first three count).
  std::string boot_order = "cad";
  u8 floppy_types[2] = {0, 0};  // CMOS drive types: 0 none, 1 360K, 2 1.2M, 3 720K, 4 1.44M, 5 2.88M
  unsigned cpus = 1;
};

void fill_cmos(Rtc& rtc, const CmosSetup& setup);

}  // namespace tern
