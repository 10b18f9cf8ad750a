// The window's run loop: SDL events, then a slice of guest time (paced to the host clock unless
// --clock=virtual was asked for), a new picture about 60 times a second, and once a second a
// title with the guest's speed and state.
#include "frontend/sdl/window_runner.h"

#include <SDL.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "base/error.h"
#include "cpu/state.h"
#include "frontend/host_clock.h"
#include "frontend/monitor.h"
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
  return fmt::format("tern - {} - {:.1f} MIPS - {} - Ctrl+Alt+End: Ctrl+Alt+Del - Ctrl+Alt+S: save",
                     state_name(machine, input), mips, hint);
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

namespace {

// One windowed run: the loop's state and its three steps.
class WindowRun {
 public:
  WindowRun(Machine& machine, const RunOptions& options)
      : m_machine(machine),
        m_input(m_window.handle(), guest_input(machine)),
        m_screen(options.screen),
        m_save_path(options.save_path) {
    if (!options.monitor.empty()) m_monitor.emplace(options.monitor, machine);
  }

  int run(double timeout_seconds) {
    const auto start = HostClock::now();
    int code = -1;
    while (m_machine.status() == MachineStatus::kRunning && !m_closed) {
      handle_events();
      if (m_input.take_save_request()) save_state();
      if (m_monitor && m_monitor->poll()) m_pacer.reset();  // a loaded state: pace from its time
      run_slice();
      const auto now = HostClock::now();
      refresh(now);
      if (timeout_seconds > 0 && std::chrono::duration<double>(now - start).count() >= timeout_seconds) {
        code = static_cast<int>(ExitCode::kTimeout);
        break;
      }
    }
    m_machine.flush_output();
    m_screen.finish(m_machine);
    if (m_closed) return static_cast<int>(ExitCode::kOk);
    return code >= 0 ? code : exit_code_for(m_machine);
  }

 private:
  void handle_events() {
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      if (event.type == SDL_QUIT || (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE))
        m_closed = true;
      else
        m_input.handle(event);
    }
  }

  // Ctrl+Alt+S: to the --save file, or to a new file named after the time in the current
  // directory. A failure is reported and the guest runs on.
  void save_state() {
    std::string path = m_save_path;
    if (path.empty()) {
      const std::time_t now = std::time(nullptr);
      char name[64];
      std::strftime(name, sizeof name, "tern-%Y%m%d-%H%M%S.state", std::localtime(&now));
      path = name;
    }
    try {
      m_machine.save_state(path);
      fmt::print(stderr, "tern: state saved to {}\n", path);
    } catch (const Error& e) {
      fmt::print(stderr, "tern: {}\n", e.what());
    }
  }

  void run_slice() {
    const u64 slice = std::max<u64>(1, std::min(m_slice_ns, m_screen.ns_until_next(m_machine.clock().now())));
    const auto slice_start = HostClock::now();
    if (m_input.paused()) {
      m_pacer.reset();  // resume from the host time of the resume
      SDL_Delay(10);
    } else if (m_machine.config().clock == ClockMode::kHost) {
      if (!m_pacer) m_pacer.emplace(m_machine);
      m_pacer->run_slice(slice);
    } else {
      m_machine.run_for(slice);
    }
    const auto cost = HostClock::now() - slice_start;
    if (cost > 2 * kSliceHostTarget)
      m_slice_ns = std::max(kMinSliceNs, m_slice_ns / 2);
    else if (cost < kSliceHostTarget / 2)
      m_slice_ns = std::min(kMaxSliceNs, m_slice_ns * 2);
    m_screen.after_slice(m_machine);
  }

  // A new frame about 60 times a second, a new title once a second.
  void refresh(HostClock::time_point now) {
    if (now >= m_next_frame) {
      render_screen(m_machine.vga(), m_frame);
      m_window.present(m_frame);
      m_machine.flush_output();  // console files follow the run, for whoever watches them
      m_next_frame = now + kFrameInterval;
    }
    if (now < m_next_title) return;
    const double seconds = std::chrono::duration<double>(now - m_title_time).count();
    const double mips = seconds > 0 ? static_cast<double>(m_machine.instructions() - m_title_instructions) / seconds / 1e6 : 0;
    m_title_instructions = m_machine.instructions();
    m_title_time = now;
    m_window.set_title(title_for(m_machine, m_input, mips));
    m_next_title = now + kTitleInterval;
  }

  Machine& m_machine;
  SdlWindow m_window;
  WindowInput m_input;
  ScreenOutputs m_screen;
  std::string m_save_path;
  std::optional<Monitor> m_monitor;
  VgaImage m_frame;  // reused from frame to frame
  std::optional<HostPacer> m_pacer;
  u64 m_slice_ns = kMaxSliceNs;
  bool m_closed = false;
  HostClock::time_point m_next_frame = HostClock::now();
  HostClock::time_point m_next_title = HostClock::now();
  HostClock::time_point m_title_time = HostClock::now();
  u64 m_title_instructions = 0;
};

}  // namespace

int run_window(Machine& machine, const RunOptions& options) {
  WindowRun run(machine, options);
  return run.run(options.timeout_seconds);
}

}  // namespace tern
