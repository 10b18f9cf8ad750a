// Scan code set 2 to set 1 translation, as the i8042 performs it when command byte bit 6 is
// set (and as a keyboard switched to set 1 reports keys).
#pragma once

#include "base/types.h"

namespace tern {

// The set 1 code for a set 2 byte. Prefix and response bytes (0xE0, 0xE1, 0xFA, 0xAA, ...) pass
// through; the 0xF0 break prefix is handled by the caller (it ORs 0x80 into the next code).
u8 set2_to_set1(u8 code);

}  // namespace tern
