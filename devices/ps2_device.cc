#include "devices/ps2_device.h"

#include "base/state.h"

namespace tern {

u8 Ps2Device::take_output() {
  if (!m_count) return 0;
  const u8 b = m_queue[m_head];
  m_head = static_cast<u16>((m_head + 1) % kQueueSize);
  --m_count;
  return b;
}

bool Ps2Device::send(std::initializer_list<u8> bytes) {
  if (bytes.size() > room()) return false;
  for (u8 b : bytes) {
    m_queue[(m_head + m_count) % kQueueSize] = b;
    ++m_count;
  }
  if (m_listener) m_listener();
  return true;
}

void Ps2Device::serialize_queue(StateIo& io) {
  io(m_queue, m_head, m_count);
  if (io.loading() && (m_head >= kQueueSize || m_count > kQueueSize)) throw_state_error("ps2: bad queue state");
}

}  // namespace tern
