// A 16550A UART (COM1 at 0x3F8/IRQ 4, COM2 at 0x2F8/IRQ 3): divisor latch, 16-byte receive
// FIFO with trigger levels and character timeout, interrupt identification by priority, line and
// modem status, modem-control loopback, scratch register.
//
// Transmission is instantaneous: a byte written to THR goes to the backend at once and THR is
// empty again. Input is polled from the backend on the virtual clock, so a run without input is
// identical whether or not a terminal is attached.
//
// National Semiconductor PC16550D datasheet: register map, IIR priorities (Table IV), FIFO
// trigger levels, loopback connections. On the PC, OUT2 gates the interrupt onto the ISA bus.
#pragma once

#include <array>

#include "base/clock.h"
#include "base/irq.h"
#include "devices/char_backend.h"
#include "mmu/io_space.h"

namespace tern {

class Uart {
 public:
  static constexpr u16 kCom1 = 0x3F8;
  static constexpr u16 kCom2 = 0x2F8;

  // `backend` may be null (nothing connected: output dropped, no input).
  Uart(IoSpace& io, u16 base, Clock& clock, IrqLine irq, CharBackend* backend);

  // A byte arriving on the line (as if from the backend).
  void receive(u8 byte);

  void reset();
  void serialize(StateIo& io);

 private:
  u8 read(u32 offset);
  void write(u32 offset, u8 value);
  void transmit(u8 byte);
  u8 read_rbr();
  u8 read_iir();
  u8 interrupt_id() const;
  void write_fcr(u8 value);
  void write_mcr(u8 value);
  void update_loopback_msr();
  unsigned rx_trigger() const;
  u64 char_time_ns() const;
  void arm_timeout();
  void poll_backend();
  void update_irq();

  Clock& m_clock;
  IrqLine m_irq;
  CharBackend* m_backend;
  // Registers.
  u8 m_ier = 0;
  u8 m_lcr = 0;
  u8 m_mcr = 0;
  u8 m_lsr = 0;
  u8 m_msr = 0;
  u8 m_scr = 0;
  u8 m_fcr = 0;  // bit 0 FIFO enable, bits 6-7 trigger (the rest are actions)
  u16 m_divisor = 0;
  // Receive FIFO (one byte deep when FIFOs are off).
  std::array<u8, 16> m_rx{};
  u8 m_rx_head = 0;
  u8 m_rx_count = 0;
  bool m_thre_pending = false;   // THR-empty interrupt not yet acknowledged
  bool m_timeout_pending = false;
  bool m_irq_level = false;
  Timer m_timeout_timer;
  Timer m_poll_timer;
};

}  // namespace tern
