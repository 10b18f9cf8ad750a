// The text read-out walks the screen as the CRTC does (start address, row stride, word or byte
// addressing), so it shows what the renderer shows, and maps IBM code page 437 (the VGA's ROM
// font layout, including the glyphs of the control codes) to Unicode.
#include "devices/vga_text.h"

#include <string_view>

#include "devices/vga_render.h"

namespace tern {

namespace {

// Code page 437: 0x00-0x1F as the VGA shows them, then 0x7F-0xFF; 0x20-0x7E are ASCII.
constexpr std::u16string_view kLow = u" ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼";
constexpr std::u16string_view kHigh =
    u"⌂ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
    u"αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0";
static_assert(kLow.size() == 0x20 && kHigh.size() == 0x81, "code page 437 tables");

void append_utf8(std::string& out, char16_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string cp437_to_utf8(u8 ch) {
  std::string out;
  if (ch < 0x20)
    append_utf8(out, kLow[ch]);
  else if (ch < 0x7F)
    out += static_cast<char>(ch);
  else
    append_utf8(out, kHigh[ch - 0x7F]);
  return out;
}

std::optional<std::string> read_text_screen(const Vga& vga) {
  const VgaScreen s = describe_screen(vga);
  if (s.kind != VgaScreenKind::kText) return std::nullopt;
  std::string text;
  for (u32 row = 0; row < s.rows; ++row) {
    u32 row_ma = 0, row_scan = 0;
    s.scan.locate(row * s.char_height, row_ma, row_scan);
    std::string line;
    size_t kept = 0;  // length without trailing blanks
    for (u32 col = 0; col < s.columns; ++col) {
      const u8 ch = vga.plane_byte(0, s.scan.plane_offset(row_ma + col, row_scan));
      line += cp437_to_utf8(ch);
      if (ch != 0x00 && ch != 0x20 && ch != 0xFF) kept = line.size();
    }
    line.resize(kept);
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace tern
