// tern's ACPI tables as SeaBIOS installs them: the loader script is executed here the way
// romfile_loader.c does, then the tables are walked from the RSDP and checked.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <string>

#include "bios/acpi.h"
#include "bios/aml.h"

using namespace tern;

namespace {

u32 get32(const std::vector<u8>& b, size_t at) {
  return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | static_cast<u32>(b[at + 3]) << 24;
}

u8 sum(const u8* p, size_t n) {
  u8 s = 0;
  for (size_t i = 0; i < n; ++i) s = static_cast<u8>(s + p[i]);
  return s;
}

// Guest memory as a map of allocated files; addresses are file base + offset.
struct Installed {
  std::map<std::string, std::vector<u8>> files;
  std::map<std::string, u32> base;
  std::vector<u8>& at(u32 address, size_t& offset) {
    for (auto& [name, b] : base)
      if (address >= b && address < b + files[name].size()) {
        offset = address - b;
        return files[name];
      }
    FAIL("address outside the installed tables");
    return files.begin()->second;
  }
};

Installed install(const AcpiFiles& f) {
  Installed m;
  const std::map<std::string, const std::vector<u8>*> rom = {{kAcpiRsdpFile, &f.rsdp}, {kAcpiTablesFile, &f.tables}};
  u32 next_high = 0x7FF0000, fseg = 0xF5A50;
  for (size_t at = 0; at < f.loader.size(); at += 128) {
    const u8* e = &f.loader[at];
    const u32 cmd = e[0] | e[1] << 8;
    const std::string a(reinterpret_cast<const char*>(e + 4));
    if (cmd == 1) {
      const u32 align = get32(f.loader, at + 60);
      const u8 zone = e[64];
      m.files[a] = *rom.at(a);
      u32& place = zone == 2 ? fseg : next_high;
      place = (place + align - 1) / align * align;
      m.base[a] = place;
      place += static_cast<u32>(m.files[a].size());
    } else if (cmd == 2) {
      const std::string src(reinterpret_cast<const char*>(e + 60));
      const u32 off = get32(f.loader, at + 116);
      REQUIRE(e[120] == 4);
      std::vector<u8>& d = m.files[a];
      const u32 v = get32(d, off) + m.base[src];
      for (int i = 0; i < 4; ++i) d[off + i] = static_cast<u8>(v >> (8 * i));
    } else if (cmd == 3) {
      std::vector<u8>& d = m.files[a];
      const u32 res = get32(f.loader, at + 60), start = get32(f.loader, at + 64), len = get32(f.loader, at + 68);
      d[res] = static_cast<u8>(d[res] - sum(&d[start], len));
    } else {
      FAIL("unknown loader command");
    }
  }
  return m;
}

}  // namespace

TEST_CASE("AML encodings: PkgLength sizes, integers, names, EISA IDs") {
  CHECK(aml::pkg_length(0) == aml::Bytes{0x01});
  CHECK(aml::pkg_length(62) == aml::Bytes{0x3F});
  CHECK(aml::pkg_length(63) == aml::Bytes{0x41, 0x04});  // 65 = 0x41: two bytes
  CHECK(aml::pkg_length(4093) == aml::Bytes{0x4F, 0xFF});
  CHECK(aml::pkg_length(4094) == aml::Bytes{0x81, 0x00, 0x01});
  CHECK(aml::integer(0) == aml::Bytes{0x00});
  CHECK(aml::integer(1) == aml::Bytes{0x01});
  CHECK(aml::integer(0x80) == aml::Bytes{0x0A, 0x80});
  CHECK(aml::integer(0x10000) == aml::Bytes{0x0C, 0x00, 0x00, 0x01, 0x00});
  CHECK(aml::name_string("\\_SB_.PCI0") == aml::Bytes{'\\', 0x2E, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'});
  CHECK(aml::name_string("_S5") == aml::Bytes{'_', 'S', '5', '_'});
  CHECK(aml::eisa_id("PNP0A03") == aml::Bytes{0x0C, 0x41, 0xD0, 0x0A, 0x03});
  CHECK(aml::io_port(0x3F8, 8) == aml::Bytes{0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08});
  CHECK(aml::irq_no_flags(12) == aml::Bytes{0x22, 0x00, 0x10});
}

TEST_CASE("the DSDT declares \\_S5 as SLP_TYP 0 and the devices by EISA ID") {
  const std::vector<u8> aml = dsdt_aml(AcpiSetup{});
  const aml::Bytes s5 = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
  CHECK(std::search(aml.begin(), aml.end(), s5.begin(), s5.end()) != aml.end());
  for (const char* id : {"PNP0A03", "PNP0303", "PNP0F13", "PNP0501", "PNP0B00"}) {
    const aml::Bytes e = aml::eisa_id(id);
    CHECK(std::search(aml.begin(), aml.end(), e.begin(), e.end()) != aml.end());
  }
  // The root bridge's _CRS: bus numbers 0-255 and the PCI hole up to the I/O APIC.
  const aml::Bytes bus = aml::word_bus_number(0, 0xFF);
  CHECK(bus == aml::Bytes{0x88, 0x0D, 0x00, 0x02, 0x0C, 0x00, 0, 0, 0x00, 0x00, 0xFF, 0x00, 0, 0, 0x00, 0x01});
  CHECK(std::search(aml.begin(), aml.end(), bus.begin(), bus.end()) != aml.end());
  const aml::Bytes hole = aml::dword_memory(0x80000000, 0xFEBFFFFF, false);
  CHECK(hole.size() == 26);
  CHECK(std::search(aml.begin(), aml.end(), hole.begin(), hole.end()) != aml.end());
  const aml::Bytes fdc = aml::eisa_id("PNP0700");
  CHECK(std::search(aml.begin(), aml.end(), fdc.begin(), fdc.end()) == aml.end());
  AcpiSetup with_floppy;
  with_floppy.floppy = true;
  const std::vector<u8> aml2 = dsdt_aml(with_floppy);
  CHECK(std::search(aml2.begin(), aml2.end(), fdc.begin(), fdc.end()) != aml2.end());
}

TEST_CASE("installed tables chain from the RSDP with valid checksums") {
  AcpiSetup setup;
  Installed m = install(build_acpi(setup));
  std::vector<u8>& rsdp = m.files[kAcpiRsdpFile];
  REQUIRE(rsdp.size() == 20);
  CHECK(std::string(rsdp.begin(), rsdp.begin() + 8) == "RSD PTR ");
  CHECK(sum(rsdp.data(), 20) == 0);
  CHECK(m.base[kAcpiRsdpFile] % 16 == 0);
  CHECK(m.base[kAcpiRsdpFile] >= 0xE0000);

  size_t off = 0;
  std::vector<u8>& t = m.at(get32(rsdp, 16), off);
  auto table = [&](u32 address, const char* sig) {
    size_t o = 0;
    std::vector<u8>& f = m.at(address, o);
    CHECK(std::string(f.begin() + o, f.begin() + o + 4) == sig);
    const u32 len = get32(f, o + 4);
    if (std::string(sig) != "FACS") CHECK(sum(&f[o], len) == 0);
    return o;
  };
  const size_t rsdt = table(get32(rsdp, 16), "RSDT");
  CHECK(get32(t, rsdt + 4) == 44);
  const size_t fadt = table(get32(t, rsdt + 36), "FACP");
  const size_t madt = table(get32(t, rsdt + 40), "APIC");
  const u32 facs_address = get32(t, fadt + 36);
  table(facs_address, "FACS");
  CHECK(facs_address % 64 == 0);
  table(get32(t, fadt + 40), "DSDT");
  (void)off;

  SECTION("the FADT points at the PIIX4 PM registers") {
    CHECK((t[fadt + 46] | t[fadt + 47] << 8) == 9);
    CHECK(get32(t, fadt + 48) == 0xB2);
    CHECK(t[fadt + 52] == 0xF1);
    CHECK(get32(t, fadt + 56) == 0x600);
    CHECK(get32(t, fadt + 64) == 0x604);
    CHECK(get32(t, fadt + 76) == 0x608);
    CHECK(t[fadt + 88] == 4);
    CHECK(t[fadt + 89] == 2);
    CHECK(t[fadt + 91] == 4);
    CHECK(t[fadt + 108] == 0x32);
  }
  SECTION("the MADT lists the local APIC, the I/O APIC and the overrides") {
    CHECK(get32(t, madt + 36) == 0xFEE00000);
    const u32 len = get32(t, madt + 4);
    std::vector<std::vector<u8>> entries;
    for (size_t at = madt + 44; at < madt + len; at += t[at + 1]) entries.emplace_back(&t[at], &t[at] + t[at + 1]);
    REQUIRE(entries.size() == 7);
    CHECK(entries[0] == std::vector<u8>{0, 8, 0, 0, 1, 0, 0, 0});
    CHECK(entries[1] == std::vector<u8>{1, 12, 0, 0, 0x00, 0x00, 0xC0, 0xFE, 0, 0, 0, 0});
    CHECK(entries[2] == std::vector<u8>{2, 10, 0, 0, 2, 0, 0, 0, 0, 0});
    CHECK(entries[3] == std::vector<u8>{2, 10, 0, 9, 9, 0, 0, 0, 0x0D, 0});
    CHECK(entries[6] == std::vector<u8>{4, 6, 0xFF, 0, 0, 1});
  }
}
