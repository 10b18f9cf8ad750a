#include "frontend/runner.h"

#include <chrono>
#include <optional>

#include "base/error.h"
#include "frontend/guest_script.h"
#include "frontend/host_clock.h"
#include "frontend/monitor.h"
#include "frontend/screenshot.h"

namespace tern {

namespace {

// Virtual time per slice: the host checks its timeout (and later its window) this often.
constexpr u64 kSliceNs = 10'000'000;

}  // namespace

int exit_code_for(const Machine& machine) {
  switch (machine.status()) {
    case MachineStatus::kPoweredOff: return static_cast<int>(ExitCode::kOk);
    case MachineStatus::kDebugExit:
    case MachineStatus::kStopped: return machine.exit_code();
    case MachineStatus::kTripleFault: return static_cast<int>(ExitCode::kTripleFault);
    case MachineStatus::kRunning: break;
  }
  return static_cast<int>(ExitCode::kInternal);
}

int run_headless(Machine& machine, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto limit = std::chrono::duration<double>(options.timeout_seconds);
  ScreenOutputs screen(options.screen);
  GuestScript script(options.script, machine);
  std::optional<Monitor> monitor;
  if (!options.monitor.empty()) monitor.emplace(options.monitor, machine);
  std::optional<HostPacer> pacer;
  if (machine.config().clock == ClockMode::kHost) pacer.emplace(machine);
  int code = -1;
  while (machine.status() == MachineStatus::kRunning) {
    // Slices end at timed screenshots, so pictures are taken at exact virtual times.
    const u64 now = machine.clock().now();
    const u64 slice = std::max<u64>(1, std::min({kSliceNs, screen.ns_until_next(now), script.ns_until_next(now)}));
    if (pacer)
      pacer->run_slice(slice);
    else
      machine.run_for(slice);
    screen.after_slice(machine);
    script.after_slice();
    if (monitor && monitor->poll() && pacer) pacer.emplace(machine);
    if (options.timeout_seconds > 0 && Clock::now() - start >= limit) {
      code = static_cast<int>(ExitCode::kTimeout);
      break;
    }
  }
  machine.flush_output();
  screen.finish(machine);
  return code >= 0 ? code : exit_code_for(machine);
}

}  // namespace tern
