#include "devices/debug_port.h"

namespace tern {

DebugConsole::DebugConsole(IoSpace& io, CharBackend& out) : m_out(out) {
  IoOps ops;
  ops.widths = 1;
  ops.read = [](u32, unsigned) -> u64 { return 0xE9; };
  ops.write = [this](u32, u64 value, unsigned) { m_out.write(static_cast<u8>(value)); };
  io.map(0xE9, 1, ops);
  io.map(0x402, 1, ops);
}

DebugExit::DebugExit(IoSpace& io, std::function<void(int code)> on_exit) : m_on_exit(std::move(on_exit)) {
  IoOps ops;
  ops.widths = 1 | 2 | 4;
  ops.write = [this](u32, u64 value, unsigned) { m_on_exit(static_cast<int>(value & 0xFF)); };
  io.map(0xF4, 1, ops);
}

}  // namespace tern
