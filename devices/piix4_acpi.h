// The PIIX4 power-management function, PCI 00:01.3 (82371AB function 3), as the ACPI hardware
// of the board: PM1 event and control registers and the 24-bit ACPI timer at PMBASE (the FADT
// points there), sleep requests (SLP_TYP 0 with SLP_EN is soft-off: the run ends), the power
// button, SCI on ISA IRQ 9, the APM control port 0xB2 that switches ACPI mode on and off, and
// the SMBus host registers at SMBBA.
//
// Intel 82371AB (PIIX4) datasheet §3.4 (function 3 configuration: PMBA 0x40, DEVACTB 0x58,
// PMREGMISC 0x80, SMBBA 0x90, SMBHSTCFG 0xD2), §7.2 (PM I/O: PMSTS, PMEN, PMCNTRL, PMTMR);
// ACPI 1.0b §4.7.3 (PM1 fixed registers), §4.7.3.3 (PM timer at 3.579545 MHz).
#pragma once

#include <array>
#include <functional>
#include <optional>

#include "base/clock.h"
#include "base/irq.h"
#include "devices/pci.h"
#include "devices/smbus.h"
#include "mmu/io_space.h"

namespace tern {

class Piix4Acpi : public PciFunction {
 public:
  static constexpr u64 kTimerHz = 3'579'545;
  static constexpr unsigned kSciIrq = 9;
  static constexpr unsigned kPmSize = 64;
  // PM1 status/enable bits (ACPI 1.0b Table 4-13).
  static constexpr u16 kTimerOverflow = 1 << 0;
  static constexpr u16 kGlobal = 1 << 5;
  static constexpr u16 kPowerButton = 1 << 8;
  static constexpr u16 kRtcAlarm = 1 << 10;
  static constexpr u16 kWake = 1 << 15;
  // PM1 control.
  static constexpr u16 kSciEnable = 1 << 0;
  static constexpr u16 kSleepEnable = 1 << 13;

  // `sci` is ISA IRQ 9; `power_off` ends the run (a guest's ACPI soft-off).
  Piix4Acpi(IoSpace& io, Clock& clock, IrqLine sci, std::function<void()> power_off);

  // The ACPI timer value now (24 bits).
  u32 timer() const;
  // The frontend's power button: sets PWRBTN_STS (an SCI when the guest enabled it).
  void press_power_button();
  std::optional<u16> pm_base() const { return m_pm_mapped; }

  void serialize(StateIo& io);

 protected:
  void config_written(u8 offset, unsigned size) override;
  void reset_function() override;

 private:
  u8 pm_byte(u32 offset);
  u32 pm_read(u32 offset, unsigned size);
  void pm_write(u32 offset, u32 value, unsigned size);
  void write_control(u16 value);
  void write_apm(u8 command);
  u16 status();
  void update_sci();
  void update_mappings();
  void arm_overflow();

  IoSpace& m_io;
  Clock& m_clock;
  IrqLine m_sci;
  std::function<void()> m_power_off;
  SmbusHost m_smbus;
  // PM I/O registers.
  u16 m_pm1_status = 0;
  u16 m_pm1_enable = 0;
  u16 m_pm1_control = 0;
  std::array<u8, kPmSize> m_other{};  // general-purpose and global registers: plain storage
  u64 m_overflow_checked_ns = 0;      // timer overflows accounted up to here
  u8 m_apm_status = 0;                // port 0xB3
  bool m_sci_level = false;
  std::optional<u16> m_pm_mapped;
  std::optional<u16> m_smbus_mapped;
  Timer m_overflow_timer;
};

}  // namespace tern
