// The renderer's mode decoding and its graphics modes; text modes are in vga_render_text.cc.
// Geometry from the CRTC (IBM VGA Technical Reference, "CRT Controller Registers"): horizontal
// display end in character clocks, vertical display end in scan lines, maximum scan line and double
// scan, the offset register (MA advance per row is twice its value), byte/word/doubleword
// addressing and the CGA-compatible MA13/MA14 substitution of CR17.
#include "devices/vga_render.h"

#include <algorithm>

#include "base/bits.h"

namespace tern {

namespace {

constexpr u32 kMinDimension = 8;
constexpr u32 kMaxDimension = 4096;

void blank_image(VgaImage& image, u32 width, u32 height) {
  image.width = width;
  image.height = height;
  image.pixels.assign(size_t{width} * height, 0);
}

CrtcScan decode_crtc(const VgaRegs& r) {
  const auto& c = r.crtc;
  CrtcScan s;
  s.start = (u32{c[kCrtcStartHigh]} << 8) | c[kCrtcStartLow];
  s.row_stride = u32{c[kCrtcOffset]} * 2;
  s.line_compare = c[kCrtcLineCompare] | ((c[kCrtcOverflow] & 0x10) << 4) | ((c[kCrtcMaxScanLine] & 0x40) << 3);
  const bool double_scan = c[kCrtcMaxScanLine] & 0x80;
  s.scan_repeat = double_scan ? 2 : 1;
  s.row_lines = ((c[kCrtcMaxScanLine] & 0x1F) + 1u) * s.scan_repeat;
  if (c[kCrtcUnderline] & 0x40)
    s.addressing = CrtcScan::Addressing::kDoubleword;
  else if (c[kCrtcModeControl] & 0x40)
    s.addressing = CrtcScan::Addressing::kByte;
  else
    s.addressing = CrtcScan::Addressing::kWord;
  s.mode_control = c[kCrtcModeControl];
  s.preset_lines = (c[kCrtcPresetRowScan] & 0x1Fu) * s.scan_repeat;
  return s;
}

VgaScreenKind graphics_kind(const VgaRegs& r) {
  if (r.gfx[kGfxMode] & 0x40) return VgaScreenKind::kColor256;
  if (r.gfx[kGfxMode] & 0x20) return VgaScreenKind::kCga4;
  return VgaScreenKind::kPlanar16;
}

void render_planar_line(const Vga& vga, const VgaScreen& s, const VgaColors& colors, u32 row_ma, u32 row_scan,
                        u32* out, u32 count) {
  const u8 plane_enable = vga.regs().attr[kAttrColorPlaneEnable] & 0x0F;
  for (u32 x = 0; x < count; x += 8) {
    const u32 offset = s.scan.plane_offset(row_ma + x / 8, row_scan);
    u8 planes[4];
    for (unsigned p = 0; p < 4; ++p) planes[p] = vga.plane_byte(p, offset);
    for (u32 bit = 0; bit < 8 && x + bit < count; ++bit) {
      u8 index = 0;
      for (unsigned p = 0; p < 4; ++p) index |= static_cast<u8>(((planes[p] >> (7 - bit)) & 1) << p);
      out[x + bit] = colors.attribute[index & plane_enable];
    }
  }
}

void render_cga_line(const Vga& vga, const VgaScreen& s, const VgaColors& colors, u32 row_ma, u32 row_scan, u32* out,
                     u32 count) {
  // Shift register interleave: pixels 0-3 from planes 0 (low bits) and 2, pixels 4-7 from
  // planes 1 and 3, two bits a pixel, most significant first.
  for (u32 x = 0; x < count; x += 8) {
    const u32 offset = s.scan.plane_offset(row_ma + x / 8, row_scan);
    for (u32 i = 0; i < 8 && x + i < count; ++i) {
      const unsigned even = i < 4 ? 0 : 1;
      const unsigned shift = 6 - 2 * (i & 3);
      const u8 low = (vga.plane_byte(even, offset) >> shift) & 3;
      const u8 high = (vga.plane_byte(even + 2, offset) >> shift) & 3;
      out[x + i] = colors.attribute[low | (high << 2)];
    }
  }
}

void render_256_line(const Vga& vga, const VgaScreen& s, const VgaColors& colors, u32 row_ma, u32 row_scan, u32* out,
                     u32 count) {
  for (u32 x = 0; x < count; x += 4) {
    const u32 offset = s.scan.plane_offset(row_ma + x / 4, row_scan);
    for (u32 p = 0; p < 4 && x + p < count; ++p) out[x + p] = colors.dac[vga.plane_byte(p, offset)];
  }
}

// Horizontal pel panning (AR13): the picture starts this many pixels into the first fetch; in
// 256-colour mode the register counts half pixels. AR10 bit 5 stops panning below a split.
u32 pel_panning(const VgaRegs& r, VgaScreenKind kind) {
  const u32 pan = r.attr[kAttrHorizPanning] & 0x0F;
  if (kind == VgaScreenKind::kColor256) return (pan >> 1) & 3;
  return pan & 7;
}

void render_graphics(const Vga& vga, const VgaScreen& s, const VgaColors& colors, VgaImage& image) {
  const u32 pan = pel_panning(vga.regs(), s.kind);
  const bool split_unpanned = vga.regs().attr[kAttrModeControl] & 0x20;
  std::vector<u32> line(s.width + 8);
  for (u32 y = 0; y < s.height; ++y) {
    u32 row_ma = 0, row_scan = 0;
    s.scan.locate(y, row_ma, row_scan);
    const u32 shift = split_unpanned && y * s.scan.scan_repeat > s.scan.line_compare ? 0 : pan;
    const u32 count = s.width + shift;
    if (s.kind == VgaScreenKind::kColor256)
      render_256_line(vga, s, colors, row_ma, row_scan, line.data(), count);
    else if (s.kind == VgaScreenKind::kCga4)
      render_cga_line(vga, s, colors, row_ma, row_scan, line.data(), count);
    else
      render_planar_line(vga, s, colors, row_ma, row_scan, line.data(), count);
    std::copy(line.begin() + shift, line.begin() + shift + s.width, image.pixels.begin() + size_t{y} * s.width);
  }
}

// One line of a VBE direct-colour or 8-bit mode; the depth is decided once a line.
void render_vbe_line(const u8* p, u16 bpp, const VgaColors& colors, u32* out, u32 width) {
  auto widen5 = [](u32 v) { return (v << 3) | (v >> 2); };
  switch (bpp) {
    case 8:
      for (u32 x = 0; x < width; ++x) out[x] = colors.dac[p[x]];
      break;
    case 15:
      for (u32 x = 0; x < width; ++x) {
        const u32 v = load_le<u16>(p + 2 * x);
        out[x] = (widen5((v >> 10) & 0x1F) << 16) | (widen5((v >> 5) & 0x1F) << 8) | widen5(v & 0x1F);
      }
      break;
    case 16:
      for (u32 x = 0; x < width; ++x) {
        const u32 v = load_le<u16>(p + 2 * x);
        const u32 g = (v >> 5) & 0x3F;
        out[x] = (widen5((v >> 11) & 0x1F) << 16) | (((g << 2) | (g >> 4)) << 8) | widen5(v & 0x1F);
      }
      break;
    case 24:  // blue, green, red in memory order
      for (u32 x = 0; x < width; ++x) out[x] = (u32{p[3 * x + 2]} << 16) | (u32{p[3 * x + 1]} << 8) | p[3 * x];
      break;
    default:  // 32: blue, green, red, unused
      for (u32 x = 0; x < width; ++x) out[x] = load_le<u32>(p + 4 * x) & 0xFFFFFF;
      break;
  }
}

void render_vbe(const Vga& vga, const VgaScreen& s, const VgaColors& colors, VgaImage& image) {
  const VbeRegs& vbe = vga.vbe();
  const u64 line_bytes = u64{s.width} * vbe.bytes_per_pixel();
  for (u32 y = 0; y < s.height; ++y) {
    const u64 start = vbe.start_byte + u64{y} * vbe.line_bytes;
    if (start + line_bytes > Vga::kVramBytes) break;  // beyond video memory: stays black
    render_vbe_line(vga.vram() + start, vbe.bpp, colors, &image.pixels[size_t{y} * s.width], s.width);
  }
}

VgaScreen describe_vbe(const VbeRegs& vbe) {
  VgaScreen s;
  s.width = vbe.xres;
  s.height = vbe.yres;
  if (vbe.bpp != 4) {
    s.kind = VgaScreenKind::kVbe;
    return s;
  }
  // 4 bpp: planar memory in byte addressing, one row a scan line.
  s.kind = VgaScreenKind::kPlanar16;
  s.scan.start = vbe.start_byte;
  s.scan.row_stride = vbe.line_bytes;
  s.scan.line_compare = ~0u;
  s.scan.mode_control = 0x03;
  s.scan.offset_mask = Vga::kVbePlaneMask;
  return s;
}

}  // namespace

u32 CrtcScan::plane_offset(u32 ma, u32 row_scan) const {
  u32 offset = ma;
  if (addressing == Addressing::kWord)
    offset = (ma << 1) | (((mode_control & 0x20) ? ma >> 15 : ma >> 13) & 1);
  else if (addressing == Addressing::kDoubleword)
    offset = (ma << 2) | ((ma >> 12) & 3);
  // CR17 bits 0/1 clear: row scan bits 0/1 replace address bits 13/14 (CGA interleaved banks).
  if (!(mode_control & 0x01)) offset = (offset & ~0x2000u) | ((row_scan & 1) << 13);
  if (!(mode_control & 0x02)) offset = (offset & ~0x4000u) | ((row_scan & 2) << 13);
  return offset & offset_mask;
}

void CrtcScan::locate(u32 line, u32& row_ma, u32& row_scan) const {
  u32 physical = line * scan_repeat;
  u32 base = start;
  if (physical > line_compare) {
    physical -= line_compare + 1;
    base = 0;
  } else {
    physical += preset_lines;  // smooth scrolling: the top row starts lower down
  }
  row_ma = base + (physical / row_lines) * row_stride;
  row_scan = (physical % row_lines) / scan_repeat;
}

u32 dac_color(const Vga& vga, u8 index) {
  const VgaRegs& r = vga.regs();
  const u8* rgb = &r.dac[(index & r.pel_mask) * 3u];
  if (vga.vbe().enable & kVbe8BitDac) return (u32{rgb[0]} << 16) | (u32{rgb[1]} << 8) | rgb[2];
  auto widen = [](u8 v) -> u32 { return static_cast<u32>(((v & 0x3F) << 2) | ((v & 0x3F) >> 4)); };
  return (widen(rgb[0]) << 16) | (widen(rgb[1]) << 8) | widen(rgb[2]);
}

u32 attribute_color(const Vga& vga, u8 color_index) {
  const auto& a = vga.regs().attr;
  u8 index = a[color_index & 0x0F];
  if (a[kAttrModeControl] & 0x80)
    index = static_cast<u8>((index & 0x0F) | ((a[kAttrColorSelect] & 0x03) << 4));
  index = static_cast<u8>((index & 0x3F) | ((a[kAttrColorSelect] & 0x0C) << 4));
  return dac_color(vga, index);
}

VgaScreen describe_screen(const Vga& vga) {
  if (vga.vbe().enabled()) return describe_vbe(vga.vbe());
  const VgaRegs& r = vga.regs();
  VgaScreen s;
  s.scan = decode_crtc(r);
  const u32 char_clocks = r.crtc[kCrtcHorizDisplayEnd] + 1u;
  const auto& c = r.crtc;
  const u32 lines = (c[kCrtcVertDisplayEnd] | ((c[kCrtcOverflow] & 0x02) << 7) | ((c[kCrtcOverflow] & 0x40) << 3)) + 1u;
  const bool graphics = r.attr[kAttrModeControl] & 0x01;
  if (graphics) {
    s.kind = graphics_kind(r);
    s.width = char_clocks * (s.kind == VgaScreenKind::kColor256 ? 4 : 8);
    // Without the CGA substitution, the lines of a character row repeat one memory row.
    const bool cga_banks = !(s.scan.mode_control & 0x01);
    if (!cga_banks) s.scan.scan_repeat = s.scan.row_lines;
    s.height = lines / s.scan.scan_repeat;
  } else {
    s.kind = VgaScreenKind::kText;
    s.char_width = (r.seq[kSeqClockingMode] & 0x01) ? 8 : 9;
    s.char_height = (c[kCrtcMaxScanLine] & 0x1F) + 1u;
    s.double_width = r.seq[kSeqClockingMode] & 0x08;
    s.columns = char_clocks;
    s.height = lines / s.scan.scan_repeat;
    s.rows = (s.height + s.char_height - 1) / s.char_height;
    s.width = s.columns * s.char_width * (s.double_width ? 2 : 1);
  }
  const bool sane = s.width >= kMinDimension && s.height >= kMinDimension && s.width <= kMaxDimension &&
                    s.height <= kMaxDimension;
  if (!sane) {
    s = VgaScreen{};
    return s;
  }
  // Screen off (SR01 bit 5) or the attribute controller not fed from the palette: blank.
  if ((r.seq[kSeqClockingMode] & 0x20) || !(r.attr_index & kAttrPaletteSource)) s.kind = VgaScreenKind::kBlank;
  return s;
}

VgaColors frame_colors(const Vga& vga) {
  VgaColors colors;
  for (unsigned i = 0; i < colors.attribute.size(); ++i) colors.attribute[i] = attribute_color(vga, static_cast<u8>(i));
  for (unsigned i = 0; i < colors.dac.size(); ++i) colors.dac[i] = dac_color(vga, static_cast<u8>(i));
  return colors;
}

void render_screen(const Vga& vga, VgaImage& image) {
  const VgaScreen screen = describe_screen(vga);
  blank_image(image, screen.width, screen.height);
  if (screen.kind == VgaScreenKind::kBlank) return;
  const VgaColors colors = frame_colors(vga);
  switch (screen.kind) {
    case VgaScreenKind::kText: render_text(vga, screen, colors, image); break;
    case VgaScreenKind::kVbe: render_vbe(vga, screen, colors, image); break;
    default: render_graphics(vga, screen, colors, image); break;
  }
}

VgaImage render_screen(const Vga& vga) {
  VgaImage image;
  render_screen(vga, image);
  return image;
}

}  // namespace tern
