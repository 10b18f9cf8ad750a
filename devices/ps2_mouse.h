// A PS/2 mouse with the IntelliMouse extensions (wheel: ID 3; wheel and buttons 4/5: ID 4,
// enabled by the sample-rate knock sequences 200-100-80 and 200-200-80): stream, remote and wrap
// modes, sample rate, resolution, scaling, status request, and motion input from the frontend.
//
// IBM PS/2 Hardware Interface Technical Reference, "Pointing device"; Microsoft IntelliMouse
// PS/2 protocol notes for the 4-byte packet.
#pragma once

#include "devices/ps2_device.h"

namespace tern {

class Ps2Mouse : public Ps2Device {
 public:
  // Button bits for move().
  static constexpr u8 kLeft = 1, kRight = 2, kMiddle = 4, kButton4 = 8, kButton5 = 16;

  Ps2Mouse() { reset(); }

  // Frontend input: motion in window terms (dx right, dy down, dz wheel towards the user) and
  // the buttons now held. In stream mode with reporting on, packets are queued at once.
  void move(int dx, int dy, int dz, u8 buttons);

  void receive(u8 byte) override;
  void reset() override;
  void serialize(StateIo& io) override;

  u8 device_id() const { return m_id; }
  bool reporting() const { return m_reporting; }
  u8 sample_rate() const { return m_rate; }
  u8 resolution() const { return m_resolution; }

 private:
  void command(u8 byte);
  void argument(u8 command, u8 value);
  void set_defaults();
  // Queues one packet with up to the packet's range of the accumulated motion.
  void send_packet();

  u8 m_pending_command = 0;
  u8 m_id = 0;
  u8 m_rate = 100;
  u8 m_resolution = 2;  // 4 counts/mm
  bool m_scaling_2to1 = false;
  bool m_reporting = false;
  bool m_remote = false;
  bool m_wrap = false;
  u8 m_buttons = 0;
  int m_dx = 0, m_dy = 0, m_dz = 0;  // accumulated, PS/2 convention (y up)
  u8 m_rate_history[3] = {};          // last three sample rates, newest last
  u8 m_last_sent = 0;
};

}  // namespace tern
