#include "frontend/host_clock.h"

#include <algorithm>
#include <thread>

namespace tern {

namespace {

// Lag beyond which virtual time jumps to host time instead of running behind it.
constexpr u64 kMaxLagNs = 100'000'000;

}  // namespace

HostPacer::HostPacer(Machine& machine)
    : m_machine(machine), m_host_start(HostClock::now()), m_virtual_start(machine.clock().now()) {}

void HostPacer::run_slice(u64 max_ns) {
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(HostClock::now() - m_host_start);
  const u64 target = m_virtual_start + static_cast<u64>(elapsed.count());
  Clock& clock = m_machine.clock();
  if (clock.now() >= target) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(clock.now() - target, max_ns)));
    return;
  }
  m_machine.run_for(std::min(target - clock.now(), max_ns));
  if (m_machine.status() == MachineStatus::kRunning && clock.now() + kMaxLagNs < target) {
    clock.advance_to(target - kMaxLagNs);
    clock.run_due();
  }
}

}  // namespace tern
