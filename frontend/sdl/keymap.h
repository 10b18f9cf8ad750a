// Host keys to PC keyboard scancodes: each SDL key (by its physical position, SDL_Scancode) as
// the PS/2 keyboard reports it in scancode set 1 (what the i8042 hands the guest with
// translation on) and set 2 (what the keyboard itself sends). Extended keys carry the 0xE0
// prefix in both sets.
#pragma once

#include <SDL.h>

#include <vector>

#include "base/types.h"

namespace tern {

struct Ps2Key {
  u8 set1 = 0;  // 0: the key has no PC equivalent
  u8 set2 = 0;
  bool extended = false;
};

// The PC key at a host key position (set1 == 0 when there is none).
Ps2Key ps2_key(SDL_Scancode scancode);

// The bytes of a press or release in set 1 (release: code | 0x80) or set 2 (release: 0xF0 code).
std::vector<u8> set1_bytes(const Ps2Key& key, bool pressed);
std::vector<u8> set2_bytes(const Ps2Key& key, bool pressed);

}  // namespace tern
