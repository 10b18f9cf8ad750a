#include "jit/mode_key.h"

#include "cpu/cpu.h"

namespace tern {

namespace {

bool flat(const Segment& s) {
  return s.base == 0 && s.lo == 0 && s.hi == 0xFFFFFFFFu && s.readable && s.writable;
}

}  // namespace

u32 mode_key(const Cpu& cpu) {
  u32 key = 0;
  if (cpu.code32()) key |= mode::kCode32;
  if (cpu.stack32()) key |= mode::kStack32;
  key |= u32{cpu.cpl} << mode::kCplShift;
  if (cpu.protected_mode()) key |= mode::kProtected;
  if (cpu.v86()) key |= mode::kV86;
  const Segment& cs = cpu.seg[kCs];
  if (cs.base == 0 && cs.hi == 0xFFFFFFFFu) key |= mode::kFlatCs;
  if (flat(cpu.seg[kSs])) key |= mode::kFlatSs;
  if (flat(cpu.seg[kDs])) key |= mode::kFlatDs;
  if (flat(cpu.seg[kEs])) key |= mode::kFlatEs;
  bool expand_down = false;
  for (const Segment& s : cpu.seg) expand_down |= s.lo != 0;
  if (!expand_down) key |= mode::kNoExpandDown;
  const bool alignment_checks = cpu.cpl == 3 && (cpu.cr0 & cr0::AM) && (cpu.eflags & fl::AC);
  if (cpu.data_breakpoints_armed() || alignment_checks) key |= mode::kCheckedMemory;
  if (cpu.eflags & fl::DF) key |= mode::kDirection;
  key |= (cs.base & 0xFFFu) << mode::kCsBaseShift;
  return key;
}

u32 flat_bit(u8 sreg) {
  switch (sreg) {
    case kSs: return mode::kFlatSs;
    case kDs: return mode::kFlatDs;
    case kEs: return mode::kFlatEs;
    default: return 0;
  }
}

}  // namespace tern
