// The PIIX4 SMBus host controller's I/O registers (16 bytes at SMBBA) on a bus with no devices:
// every transaction the host starts ends at once with "device error" (no device acknowledged
// its address), which is what a driver probing for SPD EEPROMs or sensors sees on an empty bus.
//
// Intel 82371AB (PIIX4) datasheet (order 290562) §7.3: SMBHSTSTS, SMBHSTCNT, SMBHSTCMD,
// SMBHSTADD, SMBHSTDAT0/1, SMBBLKDAT, slave registers.
#pragma once

#include <array>

#include "base/types.h"

namespace tern {

class StateIo;

class SmbusHost {
 public:
  static constexpr unsigned kSize = 16;

  u8 read(u32 offset);
  void write(u32 offset, u8 value);
  void reset();
  void serialize(StateIo& io);

 private:
  std::array<u8, kSize> m_regs{};
};

}  // namespace tern
