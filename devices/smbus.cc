#include "devices/smbus.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u32 kHostStatus = 0x00;
constexpr u32 kHostControl = 0x02;
// SMBHSTSTS bits: 0 HOST_BUSY, 1 INTER (done), 2 DEV_ERR, 3 BUS_ERR, 4 FAILED; write 1 to clear.
constexpr u8 kStatusDeviceError = 0x04;
constexpr u8 kStatusClearable = 0x1E;
constexpr u8 kControlStart = 0x40;

}  // namespace

u8 SmbusHost::read(u32 offset) {
  if (offset >= kSize) return 0xFF;
  // Reading SMBHSTCNT resets the block data index in the real part; the start bit reads 0.
  if (offset == kHostControl) return m_regs[offset] & ~kControlStart;
  return m_regs[offset];
}

void SmbusHost::write(u32 offset, u8 value) {
  if (offset >= kSize) return;
  if (offset == kHostStatus) {
    m_regs[kHostStatus] &= ~(value & kStatusClearable);
    return;
  }
  m_regs[offset] = value;
  if (offset == kHostControl && (value & kControlStart)) {
    log(LogCat::kPci, LogLevel::kDebug, "SMBus transaction to address {:#04x}: no device", m_regs[0x04] >> 1);
    m_regs[kHostStatus] |= kStatusDeviceError;
  }
}

void SmbusHost::reset() { m_regs.fill(0); }

void SmbusHost::serialize(StateIo& io) { io(m_regs); }

}  // namespace tern
