// Scancode tables: IBM PC/AT keyboard scancode sets 1 and 2 (the "IBM Personal System/2
// Keyboard and Auxiliary Device Technical Reference" key positions).
#include "frontend/sdl/keymap.h"

namespace tern {

namespace {

struct Entry {
  SDL_Scancode scancode;
  Ps2Key key;
};

constexpr Ps2Key k(u8 set1, u8 set2) { return Ps2Key{set1, set2, false}; }
constexpr Ps2Key e(u8 set1, u8 set2) { return Ps2Key{set1, set2, true}; }

// clang-format off
constexpr Entry kKeys[] = {
  {SDL_SCANCODE_ESCAPE, k(0x01, 0x76)},
  {SDL_SCANCODE_1, k(0x02, 0x16)}, {SDL_SCANCODE_2, k(0x03, 0x1E)}, {SDL_SCANCODE_3, k(0x04, 0x26)},
  {SDL_SCANCODE_4, k(0x05, 0x25)}, {SDL_SCANCODE_5, k(0x06, 0x2E)}, {SDL_SCANCODE_6, k(0x07, 0x36)},
  {SDL_SCANCODE_7, k(0x08, 0x3D)}, {SDL_SCANCODE_8, k(0x09, 0x3E)}, {SDL_SCANCODE_9, k(0x0A, 0x46)},
  {SDL_SCANCODE_0, k(0x0B, 0x45)}, {SDL_SCANCODE_MINUS, k(0x0C, 0x4E)}, {SDL_SCANCODE_EQUALS, k(0x0D, 0x55)},
  {SDL_SCANCODE_BACKSPACE, k(0x0E, 0x66)}, {SDL_SCANCODE_TAB, k(0x0F, 0x0D)},
  {SDL_SCANCODE_Q, k(0x10, 0x15)}, {SDL_SCANCODE_W, k(0x11, 0x1D)}, {SDL_SCANCODE_E, k(0x12, 0x24)},
  {SDL_SCANCODE_R, k(0x13, 0x2D)}, {SDL_SCANCODE_T, k(0x14, 0x2C)}, {SDL_SCANCODE_Y, k(0x15, 0x35)},
  {SDL_SCANCODE_U, k(0x16, 0x3C)}, {SDL_SCANCODE_I, k(0x17, 0x43)}, {SDL_SCANCODE_O, k(0x18, 0x44)},
  {SDL_SCANCODE_P, k(0x19, 0x4D)}, {SDL_SCANCODE_LEFTBRACKET, k(0x1A, 0x54)},
  {SDL_SCANCODE_RIGHTBRACKET, k(0x1B, 0x5B)}, {SDL_SCANCODE_RETURN, k(0x1C, 0x5A)},
  {SDL_SCANCODE_LCTRL, k(0x1D, 0x14)},
  {SDL_SCANCODE_A, k(0x1E, 0x1C)}, {SDL_SCANCODE_S, k(0x1F, 0x1B)}, {SDL_SCANCODE_D, k(0x20, 0x23)},
  {SDL_SCANCODE_F, k(0x21, 0x2B)}, {SDL_SCANCODE_G, k(0x22, 0x34)}, {SDL_SCANCODE_H, k(0x23, 0x33)},
  {SDL_SCANCODE_J, k(0x24, 0x3B)}, {SDL_SCANCODE_K, k(0x25, 0x42)}, {SDL_SCANCODE_L, k(0x26, 0x4B)},
  {SDL_SCANCODE_SEMICOLON, k(0x27, 0x4C)}, {SDL_SCANCODE_APOSTROPHE, k(0x28, 0x52)},
  {SDL_SCANCODE_GRAVE, k(0x29, 0x0E)}, {SDL_SCANCODE_LSHIFT, k(0x2A, 0x12)},
  {SDL_SCANCODE_BACKSLASH, k(0x2B, 0x5D)},
  {SDL_SCANCODE_Z, k(0x2C, 0x1A)}, {SDL_SCANCODE_X, k(0x2D, 0x22)}, {SDL_SCANCODE_C, k(0x2E, 0x21)},
  {SDL_SCANCODE_V, k(0x2F, 0x2A)}, {SDL_SCANCODE_B, k(0x30, 0x32)}, {SDL_SCANCODE_N, k(0x31, 0x31)},
  {SDL_SCANCODE_M, k(0x32, 0x3A)}, {SDL_SCANCODE_COMMA, k(0x33, 0x41)}, {SDL_SCANCODE_PERIOD, k(0x34, 0x49)},
  {SDL_SCANCODE_SLASH, k(0x35, 0x4A)}, {SDL_SCANCODE_RSHIFT, k(0x36, 0x59)},
  {SDL_SCANCODE_KP_MULTIPLY, k(0x37, 0x7C)}, {SDL_SCANCODE_LALT, k(0x38, 0x11)},
  {SDL_SCANCODE_SPACE, k(0x39, 0x29)}, {SDL_SCANCODE_CAPSLOCK, k(0x3A, 0x58)},
  {SDL_SCANCODE_F1, k(0x3B, 0x05)}, {SDL_SCANCODE_F2, k(0x3C, 0x06)}, {SDL_SCANCODE_F3, k(0x3D, 0x04)},
  {SDL_SCANCODE_F4, k(0x3E, 0x0C)}, {SDL_SCANCODE_F5, k(0x3F, 0x03)}, {SDL_SCANCODE_F6, k(0x40, 0x0B)},
  {SDL_SCANCODE_F7, k(0x41, 0x83)}, {SDL_SCANCODE_F8, k(0x42, 0x0A)}, {SDL_SCANCODE_F9, k(0x43, 0x01)},
  {SDL_SCANCODE_F10, k(0x44, 0x09)}, {SDL_SCANCODE_NUMLOCKCLEAR, k(0x45, 0x77)},
  {SDL_SCANCODE_SCROLLLOCK, k(0x46, 0x7E)},
  {SDL_SCANCODE_KP_7, k(0x47, 0x6C)}, {SDL_SCANCODE_KP_8, k(0x48, 0x75)}, {SDL_SCANCODE_KP_9, k(0x49, 0x7D)},
  {SDL_SCANCODE_KP_MINUS, k(0x4A, 0x7B)}, {SDL_SCANCODE_KP_4, k(0x4B, 0x6B)}, {SDL_SCANCODE_KP_5, k(0x4C, 0x73)},
  {SDL_SCANCODE_KP_6, k(0x4D, 0x74)}, {SDL_SCANCODE_KP_PLUS, k(0x4E, 0x79)}, {SDL_SCANCODE_KP_1, k(0x4F, 0x69)},
  {SDL_SCANCODE_KP_2, k(0x50, 0x72)}, {SDL_SCANCODE_KP_3, k(0x51, 0x7A)}, {SDL_SCANCODE_KP_0, k(0x52, 0x70)},
  {SDL_SCANCODE_KP_PERIOD, k(0x53, 0x71)}, {SDL_SCANCODE_NONUSBACKSLASH, k(0x56, 0x61)},
  {SDL_SCANCODE_F11, k(0x57, 0x78)}, {SDL_SCANCODE_F12, k(0x58, 0x07)},
  {SDL_SCANCODE_KP_ENTER, e(0x1C, 0x5A)}, {SDL_SCANCODE_RCTRL, e(0x1D, 0x14)},
  {SDL_SCANCODE_KP_DIVIDE, e(0x35, 0x4A)}, {SDL_SCANCODE_RALT, e(0x38, 0x11)},
  {SDL_SCANCODE_HOME, e(0x47, 0x6C)}, {SDL_SCANCODE_UP, e(0x48, 0x75)}, {SDL_SCANCODE_PAGEUP, e(0x49, 0x7D)},
  {SDL_SCANCODE_LEFT, e(0x4B, 0x6B)}, {SDL_SCANCODE_RIGHT, e(0x4D, 0x74)}, {SDL_SCANCODE_END, e(0x4F, 0x69)},
  {SDL_SCANCODE_DOWN, e(0x50, 0x72)}, {SDL_SCANCODE_PAGEDOWN, e(0x51, 0x7A)},
  {SDL_SCANCODE_INSERT, e(0x52, 0x70)}, {SDL_SCANCODE_DELETE, e(0x53, 0x71)},
  {SDL_SCANCODE_LGUI, e(0x5B, 0x1F)}, {SDL_SCANCODE_RGUI, e(0x5C, 0x27)},
  {SDL_SCANCODE_APPLICATION, e(0x5D, 0x2F)},
};
// clang-format on

}  // namespace

Ps2Key ps2_key(SDL_Scancode scancode) {
  for (const Entry& entry : kKeys)
    if (entry.scancode == scancode) return entry.key;
  return Ps2Key{};
}

std::vector<u8> set1_bytes(const Ps2Key& key, bool pressed) {
  std::vector<u8> bytes;
  if (key.extended) bytes.push_back(0xE0);
  bytes.push_back(static_cast<u8>(pressed ? key.set1 : key.set1 | 0x80));
  return bytes;
}

std::vector<u8> set2_bytes(const Ps2Key& key, bool pressed) {
  std::vector<u8> bytes;
  if (key.extended) bytes.push_back(0xE0);
  if (!pressed) bytes.push_back(0xF0);
  bytes.push_back(key.set2);
  return bytes;
}

}  // namespace tern
