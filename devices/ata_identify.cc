#include "devices/ata_identify.h"

#include "base/bits.h"

namespace tern {

void IdentifyData::set_dword(unsigned index, u32 value) {
  m_words[index] = static_cast<u16>(value);
  m_words[index + 1] = static_cast<u16>(value >> 16);
}

void IdentifyData::set_qword(unsigned index, u64 value) {
  set_dword(index, static_cast<u32>(value));
  set_dword(index + 2, static_cast<u32>(value >> 32));
}

void IdentifyData::set_string(unsigned index, unsigned chars, std::string_view text) {
  for (unsigned i = 0; i < chars; i += 2) {
    const u8 hi = i < text.size() ? static_cast<u8>(text[i]) : ' ';
    const u8 lo = i + 1 < text.size() ? static_cast<u8>(text[i + 1]) : ' ';
    m_words[index + i / 2] = static_cast<u16>(hi << 8 | lo);
  }
}

void IdentifyData::set_transfer_modes(u8 mode) {
  const u8 kind = mode & 0xF8;
  const u8 n = mode & 0x07;
  m_words[63] = 0x0007 | (kind == 0x20 ? 0x0100 << n : 0);  // multiword DMA 0-2
  m_words[64] = 0x0003;                                      // PIO modes 3 and 4
  m_words[65] = 120;                                         // minimum MWDMA cycle time (ns)
  m_words[66] = 120;                                         // recommended MWDMA cycle time
  m_words[67] = 120;                                         // minimum PIO cycle time
  m_words[68] = 120;                                         // minimum PIO cycle time with IORDY
  m_words[88] = 0x003F | (kind == 0x40 ? 0x0100 << n : 0);   // Ultra DMA 0-5
}

void IdentifyData::set_reset_result(bool device1, bool other_present) {
  // Bit 14 set and 15 clear: the word is valid; bit 13: the cable-detect line was high.
  u16 w = 0x4000 | 0x2000;
  if (!device1) {
    // Device 0: bit 0 set, number determined by jumper (01b), diagnostics passed (bit 3); with
    // device 1 present it saw PDIAG- and DASP- (bits 4, 5), otherwise it answers for device 1
    // (bit 6).
    w |= 0x0001 | 0x0002 | 0x0008 | (other_present ? 0x0030 : 0x0040);
  } else {
    // Device 1: bit 8 set, by jumper (01b), asserted PDIAG- (bit 11).
    w |= 0x0100 | 0x0200 | 0x0800;
  }
  m_words[93] = w;
}

void IdentifyData::finish(u8* dst) {
  m_words[255] = 0x00A5;
  for (unsigned i = 0; i < 255; ++i) store_le<u16>(dst + 2 * i, m_words[i]);
  dst[510] = 0xA5;
  u8 sum = 0;
  for (unsigned i = 0; i < 511; ++i) sum = static_cast<u8>(sum + dst[i]);
  // §8.15.61: the checksum byte makes the sum of all 512 bytes zero.
  dst[511] = static_cast<u8>(-sum);
}

bool identify_transfer_mode_valid(u8 mode) {
  const u8 n = mode & 0x07;
  switch (mode & 0xF8) {
    case 0x00: return n <= 1;
    case 0x08: return n <= 4;
    case 0x20: return n <= 2;
    case 0x40: return n <= 5;
    default: return false;
  }
}

}  // namespace tern
