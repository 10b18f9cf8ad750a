// Everything that defines a machine, as the user configured it (options or config file).
#pragma once

#include <string>

#include "base/types.h"
#include "jit/engine.h"

namespace tern {

enum class ClockMode : u8 { kVirtual, kHost };

struct MachineConfig {
  u64 ram_bytes = u64{128} << 20;
  std::string bios;          // raw ROM image replacing SeaBIOS
  std::string vga_bios;
  std::string kernel;        // Multiboot kernel or Linux bzImage
  std::string initrd;
  std::string append;
  std::string hda, hdb, cdrom, fda;
  std::string boot_order = "cad";
  std::string serial = "stdio";    // COM1 backend
  std::string debugcon = "none";   // ports 0xE9/0x402
  Engine engine = Engine::kAuto;
  bool jit_verify = false;  // --jit-verify: the interpreter checks every translated block
  bool jit_perf_map = false;  // --jit-perf-map: /tmp/perf-PID.map for Linux perf
  ClockMode clock = ClockMode::kVirtual;
  u64 instructions_per_second = 100'000'000;
  bool no_reboot = false;
  bool snapshot = false;
  // The RTC's date and time at virtual time 0, in seconds since 1970 (UTC); fixed by default
  // so that runs are repeatable: 2024-01-01 00:00:00.
  i64 rtc_start_epoch = 1704067200;
};

}  // namespace tern
