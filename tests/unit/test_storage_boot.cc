// The storage devices on the whole board under SeaBIOS: the firmware's debug log (port 0x402)
// lists the IDE disk, the CD-ROM drive and the floppy, and a boot sector loaded from a floppy
// or a CD (El Torito, no emulation) reads through int 13h — the FDC with ISA DMA, ATAPI, the
// ATA disk — and reports what it read on port 0xE9 before leaving through port 0xF4.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "bios/firmware.h"
#include "machine/machine.h"

using namespace tern;
namespace fs = std::filesystem;

namespace {

// tests/unit/boot_probe.asm (nasm -f bin), kept here as bytes: prints "TERN-BOOT-", reads the
// boot medium's second sector (floppy: int 13h AH=02h CHS 0/0/2; CD: AH=42h LBA 1) to 0x8000 and
// prints the string there, then reads LBA 0 of hard disk 80h (AH=42h) and prints that; exits
// with 0 through port 0xF4, or 33 when a read fails.
constexpr u8 kBootProbe[] = {
    0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x8e, 0xc0, 0x8e, 0xd0, 0xbc, 0x00, 0x7c, 0xfb, 0xbe, 0x65, 0x7c, 0xe8, 0x48,
    0x00, 0x80, 0xfa, 0x80, 0x73, 0x11, 0xb8, 0x01, 0x02, 0xb9, 0x02, 0x00, 0x30, 0xf6, 0xbb, 0x00, 0x80, 0xcd,
    0x13, 0x72, 0x2e, 0xeb, 0x09, 0xbe, 0x70, 0x7c, 0xb4, 0x42, 0xcd, 0x13, 0x72, 0x23, 0xbe, 0x00, 0x80, 0xe8,
    0x23, 0x00, 0xc7, 0x06, 0x78, 0x7c, 0x00, 0x00, 0xbe, 0x70, 0x7c, 0xb2, 0x80, 0xb4, 0x42, 0xcd, 0x13, 0x72,
    0x0c, 0xbe, 0x00, 0x80, 0xe8, 0x0c, 0x00, 0x30, 0xc0, 0xe6, 0xf4, 0xeb, 0xfe, 0xb0, 0x21, 0xe6, 0xf4, 0xeb,
    0xfe, 0xac, 0x84, 0xc0, 0x74, 0x04, 0xe6, 0xe9, 0xeb, 0xf7, 0xc3, 0x54, 0x45, 0x52, 0x4e, 0x2d, 0x42, 0x4f,
    0x4f, 0x54, 0x2d, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00};

void put_string(std::vector<u8>& image, size_t offset, const char* text) {
  std::memcpy(image.data() + offset, text, std::strlen(text) + 1);
}

void put_u32(std::vector<u8>& image, size_t offset, u32 value) {
  for (int i = 0; i < 4; ++i) image[offset + i] = static_cast<u8>(value >> (8 * i));
}

struct BootImages {
  fs::path dir;
  std::string hd, fd, cd, log;

  BootImages() {
    std::string tmpl = (fs::temp_directory_path() / "tern-boot-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    std::vector<u8> disk(4 << 20);
    put_string(disk, 0, "TERN-DISK-SECTOR-0");
    hd = write("hd.img", disk);

    std::vector<u8> floppy(1474560);
    std::memcpy(floppy.data(), kBootProbe, sizeof kBootProbe);
    floppy[510] = 0x55;
    floppy[511] = 0xAA;
    put_string(floppy, 512, "TERN-FLOPPY-SECTOR-1");
    fd = write("fd.img", floppy);

    // An El Torito CD: boot record volume descriptor at sector 17, catalog at 19, the no-emulation
    // boot image (four 512-byte sectors) at 20.
    std::vector<u8> iso(32 * 2048);
    put_string(iso, 1 * 2048, "TERN-CD-SECTOR-1");
    const size_t brvd = 17 * 2048;
    std::memcpy(iso.data() + brvd + 1, "CD001\1EL TORITO SPECIFICATION", 29);
    put_u32(iso, brvd + 0x47, 19);
    const size_t catalog = 19 * 2048;
    iso[catalog + 0x00] = 0x01;  // validation entry
    iso[catalog + 0x1E] = 0x55;
    iso[catalog + 0x1F] = 0xAA;
    u16 sum = 0;
    for (size_t i = 0; i < 32; i += 2) sum = static_cast<u16>(sum + (iso[catalog + i] | iso[catalog + i + 1] << 8));
    const u16 check = static_cast<u16>(-sum);
    iso[catalog + 0x1C] = static_cast<u8>(check);
    iso[catalog + 0x1D] = static_cast<u8>(check >> 8);
    iso[catalog + 0x20] = 0x88;  // bootable, no emulation, load segment 0 (07C0h)
    iso[catalog + 0x26] = 4;
    put_u32(iso, catalog + 0x28, 20);
    std::memcpy(iso.data() + 20 * 2048, kBootProbe, sizeof kBootProbe);
    cd = write("cd.iso", iso);
    log = (dir / "debug.log").string();
  }
  ~BootImages() { fs::remove_all(dir); }

  std::string write(const char* name, const std::vector<u8>& data) const {
    const std::string p = (dir / name).string();
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return p;
  }

  MachineConfig config(const std::string& boot) const {
    MachineConfig c;
    c.hda = hd;
    c.fda = fd;
    c.cdrom = cd;
    c.boot_order = boot;
    c.serial = "none";
    c.debugcon = "file:" + log;
    c.no_reboot = true;
    return c;
  }

  std::string debug_log() const {
    std::ifstream in(log, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

// Runs until the guest leaves (or 60 s of guest time) and returns the debug console's text.
std::string boot(const BootImages& images, Machine& machine) {
  for (int slice = 0; slice < 600 && machine.status() == MachineStatus::kRunning; ++slice)
    machine.run_for(100'000'000);
  machine.flush_output();
  return images.debug_log();
}

bool seabios_available() { return fs::exists(kSeaBiosPath); }

}  // namespace

TEST_CASE("SeaBIOS finds the IDE disk, the CD-ROM and the floppy, and boots the floppy", "[storage][boot]") {
  if (!seabios_available()) return;  // the test needs Debian's seabios package
  BootImages images;
  Machine machine(images.config("a"));
  const std::string log = boot(images, machine);
  CHECK_THAT(log, Catch::Contains("ata0-0: TERN HARDDISK ATA-6 Hard-Disk (4 MiBytes)"));
  CHECK_THAT(log, Catch::Contains("DVD/CD [ata1-0: TERN DVD-ROM ATAPI-6 DVD/CD]"));
  CHECK_THAT(log, Catch::Contains("Searching bootorder for: /pci@i0cf8/isa@1/fdc@03f0/floppy@0"));
  CHECK_THAT(log, Catch::Contains("Booting from Floppy..."));
  CHECK_THAT(log, Catch::Contains("TERN-BOOT-TERN-FLOPPY-SECTOR-1TERN-DISK-SECTOR-0"));
  CHECK(machine.status() == MachineStatus::kPoweredOff);
}

TEST_CASE("SeaBIOS boots an El Torito CD, which reads the CD and the disk through int 13h", "[storage][boot]") {
  if (!seabios_available()) return;
  BootImages images;
  Machine machine(images.config("d"));
  const std::string log = boot(images, machine);
  CHECK_THAT(log, Catch::Contains("Booting from DVD/CD..."));
  CHECK_THAT(log, Catch::Contains("TERN-BOOT-TERN-CD-SECTOR-1TERN-DISK-SECTOR-0"));
  CHECK(machine.status() == MachineStatus::kPoweredOff);
}

TEST_CASE("a second machine cannot open a disk image another one is writing", "[storage]") {
  if (!seabios_available()) return;
  BootImages images;
  Machine first(images.config("c"));
  try {
    Machine second(images.config("c"));
    FAIL("the second machine opened the locked image");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kBadInput);
    CHECK_THAT(std::string(e.what()), Catch::Contains("--hda"));
  }
  // With --snapshot neither writes: a snapshot run still waits for the writer to go away.
  MachineConfig snap = images.config("c");
  snap.snapshot = true;
  CHECK_THROWS_AS(Machine(snap), Error);
}
