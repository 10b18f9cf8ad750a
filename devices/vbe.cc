// The Bochs VBE "DISPI" interface: an index register at port 0x1CE and a 16-bit data register at
// 0x1CF. IDs 0xB0C0-0xB0C5; resolution and depth may change only while the extension is disabled;
// GETCAPS makes XRES/YRES/BPP read back their maxima (vgabios-stdvga.bin uses this to prune its
// mode list); 8BIT_DAC widens the DAC to 8 bits a component.
#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "devices/vga.h"

namespace tern {

namespace {

bool valid_bpp(u16 bpp) { return bpp == 4 || bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32; }

}  // namespace

u16 Vga::read_vbe_data() const {
  const bool caps = m_vbe.enable & kVbeGetCaps;
  switch (m_vbe.index) {
    case kVbeId: return m_vbe.id;
    case kVbeXres: return caps ? kVbeMaxXres : m_vbe.xres;
    case kVbeYres: return caps ? kVbeMaxYres : m_vbe.yres;
    case kVbeBpp: return caps ? kVbeMaxBpp : m_vbe.bpp;
    case kVbeEnable: return m_vbe.enable;
    case kVbeBank: return m_vbe.bank;
    case kVbeVirtWidth: return m_vbe.virt_width;
    case kVbeVirtHeight: return m_vbe.virt_height;
    case kVbeXOffset: return m_vbe.x_offset;
    case kVbeYOffset: return m_vbe.y_offset;
    case kVbeVideoMemory64K: return static_cast<u16>(kVramBytes >> 16);
    default: return 0;
  }
}

void Vga::write_vbe_data(u16 value) {
  const bool locked = m_vbe.enabled();
  switch (m_vbe.index) {
    case kVbeId:
      if (value >= 0xB0C0 && value <= 0xB0C5) m_vbe.id = value;
      break;
    case kVbeXres:
      if (!locked && value > 0 && value <= kVbeMaxXres) m_vbe.xres = value;
      break;
    case kVbeYres:
      if (!locked && value > 0 && value <= kVbeMaxYres) m_vbe.yres = value;
      break;
    case kVbeBpp:
      if (value == 0) value = 8;
      if (!locked && valid_bpp(value)) m_vbe.bpp = value;
      break;
    case kVbeEnable: write_vbe_enable(value); break;
    case kVbeBank: m_vbe.bank = value & ((kVramBytes >> 16) - 1); break;
    case kVbeVirtWidth:
      if (value >= m_vbe.xres && value <= kVbeMaxXres * 2) m_vbe.virt_width = value;
      update_vbe_layout();
      break;
    case kVbeVirtHeight:
      m_vbe.virt_height = std::max(value, m_vbe.yres);
      break;
    case kVbeXOffset: m_vbe.x_offset = value; update_vbe_layout(); break;
    case kVbeYOffset: m_vbe.y_offset = value; update_vbe_layout(); break;
    default: log(LogCat::kVga, LogLevel::kDebug, "VBE write {:#x} to unknown index {:#x}", value, m_vbe.index); break;
  }
}

void Vga::write_vbe_enable(u16 value) {
  const bool enabling = (value & kVbeEnabled) && !m_vbe.enabled();
  m_vbe.enable = value & (kVbeEnabled | kVbeGetCaps | kVbe8BitDac | kVbeLfbEnabled | kVbeNoClearMem);
  if (!enabling) return;
  // A new mode starts with the visible area at the top-left of video memory.
  m_vbe.virt_width = m_vbe.xres;
  m_vbe.virt_height = m_vbe.yres;
  m_vbe.x_offset = 0;
  m_vbe.y_offset = 0;
  m_vbe.bank = 0;
  update_vbe_layout();
  if (!(value & kVbeNoClearMem)) {
    const u64 bytes = std::min<u64>(u64{m_vbe.line_bytes} * m_vbe.yres, kVramBytes);
    std::memset(m_vram.data(), 0, bytes);
  }
  log(LogCat::kVga, LogLevel::kDebug, "VBE mode {}x{}x{} enabled", m_vbe.xres, m_vbe.yres, m_vbe.bpp);
}

void Vga::update_vbe_layout() {
  // 4-bit modes are planar: a line is virt_width / 8 bytes in each of the four planes.
  m_vbe.line_bytes = m_vbe.bpp == 4 ? m_vbe.virt_width / 8u : u32{m_vbe.virt_width} * m_vbe.bytes_per_pixel();
  const u32 x_bytes = m_vbe.bpp == 4 ? m_vbe.x_offset / 8u : u32{m_vbe.x_offset} * m_vbe.bytes_per_pixel();
  m_vbe.start_byte = u32{m_vbe.y_offset} * m_vbe.line_bytes + x_bytes;
}

}  // namespace tern
