#include "jit/code_cache.h"

#include <sys/mman.h>

#include <new>

namespace tern {

namespace {

constexpr size_t kHostPage = 4096;

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

CodeCache::CodeCache(size_t bytes) {
  const size_t data = round_up(sizeof(JitContext), kHostPage);
  m_size = data + round_up(bytes, kHostPage);
  void* p = mmap(nullptr, m_size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return;
  m_base = static_cast<u8*>(p);
  m_context = new (m_base) JitContext{};
  m_code_start = m_cursor = m_base + data;
  m_end = m_base + m_size;
}

CodeCache::~CodeCache() {
  if (!m_base) return;
  m_context->~JitContext();
  munmap(m_base, m_size);
}

void CodeCache::commit(size_t bytes) { m_cursor += bytes; }

}  // namespace tern
