// Text typed into the guest: characters of a US keyboard layout as PS/2 scan code set 2 bytes.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

// The set 2 bytes that press and release the keys for each character of `text` (Shift around
// capitals and symbols). Escapes: \n Enter, \t Tab, \e Escape, \b Backspace, \\ backslash.
// Throws Error naming a character no key types.
std::vector<std::vector<u8>> text_to_keystrokes(const std::string& text);

}  // namespace tern
