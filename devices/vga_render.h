// Turns the VGA's current state into an RGB image: text modes with the guest's font from plane 2
// (cursor, blink, underline, 9-dot line graphics), 16-colour planar, CGA 4-colour, 256-colour and
// the VBE 8/15/16/24/32 bpp (and 4 bpp planar) modes. A pure function of the device state and its
// virtual time (the blink phase), so the window and headless screenshots see the same pixels and
// two identical runs give identical images.
#pragma once

#include <array>
#include <vector>

#include "base/types.h"
#include "devices/vga.h"

namespace tern {

struct VgaImage {
  u32 width = 0;
  u32 height = 0;
  std::vector<u32> pixels;  // row-major, 0x00RRGGBB
};

enum class VgaScreenKind : u8 { kBlank, kText, kPlanar16, kCga4, kColor256, kVbe };

// How the CRT controller walks video memory, from its registers.
struct CrtcScan {
  enum class Addressing : u8 { kByte, kWord, kDoubleword };
  u32 start = 0;          // memory address (MA) of the first character or pixel group
  u32 row_stride = 0;     // MA advance from one character row to the next
  u32 line_compare = 0;   // the scan line after which MA restarts at 0 (split screen)
  u32 row_lines = 1;      // physical scan lines per character row
  u32 scan_repeat = 1;    // physical scan lines per image line (double scan)
  u32 preset_lines = 0;   // CR08 preset row scan, in physical scan lines
  Addressing addressing = Addressing::kByte;
  u8 mode_control = 0;    // CR17: MA13/MA14 substitution and the word-mode wrap bit
  u32 offset_mask = Vga::kVgaPlaneMask;  // VBE planar modes address more than 64 KiB a plane

  // The plane offset the CRTC fetches for memory address `ma` on row scan line `row_scan`.
  u32 plane_offset(u32 ma, u32 row_scan) const;
  // The MA of the row holding image line `line`, and that line's row scan counter.
  void locate(u32 line, u32& row_ma, u32& row_scan) const;
};

struct VgaScreen {
  VgaScreenKind kind = VgaScreenKind::kBlank;
  u32 width = 640;   // image size in pixels
  u32 height = 400;
  // Text modes.
  u32 columns = 0;
  u32 rows = 0;
  u32 char_width = 8;   // 8 or 9 dots
  u32 char_height = 16;
  bool double_width = false;  // dot clock / 2: each dot twice
  CrtcScan scan;
};

// The current mode, as the registers define it.
VgaScreen describe_screen(const Vga& vga);

// The whole visible screen.
VgaImage render_screen(const Vga& vga);
// The same into `image`, reusing its storage (the window renders 60 frames a second).
void render_screen(const Vga& vga, VgaImage& image);

// The 24-bit colour of DAC entry `index` (after the pel mask), 6-bit components widened.
u32 dac_color(const Vga& vga, u8 index);
// The colour of a 4-bit attribute colour through the palette registers and colour select.
u32 attribute_color(const Vga& vga, u8 color_index);

// The colours of one frame: the 16 attribute colours and the 256 DAC entries.
struct VgaColors {
  std::array<u32, 16> attribute{};
  std::array<u32, 256> dac{};
};
VgaColors frame_colors(const Vga& vga);

// A text screen described by `screen` into `image`, already sized (vga_render_text.cc).
void render_text(const Vga& vga, const VgaScreen& screen, const VgaColors& colors, VgaImage& image);

}  // namespace tern
