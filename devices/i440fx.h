// The i440FX host bridge, PCI 00:00.0 (82441FX PMC): identifies the board to the firmware
// (SeaBIOS recognizes QEMU's i440FX by the Red Hat subsystem IDs), steers the legacy BIOS and
// option ROM window 0xC0000-0xFFFFF between ROM and shadow RAM through its PAM registers, and
// holds the SMRAM control register.
//
// Intel 440FX PCIset datasheet (order 290549) §3.2: PAM0-PAM6 (0x59-0x5F), SMRAM (0x72).
#pragma once

#include "devices/pci.h"
#include "mmu/phys_memory.h"

namespace tern {

class I440fx : public PciFunction {
 public:
  // Configuration registers: PAM0 (PAM1-6 follow), SMRAM.
  static constexpr u8 kPam0 = 0x59;
  static constexpr u8 kSmram = 0x72;

  explicit I440fx(PhysMemory& mem);

  u8 smram() const { return config_byte(kSmram); }

  // PCI state plus the memory map it implies.
  void serialize(StateIo& io);

 protected:
  void config_written(u8 offset, unsigned size) override;
  void reset_function() override;

 private:
  // Applies PAM0-PAM6 to the memory map.
  void apply_pam();
  // The SMRAM register after a write of `value` when it held `old`.
  static u8 smram_after_write(u8 old, u8 value);

  PhysMemory& m_mem;
  u8 m_smram;  // SMRAM as it was before the guest's write reached config space
};

}  // namespace tern
