// The MC146818 real-time clock and its 128 bytes of CMOS RAM at ports 0x70 (index; bit 7 masks
// NMI) and 0x71 (data). Time is the configured start time plus virtual time: two runs with the
// same configuration read the same dates. Periodic, alarm and update-ended interrupts on IRQ 8.
//
// Motorola MC146818A datasheet: registers A-D, the update cycle (UIP 244 us before it), the
// divider (DV2-0), periodic rates (RS3-0), BCD/binary and 12/24-hour formats.
#pragma once

#include <array>

#include "base/clock.h"
#include "base/irq.h"
#include "devices/rtc_calendar.h"
#include "mmu/io_space.h"

namespace tern {

class Rtc {
 public:
  // CMOS register indices with a meaning to the clock itself.
  static constexpr u8 kRegA = 0x0A;
  static constexpr u8 kRegB = 0x0B;
  static constexpr u8 kRegC = 0x0C;
  static constexpr u8 kRegD = 0x0D;
  static constexpr u8 kCentury = 0x32;  // IBM PC convention, read by SeaBIOS and ACPI FADT

  // `start_epoch`: the date and time at virtual time 0, in seconds since 1970 (UTC).
  Rtc(IoSpace& io, Clock& clock, IrqLine irq8, i64 start_epoch);

  // CMOS RAM bytes 0x0E-0x7F for the board's firmware setup (memory sizes, boot order...).
  u8 cmos(u8 index) const { return m_ram[index & 0x7F]; }
  void set_cmos(u8 index, u8 value) { m_ram[index & 0x7F] = value; }

  // Port 0x70 bit 7: NMIs are blocked while it is set.
  bool nmi_masked() const { return m_nmi_masked; }
  // The current date and time as the clock keeps it.
  CivilTime time() const;

  // The chip's RESET input: interrupt enables and flags cleared; time and RAM kept.
  void reset();
  void serialize(StateIo& io);

 private:
  u8 read_register(u8 index);
  void write_register(u8 index, u8 value);
  bool running() const;
  i64 now_seconds() const;
  void freeze();
  void unfreeze(u64 first_update_delay_ns);
  void set_time_field(u8 index, u8 value);
  u8 encode(int value) const;
  int decode(u8 value) const;
  u64 periodic_ns() const;
  void on_update();
  void on_periodic();
  void arm_update();
  void arm_periodic();
  void update_irq();
  bool alarm_matches(const CivilTime& t) const;

  Clock& m_clock;
  IrqLine m_irq;
  std::array<u8, 128> m_ram{};  // registers A-D and the alarm bytes live here too
  u8 m_index = 0;
  bool m_nmi_masked = false;
  // While running: time = m_base_seconds + (now - m_base_ns) / 1 s. While frozen (SET or the
  // divider stopped): m_fields.
  i64 m_base_seconds = 0;
  u64 m_base_ns = 0;
  bool m_frozen = false;
  CivilTime m_fields;
  bool m_irq_level = false;
  u64 m_pf_checked_ns = 0;  // periodic flag accounted up to here when PIE is off
  Timer m_update_timer;
  Timer m_periodic_timer;
};

}  // namespace tern
