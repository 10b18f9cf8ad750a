// Four independent 64-bit lanes over 32-byte blocks, so the multiplies of different lanes
// overlap in the host's pipeline; each lane mixes a word with a multiply by an odd constant and a
// rotate. The lanes, the tail and the length are folded together with a final avalanche.
#include "base/content_hash.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "base/bits.h"
#include "base/error.h"

namespace tern {

namespace {

constexpr u64 kMulA = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio
constexpr u64 kMulB = 0xC2B2AE3D27D4EB4Full;
constexpr u64 kMulC = 0xFF51AFD7ED558CCDull;
constexpr size_t kReadChunk = size_t{4} << 20;

u64 rotl(u64 v, unsigned n) { return (v << n) | (v >> (64 - n)); }

u64 mix_word(u64 lane, u64 word) { return rotl(lane + word * kMulB, 31) * kMulA; }

u64 avalanche(u64 h) {
  h ^= h >> 33;
  h *= kMulC;
  h ^= h >> 29;
  h *= kMulB;
  h ^= h >> 32;
  return h;
}

}  // namespace

u64 content_hash(const void* data, size_t size, u64 seed) {
  const u8* p = static_cast<const u8*>(data);
  u64 lane[4] = {seed + kMulA, seed ^ kMulB, seed - kMulA, rotl(seed, 17) ^ kMulC};
  size_t i = 0;
  for (; i + 32 <= size; i += 32)
    for (unsigned k = 0; k < 4; ++k) lane[k] = mix_word(lane[k], load_le<u64>(p + i + 8 * k));
  u64 h = rotl(lane[0], 1) + rotl(lane[1], 7) + rotl(lane[2], 12) + rotl(lane[3], 18);
  for (; i + 8 <= size; i += 8) h = mix_word(h, load_le<u64>(p + i));
  for (; i < size; ++i) h = mix_word(h, p[i]);
  return avalanche(h ^ (static_cast<u64>(size) * kMulC));
}

u64 file_content_hash(const std::string& path, const std::string& what) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) fail("{} '{}': {}", what, path, std::strerror(errno));
  std::vector<u8> buffer(kReadChunk);
  u64 h = 0;
  for (;;) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), f.get());
    if (n > 0) h = content_hash(buffer.data(), n, h);
    if (n < buffer.size()) break;
  }
  if (std::ferror(f.get())) fail("{} '{}': read error", what, path);
  return h;
}

}  // namespace tern
