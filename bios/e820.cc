#include "bios/e820.h"

namespace tern {

std::vector<E820Entry> board_e820(u64 low_ram, u64 high_ram) {
  std::vector<E820Entry> map;
  if (low_ram) map.push_back({0, low_ram, E820Type::kRam});
  if (high_ram) map.push_back({u64{1} << 32, high_ram, E820Type::kRam});
  return map;
}

std::vector<u8> encode_e820(const std::vector<E820Entry>& entries) {
  std::vector<u8> out;
  const auto put = [&](u64 v, unsigned size) {
    for (unsigned i = 0; i < size; ++i) out.push_back(static_cast<u8>(v >> (8 * i)));
  };
  for (const E820Entry& e : entries) {
    put(e.address, 8);
    put(e.length, 8);
    put(static_cast<u32>(e.type), 4);
  }
  return out;
}

}  // namespace tern
