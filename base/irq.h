// An interrupt line: a device raises or lowers it; the board decides where it goes by giving the
// line a sink (an interrupt controller input, or a splitter that feeds both PIC and I/O APIC).
#pragma once

#include "base/types.h"

namespace tern {

class IrqSink {
 public:
  virtual ~IrqSink() = default;
  virtual void set_irq(unsigned line, bool level) = 0;
};

class IrqLine {
 public:
  IrqLine() = default;
  IrqLine(IrqSink* sink, unsigned line) : m_sink(sink), m_line(line) {}

  void set(bool level) const {
    if (m_sink) m_sink->set_irq(m_line, level);
  }
  void raise() const { set(true); }
  void lower() const { set(false); }
  // An edge for edge-triggered inputs: high then low.
  void pulse() const {
    set(true);
    set(false);
  }
  bool connected() const { return m_sink != nullptr; }

 private:
  IrqSink* m_sink = nullptr;
  unsigned m_line = 0;
};

}  // namespace tern
