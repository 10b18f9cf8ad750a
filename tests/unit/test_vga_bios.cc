// The VGA against the real VGA BIOS: Debian's vgabios-stdvga.bin, deployed as SeaBIOS deploys a
// PCI VGA's ROM (copied to 0xC0000, initialised with the device's bus/device/function in AX),
// sets text mode 3 and prints, sets the planar modes 12h and 0Dh, mode 13h, the CGA mode 04h and a
// VBE LFB mode, and the renderer shows what it wrote. Skipped when the seabios package is not installed.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

#include "bios/firmware.h"
#include "devices/pci.h"
#include "devices/vga_render.h"
#include "devices/vga_text.h"
#include "machine/machine.h"

using namespace tern;

namespace {

constexpr u32 kLfbBar = 0xFD000000;  // where SeaBIOS puts it under QEMU

struct VgaBiosRun {
  Machine machine;

  explicit VgaBiosRun(const std::vector<u8>& rom) : machine(config()) {
    PciBus& bus = machine.pci();
    bus.config_write(Machine::kSlotVga, 0, pci_cfg::kBar0, kLfbBar, 4);
    bus.config_write(Machine::kSlotVga, 0, pci_cfg::kCommand, pci_cmd::kIo | pci_cmd::kMemory, 2);
    PhysMemory& mem = machine.memory();
    mem.set_legacy_shadow(0xC0000, 0x10000, true, true);
    std::memcpy(mem.ram_ptr(0xC0000, rom.size()), rom.data(), rom.size());
  }

  static MachineConfig config() {
    MachineConfig c;
    c.bios = std::string(TERN_GUEST_DIR) + "/vga_bios_guest.bin";
    c.serial = "none";
    c.ram_bytes = 16 << 20;
    return c;
  }

  // Runs until the guest reports `phase` (see vga_bios_guest.asm).
  bool run_to_phase(u8 phase) {
    for (int i = 0; i < 2000 && machine.status() == MachineStatus::kRunning; ++i) {
      if (*machine.memory().ram_ptr(0x501, 1) == phase) return true;
      machine.run_for(1'000'000);
    }
    return false;
  }
  void go_on(u8 phase) { *machine.memory().ram_ptr(0x500, 1) = phase; }
};

u32 pixel(const VgaImage& image, u32 x, u32 y) { return image.pixels[size_t{y} * image.width + x]; }

}  // namespace

TEST_CASE("vgabios-stdvga.bin drives text, planar, 256-colour, CGA and VBE modes") {
  if (!std::filesystem::exists(kVgaBiosPath)) {
    WARN("skipped: " << kVgaBiosPath << " is not installed (Debian package seabios)");
    return;
  }
  VgaBiosRun run(read_file(kVgaBiosPath, "VGA BIOS"));
  CHECK(run.machine.pci().function(Machine::kSlotVga, 0)->bar_base(0) == kLfbBar);
  CHECK(run.machine.vga().lfb_base() == kLfbBar);

  REQUIRE(run.run_to_phase(1));
  const auto text = read_text_screen(run.machine.vga());
  REQUIRE(text);
  CHECK(text->rfind("HELLO FROM VGABIOS\n", 0) == 0);
  VgaImage image = render_screen(run.machine.vga());
  CHECK(image.width == 720);
  CHECK(image.height == 400);
  // The BIOS's own 8x16 font: "H" has lit dots in its first cell.
  bool lit = false;
  for (u32 y = 0; y < 16; ++y)
    for (u32 x = 0; x < 9; ++x) lit |= pixel(image, x, y) == 0xAAAAAA;
  CHECK(lit);

  run.go_on(1);
  REQUIRE(run.run_to_phase(2));
  image = render_screen(run.machine.vga());
  CHECK(describe_screen(run.machine.vga()).kind == VgaScreenKind::kPlanar16);
  CHECK(image.width == 640);
  CHECK(image.height == 480);
  CHECK(pixel(image, 10, 10) == 0xAA0000);
  CHECK(pixel(image, 11, 10) == 0x000000);

  run.go_on(2);
  REQUIRE(run.run_to_phase(3));
  image = render_screen(run.machine.vga());
  CHECK(image.width == 320);
  CHECK(image.height == 200);
  CHECK(pixel(image, 100, 50) != 0x000000);
  CHECK(pixel(image, 101, 50) == 0x000000);

  run.go_on(3);
  REQUIRE(run.run_to_phase(4));
  image = render_screen(run.machine.vga());
  CHECK(describe_screen(run.machine.vga()).kind == VgaScreenKind::kCga4);
  CHECK(image.width == 320);
  CHECK(image.height == 200);
  CHECK(pixel(image, 5, 1) == 0xFFFFFF);  // palette 1, colour 3: white
  CHECK(pixel(image, 5, 0) == 0x000000);
  CHECK(pixel(image, 5, 2) == 0x000000);

  run.go_on(4);
  REQUIRE(run.run_to_phase(5));
  image = render_screen(run.machine.vga());
  CHECK(describe_screen(run.machine.vga()).kind == VgaScreenKind::kPlanar16);
  CHECK(image.width == 320);
  CHECK(image.height == 200);
  CHECK(pixel(image, 7, 3) == 0xFFFF55);
  CHECK(pixel(image, 8, 3) == 0x000000);

  run.go_on(5);
  REQUIRE(run.run_to_phase(6));
  const VbeRegs& vbe = run.machine.vga().vbe();
  CHECK(vbe.enabled());
  CHECK(vbe.xres == 800);
  CHECK(vbe.yres == 600);
  CHECK(vbe.bpp == 32);
  image = render_screen(run.machine.vga());
  CHECK(pixel(image, 0, 0) == 0xFF8000);
  CHECK(run.machine.memory().read(kLfbBar, 4) == 0x00FF8000);

  run.go_on(6);
  for (int i = 0; i < 100 && run.machine.status() == MachineStatus::kRunning; ++i) run.machine.run_for(1'000'000);
  CHECK(run.machine.status() == MachineStatus::kPoweredOff);
}
