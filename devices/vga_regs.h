// The register files of a standard VGA and of the Bochs VBE extension, as plain data. The device
// (vga.cc, vga_memory.cc, vbe.cc) changes them; the renderer (vga_render.cc) and the text read-out
// (vga_text.cc) only read them. Index names follow IBM's VGA technical reference.
#pragma once

#include <array>

#include "base/state.h"
#include "base/types.h"

namespace tern {

// Sequencer (0x3C4/0x3C5).
enum SeqReg : u8 {
  kSeqReset = 0x00,
  kSeqClockingMode = 0x01,  // bit 0: 8-dot characters, bit 3: dot clock / 2, bit 5: screen off
  kSeqMapMask = 0x02,
  kSeqCharMapSelect = 0x03,
  kSeqMemoryMode = 0x04,  // bit 2: odd/even writes disabled, bit 3: chain 4
  kSeqCount = 0x08,
};

// Graphics controller (0x3CE/0x3CF).
enum GfxReg : u8 {
  kGfxSetReset = 0x00,
  kGfxEnableSetReset = 0x01,
  kGfxColorCompare = 0x02,
  kGfxDataRotate = 0x03,  // bits 0-2 rotate count, bits 3-4 logical operation
  kGfxReadMapSelect = 0x04,
  kGfxMode = 0x05,  // bits 0-1 write mode, bit 3 read mode, bit 4 odd/even reads, bits 5-6 shift
  kGfxMisc = 0x06,  // bit 0 graphics, bit 1 chain odd/even, bits 2-3 memory map
  kGfxColorDontCare = 0x07,
  kGfxBitMask = 0x08,
  kGfxCount = 0x10,
};

// CRT controller (0x3B4/0x3B5 or 0x3D4/0x3D5).
enum CrtcReg : u8 {
  kCrtcHorizDisplayEnd = 0x01,
  kCrtcVertTotal = 0x06,
  kCrtcOverflow = 0x07,
  kCrtcPresetRowScan = 0x08,
  kCrtcMaxScanLine = 0x09,
  kCrtcCursorStart = 0x0A,
  kCrtcCursorEnd = 0x0B,
  kCrtcStartHigh = 0x0C,
  kCrtcStartLow = 0x0D,
  kCrtcCursorHigh = 0x0E,
  kCrtcCursorLow = 0x0F,
  kCrtcVertRetraceStart = 0x10,
  kCrtcVertRetraceEnd = 0x11,  // bit 7: CR00-CR07 write protect
  kCrtcVertDisplayEnd = 0x12,
  kCrtcOffset = 0x13,
  kCrtcUnderline = 0x14,  // bit 6: doubleword addressing
  kCrtcModeControl = 0x17,  // bit 0/1: MA13/MA14 from row scan, bit 5: MA15/MA13 wrap, bit 6: byte mode
  kCrtcLineCompare = 0x18,
  kCrtcCount = 0x20,
};

// Attribute controller (0x3C0/0x3C1); 0x00-0x0F are the palette registers.
enum AttrReg : u8 {
  kAttrModeControl = 0x10,  // bit 0 graphics, bit 2 line graphics, bit 3 blink, bit 6 8-bit colour, bit 7 P5-P4 select
  kAttrOverscan = 0x11,
  kAttrColorPlaneEnable = 0x12,
  kAttrHorizPanning = 0x13,
  kAttrColorSelect = 0x14,
  kAttrCount = 0x20,
};

inline constexpr u8 kAttrPaletteSource = 0x20;  // attribute index bit 5: display uses the palette

struct VgaRegs {
  u8 misc_output = 0;  // bit 0: CRTC at 0x3Dx (colour) instead of 0x3Bx
  u8 feature_control = 0;
  u8 video_enable = 1;  // port 0x3C3
  u8 seq_index = 0;
  std::array<u8, kSeqCount> seq{};
  u8 gfx_index = 0;
  std::array<u8, kGfxCount> gfx{};
  u8 crtc_index = 0;
  std::array<u8, kCrtcCount> crtc{};
  u8 attr_index = 0;           // with kAttrPaletteSource
  bool attr_expect_data = false;  // the 0x3C0 flip-flop: next write is data
  std::array<u8, kAttrCount> attr{};
  u8 pel_mask = 0xFF;
  u8 dac_read_index = 0;
  u8 dac_write_index = 0;
  u8 dac_component = 0;   // 0..2: red, green, blue of the entry being transferred
  u8 dac_reading = 0;     // 0x3C7 state: 0 after a write-index set, 3 after a read-index set
  std::array<u8, 256 * 3> dac{};  // 6-bit (or 8-bit with VBE 8BIT_DAC) red, green, blue
  std::array<u8, 3> dac_pending{};  // components written so far for the entry at the write index
  u32 latch = 0;  // planes 0..3 in bytes 0..3

  bool color_io() const { return misc_output & 1; }

  void serialize(StateIo& io) {
    io(misc_output, feature_control, video_enable, seq_index, seq, gfx_index, gfx, crtc_index, crtc,
       attr_index, attr_expect_data, attr, pel_mask, dac_read_index, dac_write_index, dac_component,
       dac_reading, dac, dac_pending, latch);
  }
};

// Bochs VBE "DISPI" interface (ports 0x1CE index, 0x1CF data).
enum VbeIndex : u16 {
  kVbeId = 0x0,
  kVbeXres = 0x1,
  kVbeYres = 0x2,
  kVbeBpp = 0x3,
  kVbeEnable = 0x4,
  kVbeBank = 0x5,
  kVbeVirtWidth = 0x6,
  kVbeVirtHeight = 0x7,
  kVbeXOffset = 0x8,
  kVbeYOffset = 0x9,
  kVbeVideoMemory64K = 0xA,
};

inline constexpr u16 kVbeEnabled = 0x01;
inline constexpr u16 kVbeGetCaps = 0x02;
inline constexpr u16 kVbe8BitDac = 0x20;
inline constexpr u16 kVbeLfbEnabled = 0x40;
inline constexpr u16 kVbeNoClearMem = 0x80;

struct VbeRegs {
  u16 index = 0;
  u16 id = 0xB0C0;
  u16 xres = 640;
  u16 yres = 480;
  u16 bpp = 8;
  u16 enable = 0;
  u16 bank = 0;
  u16 virt_width = 640;
  u16 virt_height = 480;
  u16 x_offset = 0;
  u16 y_offset = 0;
  u32 line_bytes = 640;  // derived from virt_width and bpp
  u32 start_byte = 0;    // derived from the offsets

  bool enabled() const { return enable & kVbeEnabled; }
  u32 bytes_per_pixel() const { return (bpp + 7) / 8; }

  void serialize(StateIo& io) {
    io(index, id, xres, yres, bpp, enable, bank, virt_width, virt_height, x_offset, y_offset,
       line_bytes, start_byte);
  }
};

}  // namespace tern
