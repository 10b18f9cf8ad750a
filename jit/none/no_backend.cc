// Hosts without a JIT backend: the interpreter runs the guest.
#include "jit/backend.h"
#include "jit/engine.h"

namespace tern {

bool host_has_jit() { return false; }

std::unique_ptr<Backend> make_host_backend(JitEngine&) { return nullptr; }

}  // namespace tern
