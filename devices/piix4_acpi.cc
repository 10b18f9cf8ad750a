#include "devices/piix4_acpi.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u64 kNsPerSecond = 1'000'000'000;
constexpr u64 kOverflowTicks = u64{1} << 23;  // TMROF_STS: bit 23 of the timer changes

// Configuration registers (PIIX4 §3.4).
constexpr u8 kPmBase = 0x40;
constexpr u8 kDeviceActivityB = 0x58;
constexpr u8 kPmRegMisc = 0x80;
constexpr u8 kSmbusBase = 0x90;
constexpr u8 kSmbusHostConfig = 0xD2;

// PM I/O register offsets.
constexpr u32 kPm1Status = 0x00;
constexpr u32 kPm1Enable = 0x02;
constexpr u32 kPm1Control = 0x04;
constexpr u32 kPmTimer = 0x08;

constexpr u16 kSciEvents = Piix4Acpi::kTimerOverflow | Piix4Acpi::kGlobal | Piix4Acpi::kPowerButton |
                           Piix4Acpi::kRtcAlarm;
constexpr u16 kControlWritable = 0x1C07;  // SCI_EN, BM_RLD, GBL_RLS, SLP_TYP

// APM control port values the FADT names as ACPI_ENABLE and ACPI_DISABLE.
constexpr u8 kApmAcpiEnable = 0xF1;
constexpr u8 kApmAcpiDisable = 0xF0;

u64 timer_ticks(u64 ns) {
  return static_cast<u64>(static_cast<unsigned __int128>(ns) * Piix4Acpi::kTimerHz / kNsPerSecond);
}

u64 tick_time(u64 tick) {
  const unsigned __int128 scaled = static_cast<unsigned __int128>(tick) * kNsPerSecond;
  return static_cast<u64>((scaled + Piix4Acpi::kTimerHz - 1) / Piix4Acpi::kTimerHz);
}

}  // namespace

Piix4Acpi::Piix4Acpi(IoSpace& io, Clock& clock, IrqLine sci, std::function<void()> power_off)
    : PciFunction(PciId{0x8086, 0x7113, 0x03, 0x068000, 0, 0}),
      m_io(io),
      m_clock(clock),
      m_sci(sci),
      m_power_off(std::move(power_off)),
      m_overflow_timer(clock, [this] {
        m_pm1_status |= kTimerOverflow;
        m_overflow_checked_ns = m_clock.now();
        update_sci();
        arm_overflow();
      }) {
  set_interrupt_pin(1);
  set_config(kPmBase, 0x00000001, 4);  // bit 0: an I/O space base
  set_writable(kPmBase, 0x0000FFC0, 4);
  // DEVACTB bit 25 (APMC_EN) set at power-on tells SeaBIOS that SMM is already set up, so it
  // does not try the SMM relocation this CPU (which has no SMM) could not perform.
  set_config(kDeviceActivityB, 0x02000000, 4);
  set_writable(kDeviceActivityB, 0xFFFFFFFF, 4);
  set_writable(kPmRegMisc, 0x01, 1);
  set_config(kSmbusBase, 0x00000001, 4);
  set_writable(kSmbusBase, 0x0000FFF0, 4);
  set_writable(kSmbusHostConfig, 0x0F, 1);
  IoOps apm;
  apm.widths = 1;
  apm.read = [this](u32 offset, unsigned) -> u64 { return offset == 0 ? 0x00 : m_apm_status; };
  apm.write = [this](u32 offset, u64 value, unsigned) {
    if (offset == 0)
      write_apm(static_cast<u8>(value));
    else
      m_apm_status = static_cast<u8>(value);
  };
  io.map(0xB2, 2, apm);
}

u32 Piix4Acpi::timer() const { return static_cast<u32>(timer_ticks(m_clock.now()) & 0xFFFFFF); }

u16 Piix4Acpi::status() {
  // With TMROF_EN clear no timer runs; the status bit still records that bit 23 changed.
  const u64 now = m_clock.now();
  if (timer_ticks(now) / kOverflowTicks != timer_ticks(m_overflow_checked_ns) / kOverflowTicks)
    m_pm1_status |= kTimerOverflow;
  m_overflow_checked_ns = now;
  return m_pm1_status;
}

void Piix4Acpi::arm_overflow() {
  if (!(m_pm1_enable & kTimerOverflow)) {
    m_overflow_timer.cancel();
    return;
  }
  const u64 next = (timer_ticks(m_clock.now()) / kOverflowTicks + 1) * kOverflowTicks;
  m_overflow_timer.arm_at(tick_time(next));
}

void Piix4Acpi::update_sci() {
  const bool level = (m_pm1_control & kSciEnable) && (m_pm1_status & m_pm1_enable & kSciEvents);
  if (level == m_sci_level) return;
  m_sci_level = level;
  m_sci.set(level);
}

void Piix4Acpi::press_power_button() {
  m_pm1_status |= kPowerButton;
  update_sci();
}

void Piix4Acpi::write_control(u16 value) {
  m_pm1_control = value & kControlWritable;
  if (value & kSleepEnable) {
    const unsigned type = (value >> 10) & 7;
    // SLP_TYP 0 is the soft-off state the DSDT's \_S5 package names.
    if (type == 0) {
      log(LogCat::kAcpi, LogLevel::kInfo, "ACPI soft-off (S5)");
      m_power_off();
    } else {
      log(LogCat::kAcpi, LogLevel::kWarn, "sleep type {} requested: this board has only S5; ignored", type);
    }
  }
  update_sci();
}

void Piix4Acpi::write_apm(u8 command) {
  if (command == kApmAcpiEnable)
    m_pm1_control |= kSciEnable;
  else if (command == kApmAcpiDisable)
    m_pm1_control &= ~kSciEnable;
  else
    log(LogCat::kAcpi, LogLevel::kDebug, "APM command {:#04x} (no SMM handler)", command);
  update_sci();
}

u8 Piix4Acpi::pm_byte(u32 at) {
  const unsigned shift = 8 * (at & 1);
  if (at < kPm1Enable) return static_cast<u8>(status() >> shift);
  if (at < kPm1Control) return static_cast<u8>(m_pm1_enable >> shift);
  if (at < kPm1Control + 2) return static_cast<u8>(m_pm1_control >> shift);
  if (at >= kPmTimer && at < kPmTimer + 4) return static_cast<u8>(timer() >> (8 * (at - kPmTimer)));
  return at < kPmSize ? m_other[at] : 0xFF;
}

u32 Piix4Acpi::pm_read(u32 offset, unsigned size) {
  u32 value = 0;
  for (unsigned i = 0; i < size; ++i) value |= u32{pm_byte(offset + i)} << (8 * i);
  return value;
}

void Piix4Acpi::pm_write(u32 offset, u32 value, unsigned size) {
  for (unsigned i = 0; i < size;) {
    const u32 at = offset + i;
    if (at < kPm1Control + 2) {
      // A 16-bit register: take the bytes of this access that fall into it.
      const u32 reg = at & ~1u;
      u16 mask = 0, bits = 0;
      for (; i < size && ((offset + i) & ~1u) == reg; ++i) {
        const unsigned shift = 8 * ((offset + i) & 1);
        mask |= static_cast<u16>(0xFF << shift);
        bits |= static_cast<u16>(((value >> (8 * i)) & 0xFF) << shift);
      }
      if (reg == kPm1Status) m_pm1_status &= ~bits;  // write one to clear
      if (reg == kPm1Enable) {
        m_pm1_enable = static_cast<u16>((m_pm1_enable & ~mask) | bits);
        arm_overflow();
      }
      if (reg == kPm1Control) write_control(static_cast<u16>((m_pm1_control & ~mask) | bits));
      update_sci();
      continue;
    }
    // The timer is read-only; the remaining registers keep what is written.
    if ((at < kPmTimer || at >= kPmTimer + 4) && at < kPmSize) m_other[at] = static_cast<u8>(value >> (8 * i));
    ++i;
  }
}

void Piix4Acpi::update_mappings() {
  const u16 pm = static_cast<u16>(get_config(kPmBase, 4) & 0xFFC0);
  const std::optional<u16> want_pm = (config_byte(kPmRegMisc) & 1) && pm ? std::optional<u16>(pm) : std::nullopt;
  if (want_pm != m_pm_mapped) {
    if (m_pm_mapped) m_io.unmap(*m_pm_mapped, kPmSize);
    m_pm_mapped = want_pm;
    if (want_pm) {
      IoOps ops;
      ops.widths = 1 | 2 | 4;
      ops.read = [this](u32 offset, unsigned size) -> u64 { return pm_read(offset, size); };
      ops.write = [this](u32 offset, u64 value, unsigned size) { pm_write(offset, static_cast<u32>(value), size); };
      m_io.map(*want_pm, kPmSize, ops);
      log(LogCat::kAcpi, LogLevel::kDebug, "PM I/O at {:#x}", *want_pm);
    }
  }
  const u16 smb = static_cast<u16>(get_config(kSmbusBase, 4) & 0xFFF0);
  const bool smb_on = (config_byte(kSmbusHostConfig) & 1) && (command() & pci_cmd::kIo) && smb;
  const std::optional<u16> want_smb = smb_on ? std::optional<u16>(smb) : std::nullopt;
  if (want_smb != m_smbus_mapped) {
    if (m_smbus_mapped) m_io.unmap(*m_smbus_mapped, SmbusHost::kSize);
    m_smbus_mapped = want_smb;
    if (want_smb) {
      IoOps ops;
      ops.widths = 1;
      ops.read = [this](u32 offset, unsigned) -> u64 { return m_smbus.read(offset); };
      ops.write = [this](u32 offset, u64 value, unsigned) { m_smbus.write(offset, static_cast<u8>(value)); };
      m_io.map(*want_smb, SmbusHost::kSize, ops);
    }
  }
}

void Piix4Acpi::config_written(u8, unsigned) { update_mappings(); }

void Piix4Acpi::reset_function() {
  m_pm1_status = m_pm1_enable = m_pm1_control = 0;
  m_other.fill(0);
  m_apm_status = 0;
  m_overflow_checked_ns = m_clock.now();
  m_smbus.reset();
  m_overflow_timer.cancel();
  update_mappings();
  update_sci();
}

void Piix4Acpi::serialize(StateIo& io) {
  PciFunction::serialize(io);
  io(m_pm1_status, m_pm1_enable, m_pm1_control, m_other, m_overflow_checked_ns, m_apm_status, m_sci_level);
  io(m_overflow_timer);
  m_smbus.serialize(io);
  if (io.loading()) update_mappings();
}

}  // namespace tern
