// The PC's cascaded pair of 8259A programmable interrupt controllers: master at ports
// 0x20/0x21 (IRQ 0-7), slave at 0xA0/0xA1 (IRQ 8-15) on the master's IR2, and the PIIX3 edge/level
// control registers (ELCR) at 0x4D0/0x4D1. The master's INT output drives the CPU's INTR (or
// the local APIC's LINT0); the CPU's interrupt acknowledge cycle asks acknowledge() for a vector.
//
// Intel 8259A datasheet (order 231468): ICW1-4, OCW1-3, fully nested and special mask modes,
// rotation, AEOI, poll; PIIX3 datasheet §4.1.11 (ELCR).
#pragma once

#include "base/irq.h"
#include "base/types.h"
#include "cpu/cpu.h"
#include "mmu/io_space.h"

namespace tern {

class StateIo;

// One 8259A. Inputs are levels; `m_elcr`/LTIM decide whether a request is a rising edge or the
// level itself.
class Pic8259 {
 public:
  explicit Pic8259(bool master) : m_master(master) {}

  void reset();
  void write(unsigned port, u8 value);  // port 0 (ICW1/OCW2/OCW3) or 1 (ICW2-4/OCW1)
  u8 read(unsigned port);
  void set_input(unsigned irq, bool level);

  // The IR line (0..7) the chip would interrupt the CPU for now, or -1.
  int pending() const;
  // Second INTA pulse for `irq`: ISR set (unless AEOI), an edge request consumed.
  void acknowledge(unsigned irq);

  u8 vector_base() const { return m_vector_base; }
  u8 elcr() const { return m_elcr; }
  void set_elcr(u8 value);
  u8 irr() const { return m_irr; }
  u8 isr() const { return m_isr; }
  u8 imr() const { return m_imr; }

  void serialize(StateIo& io);

 private:
  // Rank of the highest-priority set bit of `mask` (0 = highest priority), or 8 when none.
  unsigned priority(u8 mask) const;
  bool level_triggered(unsigned irq) const { return m_ltim || (m_elcr >> irq & 1); }
  void write_command(u8 value);
  void write_ocw2(u8 value);
  void end_of_interrupt(unsigned irq, bool rotate);

  bool m_master;
  u8 m_irr = 0;       // interrupt request register
  u8 m_isr = 0;       // in-service register
  u8 m_imr = 0;       // interrupt mask register
  u8 m_level = 0;     // current input levels
  u8 m_elcr = 0;      // per-input level trigger (PIIX ELCR)
  u8 m_vector_base = 0;
  u8 m_lowest_first = 0;  // IR with the highest priority (rotation moves it)
  u8 m_init_step = 0;     // 0: operational; 2, 3, 4: expecting that ICW
  u8 m_cascade = 0;       // ICW3
  bool m_icw4_needed = false;
  bool m_single = false;
  bool m_ltim = false;
  bool m_auto_eoi = false;
  bool m_rotate_on_aeoi = false;
  bool m_special_fully_nested = false;
  bool m_special_mask = false;
  bool m_read_isr = false;
  bool m_poll = false;
};

class DualPic : public IrqSink, public InterruptAcknowledge {
 public:
  // Claims 0x20-0x21, 0xA0-0xA1 and 0x4D0-0x4D1; `intr` is the master's INT output.
  DualPic(IoSpace& io, IrqLine intr);

  // ISA IRQ 0..15 input levels (IRQ 2 is the cascade and ignores outside input).
  void set_irq(unsigned line, bool level) override;
  // The INTA cycle: the vector of the highest-priority request, or the spurious IR7 vector of
  // the chip that lost its request (Intel 8259A: "default IR7").
  u8 acknowledge() override;
  bool intr() const { return m_intr_level; }

  const Pic8259& master() const { return m_master; }
  const Pic8259& slave() const { return m_slave; }

  void reset();
  void serialize(StateIo& io);

 private:
  void update();

  Pic8259 m_master{true};
  Pic8259 m_slave{false};
  IrqLine m_intr;
  bool m_intr_level = false;
};

}  // namespace tern
