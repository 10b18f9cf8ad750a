// `--dump-text FILE`: the VGA text screen as UTF-8 lines (code page 437 mapped to Unicode).
#pragma once

#include <string>

#include "devices/vga.h"

namespace tern {

// Writes the text screen to `path`. Outside text modes the file is left empty and one line on
// stderr says why. Throws Error when the file cannot be written.
void write_text_dump(const Vga& vga, const std::string& path);

}  // namespace tern
