// Booting a kernel without firmware (--kernel without --bios): a Multiboot kernel, or a Linux
// bzImage through the 32-bit boot protocol. The board is left as a BIOS would leave it: PCI
// resources assigned, the ACPI PM registers enabled, the ACPI tables installed in RAM and
// announced in the e820 map, the VGA in 80x25 text mode.
#include "base/error.h"
#include "bios/acpi.h"
#include "bios/e820.h"
#include "bios/linux_boot.h"
#include "bios/multiboot.h"
#include "bios/table_loader.h"
#include "machine/machine.h"

namespace tern {

namespace {

// The top of low RAM holding the ACPI tables (reserved as ACPI in the e820 map).
constexpr u64 kAcpiArea = 64 * 1024;
constexpr u32 kFsegBase = 0xF0000;
constexpr u8 kPmBaseReg = 0x40;
constexpr u8 kPmRegMiscReg = 0x80;

}  // namespace

void Machine::check_kernel_image() const {
  if (!is_linux_kernel(m_kernel_image) && !is_multiboot(m_kernel_image))
    fail("--kernel '{}': neither a Linux bzImage nor a Multiboot kernel", m_config.kernel);
}

void Machine::boot_kernel() {
  configure_pci_for_direct_boot();
  // The power-management registers where the FADT says they are, as the firmware enables them.
  const AcpiSetup acpi = acpi_setup();
  m_pci->config_write(kSlotPiix, 3, kPmBaseReg, acpi.pm_base | 1u, 4);
  m_pci->config_write(kSlotPiix, 3, kPmRegMiscReg, 1, 1);
  m_vga->set_text_mode_80x25();
  m_vga->load_font_from_bios(m_vga_rom);
  if (!is_linux_kernel(m_kernel_image)) {
    boot_multiboot(*m_cpu, m_mem, m_kernel_image, m_config.append, m_initrd_image, m_config.initrd);
    return;
  }

  // The F segment becomes RAM (as after a BIOS's shadowing) to hold the RSDP where old kernels
  // look for it.
  m_pci->config_write(kSlotHostBridge, 0, I440fx::kPam0, 0x30, 1);
  const u64 low = m_mem.low_ram_size();
  if (low < 8 * 1024 * 1024) fail("-m: a Linux kernel needs at least 8 MiB of RAM");
  const AcpiFiles files = build_acpi(acpi);
  const TableLoaderZones zones{static_cast<u32>(low - kAcpiArea), kFsegBase};
  const std::map<std::string, u32> placed =
      run_table_loader(m_mem, files.loader,
                       {{kAcpiRsdpFile, files.rsdp}, {kAcpiTablesFile, files.tables}}, zones);

  LinuxBootSetup setup;
  setup.cmdline = m_config.append;
  setup.initrd = m_initrd_image;
  setup.acpi_rsdp = placed.at(kAcpiRsdpFile);
  setup.e820 = {
      {0, 0x9FC00, E820Type::kRam},
      {0x9FC00, 0x400, E820Type::kReserved},
      {kFsegBase, 0x10000, E820Type::kReserved},
      {0x100000, low - kAcpiArea - 0x100000, E820Type::kRam},
      {low - kAcpiArea, kAcpiArea, E820Type::kAcpi},
  };
  if (m_mem.high_ram_size()) setup.e820.push_back({PhysMemory::kHighRamBase, m_mem.high_ram_size(), E820Type::kRam});
  boot_linux(*m_cpu, m_mem, m_kernel_image, setup);
}

}  // namespace tern
