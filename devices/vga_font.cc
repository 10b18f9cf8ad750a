// The VGA BIOS's 8x16 font for boots that skip the firmware: a VGA BIOS image carries its code
// page 437 fonts as plain tables, and its mode set copies the 8x16 one into plane 2. The table is
// found by the shapes code page 437 fixes for some characters at 16 lines: NUL and space blank,
// 0xDB the full block, 0xDD the left half block, 0xDE the right half block.
#include <algorithm>

#include "base/log.h"
#include "devices/vga.h"

namespace tern {

namespace {

constexpr size_t kGlyphLines = 16;
constexpr size_t kFontBytes = 256 * kGlyphLines;

bool glyph_is(const u8* font, u8 ch, u8 line_bits) {
  const u8* glyph = font + ch * kGlyphLines;
  return std::all_of(glyph, glyph + kGlyphLines, [line_bits](u8 b) { return b == line_bits; });
}

bool looks_like_8x16_cp437(const u8* font) {
  return glyph_is(font, 0x00, 0x00) && glyph_is(font, 0x20, 0x00) && glyph_is(font, 0xDB, 0xFF) &&
         glyph_is(font, 0xDD, 0xF0) && glyph_is(font, 0xDE, 0x0F);
}

}  // namespace

bool Vga::load_font_from_bios(const std::vector<u8>& vga_bios) {
  if (vga_bios.size() < kFontBytes) return false;
  for (size_t at = 0; at + kFontBytes <= vga_bios.size(); ++at) {
    const u8* font = vga_bios.data() + at;
    if (!looks_like_8x16_cp437(font)) continue;
    // Font map 0 of plane 2: 32 bytes a character, the lines past 16 blank.
    for (u32 ch = 0; ch < 256; ++ch)
      for (u32 line = 0; line < 32; ++line)
        m_vram[((ch * 32 + line) << 2) | 2] = line < kGlyphLines ? font[ch * kGlyphLines + line] : 0;
    log(LogCat::kVga, LogLevel::kDebug, "8x16 font loaded from the VGA BIOS image (offset {:#x})", at);
    return true;
  }
  return false;
}

}  // namespace tern
