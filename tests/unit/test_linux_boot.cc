// Direct boot of a Linux bzImage (32-bit boot protocol) and the ACPI tables installed for it.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "base/bits.h"
#include "base/error.h"
#include "machine/machine.h"

using namespace tern;

namespace {

// A fake bzImage: one setup sector with the boot-protocol header, then 32-bit code that exits
// through the debug port with 0 when ESI points at boot_params whose header says "HdrS".
std::vector<u8> fake_bzimage(u16 version = 0x020F) {
  std::vector<u8> image(3 * 512, 0);
  image[0x1F1] = 1;                                   // setup_sects
  image[0x201] = 0x66;                                // jump offset: header ends at 0x268
  std::memcpy(&image[0x202], "HdrS", 4);
  store_le<u16>(&image[0x206], version);
  image[0x211] = 0x01;                                // LOADED_HIGH
  store_le<u32>(&image[0x22C], 0x37FFFFFF);           // initrd_addr_max
  store_le<u32>(&image[0x238], 2048);                 // cmdline_size
  // cmp dword [esi+0x202], "HdrS"; setne al; out 0xF4, al; hlt
  const u8 program[] = {0x81, 0xBE, 0x02, 0x02, 0x00, 0x00, 'H', 'd', 'r', 'S', 0x0F, 0x95, 0xC0, 0xE6, 0xF4, 0xF4};
  std::memcpy(&image[1024], program, sizeof program);  // after boot sector + 1 setup sector
  return image;
}

std::string write_temp(const std::string& name, const std::vector<u8>& data) {
  const std::string path = "test_linux_boot_" + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                             static_cast<std::streamsize>(data.size()));
  return path;
}

u8 checksum(const u8* p, size_t n) {
  u8 s = 0;
  for (size_t i = 0; i < n; ++i) s = static_cast<u8>(s + p[i]);
  return s;
}

}  // namespace

TEST_CASE("a bzImage boots at code32_start with ESI at boot_params and a filled zero page") {
  MachineConfig cfg;
  cfg.kernel = write_temp("bzimage", fake_bzimage());
  cfg.initrd = write_temp("initrd", std::vector<u8>(10000, 0xAB));
  cfg.append = "console=ttyS0 tern.test";
  cfg.ram_bytes = 64 << 20;
  Machine m(cfg);
  for (int i = 0; i < 100 && m.status() == MachineStatus::kRunning; ++i) m.run_for(1'000'000);
  CHECK(m.status() == MachineStatus::kPoweredOff);  // the kernel saw HdrS at ESI+0x202

  const u8* ram = m.memory().ram_bytes();
  const u32 bp = m.cpu().gpr[kEsi];
  CHECK(bp == 0x10000);
  CHECK(ram[bp + 0x210] == 0xFF);                                   // type_of_loader
  const u32 cmdline = load_le<u32>(ram + bp + 0x228);
  CHECK(std::string(reinterpret_cast<const char*>(ram + cmdline)) == "console=ttyS0 tern.test");
  const u32 initrd_at = load_le<u32>(ram + bp + 0x218);
  CHECK(load_le<u32>(ram + bp + 0x21C) == 10000);
  CHECK(initrd_at % 4096 == 0);
  CHECK(initrd_at > 0x100000);
  CHECK(ram[initrd_at] == 0xAB);
  CHECK(ram[bp + 0x0F] == 1);  // orig_video_isVGA

  // e820: RAM at 0 and from 1 MiB, the ACPI area reserved as ACPI.
  const unsigned entries = ram[bp + 0x1E8];
  REQUIRE(entries >= 5);
  bool acpi_area = false;
  for (unsigned i = 0; i < entries; ++i) {
    const u8* e = ram + bp + 0x2D0 + 20 * i;
    if (load_le<u32>(e + 16) == 3) acpi_area = load_le<u64>(e) + load_le<u64>(e + 8) == m.memory().low_ram_size();
  }
  CHECK(acpi_area);

  // The RSDP named in boot_params is valid and leads to an RSDT whose checksum is right.
  const u64 rsdp = load_le<u64>(ram + bp + 0x70);
  REQUIRE(rsdp >= 0xF0000);
  REQUIRE(rsdp < 0x100000);
  CHECK(std::memcmp(ram + rsdp, "RSD PTR ", 8) == 0);
  CHECK(checksum(ram + rsdp, 20) == 0);
  const u32 rsdt = load_le<u32>(ram + rsdp + 16);
  REQUIRE(m.memory().ram_ptr(rsdt, 36) != nullptr);
  CHECK(std::memcmp(ram + rsdt, "RSDT", 4) == 0);
  CHECK(checksum(ram + rsdt, load_le<u32>(ram + rsdt + 4)) == 0);
  const u32 fadt = load_le<u32>(ram + rsdt + 36);
  CHECK(std::memcmp(ram + fadt, "FACP", 4) == 0);
  CHECK(checksum(ram + fadt, load_le<u32>(ram + fadt + 4)) == 0);

  std::remove(cfg.kernel.c_str());
  std::remove(cfg.initrd.c_str());
}

TEST_CASE("kernels too old for the 32-bit boot protocol are refused") {
  MachineConfig cfg;
  cfg.kernel = write_temp("old", fake_bzimage(0x0201));
  CHECK_THROWS_WITH(Machine(cfg), Catch::Contains("too old"));
  std::remove(cfg.kernel.c_str());
}

TEST_CASE("a command line longer than the kernel accepts is refused") {
  MachineConfig cfg;
  cfg.kernel = write_temp("long", fake_bzimage());
  cfg.append = std::string(3000, 'x');
  CHECK_THROWS_WITH(Machine(cfg), Catch::Contains("at most 2048 bytes"));
  std::remove(cfg.kernel.c_str());
}
