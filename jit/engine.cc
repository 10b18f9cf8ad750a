#include "jit/engine.h"

namespace tern {

Engine resolve_engine(Engine requested, bool& fell_back) {
  fell_back = false;
  if (requested == Engine::kInterp) return Engine::kInterp;
  if (host_has_jit()) return Engine::kJit;
  fell_back = requested == Engine::kJit;
  return Engine::kInterp;
}

}  // namespace tern
