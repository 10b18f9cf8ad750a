#include "devices/pic.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr unsigned kCascadeIrq = 2;
// PIIX3 ELCR: IRQ 0, 1, 2 (master) and 8, 13 (slave) are always edge triggered.
constexpr u8 kElcrMasterWritable = 0xF8;
constexpr u8 kElcrSlaveWritable = 0xDE;

}  // namespace

void Pic8259::reset() {
  // Input levels are wires from the devices; everything else returns to its power-on value.
  const bool master = m_master;
  const u8 level = m_level;
  *this = Pic8259(master);
  m_level = level;
}

void Pic8259::set_elcr(u8 value) {
  m_elcr = value;
  // A line switched to level mode requests while it is high.
  m_irr |= m_level & m_elcr;
}

unsigned Pic8259::priority(u8 mask) const {
  for (unsigned rank = 0; rank < 8; ++rank)
    if (mask >> ((rank + m_lowest_first) & 7) & 1) return rank;
  return 8;
}

int Pic8259::pending() const {
  if (m_init_step != 0) return -1;
  const unsigned request = priority(m_irr & ~m_imr);
  if (request == 8) return -1;
  u8 in_service = m_isr;
  // Special mask mode: masked in-service levels do not block lower priorities.
  if (m_special_mask) in_service &= ~m_imr;
  // Special fully nested mode: the slave may interrupt again while its cascade level is in
  // service, so that its own higher-priority requests get through.
  if (m_master && m_special_fully_nested) in_service &= ~(1u << kCascadeIrq);
  if (request >= priority(in_service)) return -1;
  return static_cast<int>((request + m_lowest_first) & 7);
}

void Pic8259::acknowledge(unsigned irq) {
  const u8 bit = static_cast<u8>(1u << irq);
  if (!level_triggered(irq)) m_irr &= ~bit;
  if (!m_auto_eoi) {
    m_isr |= bit;
  } else if (m_rotate_on_aeoi) {
    m_lowest_first = static_cast<u8>((irq + 1) & 7);
  }
}

void Pic8259::set_input(unsigned irq, bool level) {
  const u8 bit = static_cast<u8>(1u << irq);
  const bool was = m_level & bit;
  if (level) {
    m_level |= bit;
    // Edge mode latches a rising edge; level mode requests while the line is high.
    if (level_triggered(irq) || !was) m_irr |= bit;
  } else {
    m_level &= ~bit;
    // In both modes the request must still be present at INTA (8259A: "default IR7" otherwise).
    m_irr &= ~bit;
  }
}

void Pic8259::end_of_interrupt(unsigned irq, bool rotate) {
  m_isr &= static_cast<u8>(~(1u << irq));
  if (rotate) m_lowest_first = static_cast<u8>((irq + 1) & 7);
}

void Pic8259::write_ocw2(u8 value) {
  const unsigned level = value & 7;
  switch (value >> 5) {
    case 0: m_rotate_on_aeoi = false; break;  // clear rotate in AEOI mode
    case 4: m_rotate_on_aeoi = true; break;   // set rotate in AEOI mode
    case 1:                                   // non-specific EOI
    case 5: {                                 // rotate on non-specific EOI
      const unsigned rank = priority(m_isr);
      if (rank < 8) end_of_interrupt((rank + m_lowest_first) & 7, (value >> 5) == 5);
      break;
    }
    case 3: end_of_interrupt(level, false); break;  // specific EOI
    case 7: end_of_interrupt(level, true); break;   // rotate on specific EOI
    case 6: m_lowest_first = static_cast<u8>((level + 1) & 7); break;  // set priority
    default: break;                                                   // no operation
  }
}

void Pic8259::write_command(u8 value) {
  if (value & 0x10) {
    // ICW1 starts initialization: IMR cleared, IR0 highest, special mask off, read IRR.
    m_init_step = 2;
    m_icw4_needed = value & 1;
    m_single = value & 2;
    m_ltim = value & 8;
    m_imr = m_isr = m_irr = 0;
    m_lowest_first = 0;
    m_special_mask = m_read_isr = m_poll = false;
    m_auto_eoi = m_rotate_on_aeoi = m_special_fully_nested = false;
    // With edge sensing reset, inputs already high request only after their next rising edge,
    // except in level mode.
    m_irr = m_level & (m_ltim ? 0xFF : m_elcr);
    return;
  }
  if (value & 0x08) {
    // OCW3.
    if (value & 0x04) m_poll = true;
    if (value & 0x02) m_read_isr = value & 0x01;
    if (value & 0x40) m_special_mask = value & 0x20;
    return;
  }
  write_ocw2(value);
}

void Pic8259::write(unsigned port, u8 value) {
  if (port == 0) return write_command(value);
  switch (m_init_step) {
    case 2:
      m_vector_base = value & 0xF8;
      m_init_step = m_single ? (m_icw4_needed ? 4 : 0) : 3;
      return;
    case 3:
      m_cascade = value;
      m_init_step = m_icw4_needed ? 4 : 0;
      return;
    case 4:
      m_auto_eoi = value & 0x02;
      m_special_fully_nested = value & 0x10;
      m_init_step = 0;
      return;
    default:
      m_imr = value;  // OCW1
  }
}

u8 Pic8259::read(unsigned port) {
  if (port == 1) return m_imr;
  if (m_poll) {
    // Poll command: the next read is the poll word, and it acknowledges like an INTA.
    m_poll = false;
    const int irq = pending();
    if (irq < 0) return 0;
    acknowledge(static_cast<unsigned>(irq));
    return static_cast<u8>(0x80 | irq);
  }
  return m_read_isr ? m_isr : m_irr;
}

void Pic8259::serialize(StateIo& io) {
  io(m_irr, m_isr, m_imr, m_level, m_elcr, m_vector_base, m_lowest_first, m_init_step, m_cascade);
  io(m_icw4_needed, m_single, m_ltim, m_auto_eoi, m_rotate_on_aeoi, m_special_fully_nested, m_special_mask,
     m_read_isr, m_poll);
}

DualPic::DualPic(IoSpace& io, IrqLine intr) : m_intr(intr) {
  auto map_chip = [&](u16 base, Pic8259& chip) {
    IoOps ops;
    ops.widths = 1;
    ops.read = [this, &chip](u32 offset, unsigned) -> u64 {
      const u8 v = chip.read(offset);
      update();
      return v;
    };
    ops.write = [this, &chip, base](u32 offset, u64 value, unsigned) {
      log(LogCat::kPic, LogLevel::kTrace, "write {:#x} <- {:#04x}", base + offset, value);
      chip.write(offset, static_cast<u8>(value));
      update();
    };
    io.map(base, 2, ops);
  };
  map_chip(0x20, m_master);
  map_chip(0xA0, m_slave);
  IoOps elcr;
  elcr.widths = 1;
  elcr.read = [this](u32 offset, unsigned) -> u64 { return offset == 0 ? m_master.elcr() : m_slave.elcr(); };
  elcr.write = [this](u32 offset, u64 value, unsigned) {
    if (offset == 0)
      m_master.set_elcr(static_cast<u8>(value) & kElcrMasterWritable);
    else
      m_slave.set_elcr(static_cast<u8>(value) & kElcrSlaveWritable);
    log(LogCat::kPic, LogLevel::kDebug, "ELCR {:02x} {:02x}", m_master.elcr(), m_slave.elcr());
    update();
  };
  io.map(0x4D0, 2, elcr);
}

void DualPic::set_irq(unsigned line, bool level) {
  if (line >= 16 || line == kCascadeIrq) return;
  if (line < 8)
    m_master.set_input(line, level);
  else
    m_slave.set_input(line - 8, level);
  update();
}

void DualPic::update() {
  // The slave's INT output is a level on the master's IR2.
  m_master.set_input(kCascadeIrq, m_slave.pending() >= 0);
  const bool level = m_master.pending() >= 0;
  if (level == m_intr_level) return;
  m_intr_level = level;
  m_intr.set(level);
}

u8 DualPic::acknowledge() {
  u8 vector;
  const int irq = m_master.pending();
  if (irq < 0) {
    vector = m_master.vector_base() | 7;
  } else {
    m_master.acknowledge(static_cast<unsigned>(irq));
    if (irq == static_cast<int>(kCascadeIrq)) {
      const int slave_irq = m_slave.pending();
      if (slave_irq < 0) {
        vector = m_slave.vector_base() | 7;
      } else {
        m_slave.acknowledge(static_cast<unsigned>(slave_irq));
        vector = static_cast<u8>(m_slave.vector_base() + slave_irq);
      }
    } else {
      vector = static_cast<u8>(m_master.vector_base() + irq);
    }
  }
  update();
  log(LogCat::kPic, LogLevel::kTrace, "INTA -> vector {:#04x}", vector);
  return vector;
}

void DualPic::reset() {
  m_master.reset();
  m_slave.reset();
  update();
}

void DualPic::serialize(StateIo& io) {
  m_master.serialize(io);
  m_slave.serialize(io);
  io(m_intr_level);
}

}  // namespace tern
