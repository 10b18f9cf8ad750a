// The VGA's register ports (0x3B0-0x3DF), its power-on and mode 3 state, and its save state.
// Register semantics: IBM VGA Technical Reference; the CRTC answers at 0x3Bx or 0x3Dx as misc
// output bit 0 selects, and reading input status 1 resets the attribute flip-flop.
#include "devices/vga.h"

#include <algorithm>

#include "base/log.h"

namespace tern {

namespace {

constexpr u16 kPortBase = 0x3B0;
constexpr u32 kPortCount = 0x30;
constexpr u16 kVbePortIndex = 0x1CE;

// Share of a scan line that is active display; the rest is horizontal blanking.
constexpr u64 kActiveLineNs = Vga::kLineNs * 640 / 800;
constexpr u32 kDefaultVertTotal = 449;  // 70 Hz, the 400-line modes

// Mode 3 (80x25 colour text) as the VGA BIOS programs it: IBM VGA Technical Reference, table of
// video mode parameters.
constexpr u8 kMode3Misc = 0x67;
constexpr u8 kMode3Seq[5] = {0x03, 0x00, 0x03, 0x00, 0x02};
constexpr u8 kMode3Crtc[25] = {0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00,
                               0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF};
constexpr u8 kMode3Attr[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A,
                               0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00};
constexpr u8 kMode3Gfx[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF};

}  // namespace

Vga::Vga(IoSpace& io, PhysMemory& mem, Clock& clock) : m_mem(mem), m_clock(clock), m_vram(kVramBytes, 0) {
  IoOps ports;
  ports.widths = 1;  // a word write to an index port is an index byte then a data byte
  ports.read = [this](u32 offset, unsigned) -> u64 { return read_port(static_cast<u16>(kPortBase + offset)); };
  ports.write = [this](u32 offset, u64 value, unsigned) {
    write_port(static_cast<u16>(kPortBase + offset), static_cast<u8>(value));
  };
  io.map(kPortBase, kPortCount, ports);

  // 16-bit index at 0x1CE and data at 0x1CF (a word access there also covers 0x1D0).
  IoOps vbe;
  vbe.widths = 1 | 2;
  vbe.read = [this](u32 offset, unsigned) -> u64 { return offset == 0 ? m_vbe.index : read_vbe_data(); };
  vbe.write = [this](u32 offset, u64 value, unsigned) {
    if (offset == 0)
      m_vbe.index = static_cast<u16>(value);
    else
      write_vbe_data(static_cast<u16>(value));
  };
  io.map(kVbePortIndex, 3, vbe);

  IoOps window;
  window.widths = 1;
  window.read = [this](u32 offset, unsigned) -> u64 { return read_window(offset); };
  window.write = [this](u32 offset, u64 value, unsigned) { write_window(offset, static_cast<u8>(value)); };
  mem.add_mmio("vga-window", 0xA0000, 0x20000, window);
  reset();
}

void Vga::reset() {
  m_regs = VgaRegs{};
  m_vbe = VbeRegs{};
  update_vbe_layout();
}

void Vga::set_text_mode_80x25() {
  m_vbe.enable = 0;
  m_regs.misc_output = kMode3Misc;
  std::copy(std::begin(kMode3Seq), std::end(kMode3Seq), m_regs.seq.begin());
  std::copy(std::begin(kMode3Crtc), std::end(kMode3Crtc), m_regs.crtc.begin());
  std::copy(std::begin(kMode3Attr), std::end(kMode3Attr), m_regs.attr.begin());
  std::copy(std::begin(kMode3Gfx), std::end(kMode3Gfx), m_regs.gfx.begin());
  m_regs.attr_index = kAttrPaletteSource;
  m_regs.pel_mask = 0xFF;
  // The 64 EGA colours in the first 64 DAC entries (bits 0-2 primary blue, green, red at 2/3
  // intensity, bits 3-5 secondary at 1/3), as the BIOS loads them for the 16-colour modes.
  for (unsigned i = 0; i < 64; ++i) {
    auto level = [i](unsigned primary, unsigned secondary) -> u8 {
      return static_cast<u8>(((i >> primary) & 1) * 0x2A + ((i >> secondary) & 1) * 0x15);
    };
    m_regs.dac[i * 3 + 0] = level(2, 5);
    m_regs.dac[i * 3 + 1] = level(1, 4);
    m_regs.dac[i * 3 + 2] = level(0, 3);
  }
}

u8 Vga::read_port(u16 port) {
  // The CRTC and input status 1 of the mode not selected by misc output bit 0 do not answer.
  const bool mono_port = port >= 0x3B0 && port <= 0x3BF;
  const bool color_port = port >= 0x3D0 && port <= 0x3DF;
  if ((mono_port && m_regs.color_io()) || (color_port && !m_regs.color_io())) return 0xFF;
  switch (port) {
    case 0x3B4: case 0x3D4: return m_regs.crtc_index;
    case 0x3B5: case 0x3D5: return m_regs.crtc_index < kCrtcCount ? m_regs.crtc[m_regs.crtc_index] : 0xFF;
    case 0x3BA: case 0x3DA: return input_status_1();
    case 0x3C0: return m_regs.attr_index;
    case 0x3C1: return read_attr_data();
    case 0x3C2: return 0x00;  // input status 0: no switch sense, no CRT interrupt
    case 0x3C3: return m_regs.video_enable;
    case 0x3C4: return m_regs.seq_index;
    case 0x3C5: return m_regs.seq_index < kSeqCount ? m_regs.seq[m_regs.seq_index] : 0xFF;
    case 0x3C6: return m_regs.pel_mask;
    case 0x3C7: return m_regs.dac_reading;
    case 0x3C8: return m_regs.dac_write_index;
    case 0x3C9: return read_dac_data();
    case 0x3CA: return m_regs.feature_control;
    case 0x3CC: return m_regs.misc_output;
    case 0x3CE: return m_regs.gfx_index;
    case 0x3CF: return m_regs.gfx_index < kGfxCount ? m_regs.gfx[m_regs.gfx_index] : 0xFF;
    default: return 0xFF;
  }
}

void Vga::write_port(u16 port, u8 value) {
  const bool mono_port = port >= 0x3B0 && port <= 0x3BF;
  const bool color_port = port >= 0x3D0 && port <= 0x3DF;
  if ((mono_port && m_regs.color_io()) || (color_port && !m_regs.color_io())) return;
  switch (port) {
    case 0x3B4: case 0x3D4: m_regs.crtc_index = value & 0x3F; break;
    case 0x3B5: case 0x3D5: write_crtc(value); break;
    case 0x3BA: case 0x3DA: m_regs.feature_control = value; break;
    case 0x3C0: write_attr(value); break;
    case 0x3C2: m_regs.misc_output = value; break;
    case 0x3C3: m_regs.video_enable = value & 1; break;
    case 0x3C4: m_regs.seq_index = value & 0x1F; break;
    case 0x3C5:
      if (m_regs.seq_index < kSeqCount) m_regs.seq[m_regs.seq_index] = value;
      break;
    case 0x3C6: m_regs.pel_mask = value; break;
    case 0x3C7:
      m_regs.dac_read_index = value;
      m_regs.dac_component = 0;
      m_regs.dac_reading = 3;
      break;
    case 0x3C8:
      m_regs.dac_write_index = value;
      m_regs.dac_component = 0;
      m_regs.dac_reading = 0;
      break;
    case 0x3C9: write_dac_data(value); break;
    case 0x3CE: m_regs.gfx_index = value & 0x1F; break;
    case 0x3CF:
      if (m_regs.gfx_index < kGfxCount) m_regs.gfx[m_regs.gfx_index] = value;
      break;
    default: log(LogCat::kVga, LogLevel::kDebug, "write {:#04x} to unused port {:#x}", value, port); break;
  }
}

void Vga::write_crtc(u8 value) {
  const u8 index = m_regs.crtc_index;
  if (index >= kCrtcCount) return;
  // CR11 bit 7 protects CR00-CR07, except the line compare bit 8 in CR07 bit 4.
  if ((m_regs.crtc[kCrtcVertRetraceEnd] & 0x80) && index <= kCrtcOverflow) {
    if (index == kCrtcOverflow)
      m_regs.crtc[index] = static_cast<u8>((m_regs.crtc[index] & ~0x10) | (value & 0x10));
    return;
  }
  m_regs.crtc[index] = value;
}

u8 Vga::read_attr_data() const {
  const u8 index = m_regs.attr_index & 0x1F;
  return index < 0x15 ? m_regs.attr[index] : 0x00;
}

void Vga::write_attr(u8 value) {
  if (!m_regs.attr_expect_data) {
    m_regs.attr_index = value & 0x3F;
  } else {
    const u8 index = m_regs.attr_index & 0x1F;
    if (index < 0x10)
      m_regs.attr[index] = value & 0x3F;
    else if (index < 0x15)
      m_regs.attr[index] = value;
  }
  m_regs.attr_expect_data = !m_regs.attr_expect_data;
}

u8 Vga::read_dac_data() {
  const u8 value = m_regs.dac[m_regs.dac_read_index * 3u + m_regs.dac_component];
  if (++m_regs.dac_component == 3) {
    m_regs.dac_component = 0;
    ++m_regs.dac_read_index;
  }
  return value;
}

void Vga::write_dac_data(u8 value) {
  // Without the VBE 8-bit DAC the DAC keeps 6 bits per component.
  if (!(m_vbe.enable & kVbe8BitDac)) value &= 0x3F;
  m_regs.dac_pending[m_regs.dac_component] = value;
  if (++m_regs.dac_component == 3) {
    std::copy(m_regs.dac_pending.begin(), m_regs.dac_pending.end(), m_regs.dac.begin() + m_regs.dac_write_index * 3);
    m_regs.dac_component = 0;
    ++m_regs.dac_write_index;
  }
}

u32 Vga::vertical_total() const {
  const auto& c = m_regs.crtc;
  const u32 total = (c[kCrtcVertTotal] | ((c[kCrtcOverflow] & 0x01) << 8) | ((c[kCrtcOverflow] & 0x20) << 4)) + 2;
  return total < 16 ? kDefaultVertTotal : total;  // below 16: not programmed yet
}

u8 Vga::input_status_1() {
  m_regs.attr_expect_data = false;
  const auto& c = m_regs.crtc;
  const u32 vert_total = vertical_total();
  const u32 retrace_start = c[kCrtcVertRetraceStart] | ((c[kCrtcOverflow] & 0x04) << 6) | ((c[kCrtcOverflow] & 0x80) << 2);
  u32 retrace_lines = ((c[kCrtcVertRetraceEnd] & 0x0F) - retrace_start) & 0x0F;
  if (retrace_lines == 0) retrace_lines = 16;

  const u64 now = m_clock.now();
  const u32 line = static_cast<u32>((now / kLineNs) % vert_total);
  const bool vretrace = line >= retrace_start % vert_total && line < retrace_start % vert_total + retrace_lines;
  const bool hblank = now % kLineNs >= kActiveLineNs;
  // Bit 3: vertical retrace; bit 0: display disabled (any blanking).
  return static_cast<u8>((vretrace ? 0x08 : 0) | (vretrace || hblank ? 0x01 : 0));
}

void Vga::serialize(StateIo& io) {
  io(m_regs, m_vbe);
  io.sparse_pages(m_vram.data(), m_vram.size());
  u64 lfb = m_lfb_base;
  io(lfb);
  if (io.loading()) map_lfb(lfb);
}

}  // namespace tern
