// What the board tells the firmware through fw_cfg: signature and features, RAM size, CPU
// counts, the e820 map, the boot order file, the legacy x86 items SeaBIOS reads, and the ACPI
// tables with their loader script.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"
#include "bios/acpi.h"
#include "devices/fw_cfg.h"

namespace tern {

struct FwCfgSetup {
  u64 ram_bytes = 0;
  u64 low_ram = 0;   // RAM below the PCI hole
  u64 high_ram = 0;  // RAM from 4 GiB
  unsigned cpus = 1;
  // OpenFirmware device paths in boot priority order (the "bootorder" file), e.g.
  // "/pci@i0cf8/ide@1,1/drive@0/disk@0"; empty: the firmware uses the CMOS boot order.
  std::vector<std::string> boot_paths;
  AcpiSetup acpi;
};

void fill_fw_cfg(FwCfg& fw_cfg, const FwCfgSetup& setup);

}  // namespace tern
