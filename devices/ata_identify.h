// The 256-word IDENTIFY DEVICE / IDENTIFY PACKET DEVICE data (ATA/ATAPI-6 §8.15, §8.16):
// helpers shared by the ATA disk and the ATAPI CD-ROM to fill words, strings, the transfer-mode
// words and the integrity word.
#pragma once

#include <array>
#include <string_view>

#include "base/types.h"

namespace tern {

inline constexpr std::string_view kIdeFirmwareRevision = "0.1.0";

class IdentifyData {
 public:
  void set_word(unsigned index, u16 value) { m_words[index] = value; }
  void set_dword(unsigned index, u32 value);
  void set_qword(unsigned index, u64 value);
  // ATA strings: two characters per word, the first in the high byte, padded with spaces.
  void set_string(unsigned index, unsigned chars, std::string_view text);
  // Words 62-64 and 88: the PIO, multiword DMA and Ultra DMA modes supported and the one
  // selected, where `mode` is a SET FEATURES 03h transfer-mode value.
  void set_transfer_modes(u8 mode);
  // Word 93: the result of the hardware reset handshake (§8.15.53).
  void set_reset_result(bool device1, bool other_present);
  // Word 255 (signature A5h and checksum) and the little-endian bytes into `dst` (512 bytes).
  void finish(u8* dst);

 private:
  std::array<u16, 256> m_words{};
};

// Whether `mode` is a SET FEATURES 03h value the devices accept: PIO default (00h, 01h), PIO
// flow-control modes 0-4 (08h-0Ch), multiword DMA 0-2 (20h-22h), Ultra DMA 0-5 (40h-45h).
bool identify_transfer_mode_valid(u8 mode);

}  // namespace tern
