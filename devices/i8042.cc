#include "devices/i8042.h"

#include "base/log.h"
#include "base/state.h"
#include "devices/ps2_scancodes.h"

namespace tern {

namespace {

// Command byte bits.
constexpr u8 kCmdKbdInt = 0x01;
constexpr u8 kCmdAuxInt = 0x02;
constexpr u8 kCmdSystemFlag = 0x04;
constexpr u8 kCmdKbdDisable = 0x10;
constexpr u8 kCmdAuxDisable = 0x20;
constexpr u8 kCmdTranslate = 0x40;

// Status register bits.
constexpr u8 kStatOutputFull = 0x01;
constexpr u8 kStatCommand = 0x08;
constexpr u8 kStatUnlocked = 0x10;
constexpr u8 kStatAuxData = 0x20;

// Output port bits 4 and 5 show the IRQ 1 / IRQ 12 outputs.
constexpr u8 kOutKbdIrq = 0x10;
constexpr u8 kOutAuxIrq = 0x20;

// At power-on both interrupts are enabled, so that a guest started without a BIOS gets
// keyboard interrupts (the BIOS rewrites the command byte anyway).
constexpr u8 kPowerOnCommandByte = kCmdKbdInt | kCmdAuxInt;

}  // namespace

void I8042::Reply::serialize(StateIo& io) { io(byte, aux); }

I8042::I8042(IoSpace& io, IrqLine irq1, IrqLine irq12, Ps2Device& keyboard, Ps2Device& mouse,
             std::function<void(bool)> set_a20, std::function<void()> reset_system)
    : m_keyboard(keyboard),
      m_mouse(mouse),
      m_irq1(irq1),
      m_irq12(irq12),
      m_set_a20(std::move(set_a20)),
      m_reset_system(std::move(reset_system)) {
  IoOps data;
  data.widths = 1;
  data.read = [this](u32, unsigned) -> u64 { return read_data(); };
  data.write = [this](u32, u64 value, unsigned) { write_data(static_cast<u8>(value)); };
  io.map(0x60, 1, data);
  IoOps control;
  control.widths = 1;
  control.read = [this](u32, unsigned) -> u64 { return read_status(); };
  control.write = [this](u32, u64 value, unsigned) { write_command(static_cast<u8>(value)); };
  io.map(0x64, 1, control);
  m_keyboard.set_output_listener([this] { refill(); });
  m_mouse.set_output_listener([this] { refill(); });
  reset();
}

void I8042::reset() {
  m_ram.fill(0);
  m_ram[0] = kPowerOnCommandByte;
  m_output_port = kOutReset | kOutA20;
  m_pending_command = 0;
  m_last_was_command = false;
  m_out = 0;
  m_out_full = m_out_aux = false;
  m_reply_count = 0;
  m_translate_break = false;
  if (m_set_a20) m_set_a20(true);
  update_irqs();
}

u8 I8042::read_status() const {
  return static_cast<u8>((m_out_full ? kStatOutputFull : 0) | (m_ram[0] & kCmdSystemFlag) |
                         (m_last_was_command ? kStatCommand : 0) | kStatUnlocked |
                         (m_out_full && m_out_aux ? kStatAuxData : 0));
}

u8 I8042::read_data() {
  const u8 value = m_out;
  if (m_out_full) {
    m_out_full = false;
    // Lower the IRQ before the next byte raises it again: each byte is a new edge.
    update_irqs();
    refill();
  }
  return value;
}

void I8042::respond(u8 byte, bool aux) {
  if (m_reply_count == m_replies.size()) return;
  m_replies[m_reply_count++] = Reply{byte, aux};
  refill();
}

void I8042::refill() {
  while (!m_out_full) {
    if (m_reply_count) {
      m_out = m_replies[0].byte;
      m_out_aux = m_replies[0].aux;
      for (unsigned i = 1; i < m_reply_count; ++i) m_replies[i - 1] = m_replies[i];
      --m_reply_count;
      m_out_full = true;
    } else if (m_keyboard.has_output() && !(m_ram[0] & kCmdKbdDisable)) {
      u8 b = m_keyboard.take_output();
      if (m_ram[0] & kCmdTranslate) {
        if (b == 0xF0) {
          m_translate_break = true;  // the break prefix becomes bit 7 of the next code
          continue;
        }
        b = set2_to_set1(b);
        if (m_translate_break) b |= 0x80;
        m_translate_break = false;
      }
      m_out = b;
      m_out_aux = false;
      m_out_full = true;
    } else if (m_mouse.has_output() && !(m_ram[0] & kCmdAuxDisable)) {
      m_out = m_mouse.take_output();
      m_out_aux = true;
      m_out_full = true;
    } else {
      break;
    }
  }
  update_irqs();
}

void I8042::update_irqs() {
  const bool irq1 = m_out_full && !m_out_aux && (m_ram[0] & kCmdKbdInt);
  const bool irq12 = m_out_full && m_out_aux && (m_ram[0] & kCmdAuxInt);
  if (irq1 != m_irq1_level) {
    m_irq1_level = irq1;
    m_irq1.set(irq1);
  }
  if (irq12 != m_irq12_level) {
    m_irq12_level = irq12;
    m_irq12.set(irq12);
  }
}

void I8042::write_output_port(u8 value) {
  const u8 old = m_output_port;
  m_output_port = value & ~(kOutKbdIrq | kOutAuxIrq);
  if ((old ^ m_output_port) & kOutA20) {
    log(LogCat::kKbd, LogLevel::kDebug, "A20 {}", a20() ? "enabled" : "disabled");
    m_set_a20(a20());
  }
  if (!(m_output_port & kOutReset)) {
    log(LogCat::kKbd, LogLevel::kInfo, "system reset through the output port");
    m_reset_system();
  }
}

void I8042::write_command(u8 value) {
  m_last_was_command = true;
  m_pending_command = 0;
  log(LogCat::kKbd, LogLevel::kDebug, "controller command {:#04x}", value);
  if (value >= 0x20 && value <= 0x3F) return respond(m_ram[value & 0x1F]);
  if ((value >= 0x60 && value <= 0x7F) || (value >= 0xD1 && value <= 0xD4)) {
    m_pending_command = value;
    return;
  }
  if (value >= 0xF0) {
    // Pulse output port bits 0-3 low for 6 us; bit 0 is the CPU reset line.
    if (!(value & 1)) {
      log(LogCat::kKbd, LogLevel::kInfo, "system reset by pulse command {:#04x}", value);
      m_reset_system();
    }
    return;
  }
  switch (value) {
    case 0xA4: respond(0xF1); break;  // no password installed
    case 0xA7: m_ram[0] |= kCmdAuxDisable; break;
    case 0xA8: m_ram[0] &= ~kCmdAuxDisable; refill(); break;
    case 0xA9: respond(0x00); break;  // mouse interface test: no error
    case 0xAA:                        // controller self-test passed; sets the system flag
      m_ram[0] |= kCmdSystemFlag;
      respond(0x55);
      break;
    case 0xAB: respond(0x00); break;  // keyboard interface test: no error
    case 0xAD: m_ram[0] |= kCmdKbdDisable; break;
    case 0xAE: m_ram[0] &= ~kCmdKbdDisable; refill(); break;
    case 0xC0: respond(0x80); break;  // input port: keyboard not inhibited
    case 0xD0:
      respond(static_cast<u8>(m_output_port | (m_irq1_level ? kOutKbdIrq : 0) | (m_irq12_level ? kOutAuxIrq : 0)));
      break;
    case 0xDD: write_output_port(m_output_port & ~kOutA20); break;
    case 0xDF: write_output_port(m_output_port | kOutA20); break;
    case 0xE0: respond(0x00); break;  // test inputs
    default: log(LogCat::kKbd, LogLevel::kDebug, "unknown controller command {:#04x} ignored", value); break;
  }
}

void I8042::write_data(u8 value) {
  m_last_was_command = false;
  const u8 command = m_pending_command;
  m_pending_command = 0;
  if (command >= 0x60 && command <= 0x7F) {
    m_ram[command & 0x1F] = value;
    if ((command & 0x1F) == 0) refill();
    return;
  }
  switch (command) {
    case 0xD1: write_output_port(value); break;
    case 0xD2: respond(value); break;
    case 0xD3: respond(value, true); break;
    case 0xD4: m_mouse.receive(value); break;
    default: m_keyboard.receive(value); break;
  }
}

void I8042::serialize(StateIo& io) {
  io(m_ram, m_output_port, m_pending_command, m_last_was_command, m_out, m_out_full, m_out_aux);
  io(m_replies, m_reply_count, m_translate_break, m_irq1_level, m_irq12_level);
  if (io.loading() && m_reply_count > m_replies.size()) throw_state_error("i8042: bad reply queue");
}

}  // namespace tern
