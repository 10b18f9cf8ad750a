#include "bios/fw_cfg_contents.h"

#include "bios/e820.h"

namespace tern {

namespace {

std::vector<u8> le(u64 value, unsigned size) {
  std::vector<u8> out;
  for (unsigned i = 0; i < size; ++i) out.push_back(static_cast<u8>(value >> (8 * i)));
  return out;
}

}  // namespace

void fill_fw_cfg(FwCfg& f, const FwCfgSetup& s) {
  namespace key = fw_cfg_key;
  f.add_item(key::kSignature, {'Q', 'E', 'M', 'U'});
  f.add_item(key::kId, le(FwCfg::kFeatureTraditional | FwCfg::kFeatureDma, 4));
  f.add_item(key::kUuid, std::vector<u8>(16, 0));
  f.add_item(key::kRamSize, le(s.ram_bytes, 8));
  f.add_item(key::kNoGraphic, le(0, 2));
  f.add_item(key::kNbCpus, le(s.cpus, 2));
  f.add_item(key::kMaxCpus, le(s.cpus, 2));
  f.add_item(key::kBootMenu, le(0, 2));
  f.add_item(key::kNuma, le(0, 8));  // no NUMA nodes
  // x86 items: no legacy ACPI/SMBIOS blobs, IRQ 0 is overridden to GSI 2, no e820 reservations
  // beyond the etc/e820 file.
  f.add_item(key::kAcpiTables, le(0, 2));
  f.add_item(key::kSmbiosEntries, le(0, 2));
  f.add_item(key::kIrq0Override, le(1, 1));
  f.add_item(key::kE820Table, le(0, 4));

  f.add_file("etc/e820", encode_e820(board_e820(s.low_ram, s.high_ram)));
  if (!s.boot_paths.empty()) {
    std::vector<u8> order;
    for (const std::string& p : s.boot_paths) {
      order.insert(order.end(), p.begin(), p.end());
      order.push_back('\n');
    }
    order.push_back(0);
    f.add_file("bootorder", order);
  }
  AcpiFiles acpi = build_acpi(s.acpi);
  f.add_file(kAcpiRsdpFile, std::move(acpi.rsdp));
  f.add_file(kAcpiTablesFile, std::move(acpi.tables));
  f.add_file(kTableLoaderFile, std::move(acpi.loader));
}

}  // namespace tern
