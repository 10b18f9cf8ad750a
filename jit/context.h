// Data that generated code and the engine share, placed at the start of the code cache so that
// generated code reaches it with RIP-relative addressing.
#pragma once

#include "base/types.h"

namespace tern {

struct Block;

// One slot of the jump cache: the block last entered at a linear address hashed to this slot.
// Generated code takes an indirect or cross-page jump through it after checking that the target's
// linear page still maps to the same host bytes (`host`) under the same mode key and EIP (`tag`);
// the engine's own lookup tries it before its block map.
struct JumpCacheEntry {
  const u8* host = nullptr;  // host address of the block's first guest byte
  const u8* code = nullptr;  // the block's entry
  u64 tag = 0;               // jump_cache_tag(key, eip)
  Block* block = nullptr;
};

inline constexpr unsigned kJumpCacheBits = 15;
inline constexpr u32 kJumpCacheSize = 1u << kJumpCacheBits;

inline u64 jump_cache_tag(u32 key, u32 eip) { return (u64{key} << 32) | eip; }
inline u32 jump_cache_slot(u32 lin) { return (lin ^ (lin >> kJumpCacheBits)) & (kJumpCacheSize - 1); }

// Instruction accounting. While generated code runs, a host register holds `left`: the
// instructions the run loop's budget still allows, minus the whole instruction count of the block
// being run (charged at its entry). Helpers and exits store it here; a helper that wants the block
// to stop after the current instruction stores it minus kExitRequest, which makes it negative
// (generated code tests the sign after every call).
inline constexpr i64 kExitRequest = i64{1} << 62;
inline i64 without_exit_request(i64 left) { return left < -(kExitRequest / 2) ? left + kExitRequest : left; }

struct JitContext {
  i64 left = 0;
  // Flags an inline shift or multiplication computed while the flags it keeps are still in
  // Cpu::lf (EFLAGS bit positions; which ones count is known to the translator). Only meaningful
  // inside a block: the block stores the whole set before it leaves or calls out.
  u32 flag_bits = 0;
  u32 unused = 0;
  u64 reserved[6] = {};
  JumpCacheEntry jump_cache[kJumpCacheSize];
};

}  // namespace tern
