#include "bios/acpi.h"

#include <algorithm>
#include <cstring>

#include "bios/aml.h"

namespace tern {

namespace {

constexpr size_t kHeaderSize = 36;
constexpr size_t kLoaderEntrySize = 128;
constexpr size_t kLoaderNameSize = 56;

// Loader commands and allocation zones (romfile_loader.h in SeaBIOS, QEMU bios-linker-loader).
constexpr u32 kCmdAllocate = 1;
constexpr u32 kCmdAddPointer = 2;
constexpr u32 kCmdAddChecksum = 3;
constexpr u8 kZoneHigh = 1;
constexpr u8 kZoneFseg = 2;

void put(std::vector<u8>& t, size_t at, u64 value, unsigned size) {
  for (unsigned i = 0; i < size; ++i) t[at + i] = static_cast<u8>(value >> (8 * i));
}

void put_text(std::vector<u8>& t, size_t at, const char* text, size_t size) {
  for (size_t i = 0; i < size; ++i) t[at + i] = text[i] ? static_cast<u8>(text[i]) : ' ';
}

// The common description header (ACPI 1.0b §5.2.6); length and checksum are set later.
std::vector<u8> header(const char* signature, u8 revision, size_t length) {
  std::vector<u8> t(length, 0);
  std::memcpy(t.data(), signature, 4);
  put(t, 4, length, 4);
  t[8] = revision;
  put_text(t, 10, "TERN  ", 6);                          // OEM ID
  std::memcpy(t.data() + 16, "TERNPC  ", 8);             // OEM table ID
  put(t, 24, 1, 4);                                      // OEM revision
  std::memcpy(t.data() + 28, "TERN", 4);                 // creator ID
  put(t, 32, 1, 4);                                      // creator revision
  return t;
}

std::vector<u8> facs() {
  std::vector<u8> t(64, 0);  // ACPI 1.0b §5.2.9: 64 bytes, no checksum
  std::memcpy(t.data(), "FACS", 4);
  put(t, 4, 64, 4);
  return t;
}

std::vector<u8> fadt(const AcpiSetup& s) {
  std::vector<u8> t = header("FACP", 1, 116);  // ACPI 1.0b §5.2.8, Table 5-7
  // FIRMWARE_CTRL (36) and DSDT (40) are filled by the loader.
  put(t, 46, s.sci_irq, 2);        // SCI_INT
  put(t, 48, 0xB2, 4);             // SMI_CMD: the APM control port
  t[52] = 0xF1;                    // ACPI_ENABLE
  t[53] = 0xF0;                    // ACPI_DISABLE
  put(t, 56, s.pm_base, 4);        // PM1a_EVT_BLK
  put(t, 64, s.pm_base + 4u, 4);   // PM1a_CNT_BLK
  put(t, 76, s.pm_base + 8u, 4);   // PM_TMR_BLK
  t[88] = 4;                       // PM1_EVT_LEN
  t[89] = 2;                       // PM1_CNT_LEN
  t[91] = 4;                       // PM_TMR_LEN
  put(t, 96, 0x0FFF, 2);           // P_LVL2_LAT > 100: no C2
  put(t, 98, 0x0FFF, 2);           // P_LVL3_LAT > 1000: no C3
  t[108] = 0x32;                   // CENTURY: CMOS index of the century byte
  // Flags: WBINVD works, C1 on all processors, no sleep button (the power button is the fixed
  // feature in PM1).
  put(t, 112, 0x01 | 0x04 | 0x20, 4);
  return t;
}

std::vector<u8> madt(const AcpiSetup& s) {
  std::vector<u8> t = header("APIC", 1, 44);  // ACPI 1.0b §5.2.10.4
  put(t, 36, s.local_apic_base, 4);
  put(t, 40, 1, 4);  // PCAT_COMPAT: the 8259 pair is present too
  const auto add = [&](std::initializer_list<u8> entry) { t.insert(t.end(), entry); };
  add({0, 8, 0, 0, 1, 0, 0, 0});  // processor 0, local APIC ID 0, enabled
  const u32 io = s.ioapic_base;
  add({1, 12, s.ioapic_id, 0, static_cast<u8>(io), static_cast<u8>(io >> 8), static_cast<u8>(io >> 16),
       static_cast<u8>(io >> 24), 0, 0, 0, 0});  // I/O APIC at GSI base 0
  add({2, 10, 0, 0, 2, 0, 0, 0, 0, 0});          // ISA IRQ 0 -> GSI 2, bus defaults
  for (u8 irq = 0; irq < 16; ++irq)
    if (s.level_irqs >> irq & 1) add({2, 10, 0, irq, irq, 0, 0, 0, 0x0D, 0});  // active high, level
  add({4, 6, 0xFF, 0, 0, 1});                    // NMI on LINT1 of every processor
  put(t, 4, t.size(), 4);
  return t;
}

std::vector<u8> dsdt(const AcpiSetup& setup) {
  const std::vector<u8> aml = dsdt_aml(setup);
  std::vector<u8> t = header("DSDT", 1, kHeaderSize + aml.size());
  std::memcpy(t.data() + kHeaderSize, aml.data(), aml.size());
  return t;
}

class Loader {
 public:
  void allocate(const char* file, u32 align, u8 zone) {
    auto e = entry(kCmdAllocate);
    name(e, 4, file);
    put(e, 4 + kLoaderNameSize, align, 4);
    e[4 + kLoaderNameSize + 4] = zone;
    append(e);
  }
  void add_pointer(const char* dest, const char* src, u32 offset, u8 size) {
    auto e = entry(kCmdAddPointer);
    name(e, 4, dest);
    name(e, 4 + kLoaderNameSize, src);
    put(e, 4 + 2 * kLoaderNameSize, offset, 4);
    e[4 + 2 * kLoaderNameSize + 4] = size;
    append(e);
  }
  void add_checksum(const char* file, u32 checksum_offset, u32 start, u32 length) {
    auto e = entry(kCmdAddChecksum);
    name(e, 4, file);
    put(e, 4 + kLoaderNameSize, checksum_offset, 4);
    put(e, 4 + kLoaderNameSize + 4, start, 4);
    put(e, 4 + kLoaderNameSize + 8, length, 4);
    append(e);
  }
  std::vector<u8> bytes;

 private:
  static std::vector<u8> entry(u32 command) {
    std::vector<u8> e(kLoaderEntrySize, 0);
    put(e, 0, command, 4);
    return e;
  }
  static void name(std::vector<u8>& e, size_t at, const char* file) {
    std::memcpy(e.data() + at, file, std::min(std::strlen(file), kLoaderNameSize - 1));
  }
  void append(const std::vector<u8>& e) { bytes.insert(bytes.end(), e.begin(), e.end()); }
};

}  // namespace

std::vector<u8> dsdt_aml(const AcpiSetup& setup) {
  using namespace aml;
  const auto isa_device = [](const char* name, const char* hid, std::vector<Bytes> resources, u64 uid = 0) {
    std::vector<Bytes> body = {aml::name("_HID", eisa_id(hid))};
    if (uid) body.push_back(aml::name("_UID", integer(uid)));
    body.push_back(aml::name("_CRS", resource_template(resources)));
    return device(name, concat(body));
  };
  std::vector<Bytes> isa = {
      aml::name("_ADR", integer(0x00010000)),  // PCI device 1, function 0: the PIIX3
      isa_device("RTC_", "PNP0B00", {io_port(0x70, 2), irq_no_flags(8)}),
      isa_device("KBD_", "PNP0303", {io_port(0x60, 1), io_port(0x64, 1), irq_no_flags(1)}),
      isa_device("MOU_", "PNP0F13", {irq_no_flags(12)}),
      isa_device("COM1", "PNP0501", {io_port(0x3F8, 8), irq_no_flags(4)}, 1),
      isa_device("COM2", "PNP0501", {io_port(0x2F8, 8), irq_no_flags(3)}, 2),
  };
  if (setup.floppy)
    isa.push_back(isa_device("FDC0", "PNP0700", {io_port(0x3F0, 6), io_port(0x3F7, 1), irq_no_flags(6), dma_channel(2)}));
  // The root bridge's windows: every bus number, the I/O space except the configuration ports it
  // decodes itself, the VGA window and the PCI hole below the I/O APIC.
  const Bytes crs = resource_template({word_bus_number(0x00, 0xFF), io_port(0x0CF8, 8), word_io(0x0000, 0x0CF7),
                                       word_io(0x0D00, 0xFFFF), dword_memory(0x000A0000, 0x000BFFFF, true),
                                       dword_memory(setup.pci_hole_start, setup.ioapic_base - 1, false)});
  const Bytes pci0 = device("PCI0", concat({name("_HID", eisa_id("PNP0A03")), name("_ADR", integer(0)),
                                            name("_UID", integer(0)), name("_CRS", crs), device("ISA_", concat(isa))}));
  // \_S5: SLP_TYP 0 for PM1a and PM1b; the PIIX4 model powers off on SLP_TYP 0 with SLP_EN.
  const Bytes s5 = name("_S5_", package({integer(0), integer(0), integer(0), integer(0)}));
  return concat({scope("\\_SB_", pci0), s5});
}

AcpiFiles build_acpi(const AcpiSetup& setup) {
  // Layout of etc/acpi/tables: FACS first (it needs 64-byte alignment), then the others.
  const std::vector<std::vector<u8>> parts = {facs(), dsdt(setup), fadt(setup), madt(setup)};
  std::vector<u32> offsets;
  AcpiFiles out;
  for (const auto& p : parts) {
    offsets.push_back(static_cast<u32>(out.tables.size()));
    out.tables.insert(out.tables.end(), p.begin(), p.end());
  }
  const u32 facs_at = offsets[0], dsdt_at = offsets[1], fadt_at = offsets[2], madt_at = offsets[3];
  const u32 rsdt_at = static_cast<u32>(out.tables.size());
  std::vector<u8> rsdt = header("RSDT", 1, kHeaderSize + 8);
  out.tables.insert(out.tables.end(), rsdt.begin(), rsdt.end());

  // Pointer fields hold offsets within etc/acpi/tables; ADD_POINTER adds the file's address.
  put(out.tables, fadt_at + 36, facs_at, 4);
  put(out.tables, fadt_at + 40, dsdt_at, 4);
  put(out.tables, rsdt_at + kHeaderSize, fadt_at, 4);
  put(out.tables, rsdt_at + kHeaderSize + 4, madt_at, 4);

  out.rsdp.assign(20, 0);  // ACPI 1.0b §5.2.4: revision 0 RSDP
  std::memcpy(out.rsdp.data(), "RSD PTR ", 8);
  put_text(out.rsdp, 9, "TERN  ", 6);
  put(out.rsdp, 16, rsdt_at, 4);

  Loader l;
  l.allocate(kAcpiRsdpFile, 16, kZoneFseg);
  l.allocate(kAcpiTablesFile, 64, kZoneHigh);
  l.add_pointer(kAcpiTablesFile, kAcpiTablesFile, fadt_at + 36, 4);
  l.add_pointer(kAcpiTablesFile, kAcpiTablesFile, fadt_at + 40, 4);
  l.add_pointer(kAcpiTablesFile, kAcpiTablesFile, rsdt_at + kHeaderSize, 4);
  l.add_pointer(kAcpiTablesFile, kAcpiTablesFile, rsdt_at + kHeaderSize + 4, 4);
  l.add_pointer(kAcpiRsdpFile, kAcpiTablesFile, 16, 4);
  // Checksums last, over the patched pointers: byte 9 of each table, byte 8 of the RSDP.
  for (u32 at : {dsdt_at, fadt_at, madt_at, rsdt_at}) {
    u32 length = 0;
    for (unsigned i = 0; i < 4; ++i) length |= u32{out.tables[at + 4 + i]} << (8 * i);
    l.add_checksum(kAcpiTablesFile, at + 9, at, length);
  }
  l.add_checksum(kAcpiRsdpFile, 8, 0, 20);
  out.loader = std::move(l.bytes);
  return out;
}

}  // namespace tern
