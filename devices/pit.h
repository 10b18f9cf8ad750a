// The 8254 programmable interval timer at ports 0x40-0x43 and the PC's port 0x61 (system
// control port B: counter 2 gate, speaker enable, counter 2 OUT, DRAM refresh toggle).
//
// The counters run at 1.193182 MHz derived from the virtual clock; counter 0's OUT is IRQ 0,
// followed edge by edge with a timer; counter 2's gate and OUT are wired to port 0x61.
#pragma once

#include <array>

#include "base/clock.h"
#include "base/irq.h"
#include "devices/pit_counter.h"
#include "mmu/io_space.h"

namespace tern {

class Pit {
 public:
  static constexpr u64 kInputHz = 1'193'182;

  Pit(IoSpace& io, Clock& clock, IrqLine irq0);

  // The input-clock tick at virtual time `ns` (the first tick at or after ns is tick_time()).
  static u64 tick_at(u64 ns);
  static u64 tick_time(u64 tick);

  // The speaker sounds counter 2's OUT when port 0x61 bits 0 and 1 are both set.
  bool speaker_enabled() const { return (m_port61 & 3) == 3; }
  PitCounter& counter(int i) { return m_counters[static_cast<size_t>(i)]; }

  void reset();
  void serialize(StateIo& io);

 private:
  u64 now_tick() const { return tick_at(m_clock.now()); }
  void write_control(u8 value);
  u8 read_port61();
  void write_port61(u8 value);
  // Brings IRQ 0 to counter 0's OUT and arms the timer for its next change.
  void update_irq0();

  Clock& m_clock;
  IrqLine m_irq0;
  std::array<PitCounter, 3> m_counters{};
  bool m_irq0_level = false;
  u8 m_port61 = 0;  // bits 0-3 as written
  Timer m_timer;
};

}  // namespace tern
