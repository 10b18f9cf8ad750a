// tern's ACPI tables and the fw_cfg table-loader script with which SeaBIOS installs them.
//
// Tables (ACPI 1.0b layouts, which every ACPI OS accepts): RSDP -> RSDT -> {FADT, MADT};
// FADT -> {FACS, DSDT}. The FADT points at the PIIX4 power-management registers; the MADT lists
// the local APIC, the I/O APIC and the ISA interrupt overrides; the DSDT declares the PCI root
// bridge, the ISA devices behind the PIIX3 with their resources (SeaBIOS only drives a PS/2
// keyboard the DSDT lists; OSes find the legacy devices there) and the \_S5 soft-off state.
//
// The loader script (QEMU's "linker/loader" interface, which SeaBIOS's romfile_loader.c
// executes): ALLOCATE copies a fw_cfg file into guest memory, ADD_POINTER adds the guest address
// of one file to a pointer field in another, ADD_CHECKSUM fixes a table's checksum byte.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

struct AcpiSetup {
  u16 pm_base = 0x600;         // PIIX4 PMBASE as the firmware programs it
  unsigned sci_irq = 9;
  u32 local_apic_base = 0xFEE00000;
  u32 ioapic_base = 0xFEC00000;
  u8 ioapic_id = 0;
  // ISA IRQs (bit mask) with a level-triggered, active-high override: the SCI and the PCI
  // interrupt lines SeaBIOS routes to 10 and 11.
  u16 level_irqs = 1u << 9 | 1u << 10 | 1u << 11;
  // Where the PCI memory window starts (the end of RAM below 4 GiB); it ends below the I/O APIC.
  u32 pci_hole_start = 0x80000000;
  // The DSDT lists the floppy controller (0x3F0, IRQ 6, DMA 2) when the board has one.
  bool floppy = false;
};

struct AcpiFiles {
  std::vector<u8> rsdp;    // "etc/acpi/rsdp"
  std::vector<u8> tables;  // "etc/acpi/tables"
  std::vector<u8> loader;  // "etc/table-loader"
};

inline constexpr const char* kAcpiRsdpFile = "etc/acpi/rsdp";
inline constexpr const char* kAcpiTablesFile = "etc/acpi/tables";
inline constexpr const char* kTableLoaderFile = "etc/table-loader";

AcpiFiles build_acpi(const AcpiSetup& setup);

// The DSDT's AML body (after the 36-byte header), for tests.
std::vector<u8> dsdt_aml(const AcpiSetup& setup);

}  // namespace tern
