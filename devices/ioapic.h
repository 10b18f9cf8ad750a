// The I/O APIC (82093AA) at 0xFEC00000: 24 redirection entries that turn interrupt input
// levels into messages to the local APIC. ISA IRQs arrive on inputs 0-15 (IRQ 0 on input 2),
// the PCI PIRQ lines on 16-19.
//
// Inputs are logical levels (true = asserted) whatever the polarity bit says: the board's
// lines are modelled asserted-high, and a guest that declares PCI lines active-low (as the
// ACPI fallback does) must still see them asserted.
//
// Intel 82093AA datasheet (order 290566): IOREGSEL/IOWIN, ID, version, arbitration, redirection
// table (§3.2.4), edge and level (remote IRR) delivery.
#pragma once

#include <array>

#include "base/irq.h"
#include "devices/apic.h"
#include "mmu/phys_memory.h"

namespace tern {

class StateIo;

class IoApic : public IrqSink {
 public:
  static constexpr u64 kDefaultBase = 0xFEC00000;
  static constexpr unsigned kPins = 24;

  IoApic(PhysMemory& mem, LocalApic& lapic);

  // Input pin levels.
  void set_irq(unsigned pin, bool level) override;
  // The local APIC's EOI for a level-triggered `vector`: clears remote IRR of the entries using
  // it (and delivers again if the input is still asserted).
  void end_of_interrupt(u8 vector);

  u64 redirection(unsigned pin) const { return m_redir[pin]; }

  void reset();
  void serialize(StateIo& io);

 private:
  u32 read_register(u8 index) const;
  void write_register(u8 index, u32 value);
  // Sends pin's interrupt when it is unmasked, asserted and (for level) not already in service.
  void service(unsigned pin);

  LocalApic& m_lapic;
  u8 m_select = 0;  // IOREGSEL
  u8 m_id = 0;
  std::array<u64, kPins> m_redir{};
  u32 m_levels = 0;
};

}  // namespace tern
