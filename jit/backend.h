// The interface between the host-independent engine (block discovery, the block map, chaining,
// invalidation, accounting, helpers) and a host code generator (jit/x64/, later jit/a64/).
#pragma once

#include <memory>

#include "jit/block.h"
#include "jit/discover.h"

namespace tern {

class CodeCache;
class Cpu;
class JitEngine;

class Backend {
 public:
  virtual ~Backend() = default;

  // Emits the entry and exit trampolines and helper thunks at the cursor of an empty cache.
  virtual bool emit_runtime(CodeCache& cache) = 0;
  // Translates `src` into code at the cache's cursor and fills `block` (code, exits, sites);
  // false when the cache has no room left.
  virtual bool translate(const BlockSource& src, Block& block) = 0;
  // Runs generated code from `entry` until it leaves; returns the exit it left through when that
  // is a patchable one (so the engine can chain it), else null.
  virtual BlockExit* run(Cpu& cpu, const u8* entry) = 0;
  // Points a patchable exit at `target` code, or back at its own exit stub when null.
  virtual void patch_exit(BlockExit& exit, const u8* target) = 0;
  // Instructions generated code runs without any chance to fault or call out (flag liveness).
  virtual PureInsnPredicate pure_insn() const = 0;
};

// The backend for this host, or null when there is none.
std::unique_ptr<Backend> make_host_backend(JitEngine& engine);

}  // namespace tern
