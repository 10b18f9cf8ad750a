// A standard VGA with the Bochs VBE extension: the card QEMU calls "stdvga" and that SeaBIOS's
// vgabios-stdvga.bin drives.
//
// - Ports 0x3B0-0x3DF: attribute controller, sequencer, graphics controller, CRT controller, DAC,
//   misc output and input status (vga.cc). Input status 1 shows retrace from the virtual clock.
// - The legacy window 0xA0000-0xBFFFF onto 256 KiB of planar memory: write modes 0-3, read modes
//   0-1, latches, odd/even and chain 4 (vga_memory.cc).
// - Bochs VBE (ports 0x1CE/0x1CF, vbe.cc) over 16 MiB of video memory, reached through a 64 KiB
//   bank at 0xA0000 and a linear framebuffer wherever the board (or PCI BAR 0) places it.
//
// Video memory layout: the four planes are interleaved, plane p of planar offset o at byte
// o * 4 + p, so a latch load is one 32-bit read. VBE modes and the linear framebuffer address the
// same bytes linearly. The renderer (vga_render.h) and the text read-out (vga_text.h) read the state
// through the const accessors.
#pragma once

#include <memory>
#include <vector>

#include "base/clock.h"
#include "base/state.h"
#include "base/types.h"
#include "devices/vga_regs.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern {

class Vga {
 public:
  static constexpr u32 kVramBytes = 16u << 20;
  static constexpr u32 kPlanarBytes = 256u << 10;  // four planes of 64 KiB
  static constexpr u64 kDefaultLfbBase = 0xE0000000;  // where the VGA BIOS looks without PCI
  static constexpr u16 kVbeMaxXres = 2560;
  static constexpr u16 kVbeMaxYres = 1600;
  static constexpr u16 kVbeMaxBpp = 32;
  // Scan line period of the 25.175 MHz dot clock at 800 dots a line, in ns.
  static constexpr u64 kLineNs = 31'778;

  // Claims the ports and the legacy window; the linear framebuffer is mapped by map_lfb().
  Vga(IoSpace& io, PhysMemory& mem, Clock& clock);
  Vga(const Vga&) = delete;
  Vga& operator=(const Vga&) = delete;

  // Power-on: every register zero (the VGA BIOS programs a mode), video memory kept.
  void reset();
  // Programs the 80x25 colour text mode (mode 3) registers and palette, as the VGA BIOS leaves
  // them, for boots that skip the firmware. The font (plane 2) is left as it is.
  void set_text_mode_80x25();

  // Loads the 8x16 code page 437 font of a VGA BIOS image into font map 0 of plane 2, as the
  // BIOS's own mode set would (vga_font.cc). False when the image holds no such font.
  bool load_font_from_bios(const std::vector<u8>& vga_bios);

  // Places the linear framebuffer at `base` (0: not decoded).
  void map_lfb(u64 base);
  u64 lfb_base() const { return m_lfb_base; }

  const VgaRegs& regs() const { return m_regs; }
  const VbeRegs& vbe() const { return m_vbe; }
  const u8* vram() const { return m_vram.data(); }
  // Virtual time, for retrace and for the blink phase of the renderer.
  u64 now() const { return m_clock.now(); }
  // Scan lines per frame (CRTC vertical total), the frame period in kLineNs units.
  u32 vertical_total() const;

  // Planar offsets reach 64 KiB a plane in VGA modes and all of video memory (4 MiB a plane) in
  // the VBE 4-bit planar modes.
  static constexpr u32 kVgaPlaneMask = 0xFFFF;
  static constexpr u32 kVbePlaneMask = kVramBytes / 4 - 1;

  // Byte `offset` of plane `plane`.
  u8 plane_byte(unsigned plane, u32 offset) const { return m_vram[((offset & kVbePlaneMask) << 2) | (plane & 3)]; }

  void serialize(StateIo& io);

 private:
  // vga.cc: the register ports.
  u8 read_port(u16 port);
  void write_port(u16 port, u8 value);
  u8 read_attr_data() const;
  void write_attr(u8 value);
  u8 read_dac_data();
  void write_dac_data(u8 value);
  void write_crtc(u8 value);
  u8 input_status_1();

  // vga_memory.cc: the legacy window and the linear framebuffer.
  u8 read_window(u32 offset);
  void write_window(u32 offset, u8 value);
  bool window_offset(u32 offset, u32& planar) const;
  // `mask` bounds the planar offset (kVgaPlaneMask or kVbePlaneMask).
  void write_planar(u32 planar, u8 value, u32 mask);
  u32 write_mode_data(u8 value) const;
  u8 read_planar(u32 planar, u32 mask);
  u64 read_lfb(u32 offset, unsigned size) const;
  void write_lfb(u32 offset, u64 value, unsigned size);

  // vbe.cc: the Bochs DISPI interface.
  u16 read_vbe_data() const;
  void write_vbe_data(u16 value);
  void write_vbe_enable(u16 value);
  void update_vbe_layout();

  PhysMemory& m_mem;
  Clock& m_clock;
  VgaRegs m_regs;
  VbeRegs m_vbe;
  std::vector<u8> m_vram;
  u64 m_lfb_base = 0;
};

}  // namespace tern
