// The x86-64 host backend: runtime stubs, block translation through Emitter, entering generated
// code and patching chained exits.
#pragma once

#include <asmjit/x86.h>

#include "jit/backend.h"
#include "jit/x64/abi.h"
#include "jit/x64/emitter.h"

namespace tern::x64 {

class X64Backend final : public Backend {
 public:
  explicit X64Backend(JitEngine& engine);

  bool emit_runtime(CodeCache& cache) override;
  bool translate(const BlockSource& src, Block& block) override;
  BlockExit* run(Cpu& cpu, const u8* entry) override;
  void patch_exit(BlockExit& exit, const u8* target) override;
  PureInsnPredicate pure_insn() const override { return &is_pure; }

  JitEngine& engine() { return m_engine; }
  const CpuLayout& layout() const { return m_layout; }
  const Runtime& runtime() const { return m_runtime; }

 private:
  // Assembles with `emit` at the cache cursor; returns the code start or null (no room, error).
  // Places assembled code at the cache cursor; null when it does not fit or asmjit failed.
  u8* place(asmjit::CodeHolder& code, size_t* size_out);

  JitEngine& m_engine;
  CpuLayout m_layout;
  Runtime m_runtime;
};

}  // namespace tern::x64
