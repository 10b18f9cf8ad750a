// A PS/2 (MF2) keyboard: the host command set (reset/BAT, identify, LEDs, typematic, scan code
// set, enable/disable, echo, resend) and key input from the frontend as set 2 scan codes.
//
// IBM PS/2 Hardware Interface Technical Reference, "Keyboard and Auxiliary Device Controller"
// and "Keyboard commands".
#pragma once

#include "devices/ps2_device.h"

namespace tern {

class Ps2Keyboard : public Ps2Device {
 public:
  Ps2Keyboard() { reset(); }

  // Frontend input: one byte of a key's set 2 make or break sequence (e.g. 0x1C for A down,
  // 0xF0 0x1C for A up, 0xE0 0x75 for cursor up). Dropped while scanning is disabled; converted
  // when the host selected set 1.
  void key_scancode(u8 set2_byte);

  void receive(u8 byte) override;
  void reset() override;
  void serialize(StateIo& io) override;

  u8 leds() const { return m_leds; }
  u8 scancode_set() const { return m_set; }
  bool scanning() const { return m_scanning; }

 private:
  void command(u8 byte);
  void reply(std::initializer_list<u8> bytes);

  u8 m_pending_command = 0;  // a command waiting for its argument byte, or 0
  u8 m_set = 2;
  u8 m_leds = 0;
  u8 m_typematic = 0x2B;     // 10.9 characters/s after 500 ms
  bool m_scanning = true;
  bool m_set1_break = false;  // set 1 conversion saw 0xF0
  u8 m_last_sent = 0;
};

}  // namespace tern
