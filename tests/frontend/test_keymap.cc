// The window's keymap: every host key's set 2 code translates to its set 1 code the way the
// i8042 translates (devices/ps2_scancodes.h, written independently), and press/release byte
// sequences have the PS/2 shapes, extended keys included.
#include <catch2/catch.hpp>

#include <vector>

#include "devices/ps2_scancodes.h"
#include "frontend/sdl/keymap.h"

using namespace tern;

TEST_CASE("every mapped key's set 1 and set 2 codes agree with the i8042 translation") {
  int mapped = 0;
  for (int sc = 0; sc < SDL_NUM_SCANCODES; ++sc) {
    const Ps2Key key = ps2_key(static_cast<SDL_Scancode>(sc));
    if (key.set1 == 0) continue;
    ++mapped;
    INFO("SDL scancode " << sc);
    CHECK(set2_to_set1(key.set2) == key.set1);
  }
  CHECK(mapped >= 100);  // the 101/102-key layout plus the Windows keys
}

TEST_CASE("press and release sequences in sets 1 and 2") {
  const Ps2Key a = ps2_key(SDL_SCANCODE_A);
  CHECK(set1_bytes(a, true) == std::vector<u8>{0x1E});
  CHECK(set1_bytes(a, false) == std::vector<u8>{0x9E});
  CHECK(set2_bytes(a, true) == std::vector<u8>{0x1C});
  CHECK(set2_bytes(a, false) == std::vector<u8>{0xF0, 0x1C});
  const Ps2Key up = ps2_key(SDL_SCANCODE_UP);
  CHECK(set1_bytes(up, false) == std::vector<u8>{0xE0, 0xC8});
  CHECK(set2_bytes(up, true) == std::vector<u8>{0xE0, 0x75});
  CHECK(set2_bytes(up, false) == std::vector<u8>{0xE0, 0xF0, 0x75});
  CHECK(ps2_key(SDL_SCANCODE_RCTRL).extended);
  CHECK(!ps2_key(SDL_SCANCODE_LCTRL).extended);
  CHECK(ps2_key(SDL_SCANCODE_MUTE).set1 == 0);
}
