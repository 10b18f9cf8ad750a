#include "frontend/key_text.h"

#include "base/error.h"

namespace tern {

namespace {

constexpr u8 kLeftShift = 0x12;
constexpr u8 kBreak = 0xF0;

struct KeyFor {
  char plain;
  char shifted;
  u8 code;  // set 2 make code
};

// US layout (IBM PC/AT keyboard positions).
constexpr KeyFor kKeys[] = {
    {'a', 'A', 0x1C}, {'b', 'B', 0x32}, {'c', 'C', 0x21}, {'d', 'D', 0x23}, {'e', 'E', 0x24},
    {'f', 'F', 0x2B}, {'g', 'G', 0x34}, {'h', 'H', 0x33}, {'i', 'I', 0x43}, {'j', 'J', 0x3B},
    {'k', 'K', 0x42}, {'l', 'L', 0x4B}, {'m', 'M', 0x3A}, {'n', 'N', 0x31}, {'o', 'O', 0x44},
    {'p', 'P', 0x4D}, {'q', 'Q', 0x15}, {'r', 'R', 0x2D}, {'s', 'S', 0x1B}, {'t', 'T', 0x2C},
    {'u', 'U', 0x3C}, {'v', 'V', 0x2A}, {'w', 'W', 0x1D}, {'x', 'X', 0x22}, {'y', 'Y', 0x35},
    {'z', 'Z', 0x1A}, {'1', '!', 0x16}, {'2', '@', 0x1E}, {'3', '#', 0x26}, {'4', '$', 0x25},
    {'5', '%', 0x2E}, {'6', '^', 0x36}, {'7', '&', 0x3D}, {'8', '*', 0x3E}, {'9', '(', 0x46},
    {'0', ')', 0x45}, {'-', '_', 0x4E}, {'=', '+', 0x55}, {'[', '{', 0x54}, {']', '}', 0x5B},
    {'\\', '|', 0x5D}, {';', ':', 0x4C}, {'\'', '"', 0x52}, {'`', '~', 0x0E}, {',', '<', 0x41},
    {'.', '>', 0x49}, {'/', '?', 0x4A}, {' ', 0, 0x29}, {'\n', 0, 0x5A}, {'\t', 0, 0x0D},
    {'\x1B', 0, 0x76}, {'\b', 0, 0x66},
};

std::vector<u8> stroke(u8 code, bool shift) {
  std::vector<u8> bytes;
  bytes.reserve(7);
  if (shift) bytes.push_back(kLeftShift);
  for (u8 b : {code, kBreak, code}) bytes.push_back(b);
  if (shift)
    for (u8 b : {kBreak, kLeftShift}) bytes.push_back(b);
  return bytes;
}

}  // namespace

std::vector<std::vector<u8>> text_to_keystrokes(const std::string& text) {
  std::vector<std::vector<u8>> strokes;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      switch (text[++i]) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'e': c = '\x1B'; break;
        case 'b': c = '\b'; break;
        case '\\': c = '\\'; break;
        default: fail("--send-keys: unknown escape '\\{}'", text[i]);
      }
    }
    bool found = false;
    for (const KeyFor& k : kKeys) {
      if (k.plain == c || (k.shifted && k.shifted == c)) {
        strokes.push_back(stroke(k.code, k.plain != c));
        found = true;
        break;
      }
    }
    if (!found) fail("--send-keys: no key types the character {:#04x}", static_cast<unsigned char>(c));
  }
  return strokes;
}

}  // namespace tern
