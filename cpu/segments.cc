// Segment registers: descriptor reads, the descriptor cache, and MOV/POP/LxS to segment
// registers with the checks of Intel SDM Vol. 3 §5 (real, virtual-8086 and protected mode).
#include "cpu/cpu.h"

namespace tern {

u64 Cpu::read_descriptor(u16 selector, u8 vector, u32 ext) {
  const bool ldt = selector & 4;
  const u32 index = selector & 0xFFF8u;
  const u32 error = (selector & 0xFFFC) | ext;
  if (ldt) {
    if (!ldtr.present() || (ldtr.selector & 0xFFFC) == 0 || index + 7 > ldtr.limit) raise(vector, error);
    return u64{read_sys(ldtr.base + index, 4)} | (u64{read_sys(ldtr.base + index + 4, 4)} << 32);
  }
  if (index + 7 > gdtr.limit) raise(vector, error);
  return u64{read_sys(gdtr.base + index, 4)} | (u64{read_sys(gdtr.base + index + 4, 4)} << 32);
}

Segment Cpu::segment_from_descriptor(u16 selector, u64 d) {
  Segment s;
  s.selector = selector;
  s.base = static_cast<u32>(((d >> 16) & 0xFFFFFF) | ((d >> 32) & 0xFF000000u));
  u32 limit = static_cast<u32>((d & 0xFFFF) | ((d >> 32) & 0xF0000));
  s.attr = static_cast<u16>((d >> 40) & 0xF0FF);
  if (s.attr & 0x8000) limit = (limit << 12) | 0xFFF;  // G: 4 KiB granularity
  s.limit = limit;
  return s;
}

void Cpu::refresh_segment(Segment& s) const {
  if (!protected_mode() || v86()) {
    s.readable = s.writable = true;
  } else if (!s.present() || s.system()) {
    s.readable = s.writable = false;
  } else if (s.code()) {
    s.readable = s.attr & 2;
    s.writable = false;
  } else {
    s.readable = true;
    s.writable = s.attr & 2;
  }
  if (s.expand_down()) {
    s.lo = u64{s.limit} + 1;
    s.hi = s.big() ? 0xFFFFFFFFu : 0xFFFFu;
  } else {
    s.lo = 0;
    s.hi = s.limit;
  }
}

void Cpu::mark_descriptor_accessed(u16 selector, u64 descriptor) {
  if (descriptor & (u64{1} << 40)) return;
  const u32 table = (selector & 4) ? ldtr.base : gdtr.base;
  const u32 addr = table + (selector & 0xFFF8u) + 5;
  write_sys(addr, 1, static_cast<u32>((descriptor >> 40) & 0xFF) | 1);
}

void Cpu::load_segment(u8 sreg, u16 selector) {
  Segment& s = seg[sreg];
  if (!protected_mode() || v86()) {
    // Real mode keeps the cached limit and attributes ("unreal mode"); v86 resets them.
    s.selector = selector;
    s.base = u32{selector} << 4;
    if (v86()) {
      s.limit = 0xFFFF;
      s.attr = 0xF3;
    }
    refresh_segment(s);
    return;
  }
  const u16 rpl = selector & 3;
  if ((selector & 0xFFFC) == 0) {
    if (sreg == kSs) gp(0);
    // A null selector loads an unusable segment; any access through it is #GP(0).
    s = Segment{};
    s.selector = selector;
    s.attr = 0;
    refresh_segment(s);
    return;
  }
  const u64 d = read_descriptor(selector);
  Segment n = segment_from_descriptor(selector, d);
  const u32 err = selector & 0xFFFC;
  if (sreg == kSs) {
    if (rpl != cpl || n.dpl() != cpl || n.system() || n.code() || !(n.attr & 2)) gp(err);
    if (!n.present()) raise(kSS, err);
  } else {
    if (n.system() || (n.code() && !(n.attr & 2))) gp(err);
    if (!n.conforming() && (n.dpl() < cpl || n.dpl() < rpl)) gp(err);
    if (!n.present()) raise(kNP, err);
  }
  mark_descriptor_accessed(selector, d);
  n.attr |= 1;
  refresh_segment(n);
  s = n;
}

void Cpu::load_cs_real(u16 selector, u32 new_eip) {
  Segment& cs = seg[kCs];
  if (new_eip > cs.limit) gp(0);
  cs.selector = selector;
  cs.base = u32{selector} << 4;
  if (v86()) {
    cs.limit = 0xFFFF;
    cs.attr = 0xF3;
  }
  refresh_segment(cs);
  next_eip = new_eip;
}

}  // namespace tern
