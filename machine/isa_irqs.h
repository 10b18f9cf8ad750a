// The board's ISA interrupt lines. Every line goes to the 8259 pair and to the I/O APIC (ISA
// IRQ 0, the PIT, to I/O APIC input 2; the others to the input of the same number, as the MADT's
// interrupt source override tells the OS). Several kinds of source can drive one line (ISA
// devices, PCI interrupts the PIIX3 routes there, the ACPI SCI); the line is their wired-OR.
#pragma once

#include <array>

#include "base/irq.h"
#include "base/types.h"

namespace tern {

class StateIo;

class IsaIrqs {
 public:
  enum Source : unsigned { kIsaDevice, kPciRouting, kAcpiSci, kSourceCount };

  IsaIrqs(IrqSink& pic, IrqSink* ioapic);
  IsaIrqs(const IsaIrqs&) = delete;
  IsaIrqs& operator=(const IsaIrqs&) = delete;

  // The sink a source drives (line numbers are ISA IRQs 0..15).
  IrqSink& source(Source s) { return m_inputs[s]; }
  IrqLine line(unsigned irq, Source s = kIsaDevice) { return IrqLine(&m_inputs[s], irq); }
  // The I/O APIC input ISA IRQ `irq` is wired to.
  static unsigned ioapic_pin(unsigned irq) { return irq == 0 ? 2 : irq; }

  void serialize(StateIo& io);

 private:
  struct Input : IrqSink {
    IsaIrqs* owner = nullptr;
    u16 levels = 0;
    void set_irq(unsigned line, bool level) override;
  };
  void update(unsigned irq);

  IrqSink& m_pic;
  IrqSink* m_ioapic;
  std::array<Input, kSourceCount> m_inputs;
  u16 m_out = 0;  // levels as driven to the controllers
};

}  // namespace tern
