#include "devices/port92.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

Port92::Port92(IoSpace& io, std::function<void(bool)> set_a20, std::function<void()> reset_system)
    : m_set_a20(std::move(set_a20)), m_reset_system(std::move(reset_system)) {
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32, unsigned) -> u64 { return m_value; };
  ops.write = [this](u32, u64 value, unsigned) { write(static_cast<u8>(value)); };
  io.map(0x92, 1, ops);
}

void Port92::write(u8 value) {
  const u8 old = m_value;
  m_value = value;
  if ((old ^ value) & 2) m_set_a20(a20());
  if ((value & 1) && !(old & 1)) {
    log(LogCat::kMachine, LogLevel::kInfo, "system reset through port 0x92");
    m_reset_system();
  }
}

void Port92::reset() { m_value = 0; }

void Port92::serialize(StateIo& io) { io(m_value); }

}  // namespace tern
