// The window's run loop: SDL events, then a slice of guest time (paced to the host clock unless
// --clock=virtual was asked for), a new picture about 60 times a second, and once a second a
// title with the guest's speed and state.
#include "frontend/sdl/window_runner.h"

#include <SDL.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "base/error.h"
#include "cpu/state.h"
#include "frontend/host_clock.h"
#include "frontend/runner.h"
#include "frontend/screenshot.h"
#include "frontend/sdl/input.h"
#include "frontend/sdl/window.h"

namespace tern {

namespace {

using HostClock = std::chrono::steady_clock;

// Guest time per slice adapts so that a slice costs about kSliceHostTarget of host time: the
// window stays responsive however fast the guest runs.
constexpr u64 kMinSliceNs = 100'000;
constexpr u64 kMaxSliceNs = 10'000'000;
constexpr auto kSliceHostTarget = std::chrono::milliseconds(4);
constexpr auto kFrameInterval = std::chrono::milliseconds(16);
constexpr auto kTitleInterval = std::chrono::seconds(1);

// The board's PS/2 devices as input targets: keys as set 2 bytes (the i8042 translates them to
// set 1 when the guest asks for it), motion as it comes.
GuestInput guest_input(Machine& machine) {
  GuestInput input;
  input.key = [&machine](const Ps2Key& key, bool pressed) {
    for (u8 byte : set2_bytes(key, pressed)) machine.keyboard().key_scancode(byte);
  };
  input.mouse = [&machine](int dx, int dy, int dz, u8 buttons) { machine.mouse().move(dx, dy, dz, buttons); };
  return input;
}

const char* state_name(Machine& machine, const WindowInput& input) {
  if (input.paused()) return "paused";
  const Cpu& cpu = machine.cpu();
  // HLT with interrupts off: nothing but a reset wakes the guest.
  if (machine.status() != MachineStatus::kRunning || (cpu.halted && !(cpu.eflags & fl::IF))) return "halted";
  return "running";
}

std::string title_for(Machine& machine, const WindowInput& input, double mips) {
  const char* hint = input.grabbed() ? "Ctrl+Alt+G releases the mouse" : "click to grab the mouse";
  return fmt::format("tern - {} - {:.1f} MIPS - {} - Ctrl+Alt+End: Ctrl+Alt+Del", state_name(machine, input), mips,
                     hint);
}

}  // namespace

bool display_available(std::string& why) {
  // On X11/Wayland systems a display is named by the environment; without one, SDL would fall
  // back to its off-screen driver (and print about the missing Wayland runtime directory).
  const std::string platform = SDL_GetPlatform();
  const bool unix_desktop = platform == "Linux" || platform.find("BSD") != std::string::npos;
  if (unix_desktop && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
    why = "neither DISPLAY nor WAYLAND_DISPLAY is set";
    return false;
  }
  // Only the display systems named there (SDL_VIDEODRIVER in the environment still wins).
  if (unix_desktop) SDL_SetHint(SDL_HINT_VIDEODRIVER, std::getenv("WAYLAND_DISPLAY") ? "wayland,x11" : "x11");
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
    why = SDL_GetError();
    if (why.empty()) why = "no video device";
    return false;
  }
  const std::string driver = SDL_GetCurrentVideoDriver();
  if (driver == "offscreen" || driver == "dummy") {
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    why = "SDL found only its " + driver + " video driver";
    return false;
  }
  return true;
}

int run_window(Machine& machine, const RunOptions& options) {
  SdlWindow window;
  WindowInput input(window.handle(), guest_input(machine));
  ScreenOutputs screen(options.screen);
  std::optional<HostPacer> pacer;
  const auto start = HostClock::now();
  auto next_frame = start;
  auto next_title = start;
  u64 title_instructions = machine.instructions();
  auto title_time = start;
  double mips = 0;
  u64 slice_ns = kMaxSliceNs;
  bool closed = false;
  int code = -1;
  while (machine.status() == MachineStatus::kRunning && !closed) {
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      if (event.type == SDL_QUIT ||
          (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE)) {
        closed = true;
      } else {
        input.handle(event);
      }
    }
    const u64 slice = std::max<u64>(1, std::min(slice_ns, screen.ns_until_next(machine.clock().now())));
    const auto slice_start = HostClock::now();
    if (input.paused()) {
      pacer.reset();  // resume from the host time of the resume
      SDL_Delay(10);
    } else if (machine.config().clock == ClockMode::kHost) {
      if (!pacer) pacer.emplace(machine);
      pacer->run_slice(slice);
    } else {
      machine.run_for(slice);
    }
    const auto slice_cost = HostClock::now() - slice_start;
    if (slice_cost > 2 * kSliceHostTarget)
      slice_ns = std::max(kMinSliceNs, slice_ns / 2);
    else if (slice_cost < kSliceHostTarget / 2)
      slice_ns = std::min(kMaxSliceNs, slice_ns * 2);
    screen.after_slice(machine);
    const auto now = HostClock::now();
    if (now >= next_frame) {
      window.present(render_screen(machine.vga()));
      machine.flush_output();  // console files follow the run, for whoever watches them
      next_frame = now + kFrameInterval;
    }
    if (now >= next_title) {
      const double seconds = std::chrono::duration<double>(now - title_time).count();
      if (seconds > 0) mips = static_cast<double>(machine.instructions() - title_instructions) / seconds / 1e6;
      title_instructions = machine.instructions();
      title_time = now;
      window.set_title(title_for(machine, input, mips));
      next_title = now + kTitleInterval;
    }
    if (options.timeout_seconds > 0 && std::chrono::duration<double>(now - start).count() >= options.timeout_seconds) {
      code = static_cast<int>(ExitCode::kTimeout);
      break;
    }
  }
  machine.flush_output();
  screen.finish(machine);
  if (closed) return static_cast<int>(ExitCode::kOk);
  return code >= 0 ? code : exit_code_for(machine);
}

}  // namespace tern
