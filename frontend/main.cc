// tern: a portable PC emulator. Parses options, builds the machine and runs it.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "base/error.h"
#include "base/log.h"
#include "frontend/options.h"
#include "frontend/runner.h"
#include "frontend/sdl/window_runner.h"
#include "machine/machine.h"

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
    Machine machine(config);
    if (window) return run_window(machine, *options);
    if (!options->headless) fmt::print(stderr, "tern: no display ({}); running headless\n", no_display);
    return run_headless(machine, *options);
  } catch (const Error& e) {
    fmt::print(stderr, "tern: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "tern: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::kInternal);
  }
}
