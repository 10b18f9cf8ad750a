#include "frontend/runner.h"

#include <chrono>

#include "base/error.h"

namespace tern {

namespace {

// Virtual time per slice: the host checks its timeout (and later its window) this often.
constexpr u64 kSliceNs = 10'000'000;

}  // namespace

int exit_code_for(const Machine& machine) {
  switch (machine.status()) {
    case MachineStatus::kPoweredOff: return static_cast<int>(ExitCode::kOk);
    case MachineStatus::kDebugExit: return machine.exit_code();
    case MachineStatus::kTripleFault: return static_cast<int>(ExitCode::kTripleFault);
    case MachineStatus::kRunning: break;
  }
  return static_cast<int>(ExitCode::kInternal);
}

int run_headless(Machine& machine, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto limit = std::chrono::duration<double>(options.timeout_seconds);
  while (machine.status() == MachineStatus::kRunning) {
    machine.run_for(kSliceNs);
    if (options.timeout_seconds > 0 && Clock::now() - start >= limit) {
      machine.flush_output();
      return static_cast<int>(ExitCode::kTimeout);
    }
  }
  machine.flush_output();
  return exit_code_for(machine);
}

}  // namespace tern
