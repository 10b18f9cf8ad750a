// The PIIX3 PCI-to-ISA bridge, PCI 00:01.0 (82371SB function 0): the PIRQ route control
// registers that steer the four PCI interrupt lines to ISA IRQs (and, on this board, to I/O APIC
// inputs 16-19), its other configuration registers, and the reset control register at port
// 0xCF9.
//
// Intel 82371SB (PIIX3) datasheet (order 290550) §2.2: PIRQRC[A:D] (0x60-0x63), §4.1.x: RC
// (0xCF9).
#pragma once

#include <array>
#include <functional>

#include "base/irq.h"
#include "devices/pci.h"

namespace tern {

class Piix3 : public PciFunction, public IrqSink {
 public:
  // `isa_irqs` takes ISA IRQ levels 0..15; `ioapic` (may be null) takes inputs 16..19 for
  // PIRQA..D. `reset_system` is called for a hard or soft reset through port 0xCF9.
  Piix3(IrqSink* isa_irqs, IrqSink* ioapic, std::function<void()> reset_system);

  // PIRQ line 0..3 levels from the PCI bus.
  void set_irq(unsigned pirq, bool level) override;
  // The ISA IRQ PIRQ `pirq` is routed to, or -1 when routing is disabled.
  int route(unsigned pirq) const;

  // Handler for the non-configuration ports 0xCF8-0xCFB (offset 1 is the RC register).
  IoOps reset_control_ports();

  void serialize(StateIo& io);

 protected:
  void config_written(u8 offset, unsigned size) override;
  void reset_function() override;

 private:
  static constexpr u8 kPirqRoute = 0x60;

  // Drives every ISA IRQ that a PIRQ is routed to with the OR of those PIRQs.
  void update_isa_irqs();

  IrqSink* m_isa;
  IrqSink* m_ioapic;
  std::function<void()> m_reset_system;
  std::array<bool, 4> m_pirq{};
  u16 m_driven = 0;  // ISA IRQs this bridge currently drives high
  u8 m_reset_control = 0;
};

}  // namespace tern
