// The window API of a build without SDL2 (-DTERN_SDL=OFF): never a display, so tern runs headless.
#include "frontend/sdl/window_runner.h"

#include "frontend/runner.h"

namespace tern {

bool display_available(std::string& why) {
  why = "this tern was built without SDL2";
  return false;
}

int run_window(Machine& machine, const RunOptions& options) { return run_headless(machine, options); }

}  // namespace tern
