// tern: a portable PC emulator. Parses options, builds the machine and runs it.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "base/error.h"
#include "base/log.h"
#include "frontend/options.h"
#include "frontend/runner.h"
#include "machine/machine.h"

int main(int argc, char** argv) {
  using namespace tern;
  try {
    const std::optional<RunOptions> options = parse_options(argc, argv);
    if (!options) return 0;
    configure_logging(options->log);
    Machine machine(options->machine);
    return run_headless(machine, *options);
  } catch (const Error& e) {
    fmt::print(stderr, "tern: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "tern: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::kInternal);
  }
}
