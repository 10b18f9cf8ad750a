// Bit and byte helpers. Guest memory is little-endian on every host, so every multi-byte guest
// value goes through load_le/store_le (memcpy plus a byte swap on big-endian hosts).
#pragma once

#include <bit>
#include <cstring>

#include "base/types.h"

namespace tern {

template <class T>
inline T byteswap_if_big_endian(T v) {
  if constexpr (std::endian::native == std::endian::big) {
    T r = 0;
    for (size_t i = 0; i < sizeof(T); ++i) r = static_cast<T>((r << 8) | ((v >> (8 * i)) & 0xFF));
    return r;
  } else {
    return v;
  }
}

template <class T>
inline T load_le(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return byteswap_if_big_endian(v);
}

template <class T>
inline void store_le(void* p, T v) {
  v = byteswap_if_big_endian(v);
  std::memcpy(p, &v, sizeof(T));
}

// Reads/writes `size` (1, 2, 4 or 8) little-endian bytes as a u64.
inline u64 load_le_sized(const void* p, unsigned size) {
  switch (size) {
    case 1: return *static_cast<const u8*>(p);
    case 2: return load_le<u16>(p);
    case 4: return load_le<u32>(p);
    default: return load_le<u64>(p);
  }
}

inline void store_le_sized(void* p, u64 v, unsigned size) {
  switch (size) {
    case 1: *static_cast<u8*>(p) = static_cast<u8>(v); break;
    case 2: store_le<u16>(p, static_cast<u16>(v)); break;
    case 4: store_le<u32>(p, static_cast<u32>(v)); break;
    default: store_le<u64>(p, v); break;
  }
}

constexpr u32 bit(unsigned n) { return u32{1} << n; }

// All ones in the low `bits` bits (bits 1..64).
constexpr u64 low_mask(unsigned bits) { return bits >= 64 ? ~u64{0} : (u64{1} << bits) - 1; }

// Sign-extends the low `bits` bits of v to 64 bits.
constexpr i64 sign_extend(u64 v, unsigned bits) {
  const u64 m = u64{1} << (bits - 1);
  v &= low_mask(bits);
  return static_cast<i64>((v ^ m) - m);
}

}  // namespace tern
