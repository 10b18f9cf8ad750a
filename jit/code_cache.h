// Executable memory for generated code. One mapping holds the JitContext (data generated code
// reads and writes, on pages of its own), then the backend's runtime stubs, then blocks, placed by
// bumping a cursor. When a block does not fit, the engine flushes everything and starts again.
#pragma once

#include <cstddef>

#include "base/types.h"
#include "jit/context.h"

namespace tern {

class CodeCache {
 public:
  explicit CodeCache(size_t bytes);
  ~CodeCache();
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  // False when the host refused executable memory.
  bool ok() const { return m_base != nullptr; }
  JitContext& context() { return *m_context; }

  u8* cursor() const { return m_cursor; }
  size_t free_bytes() const { return static_cast<size_t>(m_end - m_cursor); }
  // Marks `bytes` at the cursor as used (code written there).
  void commit(size_t bytes);
  // Forgets everything above `mark` (a cursor value returned earlier).
  void reset_to(u8* mark) { m_cursor = mark; }
  // Where code starts (after the context).
  u8* code_start() const { return m_code_start; }
  size_t capacity() const { return static_cast<size_t>(m_end - m_code_start); }
  size_t used() const { return static_cast<size_t>(m_cursor - m_code_start); }

 private:
  u8* m_base = nullptr;
  size_t m_size = 0;
  JitContext* m_context = nullptr;
  u8* m_code_start = nullptr;
  u8* m_cursor = nullptr;
  u8* m_end = nullptr;
};

}  // namespace tern
