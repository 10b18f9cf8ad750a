// Screenshots and text dumps: PNG round trips, the option syntax, timed screenshots on guest time,
// and the picture of a guest that programs the VGA and loads its own font.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "bios/firmware.h"
#include "devices/vga_render.h"
#include "frontend/screenshot.h"
#include "frontend/text_dump.h"
#include "machine/machine.h"

using namespace tern;

namespace {

std::string guest(const char* name) { return std::string(TERN_GUEST_DIR) + "/" + name; }

MachineConfig guest_config(const char* name) {
  MachineConfig config;
  config.bios = guest(name);
  config.serial = "none";
  config.ram_bytes = 4 << 20;
  return config;
}

void run_to_end(Machine& machine, ScreenOutputs& outputs) {
  for (int i = 0; i < 10'000 && machine.status() == MachineStatus::kRunning; ++i) {
    machine.run_for(std::max<u64>(1, std::min<u64>(1'000'000, outputs.ns_until_next(machine.clock().now()))));
    outputs.after_slice(machine);
  }
  outputs.finish(machine);
}

u32 pixel(const VgaImage& image, u32 x, u32 y) { return image.pixels[size_t{y} * image.width + x]; }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a PNG written and read back has the same size and pixels") {
  VgaImage image;
  image.width = 3;
  image.height = 2;
  image.pixels = {0x000000, 0xFF0000, 0x00FF00, 0x0000FF, 0x123456, 0xFFFFFF};
  write_png(image, "test_screenshot_roundtrip.png");
  const VgaImage back = read_png("test_screenshot_roundtrip.png");
  CHECK(back.width == 3);
  CHECK(back.height == 2);
  CHECK(back.pixels == image.pixels);
  CHECK_THROWS_AS(read_png("test_screenshot_missing.png"), Error);
  CHECK_THROWS_AS(write_png(image, "no-such-dir/x.png"), Error);
}

TEST_CASE("screenshot and text dump options: FILE, FILE@SECONDS and SECONDS:DIR") {
  ScreenOutputOptions o;
  parse_screenshot_option("a.png", o);
  CHECK(o.screenshot == "a.png");
  CHECK(o.screenshot_at_ns == 0);
  parse_screenshot_option("b.png@1.5", o);
  CHECK(o.screenshot == "b.png");
  CHECK(o.screenshot_at_ns == 1'500'000'000);
  parse_dump_text_option("screen.txt@2", o);
  CHECK(o.dump_text == "screen.txt");
  CHECK(o.dump_text_at_ns == 2'000'000'000);
  parse_screenshot_every_option("0.25:shots", o);
  CHECK(o.screenshot_every_ns == 250'000'000);
  CHECK(o.screenshot_dir == "shots");
  CHECK_THROWS_WITH(parse_screenshot_option("c.png@soon", o), Catch::Contains("not a time"));
  CHECK_THROWS_AS(parse_screenshot_option("@1", o), Error);
  CHECK_THROWS_AS(parse_screenshot_every_option("shots", o), Error);
  CHECK_THROWS_AS(parse_screenshot_every_option("0:shots", o), Error);
}

TEST_CASE("the VGA text guest's screenshot shows its own font in its colours") {
  Machine machine(guest_config("vga_text.bin"));
  ScreenOutputOptions o;
  o.screenshot = "test_screenshot_text.png";
  o.dump_text = "test_screenshot_text.txt";
  ScreenOutputs outputs(o);
  run_to_end(machine, outputs);
  REQUIRE(machine.status() == MachineStatus::kPoweredOff);
  const VgaImage image = read_png(o.screenshot);
  REQUIRE(image.width == 720);
  REQUIRE(image.height == 400);
  // "T" at column 4, row 2: the top bar of the 5x7 glyph (cell line 1, dots 1-5) in yellow on blue.
  const u32 x = 4 * 9, y = 2 * 16;
  CHECK(pixel(image, x + 0, y + 1) == 0x0000AA);
  CHECK(pixel(image, x + 1, y + 1) == 0xFFFF55);
  CHECK(pixel(image, x + 5, y + 1) == 0xFFFF55);
  CHECK(pixel(image, x + 1, y + 3) == 0x0000AA);
  CHECK(pixel(image, x + 3, y + 3) == 0xFFFF55);
  CHECK(pixel(image, 700, 200) == 0x000000);
  const std::string text = slurp(o.dump_text);
  CHECK(text.find("\n    TERN VGA TEXT MODE 80X25\n") != std::string::npos);
  CHECK(text.find("\nBOTTOM LINE: OK.\n") != std::string::npos);
}

TEST_CASE("timed screenshots are taken at exact guest times and follow the guest's progress") {
  Machine machine(guest_config("vga_text.bin"));
  std::filesystem::remove_all("test_screenshot_series");
  ScreenOutputOptions o;
  o.screenshot_every_ns = 500'000;
  o.screenshot_dir = "test_screenshot_series";
  o.screenshot = "test_screenshot_at.png";
  o.screenshot_at_ns = 1'000'000;
  ScreenOutputs outputs(o);
  run_to_end(machine, outputs);
  const VgaImage first = read_png("test_screenshot_series/screen-000001.png");
  const VgaImage at_1ms = read_png("test_screenshot_series/screen-000002.png");
  CHECK(read_png("test_screenshot_at.png").pixels == at_1ms.pixels);
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("test_screenshot_series")) count += entry.is_regular_file();
  CHECK(count >= 4);
  const VgaImage last = read_png("test_screenshot_series/" + fmt::format("screen-{:06}.png", count));
  CHECK(first.pixels != last.pixels);
}

TEST_CASE("a Multiboot kernel finds text mode and the VGA BIOS font without any firmware running") {
  MachineConfig config;
  config.kernel = guest("vga_multiboot.bin");
  config.serial = "none";
  config.ram_bytes = 16 << 20;
  Machine machine(config);
  ScreenOutputOptions o;
  o.dump_text = "test_screenshot_multiboot.txt";
  ScreenOutputs outputs(o);
  run_to_end(machine, outputs);
  REQUIRE(machine.status() == MachineStatus::kPoweredOff);
  CHECK(slurp(o.dump_text).find("\n  Multiboot text in the BIOS font\n") != std::string::npos);
  if (!std::filesystem::exists(kVgaBiosPath)) {
    WARN("font not checked: " << kVgaBiosPath << " is not installed (Debian package seabios)");
    return;
  }
  // "M" at column 2, row 1 has white dots; the blank cell before it has none.
  const VgaImage image = render_screen(machine.vga());
  int lit = 0, lit_blank = 0;
  for (u32 y = 16; y < 32; ++y)
    for (u32 x = 0; x < 9; ++x) {
      lit += pixel(image, 2 * 9 + x, y) == 0xFFFFFF;
      lit_blank += pixel(image, 9 + x, y) != 0x000000;
    }
  CHECK(lit > 10);
  CHECK(lit_blank == 0);
}
