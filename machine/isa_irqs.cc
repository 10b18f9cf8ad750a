#include "machine/isa_irqs.h"

#include "base/state.h"

namespace tern {

IsaIrqs::IsaIrqs(IrqSink& pic, IrqSink* ioapic) : m_pic(pic), m_ioapic(ioapic) {
  for (Input& in : m_inputs) in.owner = this;
}

void IsaIrqs::Input::set_irq(unsigned line, bool level) {
  if (line >= 16) return;
  const u16 bit = static_cast<u16>(1u << line);
  levels = level ? (levels | bit) : (levels & ~bit);
  owner->update(line);
}

void IsaIrqs::update(unsigned irq) {
  bool level = false;
  for (const Input& in : m_inputs) level |= (in.levels >> irq) & 1;
  const u16 bit = static_cast<u16>(1u << irq);
  if (level == static_cast<bool>(m_out & bit)) return;
  m_out = level ? (m_out | bit) : (m_out & ~bit);
  m_pic.set_irq(irq, level);
  if (m_ioapic) m_ioapic->set_irq(ioapic_pin(irq), level);
}

void IsaIrqs::serialize(StateIo& io) {
  for (Input& in : m_inputs) io(in.levels);
  io(m_out);
}

}  // namespace tern
