#include "devices/rtc.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u64 kSecondNs = 1'000'000'000;
// UIP rises this long before each update (MC146818A: tBUC = 244 us).
constexpr u64 kUipLeadNs = 244'000;
// After the divider leaves reset the first update comes half a second later.
constexpr u64 kFirstUpdateAfterDividerReset = kSecondNs / 2;

constexpr u8 kRegASettable = 0x7F;  // UIP is read-only
constexpr u8 kDividerNormal = 0x20;  // DV2-0 = 010: 32.768 kHz time base running

namespace regb {
constexpr u8 kSet = 0x80;
constexpr u8 kPie = 0x40;
constexpr u8 kAie = 0x20;
constexpr u8 kUie = 0x10;
constexpr u8 kSqwe = 0x08;
constexpr u8 kBinary = 0x04;
constexpr u8 k24Hour = 0x02;
}  // namespace regb

namespace regc {
constexpr u8 kIrqf = 0x80;
constexpr u8 kPf = 0x40;
constexpr u8 kAf = 0x20;
constexpr u8 kUf = 0x10;
}  // namespace regc

constexpr u8 kVrt = 0x80;  // register D: valid RAM and time

// Alarm bytes with both top bits set match any value ("don't care", MC146818A).
bool alarm_field_matches(u8 alarm, u8 current) { return (alarm & 0xC0) == 0xC0 || alarm == current; }

}  // namespace

Rtc::Rtc(IoSpace& io, Clock& clock, IrqLine irq8, i64 start_epoch)
    : m_clock(clock),
      m_irq(irq8),
      m_base_seconds(start_epoch),
      m_base_ns(clock.now()),
      m_update_timer(clock, [this] { on_update(); }),
      m_periodic_timer(clock, [this] { on_periodic(); }) {
  m_ram[kRegA] = kDividerNormal | 0x06;  // 1024 Hz periodic rate selected, as a PC BIOS leaves it
  m_ram[kRegB] = regb::k24Hour;
  m_ram[kRegD] = kVrt;
  m_ram[kCentury] = encode(civil_from_epoch(start_epoch).year / 100);
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32 offset, unsigned) -> u64 { return offset == 0 ? 0xFF : read_register(m_index); };
  ops.write = [this](u32 offset, u64 value, unsigned) {
    if (offset == 0) {
      m_index = value & 0x7F;
      m_nmi_masked = value & 0x80;
    } else {
      write_register(m_index, static_cast<u8>(value));
    }
  };
  io.map(0x70, 2, ops);
  arm_update();
}

bool Rtc::running() const { return !m_frozen; }

i64 Rtc::now_seconds() const {
  const i64 delta = static_cast<i64>(m_clock.now() - m_base_ns);
  return m_base_seconds + (delta >= 0 ? delta / static_cast<i64>(kSecondNs) : -1);
}

CivilTime Rtc::time() const { return m_frozen ? m_fields : civil_from_epoch(now_seconds()); }

u8 Rtc::encode(int value) const {
  if (m_ram[kRegB] & regb::kBinary) return static_cast<u8>(value);
  return static_cast<u8>((value / 10 % 10) << 4 | value % 10);
}

int Rtc::decode(u8 value) const {
  if (m_ram[kRegB] & regb::kBinary) return value;
  return (value >> 4) * 10 + (value & 15);
}

void Rtc::freeze() {
  if (m_frozen) return;
  m_fields = civil_from_epoch(now_seconds());
  m_frozen = true;
  m_update_timer.cancel();
}

void Rtc::unfreeze(u64 first_update_delay_ns) {
  if (!m_frozen) return;
  m_frozen = false;
  m_base_seconds = epoch_from_civil(m_fields);
  // The next update (seconds tick) comes first_update_delay_ns from now.
  m_base_ns = m_clock.now() + first_update_delay_ns - kSecondNs;
  arm_update();
}

u8 Rtc::read_register(u8 index) {
  const CivilTime t = time();
  switch (index) {
    case 0x00: return encode(t.second);
    case 0x02: return encode(t.minute);
    case 0x04: {
      if (m_ram[kRegB] & regb::k24Hour) return encode(t.hour);
      const int h12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
      return static_cast<u8>(encode(h12) | (t.hour >= 12 ? 0x80 : 0));
    }
    case 0x06: return encode(t.weekday);
    case 0x07: return encode(t.day);
    case 0x08: return encode(t.month);
    case 0x09: return encode(t.year % 100);
    case kCentury: return encode(t.year / 100);
    case kRegA: {
      // UIP: an update is due within the next 244 us.
      const bool uip = running() && (m_update_timer.deadline() - m_clock.now()) <= kUipLeadNs;
      return static_cast<u8>((m_ram[kRegA] & kRegASettable) | (uip ? 0x80 : 0));
    }
    case kRegC: {
      u8 flags = m_ram[kRegC];
      // With PIE off no timer runs; the periodic flag still records that a period elapsed.
      if (const u64 period = periodic_ns(); period && !(m_ram[kRegB] & regb::kPie) &&
                                            m_clock.now() / period != m_pf_checked_ns / period)
        flags |= regc::kPf;
      m_pf_checked_ns = m_clock.now();
      m_ram[kRegC] = 0;
      update_irq();
      return flags;
    }
    default: return m_ram[index];
  }
}

void Rtc::set_time_field(u8 index, u8 value) {
  const bool was_frozen = m_frozen;
  freeze();
  CivilTime& t = m_fields;
  switch (index) {
    case 0x00: t.second = decode(value); break;
    case 0x02: t.minute = decode(value); break;
    case 0x04:
      if (m_ram[kRegB] & regb::k24Hour)
        t.hour = decode(value);
      else
        t.hour = decode(value & 0x7F) % 12 + ((value & 0x80) ? 12 : 0);
      break;
    case 0x06: t.weekday = decode(value); break;
    case 0x07: t.day = decode(value); break;
    case 0x08: t.month = decode(value); break;
    case 0x09: t.year = t.year / 100 * 100 + decode(value); break;
    default: t.year = decode(value) * 100 + t.year % 100; break;  // century
  }
  // A write outside SET mode takes effect at once, keeping the fraction of the second.
  if (!was_frozen) {
    const u64 base_ns = m_base_ns;
    m_frozen = false;
    m_base_seconds = epoch_from_civil(m_fields);
    m_base_ns = base_ns + static_cast<u64>(m_clock.now() - base_ns) / kSecondNs * kSecondNs;
    arm_update();
  }
}

void Rtc::write_register(u8 index, u8 value) {
  log(LogCat::kRtc, LogLevel::kTrace, "write [{:#04x}] <- {:#04x}", index, value);
  switch (index) {
    case 0x00: case 0x02: case 0x04: case 0x06: case 0x07: case 0x08: case 0x09: case kCentury:
      set_time_field(index, value);
      break;
    case kRegA: {
      m_ram[kRegA] = value & kRegASettable;
      const bool divider_ok = (value & 0x70) == kDividerNormal;
      if (!divider_ok)
        freeze();
      else if (!(m_ram[kRegB] & regb::kSet))
        unfreeze(kFirstUpdateAfterDividerReset);
      arm_periodic();
      break;
    }
    case kRegB: {
      const u8 old = m_ram[kRegB];
      // SET stops updates; clearing it restarts the clock from the written fields.
      if (value & regb::kSet) value &= ~regb::kUie;
      m_ram[kRegB] = value;
      if ((value & regb::kSet) && !(old & regb::kSet)) freeze();
      if (!(value & regb::kSet) && (old & regb::kSet) && (m_ram[kRegA] & 0x70) == kDividerNormal) unfreeze(kSecondNs);
      arm_periodic();
      update_irq();
      break;
    }
    case kRegC:
    case kRegD:
      break;  // read-only
    default:
      m_ram[index] = value;
      break;
  }
}

u64 Rtc::periodic_ns() const {
  unsigned rate = m_ram[kRegA] & 0x0F;
  if (rate == 0 || (m_ram[kRegA] & 0x70) != kDividerNormal) return 0;
  if (rate < 3) rate += 7;  // rates 1 and 2 repeat rates 8 and 9 with a 32.768 kHz base
  return (u64{1} << (rate - 1)) * kSecondNs / 32768;
}

void Rtc::arm_periodic() {
  const u64 period = periodic_ns();
  if (!period || !(m_ram[kRegB] & regb::kPie)) {
    m_periodic_timer.cancel();
    return;
  }
  const u64 now = m_clock.now();
  const u64 next = (now / period + 1) * period;
  if (!m_periodic_timer.armed() || m_periodic_timer.deadline() != next) m_periodic_timer.arm_at(next);
}

void Rtc::on_periodic() {
  m_ram[kRegC] |= regc::kPf;
  m_pf_checked_ns = m_clock.now();
  update_irq();
  arm_periodic();
}

void Rtc::arm_update() {
  if (m_frozen) return;
  const u64 now = m_clock.now();
  const u64 since = now >= m_base_ns ? now - m_base_ns : 0;
  m_update_timer.arm_at(m_base_ns + (since / kSecondNs + 1) * kSecondNs);
}

bool Rtc::alarm_matches(const CivilTime& t) const {
  u8 hour = encode(t.hour);
  if (!(m_ram[kRegB] & regb::k24Hour))
    hour = static_cast<u8>(encode(t.hour % 12 == 0 ? 12 : t.hour % 12) | (t.hour >= 12 ? 0x80 : 0));
  return alarm_field_matches(m_ram[0x01], encode(t.second)) && alarm_field_matches(m_ram[0x03], encode(t.minute)) &&
         alarm_field_matches(m_ram[0x05], hour);
}

void Rtc::on_update() {
  // The update cycle: the time registers advanced (they follow the clock), UF, then the alarm.
  m_ram[kRegC] |= regc::kUf;
  if (alarm_matches(time())) m_ram[kRegC] |= regc::kAf;
  update_irq();
  arm_update();
}

void Rtc::update_irq() {
  const u8 b = m_ram[kRegB];
  u8& c = m_ram[kRegC];
  const bool irq = ((c & regc::kPf) && (b & regb::kPie)) || ((c & regc::kAf) && (b & regb::kAie)) ||
                   ((c & regc::kUf) && (b & regb::kUie));
  if (irq) c |= regc::kIrqf;
  // The IRQ pin follows IRQF, which only a read of register C clears.
  const bool level = c & regc::kIrqf;
  if (level == m_irq_level) return;
  m_irq_level = level;
  m_irq.set(level);
}

void Rtc::reset() {
  m_ram[kRegB] &= ~(regb::kPie | regb::kAie | regb::kUie | regb::kSqwe);
  m_ram[kRegC] = 0;
  arm_periodic();
  update_irq();
}

void Rtc::serialize(StateIo& io) {
  io(m_ram, m_index, m_nmi_masked, m_base_seconds, m_base_ns, m_frozen);
  io(m_fields.year, m_fields.month, m_fields.day, m_fields.hour, m_fields.minute, m_fields.second, m_fields.weekday);
  io(m_irq_level, m_pf_checked_ns, m_update_timer, m_periodic_timer);
}

}  // namespace tern
