// The i8042 keyboard controller at ports 0x60 (data) and 0x64 (status/command): its command
// byte, self-tests, port enables, output port (A20 gate, system reset line), pulse commands
// (0xFE resets the machine), set 2 to set 1 translation, and the single output buffer shared by
// the keyboard (IRQ 1) and the mouse (IRQ 12).
//
// IBM PS/2 Hardware Interface Technical Reference, "Keyboard/Auxiliary Device Controller":
// status register, commands 0x20-0xFF, output port bits.
#pragma once

#include <array>
#include <functional>

#include "base/irq.h"
#include "devices/ps2_device.h"
#include "mmu/io_space.h"

namespace tern {

class StateIo;

class I8042 {
 public:
  // `set_a20` hears the output port's A20 bit; `reset_system` is the pulsed reset line.
  I8042(IoSpace& io, IrqLine irq1, IrqLine irq12, Ps2Device& keyboard, Ps2Device& mouse,
        std::function<void(bool)> set_a20, std::function<void()> reset_system);

  bool a20() const { return m_output_port & kOutA20; }
  u8 command_byte() const { return m_ram[0]; }

  void reset();
  void serialize(StateIo& io);

 private:
  static constexpr u8 kOutReset = 0x01;  // output port bit 0: low resets the CPU
  static constexpr u8 kOutA20 = 0x02;

  u8 read_data();
  u8 read_status() const;
  void write_data(u8 value);
  void write_command(u8 value);
  void respond(u8 byte, bool aux = false);
  void write_output_port(u8 value);
  // Moves the next waiting byte into the output buffer if it is free; updates IRQ 1 and 12.
  void refill();
  void update_irqs();

  Ps2Device& m_keyboard;
  Ps2Device& m_mouse;
  IrqLine m_irq1, m_irq12;
  std::function<void(bool)> m_set_a20;
  std::function<void()> m_reset_system;

  std::array<u8, 32> m_ram{};  // byte 0 is the command byte
  u8 m_output_port = kOutReset | kOutA20;
  u8 m_pending_command = 0;    // a command waiting for its data byte at port 0x60, or 0
  bool m_last_was_command = false;
  // The output buffer and what put the byte there.
  u8 m_out = 0;
  bool m_out_full = false;
  bool m_out_aux = false;
  // Bytes the controller itself answers with, ahead of device bytes; `aux` marks bytes that
  // command 0xD3 places as if from the mouse.
  struct Reply {
    u8 byte = 0;
    bool aux = false;
    void serialize(StateIo& io);
  };
  std::array<Reply, 4> m_replies{};
  u8 m_reply_count = 0;
  bool m_translate_break = false;  // translation saw the 0xF0 prefix
  bool m_irq1_level = false, m_irq12_level = false;
};

}  // namespace tern
