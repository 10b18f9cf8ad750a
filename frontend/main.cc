// tern: a portable PC emulator. Parses options, builds the machine and runs it.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <optional>

#include "base/error.h"
#include "base/log.h"
#include "frontend/options.h"
#include "frontend/runner.h"
#include "frontend/sdl/window_runner.h"
#include "machine/machine.h"
#include "machine/state_header.h"

int main(int argc, char** argv) {
  using namespace tern;
  try {
    const std::optional<RunOptions> options = parse_options(argc, argv);
    if (!options) return 0;
    configure_logging(options->log);
    // Without --headless: a window when a display exists, with guest time following the host
    // clock unless --clock says otherwise.
    std::string no_display;
    const bool window = !options->headless && display_available(no_display);
    MachineConfig config = options->machine;
    if (window && !options->clock_given) config.clock = ClockMode::kHost;
    // --load: the file is read and checked whole first; the machine is the one it describes.
    std::optional<StateReader> state;
    if (!options->load_path.empty()) {
      state.emplace(StateReader::from_file(options->load_path));
      config = StateHeader::read(*state).machine_config(config);
    }
    Machine machine(config);
    if (state) machine.load_state(*state);
    if (!window && !options->headless) fmt::print(stderr, "tern: no display ({}); running headless\n", no_display);
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const int code = window ? run_window(machine, *options) : run_headless(machine, *options);
    if (!options->save_path.empty()) machine.save_state(options->save_path);
    if (options->stats) {
      // Wall time and this process's CPU time: the latter is steadier on a loaded host.
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
      const double n = static_cast<double>(machine.instructions());
      fmt::print(stderr, "tern: {} instructions, {:.3f} s wall, {:.3f} s CPU: {:.1f} MIPS wall, {:.1f} MIPS CPU\n",
                 machine.instructions(), wall, cpu, n / wall / 1e6, n / cpu / 1e6);
    }
    return code;

  } catch (const Error& e) {
    fmt::print(stderr, "tern: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "tern: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::kInternal);
  }
}
