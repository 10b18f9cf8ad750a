// Linux perf's map file for generated code (/tmp/perf-PID.map): one line per translated block,
// "START SIZE NAME" in hex, so `perf report` names the guest code the host time went to instead
// of showing bare addresses. Enabled by --jit-perf-map; costs nothing when off.
#pragma once

#include <cstdio>
#include <string_view>

#include "base/types.h"

namespace tern {

class PerfMap {
 public:
  PerfMap() = default;
  ~PerfMap();
  PerfMap(const PerfMap&) = delete;
  PerfMap& operator=(const PerfMap&) = delete;

  // Opens /tmp/perf-PID.map for this process; false (with a warning logged) when it cannot.
  bool open();
  bool is_open() const { return m_file != nullptr; }
  // A block of guest code at CS:EIP (physical address `phys`) translated to [code, code + size).
  void add_block(const u8* code, size_t size, u32 eip, u64 phys);
  // Any other code (the runtime stubs).
  void add(const u8* code, size_t size, std::string_view name);

 private:
  std::FILE* m_file = nullptr;
};

}  // namespace tern
