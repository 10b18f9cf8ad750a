// QEMU-style debug devices: the debug console (bytes written to port 0xE9 or 0x402 go to
// `--debugcon`; reading 0xE9 returns 0xE9 so guests can detect it) and isa-debug-exit at port
// 0xF4, where a guest ends the run with the value it writes as the exit code.
#pragma once

#include <functional>

#include "devices/char_backend.h"
#include "mmu/io_space.h"

namespace tern {

class DebugConsole {
 public:
  DebugConsole(IoSpace& io, CharBackend& out);

 private:
  CharBackend& m_out;
};

class DebugExit {
 public:
  DebugExit(IoSpace& io, std::function<void(int code)> on_exit);

 private:
  std::function<void(int)> m_on_exit;
};

}  // namespace tern
