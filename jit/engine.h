// Which CPU engine runs the guest: the interpreter or the JIT, and whether this host has a JIT
// backend.
#pragma once

#include "base/types.h"

namespace tern {

enum class Engine : u8 { kAuto, kInterp, kJit };

// True when a JIT backend for this host is built into the program.
bool host_has_jit();

// The engine that will run for a requested one: kAuto picks the best available; kJit on a host
// without a backend falls back to the interpreter (`fell_back` is then set).
Engine resolve_engine(Engine requested, bool& fell_back);

}  // namespace tern
