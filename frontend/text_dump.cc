#include "frontend/text_dump.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "base/error.h"
#include "devices/vga_render.h"
#include "devices/vga_text.h"

namespace tern {

void write_text_dump(const Vga& vga, const std::string& path) {
  const std::optional<std::string> text = read_text_screen(vga);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail("--dump-text: cannot write '{}'", path);
  if (text) {
    out << *text;
  } else {
    const VgaScreen screen = describe_screen(vga);
    fmt::print(stderr, "tern: --dump-text: the screen is not in a text mode ({}x{} picture), '{}' left empty\n", screen.width,
               screen.height, path);
  }
  if (!out.flush()) fail("--dump-text: cannot write '{}'", path);
}

}  // namespace tern
