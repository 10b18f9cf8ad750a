// Runs a machine to its end and turns the way it ended into the process exit code
// (docs/exit-codes.md).
#pragma once

#include "frontend/options.h"
#include "machine/machine.h"

namespace tern {

// Runs without a window until the guest powers off, exits through the debug port, triple-faults
// (with --no-reboot) or the timeout passes. Returns the exit code.
int run_headless(Machine& machine, const RunOptions& options);

// The exit code for a machine that stopped by itself.
int exit_code_for(const Machine& machine);

}  // namespace tern
