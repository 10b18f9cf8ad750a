// Host-clock pacing (`--clock=host`, the window's default): virtual time follows the host's
// steady clock. The runner asks for slices; when the guest is ahead of the host the pacer sleeps,
// when the emulator falls far behind, virtual time catches up so guest timers keep real pace.
#pragma once

#include <chrono>

#include "machine/machine.h"

namespace tern {

class HostPacer {
 public:
  explicit HostPacer(Machine& machine);

  // Runs the machine for at most `max_ns` of virtual time, no further than the host clock, or
  // sleeps (at most `max_ns`) when virtual time is ahead.
  void run_slice(u64 max_ns);

 private:
  using HostClock = std::chrono::steady_clock;
  Machine& m_machine;
  HostClock::time_point m_host_start;
  u64 m_virtual_start;
};

}  // namespace tern
