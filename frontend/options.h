// The command line and the INI config file (same keys; the command line wins).
#pragma once

#include <optional>
#include <string>

#include "frontend/guest_script.h"
#include "frontend/screenshot.h"
#include "machine/config.h"

namespace tern {

struct RunOptions {
  MachineConfig machine;
  bool headless = false;
  bool clock_given = false;  // --clock was set (the window defaults to host time otherwise)
  ScreenOutputOptions screen;
  GuestScriptOptions script;  // --send-keys, --until-serial, --guest-timeout
  double timeout_seconds = 0;  // 0: none
  bool stats = false;          // --stats: guest instructions and host time on stderr at exit
  std::string log;
  std::string save_path;  // --save: at the end of the run (and the window's save key)
  std::string load_path;  // --load
  std::string monitor;    // --monitor: stdio or unix:PATH
};

// Parses argv. Returns nullopt when the program should exit 0 at once (--help, --version; the
// text has been printed). Throws Error (exit 125) on any bad option, value or file.
std::optional<RunOptions> parse_options(int argc, char** argv);

}  // namespace tern
