#include "devices/i440fx.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u32 kPamSegment = 0x4000;
// PAM bits per 16 KiB (or, for PAM0, 64 KiB) region: 1 reads from DRAM, 2 writes to DRAM.
constexpr u8 kPamRead = 1;
constexpr u8 kPamWrite = 2;

// SMRAM register bits (440FX §3.2.24).
constexpr u8 kSmramOpen = 0x40;
constexpr u8 kSmramClose = 0x20;
constexpr u8 kSmramLock = 0x10;
constexpr u8 kSmramEnable = 0x08;
constexpr u8 kSmramBaseSegment = 0x02;  // C_BASE_SEG: hardwired 010b, SMRAM at 0xA0000

}  // namespace

I440fx::I440fx(PhysMemory& mem)
    : PciFunction(PciId{0x8086, 0x1237, 0x02, 0x060000, 0x1AF4, 0x1100}), m_mem(mem), m_smram(kSmramBaseSegment) {
  set_writable(kPam0, 0x30, 1);  // PAM0 covers only 0xF0000-0xFFFFF (high nibble)
  for (u8 i = 1; i <= 6; ++i) set_writable(static_cast<u8>(kPam0 + i), 0x33, 1);
  set_config(kSmram, kSmramBaseSegment, 1);
  set_writable(kSmram, kSmramOpen | kSmramClose | kSmramLock | kSmramEnable, 1);
}

void I440fx::reset_function() {
  m_smram = kSmramBaseSegment;
  apply_pam();
}

void I440fx::serialize(StateIo& io) {
  PciFunction::serialize(io);
  if (io.loading()) {
    m_smram = config_byte(kSmram);
    apply_pam();
  }
}

void I440fx::apply_pam() {
  const u8 pam0 = config_byte(kPam0) >> 4;
  m_mem.set_legacy_shadow(0xF0000, 0x10000, pam0 & kPamRead, pam0 & kPamWrite);
  for (unsigned i = 1; i <= 6; ++i) {
    const u8 pam = config_byte(static_cast<u8>(kPam0 + i));
    const u32 base = 0xC0000 + (i - 1) * 2 * kPamSegment;
    m_mem.set_legacy_shadow(base, kPamSegment, pam & kPamRead, pam & kPamWrite);
    m_mem.set_legacy_shadow(base + kPamSegment, kPamSegment, (pam >> 4) & kPamRead, (pam >> 4) & kPamWrite);
  }
}

u8 I440fx::smram_after_write(u8 old, u8 value) {
  u8 v = static_cast<u8>((value & (kSmramOpen | kSmramClose | kSmramLock | kSmramEnable)) | kSmramBaseSegment);
  // Once D_LCK is set, D_OPEN cannot be set and D_LCK and G_SMRAME stay until reset
  // (440FX §3.2.24).
  if (old & kSmramLock) v = static_cast<u8>((v & ~(kSmramOpen | kSmramEnable)) | (old & (kSmramLock | kSmramEnable)));
  return v;
}

void I440fx::config_written(u8 offset, unsigned size) {
  const unsigned end = offset + size;
  if (offset <= kSmram && end > kSmram) {
    m_smram = smram_after_write(m_smram, config_byte(kSmram));
    set_config(kSmram, m_smram, 1);
    // The CPU has no system management mode, so SMRAM is never decoded: 0xA0000-0xBFFFF stays
    // the VGA window whatever D_OPEN says.
    log(LogCat::kPci, LogLevel::kDebug, "i440FX SMRAM {:#04x}", m_smram);
  }
  if (offset < kPam0 + 7 && end > kPam0) {
    log(LogCat::kPci, LogLevel::kDebug, "i440FX PAM {:02x} {:02x} {:02x} {:02x} {:02x} {:02x} {:02x}",
        config_byte(kPam0), config_byte(kPam0 + 1), config_byte(kPam0 + 2), config_byte(kPam0 + 3),
        config_byte(kPam0 + 4), config_byte(kPam0 + 5), config_byte(kPam0 + 6));
    apply_pam();
  }
}

}  // namespace tern
