// The VGA and its Bochs VBE extension: register files, the planar memory's write and read modes,
// text and graphics rendering, the text read-out, VBE modes through the bank and the linear
// framebuffer, and save/load.
#include <catch2/catch.hpp>

#include <algorithm>

#include "base/clock.h"
#include "base/state.h"
#include "devices/pci.h"
#include "devices/vga.h"
#include "devices/vga_pci.h"
#include "devices/vga_render.h"
#include "devices/vga_text.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

using namespace tern;

namespace {

struct Board {
  Clock clock;
  IoSpace io;
  PhysMemory mem{1 << 20};
  Vga vga{io, mem, clock};

  void out(u16 port, u8 value) { io.write(port, value, 1); }
  u8 in(u16 port) { return static_cast<u8>(io.read(port, 1)); }
  void seq(u8 index, u8 value) { out(0x3C4, index), out(0x3C5, value); }
  void gfx(u8 index, u8 value) { out(0x3CE, index), out(0x3CF, value); }
  void crtc(u8 index, u8 value) { out(0x3D4, index), out(0x3D5, value); }
  void vbe(u16 index, u16 value) { io.write(0x1CE, index, 2), io.write(0x1CF, value, 2); }
  u16 vbe_read(u16 index) {
    io.write(0x1CE, index, 2);
    return static_cast<u16>(io.read(0x1CF, 2));
  }
  u8 peek(u32 addr) { return static_cast<u8>(mem.read(addr, 1)); }
  void poke(u32 addr, u8 value) { mem.write(addr, value, 1); }

  // Plain planar access to 0xA0000: no odd/even, no chain 4, all planes, write mode 0.
  void planar_mode() {
    out(0x3C2, 0x63);
    seq(kSeqMemoryMode, 0x06);
    seq(kSeqMapMask, 0x0F);
    gfx(kGfxMode, 0x00);
    gfx(kGfxMisc, 0x05);
    gfx(kGfxBitMask, 0xFF);
    gfx(kGfxEnableSetReset, 0x00);
    gfx(kGfxDataRotate, 0x00);
  }

  // Loads one 16-line glyph into font map 0 of plane 2, as a VGA BIOS does, and returns to
  // mode 3's memory setup.
  void load_glyph(u8 ch, const u8 (&rows)[16]) {
    seq(kSeqMapMask, 0x04);
    seq(kSeqMemoryMode, 0x06);
    gfx(kGfxMode, 0x00);
    gfx(kGfxMisc, 0x04);
    for (unsigned i = 0; i < 16; ++i) poke(0xA0000 + ch * 32u + i, rows[i]);
    seq(kSeqMapMask, 0x03);
    seq(kSeqMemoryMode, 0x02);
    gfx(kGfxMode, 0x10);
    gfx(kGfxMisc, 0x0E);
  }
};

constexpr u8 kGlyphBox[16] = {0x00, 0x00, 0xFF, 0x81, 0x81, 0x81, 0x81, 0x81,
                              0x81, 0x81, 0x81, 0x81, 0xFF, 0x00, 0x00, 0x00};

u32 pixel(const VgaImage& image, u32 x, u32 y) { return image.pixels[size_t{y} * image.width + x]; }

}  // namespace

TEST_CASE("misc output bit 0 moves the CRTC between 0x3Dx and 0x3Bx") {
  Board b;
  b.out(0x3C2, 0x67);
  b.crtc(kCrtcOffset, 0x28);
  CHECK(b.in(0x3D5) == 0x28);
  CHECK(b.in(0x3B5) == 0xFF);
  CHECK(b.in(0x3CC) == 0x67);
  b.out(0x3C2, 0x66);
  b.out(0x3B4, kCrtcOffset);
  CHECK(b.in(0x3B5) == 0x28);
  CHECK(b.in(0x3D5) == 0xFF);
}

TEST_CASE("CR11 bit 7 protects CR00-CR07 except the line compare bit in CR07") {
  Board b;
  b.out(0x3C2, 0x67);
  b.crtc(kCrtcHorizDisplayEnd, 0x4F);
  b.crtc(kCrtcVertRetraceEnd, 0x8E);
  b.crtc(kCrtcHorizDisplayEnd, 0x27);
  b.crtc(kCrtcOverflow, 0xFF);
  b.out(0x3D4, kCrtcHorizDisplayEnd);
  CHECK(b.in(0x3D5) == 0x4F);
  b.out(0x3D4, kCrtcOverflow);
  CHECK(b.in(0x3D5) == 0x10);
}

TEST_CASE("a 16-bit write to 0x3C4 sets the sequencer index and data at once") {
  Board b;
  b.io.write(0x3C4, 0x0F02, 2);
  b.out(0x3C4, kSeqMapMask);
  CHECK(b.in(0x3C5) == 0x0F);
}

TEST_CASE("the attribute flip-flop alternates index and data and input status 1 resets it") {
  Board b;
  b.out(0x3C2, 0x67);
  b.out(0x3C0, 0x05);
  b.out(0x3C0, 0x3A);
  b.out(0x3C0, 0x05);  // index again
  CHECK(b.in(0x3C1) == 0x3A);
  b.out(0x3C0, 0x06);  // index ...
  b.in(0x3DA);         // ... flip-flop back to index
  b.out(0x3C0, 0x20 | kAttrModeControl);
  b.out(0x3C0, 0x0C);
  CHECK(b.in(0x3C0) == (0x20 | kAttrModeControl));
  CHECK(b.in(0x3C1) == 0x0C);
  CHECK(b.vga.regs().attr[0x06] == 0x00);
}

TEST_CASE("DAC entries are written and read three components at a time with auto-increment") {
  Board b;
  b.out(0x3C8, 10);
  for (u8 v : {1, 2, 3, 4, 5, 6}) b.out(0x3C9, v);
  CHECK(b.in(0x3C8) == 12);
  b.out(0x3C7, 11);
  CHECK(b.in(0x3C7) == 3);
  CHECK(b.in(0x3C9) == 4);
  CHECK(b.in(0x3C9) == 5);
  CHECK(b.in(0x3C9) == 6);
  b.out(0x3C8, 0);
  b.out(0x3C9, 0xFF);  // 6-bit DAC
  b.out(0x3C9, 0);
  b.out(0x3C9, 0);
  CHECK(b.vga.regs().dac[0] == 0x3F);
}

TEST_CASE("input status 1 shows vertical retrace as virtual time passes") {
  Board b;
  b.vga.set_text_mode_80x25();
  int retrace = 0, active = 0;
  for (u64 t = 0; t < 20'000'000; t += 10'000) {
    b.clock.advance_to(t);
    ((b.in(0x3DA) & 0x08) ? retrace : active)++;
  }
  CHECK(retrace > 0);
  CHECK(active > retrace * 10);
}

TEST_CASE("write mode 0 applies set/reset, rotate, the logical operation and the bit mask") {
  Board b;
  b.planar_mode();
  b.gfx(kGfxEnableSetReset, 0x0F);
  b.gfx(kGfxSetReset, 0x05);
  b.poke(0xA0000, 0x00);
  CHECK(b.vga.plane_byte(0, 0) == 0xFF);
  CHECK(b.vga.plane_byte(1, 0) == 0x00);
  CHECK(b.vga.plane_byte(2, 0) == 0xFF);
  CHECK(b.vga.plane_byte(3, 0) == 0x00);

  b.gfx(kGfxEnableSetReset, 0x00);
  b.gfx(kGfxDataRotate, 0x01);  // rotate right by one
  b.poke(0xA0001, 0x03);
  CHECK(b.vga.plane_byte(3, 1) == 0x81);

  b.peek(0xA0000);              // latches: FF 00 FF 00
  b.gfx(kGfxDataRotate, 0x18);  // XOR, no rotation
  b.gfx(kGfxBitMask, 0x0F);
  b.poke(0xA0000, 0x33);
  CHECK(b.vga.plane_byte(0, 0) == 0xFC);  // (33 ^ FF) & 0F | FF & F0
  CHECK(b.vga.plane_byte(1, 0) == 0x03);
}

TEST_CASE("write mode 1 copies the latches and the map mask limits the planes") {
  Board b;
  b.planar_mode();
  for (unsigned p = 0; p < 4; ++p) {
    b.seq(kSeqMapMask, static_cast<u8>(1u << p));
    b.poke(0xA0010, static_cast<u8>(0x10 + p));
  }
  b.seq(kSeqMapMask, 0x0B);
  b.gfx(kGfxMode, 0x01);
  b.peek(0xA0010);
  b.poke(0xA0020, 0x00);
  CHECK(b.vga.plane_byte(0, 0x20) == 0x10);
  CHECK(b.vga.plane_byte(1, 0x20) == 0x11);
  CHECK(b.vga.plane_byte(2, 0x20) == 0x00);
  CHECK(b.vga.plane_byte(3, 0x20) == 0x13);
}

TEST_CASE("write mode 2 spreads a colour over the planes under the bit mask") {
  Board b;
  b.planar_mode();
  b.gfx(kGfxMode, 0x02);
  b.gfx(kGfxBitMask, 0x80);
  b.peek(0xA0000);
  b.poke(0xA0000, 0x0A);
  CHECK(b.vga.plane_byte(0, 0) == 0x00);
  CHECK(b.vga.plane_byte(1, 0) == 0x80);
  CHECK(b.vga.plane_byte(3, 0) == 0x80);
}

TEST_CASE("write mode 3 masks the bit mask with the rotated CPU byte and writes set/reset") {
  Board b;
  b.planar_mode();
  b.gfx(kGfxMode, 0x03);
  b.gfx(kGfxSetReset, 0x0C);
  b.gfx(kGfxBitMask, 0xF0);
  b.peek(0xA0000);
  b.poke(0xA0000, 0x3C);
  CHECK(b.vga.plane_byte(0, 0) == 0x00);
  CHECK(b.vga.plane_byte(2, 0) == 0x30);
  CHECK(b.vga.plane_byte(3, 0) == 0x30);
}

TEST_CASE("read mode 0 reads the selected plane and read mode 1 compares colours") {
  Board b;
  b.planar_mode();
  b.gfx(kGfxMode, 0x02);
  b.gfx(kGfxBitMask, 0xF0);
  b.peek(0xA0000);
  b.poke(0xA0000, 0x06);  // pixels 0-3 colour 6
  b.gfx(kGfxBitMask, 0x0F);
  b.peek(0xA0000);
  b.poke(0xA0000, 0x07);  // pixels 4-7 colour 7
  b.gfx(kGfxMode, 0x00);
  b.gfx(kGfxReadMapSelect, 1);
  CHECK(b.peek(0xA0000) == 0xFF);
  b.gfx(kGfxReadMapSelect, 0);
  CHECK(b.peek(0xA0000) == 0x0F);
  b.gfx(kGfxMode, 0x08);
  b.gfx(kGfxColorCompare, 0x06);
  b.gfx(kGfxColorDontCare, 0x0F);
  CHECK(b.peek(0xA0000) == 0xF0);
  b.gfx(kGfxColorDontCare, 0x0E);  // ignore plane 0: 6 and 7 both match
  CHECK(b.peek(0xA0000) == 0xFF);
}

TEST_CASE("odd/even text writes put characters in plane 0 and attributes in plane 1") {
  Board b;
  b.vga.set_text_mode_80x25();
  b.poke(0xB8000 + 2 * 5, 'Q');
  b.poke(0xB8000 + 2 * 5 + 1, 0x4F);
  CHECK(b.vga.plane_byte(0, 10) == 'Q');
  CHECK(b.vga.plane_byte(1, 10) == 0x4F);
  CHECK(b.vga.plane_byte(2, 10) == 0x00);
  CHECK(b.peek(0xB8000 + 11) == 0x4F);
  CHECK(b.peek(0xA0000) == 0xFF);  // mode 3 decodes only 0xB8000-0xBFFFF
}

TEST_CASE("chain 4 spreads consecutive bytes over the four planes (mode 13h)") {
  Board b;
  b.planar_mode();
  b.seq(kSeqMemoryMode, 0x0E);
  for (u8 i = 0; i < 8; ++i) b.poke(0xA0000 + i, static_cast<u8>(0x40 + i));
  CHECK(b.vga.plane_byte(1, 0) == 0x41);
  CHECK(b.vga.plane_byte(3, 4) == 0x47);
  CHECK(b.peek(0xA0006) == 0x46);
}

TEST_CASE("a text screen renders the guest's font with attribute colours and the cursor") {
  Board b;
  b.vga.set_text_mode_80x25();
  b.load_glyph('#', kGlyphBox);
  b.poke(0xB8000, '#');
  b.poke(0xB8001, 0x1E);  // yellow on blue
  b.crtc(kCrtcCursorHigh, 0);
  b.crtc(kCrtcCursorLow, 1);  // cursor on the second cell
  b.poke(0xB8003, 0x07);
  const VgaImage image = render_screen(b.vga);
  REQUIRE(image.width == 720);
  REQUIRE(image.height == 400);
  const u32 yellow = 0xFFFF55, blue = 0x0000AA, grey = 0xAAAAAA;
  CHECK(pixel(image, 0, 2) == yellow);
  CHECK(pixel(image, 1, 3) == blue);
  CHECK(pixel(image, 7, 3) == yellow);
  CHECK(pixel(image, 8, 3) == blue);  // ninth dot: background outside 0xC0-0xDF
  CHECK(pixel(image, 0, 13) == blue);
  // The cursor (lines 13-14 of the cell) is drawn in the cell's foreground, then blinks off.
  CHECK(pixel(image, 9, 13) == grey);
  CHECK(pixel(image, 9, 12) == 0x000000);
  b.clock.advance_to(Vga::kLineNs * 449 * 8);
  CHECK(pixel(render_screen(b.vga), 9, 13) == 0x000000);
}

TEST_CASE("blinking characters disappear every other 16 frames") {
  Board b;
  b.vga.set_text_mode_80x25();
  b.load_glyph('#', kGlyphBox);
  b.poke(0xB8000, '#');
  b.poke(0xB8001, 0x8F);
  CHECK(pixel(render_screen(b.vga), 0, 2) == 0xFFFFFF);
  b.clock.advance_to(Vga::kLineNs * 449 * 16);
  CHECK(pixel(render_screen(b.vga), 0, 2) == 0x000000);
}

TEST_CASE("the 8x16 font of a VGA BIOS image is found by its block characters and loaded into plane 2") {
  std::vector<u8> rom(0x2000, 0x5A);
  const size_t at = 0x321;
  std::fill(rom.begin() + at, rom.begin() + at + 4096, 0x00);
  std::fill(rom.begin() + at + 0xDB * 16, rom.begin() + at + 0xDC * 16, 0xFF);
  std::fill(rom.begin() + at + 0xDD * 16, rom.begin() + at + 0xDE * 16, 0xF0);
  std::fill(rom.begin() + at + 0xDE * 16, rom.begin() + at + 0xDF * 16, 0x0F);
  std::copy(std::begin(kGlyphBox), std::end(kGlyphBox), rom.begin() + at + '#' * 16);
  Board b;
  CHECK_FALSE(b.vga.load_font_from_bios(std::vector<u8>(0x2000, 0x00)));  // no block shapes
  REQUIRE(b.vga.load_font_from_bios(rom));
  for (unsigned line = 0; line < 16; ++line) CHECK(b.vga.plane_byte(2, '#' * 32 + line) == kGlyphBox[line]);
  CHECK(b.vga.plane_byte(2, 0xDB * 32 + 15) == 0xFF);
  CHECK(b.vga.plane_byte(2, 0xDB * 32 + 16) == 0x00);
  b.vga.set_text_mode_80x25();
  b.poke(0xB8000, '#');
  b.poke(0xB8001, 0x07);
  CHECK(pixel(render_screen(b.vga), 0, 2) == 0xAAAAAA);
}

TEST_CASE("the text read-out maps code page 437 to UTF-8 and trims trailing blanks") {
  Board b;
  b.vga.set_text_mode_80x25();
  const char* hello = "Hello";
  for (unsigned i = 0; hello[i]; ++i) b.poke(0xB8000 + 2 * i, static_cast<u8>(hello[i]));
  b.poke(0xB8000 + 160, 0xC9);
  b.poke(0xB8000 + 162, 0xCD);
  b.poke(0xB8000 + 164, 0x01);
  b.poke(0xB8000 + 166, 0x20);
  const auto text = read_text_screen(b.vga);
  REQUIRE(text);
  CHECK(text->substr(0, 6) == "Hello\n");
  CHECK(text->find("\n╔═☺\n") != std::string::npos);
  CHECK(std::count(text->begin(), text->end(), '\n') == 25);
  CHECK(cp437_to_utf8(0xE1) == "ß");
  CHECK(cp437_to_utf8(0xFF) == "\u00A0");
}

TEST_CASE("mode 13h renders 320x200 from chain-4 memory through the DAC") {
  Board b;
  b.vga.set_text_mode_80x25();
  // The mode 13h differences from mode 3 (IBM register tables).
  b.out(0x3C2, 0x63);
  b.seq(kSeqClockingMode, 0x01);
  b.seq(kSeqMapMask, 0x0F);
  b.seq(kSeqMemoryMode, 0x0E);
  b.gfx(kGfxMode, 0x40);
  b.gfx(kGfxMisc, 0x05);
  b.crtc(kCrtcVertRetraceEnd, 0x0E);  // unlock CR00-CR07
  b.crtc(kCrtcOverflow, 0x1F);
  b.crtc(kCrtcMaxScanLine, 0x41);
  b.crtc(kCrtcVertDisplayEnd, 0x8F);
  b.crtc(kCrtcUnderline, 0x40);
  b.crtc(kCrtcModeControl, 0xA3);
  b.in(0x3DA);
  b.out(0x3C0, 0x20 | kAttrModeControl);
  b.out(0x3C0, 0x41);
  b.out(0x3C8, 0x42);
  for (u8 v : {0x3F, 0x00, 0x20}) b.out(0x3C9, v);
  b.poke(0xA0000 + 320 * 199 + 318, 0x42);
  const VgaImage image = render_screen(b.vga);
  REQUIRE(image.width == 320);
  REQUIRE(image.height == 200);
  CHECK(pixel(image, 318, 199) == 0xFF0082);
  CHECK(pixel(image, 317, 199) == 0x000000);
}

TEST_CASE("preset row scan moves a text screen up by scan lines") {
  Board b;
  b.vga.set_text_mode_80x25();
  b.load_glyph('#', kGlyphBox);
  b.poke(0xB8000, '#');
  b.poke(0xB8001, 0x07);
  CHECK(pixel(render_screen(b.vga), 0, 2) == 0xAAAAAA);
  b.crtc(kCrtcPresetRowScan, 2);
  const VgaImage image = render_screen(b.vga);
  CHECK(pixel(image, 0, 0) == 0xAAAAAA);  // glyph line 2 is now the top line
  CHECK(pixel(image, 1, 1) == 0x000000);
}

TEST_CASE("horizontal pel panning shifts a planar picture left") {
  Board b;
  b.vga.set_text_mode_80x25();
  b.planar_mode();
  b.out(0x3C2, 0x63);
  b.in(0x3DA);
  b.out(0x3C0, 0x20 | kAttrModeControl);
  b.out(0x3C0, 0x01);  // graphics
  b.poke(0xA0000, 0x10);  // pixel 3 in colour 15
  CHECK(describe_screen(b.vga).kind == VgaScreenKind::kPlanar16);
  CHECK(pixel(render_screen(b.vga), 3, 0) == 0xFFFFFF);
  b.out(0x3C0, 0x20 | kAttrHorizPanning);
  b.out(0x3C0, 0x02);
  const VgaImage image = render_screen(b.vga);
  CHECK(pixel(image, 1, 0) == 0xFFFFFF);
  CHECK(pixel(image, 3, 0) == 0x000000);
}

TEST_CASE("VBE: ID handshake, capabilities, and the memory size") {
  Board b;
  CHECK(b.vbe_read(kVbeId) == 0xB0C0);
  b.vbe(kVbeId, 0xB0C5);
  CHECK(b.vbe_read(kVbeId) == 0xB0C5);
  b.vbe(kVbeId, 0x1234);
  CHECK(b.vbe_read(kVbeId) == 0xB0C5);
  CHECK(b.vbe_read(kVbeVideoMemory64K) == 256);
  b.vbe(kVbeEnable, kVbeGetCaps);
  CHECK(b.vbe_read(kVbeXres) == Vga::kVbeMaxXres);
  CHECK(b.vbe_read(kVbeBpp) == 32);
  b.vbe(kVbeEnable, 0);
  CHECK(b.vbe_read(kVbeXres) == 640);
}

TEST_CASE("VBE: a 32 bpp mode set, LFB writes, offsets and the bank window") {
  Board b;
  b.vga.map_lfb(Vga::kDefaultLfbBase);
  b.vbe(kVbeXres, 800);
  b.vbe(kVbeYres, 600);
  b.vbe(kVbeBpp, 32);
  b.vbe(kVbeEnable, kVbeEnabled | kVbeLfbEnabled);
  b.vbe(kVbeXres, 1024);  // ignored while enabled
  CHECK(b.vbe_read(kVbeXres) == 800);
  CHECK(b.vbe_read(kVbeVirtWidth) == 800);
  const u64 lfb = Vga::kDefaultLfbBase;
  b.mem.write(lfb + (10 * 800 + 20) * 4, 0x00123456, 4);
  VgaImage image = render_screen(b.vga);
  REQUIRE(image.width == 800);
  REQUIRE(image.height == 600);
  CHECK(pixel(image, 20, 10) == 0x123456);
  CHECK(b.mem.read(lfb + (10 * 800 + 20) * 4, 4) == 0x00123456);
  // The bank window at 0xA0000 sees the same memory in 64 KiB steps.
  b.vbe(kVbeBank, 1);
  b.poke(0xA0000, 0x77);
  CHECK(b.mem.read(lfb + 0x10000, 1) == 0x77);
  // Scrolling by the Y offset moves the picture up.
  b.vbe(kVbeYOffset, 5);
  CHECK(pixel(render_screen(b.vga), 20, 5) == 0x123456);
  // Enabling again without NOCLEARMEM clears the screen; with it, memory is kept.
  b.vbe(kVbeEnable, 0);
  b.vbe(kVbeEnable, kVbeEnabled | kVbeNoClearMem);
  CHECK(b.mem.read(lfb + (10 * 800 + 20) * 4, 4) == 0x00123456);
  b.vbe(kVbeEnable, 0);
  b.vbe(kVbeEnable, kVbeEnabled);
  CHECK(b.mem.read(lfb + (10 * 800 + 20) * 4, 4) == 0);
}

TEST_CASE("VBE: 16 and 8 bpp pixels decode through RGB565 and the DAC") {
  Board b;
  b.vga.map_lfb(Vga::kDefaultLfbBase);
  b.vbe(kVbeXres, 640);
  b.vbe(kVbeYres, 480);
  b.vbe(kVbeBpp, 16);
  b.vbe(kVbeEnable, kVbeEnabled);
  b.mem.write(Vga::kDefaultLfbBase + 2, 0xF800, 2);
  CHECK(pixel(render_screen(b.vga), 1, 0) == 0xFF0000);
  b.vbe(kVbeEnable, 0);
  b.vbe(kVbeBpp, 8);
  b.vbe(kVbeEnable, kVbeEnabled | kVbe8BitDac);
  b.out(0x3C8, 9);
  for (u8 v : {0x80, 0x40, 0xFF}) b.out(0x3C9, v);
  b.mem.write(Vga::kDefaultLfbBase + 3, 9, 1);
  CHECK(pixel(render_screen(b.vga), 3, 0) == 0x8040FF);
}

TEST_CASE("VBE: a 4 bpp planar mode beyond 64 KiB a plane, reached through the bank") {
  Board b;
  b.vga.set_text_mode_80x25();  // palette registers and DAC
  b.planar_mode();
  b.vbe(kVbeXres, 1024);
  b.vbe(kVbeYres, 768);
  b.vbe(kVbeBpp, 4);
  b.vbe(kVbeEnable, kVbeEnabled);
  b.gfx(kGfxMode, 0x02);  // write mode 2: colour per pixel
  b.vbe(kVbeBank, 1);
  b.peek(0xA0100);
  b.poke(0xA0100, 0x09);  // planar offset 0x10100: line 514, pixels 0-7
  CHECK(b.vga.plane_byte(0, 0x10100) == 0xFF);
  CHECK(b.vga.plane_byte(1, 0x10100) == 0x00);
  CHECK(b.vga.plane_byte(0, 0x100) == 0x00);
  const VgaImage image = render_screen(b.vga);
  REQUIRE(image.width == 1024);
  REQUIRE(image.height == 768);
  CHECK(pixel(image, 7, 514) == 0x5555FF);
  CHECK(pixel(image, 8, 514) == 0x000000);
  CHECK(pixel(image, 7, 2) == 0x000000);
}

TEST_CASE("save and load restore registers, video memory and the picture") {
  Board a;
  a.vga.set_text_mode_80x25();
  a.load_glyph('#', kGlyphBox);
  a.poke(0xB8000, '#');
  a.poke(0xB8001, 0x2C);
  StateWriter writer;
  {
    StateIo io = writer.section("vga");
    a.vga.serialize(io);
  }
  const StateReader reader(writer.finish());
  Board b;
  StateIo io = reader.section("vga");
  b.vga.serialize(io);
  io.expect_end();
  CHECK(render_screen(b.vga).pixels == render_screen(a.vga).pixels);
  CHECK(b.vga.regs().crtc == a.vga.regs().crtc);
  CHECK(b.peek(0xB8001) == 0x2C);
}

TEST_CASE("the PCI function: stdvga identity, LFB at BAR 0, the VGA BIOS at the ROM BAR, saved and restored") {
  const std::vector<u8> rom = {0x55, 0xAA, 0x02, 0xCB};
  StateWriter writer;
  {
    Board b;
    PciBus bus(b.io);
    VgaPci vga_pci(b.vga, b.mem, rom);
    bus.attach(2, 0, vga_pci);
    CHECK(bus.config_read(2, 0, pci_cfg::kVendorId, 4) == 0x11111234);
    CHECK(bus.config_read(2, 0, pci_cfg::kRevision, 4) >> 8 == 0x030000);
    bus.config_write(2, 0, pci_cfg::kBar0, 0xFFFFFFFF, 4);
    CHECK(bus.config_read(2, 0, pci_cfg::kBar0, 4) == 0xFF000008);  // 16 MiB, prefetchable memory
    bus.config_write(2, 0, pci_cfg::kRomBar, 0xFFFFFFFE, 4);
    CHECK(bus.config_read(2, 0, pci_cfg::kRomBar, 4) == 0xFFFFF800);  // 2 KiB
    bus.config_write(2, 0, pci_cfg::kBar0, 0xF0000000, 4);
    bus.config_write(2, 0, pci_cfg::kRomBar, 0xFEB00001, 4);
    bus.config_write(2, 0, pci_cfg::kCommand, pci_cmd::kIo | pci_cmd::kMemory, 2);
    CHECK(b.vga.lfb_base() == 0xF0000000);
    b.mem.write(0xF0000010, 0xABCD, 2);
    CHECK(b.vga.vram()[0x10] == 0xCD);
    CHECK(b.mem.read(0xFEB00000, 2) == 0xAA55);
    StateIo io = writer.section("vga");
    vga_pci.serialize(io);
  }
  Board b;
  PciBus bus(b.io);
  VgaPci vga_pci(b.vga, b.mem, rom);
  bus.attach(2, 0, vga_pci);
  const StateReader reader(writer.finish());
  StateIo io = reader.section("vga");
  vga_pci.serialize(io);
  io.expect_end();
  CHECK(b.vga.lfb_base() == 0xF0000000);
  CHECK(b.mem.read(0xF0000010, 2) == 0xABCD);
  CHECK(b.mem.read(0xFEB00003, 1) == 0xCB);
}
