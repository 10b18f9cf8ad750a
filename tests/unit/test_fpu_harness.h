// Shared by the x87 differential test (test_fpu_diff.cc, host x87 on x86-64) and the recorded-
// vector test (test_fpu_vectors.cc, any host): one case is an FPU state image, a memory operand
// and one instruction; tern runs `frstor [edi]; INSN; fnsave [edi]` in flat 32-bit protected
// mode with the operand at [esi], and the outcome is the saved image, the operand bytes, AX and
// EFLAGS. The same bytes run natively in 64-bit mode ([rdi], [rsi]) on an x86-64 host.
#pragma once

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cpu/cpu.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern::fputest {

inline constexpr u32 kImageSize = 108;  // FNSAVE, 32-bit protected-mode layout
inline constexpr u32 kMemSize = 16;
inline constexpr u32 kEaxIn = 0x12345678;

struct Case {
  std::vector<u8> insn;
  u8 image[kImageSize] = {};
  u8 mem[kMemSize] = {};
  u32 eflags = 0x202;
};

struct Outcome {
  u8 image[kImageSize] = {};
  u8 mem[kMemSize] = {};
  u16 ax = 0;
  u32 eflags = 0;  // arithmetic flags only
};

// The FIP/FCS/FOP/FDP/FDS words (bytes 12..27) hold host addresses natively: never compared.
inline void clear_pointers(u8* image) { std::memset(image + 12, 0, 16); }

inline constexpr u32 kArithFlags = 0x8D5;  // CF PF AF ZF SF OF

class TernRunner {
 public:
  TernRunner() : m_mem(1 << 20), m_cpu(m_mem, m_io, m_clock) {}

  Outcome run(const Case& c) {
    m_cpu.reset();
    enter_flat_protected_mode();
    std::vector<u8> code = {0xDD, 0x27};
    code.insert(code.end(), c.insn.begin(), c.insn.end());
    code.insert(code.end(), {0xDD, 0x37, 0xF4});
    m_mem.dma_write(kCode, code.data(), code.size());
    m_mem.dma_write(kImage, c.image, kImageSize);
    m_mem.dma_write(kOperand, c.mem, kMemSize);
    m_cpu.gpr[kEdi] = kImage;
    m_cpu.gpr[kEsi] = kOperand;
    m_cpu.gpr[kEax] = kEaxIn;
    m_cpu.eip = m_cpu.next_eip = kCode;
    m_cpu.set_eflags(c.eflags, kArithFlags);
    m_cpu.run(3);
    Outcome o;
    m_mem.dma_read(kImage, o.image, kImageSize);
    m_mem.dma_read(kOperand, o.mem, kMemSize);
    clear_pointers(o.image);
    o.ax = static_cast<u16>(m_cpu.gpr[kEax]);
    o.eflags = m_cpu.get_eflags() & kArithFlags;
    return o;
  }

  // EIP after the run: a fault would have sent it elsewhere.
  bool completed(const Case& c) const { return m_cpu.eip == kCode + 2 + c.insn.size() + 2; }

 private:
  static constexpr u32 kCode = 0x1000, kOperand = 0x2000, kImage = 0x3000;

  void enter_flat_protected_mode() {
    m_cpu.cr0 = cr0::PE | cr0::ET | cr0::NE;
    const u64 code_desc = 0x00CF9B000000FFFFull, data_desc = 0x00CF93000000FFFFull;
    for (u8 s = 0; s < kSegCount; ++s) {
      m_cpu.seg[s] = Cpu::segment_from_descriptor(s == kCs ? 0x08 : 0x10, s == kCs ? code_desc : data_desc);
      m_cpu.refresh_segment(m_cpu.seg[s]);
    }
    m_cpu.update_paging();
  }

  PhysMemory m_mem;
  IoSpace m_io;
  Clock m_clock;
  Cpu m_cpu;
};

// ---- Text form of a case and its expected outcome (one line; tests/unit/fpu_vectors/) ----

inline std::string hex(const u8* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

inline bool unhex(const std::string& s, u8* out, size_t n) {
  if (s.size() != 2 * n) return false;
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<u8>(digit(s[2 * i]) << 4 | digit(s[2 * i + 1]));
  return true;
}

// "name insn image mem eflags -> image mem ax eflags tolerance"
inline std::string encode(const std::string& name, const Case& c, const Outcome& o, bool approximate) {
  std::ostringstream out;
  out << name << ' ' << hex(c.insn.data(), c.insn.size()) << ' ' << hex(c.image, kImageSize) << ' '
      << hex(c.mem, kMemSize) << ' ' << std::hex << c.eflags << " -> " << hex(o.image, kImageSize) << ' '
      << hex(o.mem, kMemSize) << ' ' << o.ax << ' ' << o.eflags << ' ' << (approximate ? 'A' : 'X');
  return out.str();
}

inline bool decode(const std::string& line, std::string& name, Case& c, Outcome& o, bool& approximate) {
  std::istringstream in(line);
  std::string insn, image, mem, arrow, out_image, out_mem, tol;
  in >> name >> insn >> image >> mem >> std::hex >> c.eflags >> arrow >> out_image >> out_mem >> o.ax >> o.eflags >> tol;
  if (!in || arrow != "->") return false;
  c.insn.resize(insn.size() / 2);
  approximate = tol == "A";
  return unhex(insn, c.insn.data(), c.insn.size()) && unhex(image, c.image, kImageSize) && unhex(mem, c.mem, kMemSize) &&
         unhex(out_image, o.image, kImageSize) && unhex(out_mem, o.mem, kMemSize);
}

// ---- Comparison ----

inline Float80 image_reg(const u8* image, int i) {
  Float80 v;
  std::memcpy(&v.signif, image + 28 + 10 * i, 8);
  std::memcpy(&v.sign_exp, image + 36 + 10 * i, 2);
  return v;
}

// Distance in units in the last place between two finite values of the same sign (a large
// number when they are not comparable).
inline u64 ulp_distance(Float80 a, Float80 b) {
  if (a.sign_exp >> 15 != b.sign_exp >> 15) return ~u64{0};
  // Exponent and fraction as one number: consecutive values differ by one.
  auto key = [](Float80 v) -> unsigned __int128 {
    const unsigned __int128 e = v.sign_exp & 0x7FFF;
    return (e << 63) + (v.signif & 0x7FFFFFFFFFFFFFFFull);
  };
  const unsigned __int128 ka = key(a), kb = key(b);
  const unsigned __int128 d = ka > kb ? ka - kb : kb - ka;
  return d > ~u64{0} ? ~u64{0} : static_cast<u64>(d);
}

// Bit-exact comparison, or for approximate (transcendental) cases: registers within one ulp,
// and the status word equal apart from C1 (rounded up).
inline bool matches(const Outcome& want, const Outcome& got, bool approximate, bool& exact, std::string& why) {
  exact = std::memcmp(&want, &got, sizeof want) == 0 ||
          (std::memcmp(want.image, got.image, kImageSize) == 0 && std::memcmp(want.mem, got.mem, kMemSize) == 0 &&
           want.ax == got.ax && want.eflags == got.eflags);
  if (exact) return true;
  std::ostringstream msg;
  bool ok = approximate && std::memcmp(want.mem, got.mem, kMemSize) == 0 && want.ax == got.ax && want.eflags == got.eflags;
  for (int i = 0; i < 8; ++i) {
    const Float80 a = image_reg(want.image, i), b = image_reg(got.image, i);
    if (a == b) continue;
    msg << " ST" << i << " want " << std::hex << a.sign_exp << ':' << a.signif << " got " << b.sign_exp << ':' << b.signif;
    if (ulp_distance(a, b) > 1) ok = false;
  }
  u16 sw_want, sw_got;
  std::memcpy(&sw_want, want.image + 4, 2);
  std::memcpy(&sw_got, got.image + 4, 2);
  // C1 says whether the result was rounded up: for transcendental results it follows each
  // implementation's own intermediate.
  const u16 ignore = approximate ? 0x0200 : 0;
  if ((sw_want & ~ignore) != (sw_got & ~ignore)) ok = false;
  if (std::memcmp(want.image, got.image, 4) != 0 || std::memcmp(want.image + 8, got.image + 8, 4) != 0) ok = false;
  msg << std::hex << " sw want " << sw_want << " got " << sw_got;
  u16 cw, tw_want, tw_got;
  std::memcpy(&cw, want.image, 2);
  std::memcpy(&tw_want, want.image + 8, 2);
  std::memcpy(&tw_got, got.image + 8, 2);
  msg << " cw " << cw << " tw want " << tw_want << " got " << tw_got;
  if (std::memcmp(want.mem, got.mem, kMemSize) != 0) msg << " mem want " << hex(want.mem, kMemSize) << " got " << hex(got.mem, kMemSize);
  if (want.ax != got.ax) msg << " ax want " << want.ax << " got " << got.ax;
  if (want.eflags != got.eflags) msg << " eflags want " << want.eflags << " got " << got.eflags;
  why = msg.str();
  return ok;
}

}  // namespace tern::fputest
