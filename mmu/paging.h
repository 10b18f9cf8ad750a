// The x86 page walker: no paging, 32-bit paging (4 KiB and PSE 4 MiB pages), PAE (with NX when
// EFER.NXE) and 4-level long-mode paging. Sets accessed and dirty bits as the hardware does and
// computes the #PF error code (Intel SDM Vol. 3 §4.7).
#pragma once

#include "base/types.h"

namespace tern {

class PhysMemory;

// The control-register bits that decide how linear addresses translate.
struct PagingRegs {
  u32 cr0 = 0;
  u64 cr3 = 0;
  u32 cr4 = 0;
  u64 efer = 0;

  static constexpr u32 kCr0Wp = 1u << 16;
  static constexpr u32 kCr0Pg = 1u << 31;
  static constexpr u32 kCr4Pse = 1u << 4;
  static constexpr u32 kCr4Pae = 1u << 5;
  static constexpr u32 kCr4Pge = 1u << 7;
  static constexpr u64 kEferLme = 1u << 8;
  static constexpr u64 kEferLma = 1u << 10;
  static constexpr u64 kEferNxe = 1u << 11;

  bool paging() const { return cr0 & kCr0Pg; }
  bool pae() const { return cr4 & kCr4Pae; }
  bool long_mode() const { return paging() && (efer & kEferLma); }
  bool nx() const { return (pae() || long_mode()) && (efer & kEferNxe); }
};

enum class Access : u8 { kRead, kWrite, kExec };

// #PF error code bits.
inline constexpr u32 kPfPresent = 1;
inline constexpr u32 kPfWrite = 2;
inline constexpr u32 kPfUser = 4;
inline constexpr u32 kPfReserved = 8;
inline constexpr u32 kPfFetch = 16;

struct WalkResult {
  bool ok = false;
  u32 error_code = 0;  // when !ok
  u64 phys = 0;        // of the accessed byte
  bool writable = false;    // for this privilege (honours CR0.WP for supervisor)
  bool user_ok = false;     // U/S at every level
  bool executable = true;
  bool global = false;
  bool dirty = false;       // D set in the final entry (after this walk)
};

// Translates `lin` for one access. `user` is a CPL 3 access (not an implicit supervisor one).
// Page table reads and A/D updates go to `mem` with `a20_mask` applied.
WalkResult page_walk(PhysMemory& mem, const PagingRegs& regs, u64 lin, Access access, bool user, u64 a20_mask);

}  // namespace tern
