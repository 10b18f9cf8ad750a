// The VGA's memory interface: CPU accesses through the legacy window 0xA0000-0xBFFFF onto the
// four planes (graphics controller write modes 0-3 and read modes 0-1 with the latches, map mask,
// set/reset, rotate, logical operation and bit mask; odd/even and chain 4 addressing), the VBE
// 64 KiB bank at 0xA0000 and the linear framebuffer. IBM VGA Technical Reference, "Graphics
// Controller Registers"; FreeVGA "VGA Memory Organization".
#include <bit>

#include "base/bits.h"
#include "devices/vga.h"

namespace tern {

namespace {

// Each bit of a 4-bit plane set as a whole byte of that plane: 0b0101 -> 0x00FF00FF.
constexpr u32 expand_planes(u8 bits) {
  u32 r = 0;
  for (unsigned p = 0; p < 4; ++p)
    if (bits & (1u << p)) r |= 0xFFu << (8 * p);
  return r;
}

constexpr u32 kAllPlanes = 0x01010101;

// VBE modes of 8 or more bits per pixel see video memory linearly through a 64 KiB bank.
bool vbe_banked(const VbeRegs& vbe) { return vbe.enabled() && vbe.bpp > 4; }
// VBE 4-bit modes are planar; the bank selects 64 KiB steps of planar offsets.
bool vbe_planar(const VbeRegs& vbe) { return vbe.enabled() && vbe.bpp == 4; }

// Chain 4: address bits 0-1 pick the plane and bits 14-15 become bits 0-1 of the plane offset,
// the inverse of the CRTC's doubleword addressing, so mode 13h reads back what it wrote.
u32 chain4_offset(u32 address) { return (address & 0xFFFC) | ((address >> 14) & 3); }

}  // namespace

bool Vga::window_offset(u32 offset, u32& planar) const {
  // GR6 bits 2-3: which part of 0xA0000-0xBFFFF the VGA decodes.
  static constexpr u32 kMapBase[4] = {0x00000, 0x00000, 0x10000, 0x18000};
  static constexpr u32 kMapSize[4] = {0x20000, 0x10000, 0x08000, 0x08000};
  const unsigned map = (m_regs.gfx[kGfxMisc] >> 2) & 3;
  if (offset < kMapBase[map] || offset >= kMapBase[map] + kMapSize[map]) return false;
  planar = offset - kMapBase[map];
  return true;
}

u8 Vga::read_window(u32 offset) {
  if (vbe_banked(m_vbe)) {
    const u32 linear = (u32{m_vbe.bank} << 16) + offset;
    return offset < 0x10000 && linear < kVramBytes ? m_vram[linear] : 0xFF;
  }
  if (vbe_planar(m_vbe)) return offset < 0x10000 ? read_planar((u32{m_vbe.bank} << 16) + offset, kVbePlaneMask) : 0xFF;
  u32 address = 0;
  if (!window_offset(offset, address)) return 0xFF;
  return read_planar(address, kVgaPlaneMask);
}

void Vga::write_window(u32 offset, u8 value) {
  if (vbe_banked(m_vbe)) {
    const u32 linear = (u32{m_vbe.bank} << 16) + offset;
    if (offset < 0x10000 && linear < kVramBytes) m_vram[linear] = value;
    return;
  }
  if (vbe_planar(m_vbe)) {
    if (offset < 0x10000) write_planar((u32{m_vbe.bank} << 16) + offset, value, kVbePlaneMask);
    return;
  }
  u32 address = 0;
  if (window_offset(offset, address)) write_planar(address, value, kVgaPlaneMask);
}

u8 Vga::read_planar(u32 address, u32 mask) {
  const u8 mode = m_regs.gfx[kGfxMode];
  u32 offset = address;
  unsigned plane = m_regs.gfx[kGfxReadMapSelect] & 3;
  if (m_regs.seq[kSeqMemoryMode] & 0x08) {
    plane = address & 3;
    offset = chain4_offset(address);
  } else if (mode & 0x10) {
    // Host odd/even reads: A0 picks plane 0/1 (or 2/3 with read map select bit 1).
    plane = (m_regs.gfx[kGfxReadMapSelect] & 2) | (address & 1);
    offset = address & ~1u;
  }
  m_regs.latch = load_le<u32>(&m_vram[(offset & mask) * 4]);
  if (!(mode & 0x08)) return static_cast<u8>(m_regs.latch >> (8 * plane));

  // Read mode 1: a 1 for each pixel whose colour matches the colour compare register in the
  // planes enabled by colour don't care.
  u8 result = 0xFF;
  for (unsigned p = 0; p < 4; ++p) {
    if (!(m_regs.gfx[kGfxColorDontCare] & (1u << p))) continue;
    const u8 plane_bits = static_cast<u8>(m_regs.latch >> (8 * p));
    const u8 compare = (m_regs.gfx[kGfxColorCompare] & (1u << p)) ? 0xFF : 0x00;
    result &= static_cast<u8>(~(plane_bits ^ compare));
  }
  return result;
}

u32 Vga::write_mode_data(u8 value) const {
  const u8 rotate = m_regs.gfx[kGfxDataRotate] & 7;
  const u32 latch = m_regs.latch;
  u8 bit_mask = m_regs.gfx[kGfxBitMask];
  u32 data = 0;
  switch (m_regs.gfx[kGfxMode] & 3) {
    case 0: {
      data = std::rotr(value, rotate) * kAllPlanes;
      const u32 enable = expand_planes(m_regs.gfx[kGfxEnableSetReset]);
      data = (data & ~enable) | (expand_planes(m_regs.gfx[kGfxSetReset]) & enable);
      break;
    }
    case 1:
      return latch;  // the latches as they are
    case 2:
      data = expand_planes(value);
      break;
    case 3:
      // The rotated CPU byte masks the bit mask; set/reset supplies the colour.
      bit_mask &= std::rotr(value, rotate);
      data = expand_planes(m_regs.gfx[kGfxSetReset]);
      break;
  }
  switch ((m_regs.gfx[kGfxDataRotate] >> 3) & 3) {
    case 1: data &= latch; break;
    case 2: data |= latch; break;
    case 3: data ^= latch; break;
    default: break;
  }
  const u32 mask = bit_mask * kAllPlanes;
  return (data & mask) | (latch & ~mask);
}

void Vga::write_planar(u32 address, u8 value, u32 mask) {
  u32 offset = address;
  u8 planes = 0x0F;
  if (m_regs.seq[kSeqMemoryMode] & 0x08) {
    planes = static_cast<u8>(1u << (address & 3));
    offset = chain4_offset(address);
  } else if (!(m_regs.seq[kSeqMemoryMode] & 0x04)) {
    // Odd/even: even addresses reach planes 0 and 2, odd addresses planes 1 and 3.
    planes = (address & 1) ? 0x0A : 0x05;
    offset = address & ~1u;
  }
  planes &= m_regs.seq[kSeqMapMask];
  if (!planes) return;
  const u32 data = write_mode_data(value);
  u8* cell = &m_vram[(offset & mask) * 4];
  for (unsigned p = 0; p < 4; ++p)
    if (planes & (1u << p)) cell[p] = static_cast<u8>(data >> (8 * p));
}

u64 Vga::read_lfb(u32 offset, unsigned size) const {
  if (u64{offset} + size > kVramBytes) return low_mask(8 * size);
  return load_le_sized(&m_vram[offset], size);
}

void Vga::write_lfb(u32 offset, u64 value, unsigned size) {
  if (u64{offset} + size > kVramBytes) return;
  store_le_sized(&m_vram[offset], value, size);
}

void Vga::map_lfb(u64 base) {
  if (base == m_lfb_base) return;
  if (m_lfb_base) m_mem.remove_mmio("vga-lfb");
  m_lfb_base = base;
  if (!base) return;
  IoOps lfb;
  lfb.widths = 1 | 2 | 4 | 8;
  lfb.read = [this](u32 offset, unsigned size) { return read_lfb(offset, size); };
  lfb.write = [this](u32 offset, u64 value, unsigned size) { write_lfb(offset, value, size); };
  m_mem.add_mmio("vga-lfb", base, kVramBytes, lfb);
}

}  // namespace tern
