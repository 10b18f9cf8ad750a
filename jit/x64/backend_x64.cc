#include "jit/x64/backend_x64.h"

#include <cstring>

#include "base/log.h"
#include "jit/code_cache.h"
#include "jit/engine.h"
#include "jit/jit_engine.h"

namespace tern {

bool host_has_jit() { return true; }

std::unique_ptr<Backend> make_host_backend(JitEngine& engine) { return std::make_unique<x64::X64Backend>(engine); }

}  // namespace tern

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// Records that asmjit failed; the translation is then abandoned.
class ErrorFlag : public asmjit::ErrorHandler {
 public:
  void handleError(asmjit::Error, const char* message, asmjit::BaseEmitter*) override {
    failed = true;
    log(LogCat::kJit, LogLevel::kWarn, "asmjit: {}", message);
  }
  bool failed = false;
};

}  // namespace

X64Backend::X64Backend(JitEngine& engine) : m_engine(engine), m_layout(CpuLayout::of(engine.cpu())) {}

u8* X64Backend::place(asmjit::CodeHolder& code, size_t* size_out) {
  CodeCache& cache = m_engine.cache();
  u8* const at = cache.cursor();
  if (code.flatten() || code.resolveUnresolvedLinks() || code.relocateToBase(reinterpret_cast<u64>(at))) return nullptr;
  const size_t size = code.codeSize();
  if (size > cache.free_bytes()) return nullptr;
  if (code.copyFlattenedData(at, size)) return nullptr;
  cache.commit(size);
  *size_out = size;
  return at;
}

bool X64Backend::translate(const BlockSource& src, Block& block) {
  asmjit::CodeHolder code;
  ErrorFlag error;
  code.init(asmjit::Environment(asmjit::Arch::kX64), reinterpret_cast<u64>(m_engine.cache().cursor()));
  code.setErrorHandler(&error);
  a::Assembler as(&code);
  Emitter e(*this, as, src, block);
  if (!e.emit_block() || error.failed) return false;
  size_t size = 0;
  u8* at = place(code, &size);
  if (!at) return false;
  block.code = at;
  block.code_size = static_cast<u32>(size);
  for (const Emitter::PatchableJump& j : e.patchable_jumps()) {
    j.exit->jump_offset = static_cast<u32>(code.labelOffsetFromBase(j.jump)) + (j.conditional ? 2 : 1);
    j.exit->stub_offset = static_cast<u32>(code.labelOffsetFromBase(j.stub));
    block.exits.push_back(j.exit);
  }
  return true;
}

BlockExit* X64Backend::run(Cpu& cpu, const u8* entry) {
  using Enter = BlockExit* (*)(Cpu*, const u8*);
  return reinterpret_cast<Enter>(const_cast<u8*>(m_runtime.enter))(&cpu, entry);
}

void X64Backend::patch_exit(BlockExit& exit, const u8* target) {
  u8* field = exit.from->code + exit.jump_offset;
  const u8* dest = target ? target : exit.from->code + exit.stub_offset;
  const i32 rel = static_cast<i32>(dest - (field + 4));
  std::memcpy(field, &rel, 4);
}

}  // namespace tern::x64
