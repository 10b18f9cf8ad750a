// Port 0x92, system control port A of the PIIX ("fast A20 and INIT"): bit 1 gates A20, a rising
// edge of bit 0 resets the machine.
#pragma once

#include <functional>

#include "mmu/io_space.h"

namespace tern {

class StateIo;

class Port92 {
 public:
  Port92(IoSpace& io, std::function<void(bool)> set_a20, std::function<void()> reset_system);

  bool a20() const { return m_value & 2; }

  void reset();
  void serialize(StateIo& io);

 private:
  void write(u8 value);

  std::function<void(bool)> m_set_a20;
  std::function<void()> m_reset_system;
  u8 m_value = 0;
};

}  // namespace tern
