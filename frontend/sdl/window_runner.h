// The windowed run: `tern` without --headless. The display probe decides between the window and
// the headless runner before the machine is built (the window defaults to host-clock time).
#pragma once

#include <string>

#include "frontend/options.h"
#include "machine/machine.h"

namespace tern {

// True when a window can be opened (SDL's video subsystem starts: a display exists); otherwise
// false with the reason in `why`.
bool display_available(std::string& why);

// Runs the machine in a window until the guest stops, the timeout passes or the user closes the
// window (a clean end: exit code 0). Returns the exit code.
int run_window(Machine& machine, const RunOptions& options);

}  // namespace tern
