// A text read-out of the VGA text screen: the characters of every row, code page 437 mapped to
// Unicode and encoded as UTF-8, for `--dump-text` and for tests that check what a guest printed.
#pragma once

#include <optional>
#include <string>

#include "base/types.h"
#include "devices/vga.h"

namespace tern {

// The rows of the current text screen, trailing blanks removed, each ended by '\n'; nullopt when
// the VGA is not in a text mode (graphics, VBE, or the display is off).
std::optional<std::string> read_text_screen(const Vga& vga);

// Code page 437 character `ch` as UTF-8 (NUL reads as a space).
std::string cp437_to_utf8(u8 ch);

}  // namespace tern
