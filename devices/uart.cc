#include "devices/uart.h"

#include <algorithm>

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u64 kInputClockHz = 1'843'200;  // the PC's UART crystal; baud = clock / (16 * divisor)
constexpr u64 kPollNs = 1'000'000;        // how often input is taken from the backend

enum : u8 { kIerRda = 1, kIerThre = 2, kIerRls = 4, kIerMsr = 8 };
enum : u8 { kLsrDr = 1, kLsrOe = 2, kLsrPe = 4, kLsrFe = 8, kLsrBi = 0x10, kLsrThre = 0x20, kLsrTemt = 0x40 };
constexpr u8 kLsrErrors = kLsrOe | kLsrPe | kLsrFe | kLsrBi;
enum : u8 { kMcrDtr = 1, kMcrRts = 2, kMcrOut1 = 4, kMcrOut2 = 8, kMcrLoop = 0x10 };
enum : u8 { kMsrDcts = 1, kMsrDdsr = 2, kMsrTeri = 4, kMsrDdcd = 8, kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40,
            kMsrDcd = 0x80 };
constexpr u8 kLcrDlab = 0x80;
// Interrupt identifications (IIR bits 3-0), highest priority first.
constexpr u8 kIirNone = 0x01, kIirRls = 0x06, kIirRda = 0x04, kIirTimeout = 0x0C, kIirThre = 0x02, kIirMsr = 0x00;

// A terminal on the line: clear to send, data set ready, carrier detect.
constexpr u8 kMsrConnected = kMsrCts | kMsrDsr | kMsrDcd;

}  // namespace

Uart::Uart(IoSpace& io, u16 base, Clock& clock, IrqLine irq, CharBackend* backend)
    : m_clock(clock),
      m_irq(irq),
      m_backend(backend),
      m_timeout_timer(clock, [this] {
        if (m_rx_count) m_timeout_pending = true;
        update_irq();
      }),
      m_poll_timer(clock, [this] { poll_backend(); }) {
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32 offset, unsigned) -> u64 { return read(offset); };
  ops.write = [this](u32 offset, u64 value, unsigned) { write(offset, static_cast<u8>(value)); };
  io.map(base, 8, ops);
  reset();
}

void Uart::reset() {
  m_ier = m_lcr = m_mcr = m_scr = m_fcr = 0;
  m_lsr = kLsrThre | kLsrTemt;
  m_msr = kMsrConnected;
  m_divisor = 0;
  m_rx_head = m_rx_count = 0;
  m_thre_pending = m_timeout_pending = false;
  m_timeout_timer.cancel();
  if (m_backend && m_backend->readable())
    m_poll_timer.arm_in(kPollNs);
  else
    m_poll_timer.cancel();
  update_irq();
}

unsigned Uart::rx_trigger() const {
  if (!(m_fcr & 1)) return 1;
  static constexpr unsigned kLevels[4] = {1, 4, 8, 14};
  return kLevels[m_fcr >> 6];
}

u64 Uart::char_time_ns() const {
  const unsigned bits = 1 + 5 + (m_lcr & 3) + ((m_lcr & 8) ? 1 : 0) + ((m_lcr & 4) ? 2 : 1);
  const u64 divisor = m_divisor ? m_divisor : 1;
  return bits * divisor * 16 * 1'000'000'000 / kInputClockHz;
}

void Uart::arm_timeout() {
  // FIFO mode: data below the trigger level is reported after four character times of quiet.
  if ((m_fcr & 1) && m_rx_count)
    m_timeout_timer.arm_in(4 * char_time_ns());
  else
    m_timeout_timer.cancel();
}

void Uart::receive(u8 byte) {
  const unsigned depth = (m_fcr & 1) ? 16 : 1;
  if (m_rx_count >= depth) {
    m_lsr |= kLsrOe;  // overrun: the new byte is lost
  } else {
    m_rx[(m_rx_head + m_rx_count) % 16] = byte;
    ++m_rx_count;
  }
  m_lsr |= kLsrDr;
  m_timeout_pending = false;
  arm_timeout();
  update_irq();
}

void Uart::poll_backend() {
  if (!m_backend) return;
  // Someone may be typing: let them see what the guest wrote (a prompt has no newline).
  m_backend->flush();
  const unsigned depth = (m_fcr & 1) ? 16 : 1;
  u8 byte;
  // Loopback disconnects the line; a full FIFO leaves input waiting at the host.
  while (!(m_mcr & kMcrLoop) && m_rx_count < depth && m_backend->read(byte)) receive(byte);
  if (m_backend->readable()) m_poll_timer.arm_in(kPollNs);
}

u8 Uart::read_rbr() {
  if (!m_rx_count) return 0;
  const u8 byte = m_rx[m_rx_head];
  m_rx_head = (m_rx_head + 1) % 16;
  --m_rx_count;
  if (!m_rx_count) m_lsr &= ~kLsrDr;
  m_timeout_pending = false;
  arm_timeout();
  update_irq();
  return byte;
}

u8 Uart::interrupt_id() const {
  if ((m_ier & kIerRls) && (m_lsr & kLsrErrors)) return kIirRls;
  if ((m_ier & kIerRda) && m_rx_count >= rx_trigger()) return kIirRda;
  if ((m_ier & kIerRda) && m_timeout_pending) return kIirTimeout;
  if ((m_ier & kIerThre) && m_thre_pending) return kIirThre;
  if ((m_ier & kIerMsr) && (m_msr & 0x0F)) return kIirMsr;
  return kIirNone;
}

u8 Uart::read_iir() {
  const u8 id = interrupt_id();
  // Reading IIR while it reports THR empty acknowledges that interrupt.
  if (id == kIirThre) {
    m_thre_pending = false;
    update_irq();
  }
  return static_cast<u8>(id | ((m_fcr & 1) ? 0xC0 : 0));
}

u8 Uart::read(u32 offset) {
  switch (offset) {
    case 0: return (m_lcr & kLcrDlab) ? static_cast<u8>(m_divisor) : read_rbr();
    case 1: return (m_lcr & kLcrDlab) ? static_cast<u8>(m_divisor >> 8) : m_ier;
    case 2: return read_iir();
    case 3: return m_lcr;
    case 4: return m_mcr;
    case 5: {
      const u8 v = m_lsr;
      m_lsr &= ~kLsrErrors;
      update_irq();
      return v;
    }
    case 6: {
      const u8 v = m_msr;
      m_msr &= 0xF0;  // delta bits clear on read
      update_irq();
      return v;
    }
    default: return m_scr;
  }
}

void Uart::transmit(u8 byte) {
  if (m_mcr & kMcrLoop)
    receive(byte);
  else if (m_backend)
    m_backend->write(byte);
  m_thre_pending = true;
  update_irq();
}

void Uart::write_fcr(u8 value) {
  if ((value & 1) != (m_fcr & 1) || (value & 2)) {
    // Switching FIFO mode or the RX reset bit empties the receive FIFO.
    m_rx_count = m_rx_head = 0;
    m_lsr &= ~kLsrDr;
    m_timeout_pending = false;
  }
  m_fcr = value & 0xC1;
  arm_timeout();
  update_irq();
}

void Uart::update_loopback_msr() {
  u8 lines = kMsrConnected;
  if (m_mcr & kMcrLoop) {
    lines = static_cast<u8>(((m_mcr & kMcrRts) ? kMsrCts : 0) | ((m_mcr & kMcrDtr) ? kMsrDsr : 0) |
                            ((m_mcr & kMcrOut1) ? kMsrRi : 0) | ((m_mcr & kMcrOut2) ? kMsrDcd : 0));
  }
  const u8 old = m_msr & 0xF0;
  u8 deltas = m_msr & 0x0F;
  if ((old ^ lines) & kMsrCts) deltas |= kMsrDcts;
  if ((old ^ lines) & kMsrDsr) deltas |= kMsrDdsr;
  if ((old & kMsrRi) && !(lines & kMsrRi)) deltas |= kMsrTeri;  // trailing edge of RI
  if ((old ^ lines) & kMsrDcd) deltas |= kMsrDdcd;
  m_msr = lines | deltas;
}

void Uart::write_mcr(u8 value) {
  m_mcr = value & 0x1F;
  update_loopback_msr();
  update_irq();
}

void Uart::write(u32 offset, u8 value) {
  switch (offset) {
    case 0:
      if (m_lcr & kLcrDlab) {
        m_divisor = static_cast<u16>((m_divisor & 0xFF00) | value);
      } else {
        m_thre_pending = false;
        transmit(value);
      }
      break;
    case 1:
      if (m_lcr & kLcrDlab) {
        m_divisor = static_cast<u16>((m_divisor & 0x00FF) | value << 8);
      } else {
        // Enabling the THR-empty interrupt while THR is empty raises it at once.
        if ((value & kIerThre) && !(m_ier & kIerThre)) m_thre_pending = true;
        m_ier = value & 0x0F;
        update_irq();
      }
      break;
    case 2: write_fcr(value); break;
    case 3: m_lcr = value; break;
    case 4: write_mcr(value); break;
    case 5: case 6: break;  // LSR and MSR are read-only
    default: m_scr = value; break;
  }
}

void Uart::update_irq() {
  const bool level = interrupt_id() != kIirNone && (m_mcr & kMcrOut2);
  if (level == m_irq_level) return;
  m_irq_level = level;
  m_irq.set(level);
}

void Uart::serialize(StateIo& io) {
  io(m_ier, m_lcr, m_mcr, m_lsr, m_msr, m_scr, m_fcr, m_divisor, m_rx, m_rx_head, m_rx_count);
  io(m_thre_pending, m_timeout_pending, m_irq_level, m_timeout_timer, m_poll_timer);
  if (io.loading() && (m_rx_head >= 16 || m_rx_count > 16)) throw_state_error("uart: bad FIFO state");
}

}  // namespace tern
