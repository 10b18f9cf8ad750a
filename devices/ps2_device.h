// A device on a PS/2 port (keyboard or mouse) as the i8042 controller sees it: it receives
// command bytes from the host and queues bytes back. The controller takes queued bytes when
// its output buffer is free and the port's interface is enabled; until then they wait in the
// device, as they do in a real keyboard's buffer.
#pragma once

#include <array>
#include <functional>
#include <initializer_list>

#include "base/types.h"

namespace tern {

class StateIo;

class Ps2Device {
 public:
  static constexpr size_t kQueueSize = 256;

  virtual ~Ps2Device() = default;

  // A byte from the controller (a command or a command's argument).
  virtual void receive(u8 byte) = 0;
  // Power-on state of the device (the queue is emptied too).
  virtual void reset() = 0;
  virtual void serialize(StateIo& io) = 0;

  bool has_output() const { return m_count != 0; }
  u8 take_output();
  // Called whenever the device queues bytes.
  void set_output_listener(std::function<void()> listener) { m_listener = std::move(listener); }

 protected:
  // Queues bytes for the host; a group that does not fit is dropped whole (a packet or a
  // response is never cut in two). Returns whether it fit.
  bool send(std::initializer_list<u8> bytes);
  size_t room() const { return kQueueSize - m_count; }
  void clear_queue() { m_head = m_count = 0; }
  void serialize_queue(StateIo& io);

 private:
  std::array<u8, kQueueSize> m_queue{};
  u16 m_head = 0;
  u16 m_count = 0;
  std::function<void()> m_listener;
};

}  // namespace tern
