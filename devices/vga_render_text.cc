// Text modes: character codes in plane 0, attributes in plane 1, the guest's font in plane 2
// (32 bytes a glyph, eight 8 KiB maps picked by the character map select register and attribute
// bit 3). The cursor blinks every 16 frames and blinking characters every 32 frames of the
// virtual clock (IBM VGA Technical Reference, "Attribute Controller" and "Cursor").
#include "devices/vga_render.h"

namespace tern {

namespace {

// Plane 2 offset of character map `map` (0-7): maps 0-3 at 16 KiB steps, maps 4-7 between them.
u32 font_map_base(unsigned map) { return (map & 3) * 0x4000u + (map >> 2) * 0x2000u; }

struct TextStyle {
  u32 font_a = 0;  // used when attribute bit 3 is set
  u32 font_b = 0;
  bool blink_enabled = false;
  bool line_graphics = false;
  bool blink_visible = true;
  bool cursor_visible = false;
  u32 cursor_ma = 0;
  u32 cursor_first = 0;
  u32 cursor_last = 0;
  u32 underline_line = 0;
};

TextStyle text_style(const Vga& vga) {
  const VgaRegs& r = vga.regs();
  TextStyle t;
  const u8 sr3 = r.seq[kSeqCharMapSelect];
  t.font_a = font_map_base(((sr3 >> 5) & 1) << 2 | ((sr3 >> 2) & 3));
  t.font_b = font_map_base(((sr3 >> 4) & 1) << 2 | (sr3 & 3));
  t.blink_enabled = r.attr[kAttrModeControl] & 0x08;
  t.line_graphics = r.attr[kAttrModeControl] & 0x04;
  const u64 frame = vga.now() / (Vga::kLineNs * vga.vertical_total());
  t.blink_visible = (frame / 16) % 2 == 0;
  t.cursor_ma = (u32{r.crtc[kCrtcCursorHigh]} << 8) | r.crtc[kCrtcCursorLow];
  t.cursor_first = r.crtc[kCrtcCursorStart] & 0x1F;
  t.cursor_last = r.crtc[kCrtcCursorEnd] & 0x1F;
  t.cursor_visible = !(r.crtc[kCrtcCursorStart] & 0x20) && (frame / 8) % 2 == 0;
  t.underline_line = r.crtc[kCrtcUnderline] & 0x1F;
  return t;
}

// The nine (or eight) dots of one character cell on one scan line, as colours.
void draw_cell(const Vga& vga, const TextStyle& t, const VgaColors& colors, u8 ch, u8 attr, u32 row_scan, bool cursor,
               u32* dots, u32 width) {
  u8 fg = attr & 0x0F;
  u8 bg = attr >> 4;
  if (t.blink_enabled) {
    bg &= 0x07;
    if ((attr & 0x80) && !t.blink_visible) fg = bg;
  }
  const u32 font = (attr & 0x08) ? t.font_a : t.font_b;
  u8 glyph = vga.plane_byte(2, font + u32{ch} * 32 + row_scan);
  if ((attr & 0x77) == 0x01 && row_scan == t.underline_line) glyph = 0xFF;
  if (cursor && row_scan >= t.cursor_first && row_scan <= t.cursor_last) glyph = 0xFF;
  const u32 fg_color = colors.attribute[fg];
  const u32 bg_color = colors.attribute[bg];
  for (u32 i = 0; i < 8 && i < width; ++i) dots[i] = (glyph & (0x80 >> i)) ? fg_color : bg_color;
  if (width == 9) {
    // The ninth dot repeats the eighth for the box-drawing range 0xC0-0xDF.
    const bool extend = t.line_graphics && ch >= 0xC0 && ch <= 0xDF;
    dots[8] = extend && (glyph & 1) ? fg_color : bg_color;
  }
}

}  // namespace

void render_text(const Vga& vga, const VgaScreen& s, const VgaColors& colors, VgaImage& image) {
  const TextStyle t = text_style(vga);
  u32 dots[9];
  for (u32 y = 0; y < s.height; ++y) {
    u32 row_ma = 0, row_scan = 0;
    s.scan.locate(y, row_ma, row_scan);
    u32* out = &image.pixels[size_t{y} * s.width];
    for (u32 col = 0; col < s.columns; ++col) {
      const u32 ma = row_ma + col;
      const u32 offset = s.scan.plane_offset(ma, row_scan);
      const bool cursor = t.cursor_visible && (ma & 0xFFFF) == t.cursor_ma;
      draw_cell(vga, t, colors, vga.plane_byte(0, offset), vga.plane_byte(1, offset), row_scan, cursor, dots,
                s.char_width);
      for (u32 i = 0; i < s.char_width; ++i) {
        if (s.double_width) {
          out[(col * s.char_width + i) * 2] = dots[i];
          out[(col * s.char_width + i) * 2 + 1] = dots[i];
        } else {
          out[col * s.char_width + i] = dots[i];
        }
      }
    }
  }
}

}  // namespace tern
