#include "jit/perf_map.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/log.h"

namespace tern {

PerfMap::~PerfMap() {
  if (m_file) std::fclose(m_file);
}

bool PerfMap::open() {
  const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  m_file = std::fopen(path.c_str(), "w");
  if (!m_file) {
    log(LogCat::kJit, LogLevel::kWarn, "--jit-perf-map: cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  log(LogCat::kJit, LogLevel::kInfo, "perf map: {}", path);
  return true;
}

void PerfMap::add_block(const u8* code, size_t size, u32 eip, u64 phys) {
  if (!m_file) return;
  std::fprintf(m_file, "%zx %zx guest_%08x_phys_%llx\n", reinterpret_cast<size_t>(code), size, eip,
               static_cast<unsigned long long>(phys));
}

void PerfMap::add(const u8* code, size_t size, std::string_view name) {
  if (!m_file) return;
  std::fprintf(m_file, "%zx %zx %.*s\n", reinterpret_cast<size_t>(code), size, static_cast<int>(name.size()),
               name.data());
}

}  // namespace tern
