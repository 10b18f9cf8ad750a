// The x87 instruction forms the differential test exercises, and the random operand generators
// (zeros, denormals, pseudo-denormals, infinities, quiet and signalling NaNs, unnormals, pseudo-
// infinities, huge and tiny exponents, rounding ties, near-cancelling pairs). Deterministic:
// splitmix64 from a seed, so every host generates the same cases.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "tests/unit/test_fpu_harness.h"

namespace tern::fputest {

class Rng {
 public:
  explicit Rng(u64 seed) : m_state(seed) {}
  u64 next() {
    u64 z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  u64 below(u64 n) { return next() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  u64 m_state;
};

// What the memory operand holds before the instruction.
enum class Mem : u8 { kNone, kF32, kF64, kF80, kI16, kI32, kI64, kBcd, kControlWord, kStore, kMmx, kShiftCount };
// Input restrictions where the SDM leaves results undefined.
enum class Domain : u8 { kAny, kUnit, kLogP1, kTrig };

struct Form {
  std::string name;
  std::vector<u8> bytes;
  Mem mem = Mem::kNone;
  Domain domain = Domain::kAny;
  bool approximate = false;  // transcendental: within one ulp
};

inline Float80 f80(bool sign, u16 exp, u64 sig) { return Float80{sig, static_cast<u16>((sign ? 0x8000 : 0) | exp)}; }

// A significand with an interesting low part: a tie or near-tie at a rounding position of
// precision control (24, 53, 64 bits) or random.
inline u64 random_sig(Rng& r) {
  u64 sig = r.next() | (u64{1} << 63);
  switch (r.below(6)) {
    case 0: {
      static const int kPositions[] = {40, 11, 0, 39, 10};
      const int p = kPositions[r.below(5)];
      if (p > 0) {
        sig &= ~((u64{1} << p) - 1);
        sig |= (u64{1} << (p - 1)) - (r.chance(50) ? 0 : r.below(3));
      }
      break;
    }
    case 1: sig |= (u64{1} << (r.below(64))) - 1; break;
    case 2: sig &= ~((u64{1} << r.below(64)) - 1) | (u64{1} << 63); break;
    default: break;
  }
  return sig;
}

inline Float80 random_f80(Rng& r) {
  const bool sign = r.chance(50);
  switch (r.below(24)) {
    case 0: return f80(sign, 0, 0);
    case 1: return f80(sign, 0, r.next() >> (1 + r.below(63)));
    case 2: return f80(sign, 0, r.next() | (u64{1} << 63));
    case 3: return f80(sign, 0x7FFF, u64{1} << 63);
    case 4: return f80(sign, 0x7FFF, r.next() | (u64{3} << 62));
    case 5: return f80(sign, 0x7FFF, ((r.next() | 1) & ~(u64{1} << 62)) | (u64{1} << 63));
    case 6: return f80(true, 0x7FFF, u64{3} << 62);
    case 7: return f80(sign, static_cast<u16>(1 + r.below(0x7FFE)), r.next() & ~(u64{1} << 63));
    case 8: return f80(sign, 0x7FFF, r.next() & ~(u64{1} << 63));
    case 9: return f80(sign, static_cast<u16>(1 + r.below(70)), random_sig(r));
    case 10: return f80(sign, static_cast<u16>(0x7FFE - r.below(70)), random_sig(r));
    case 11: {
      const u64 v = r.below(2000) + 1;
      const int z = __builtin_clzll(v);
      return f80(sign, static_cast<u16>(0x3FFF + 63 - z), v << z);
    }
    case 12: return f80(sign, static_cast<u16>(0x3FFF - 16 + r.below(80)), r.next() & ~((u64{1} << 40) - 1) | (u64{1} << 63));
    case 13: return f80(sign, static_cast<u16>(0x3F81 - r.below(40)), random_sig(r));  // near single-precision tiny
    case 14: return f80(sign, static_cast<u16>(0x3C01 - r.below(70)), random_sig(r));  // near double-precision tiny
    case 15: return f80(sign, static_cast<u16>(0x407E + r.below(4)), random_sig(r));   // near single overflow
    case 16: return f80(sign, static_cast<u16>(0x43FE + r.below(4)), random_sig(r));   // near double overflow
    default: return f80(sign, static_cast<u16>(0x3FFF - 70 + r.below(140)), random_sig(r));
  }
}

// A value close to `a` (same or neighbouring exponent) for cancellation and equality cases.
inline Float80 near(Rng& r, Float80 a) {
  Float80 b = a;
  switch (r.below(4)) {
    case 0: break;
    case 1: b.signif ^= r.next() & ((u64{1} << r.below(64)) - 1); break;
    case 2: b.sign_exp ^= 0x8000; b.signif ^= r.next() & 0xFF; break;
    default: b.sign_exp = static_cast<u16>(b.sign_exp + (r.chance(50) ? 1 : -1)); break;
  }
  return b;
}

inline u32 random_f32(Rng& r) {
  const u32 sign = r.chance(50) ? 0x80000000u : 0;
  switch (r.below(10)) {
    case 0: return sign;
    case 1: return sign | static_cast<u32>(r.next() & 0x7FFFFF);
    case 2: return sign | 0x7F800000u;
    case 3: return sign | 0x7FC00000u | static_cast<u32>(r.next() & 0x3FFFFF);
    case 4: return sign | 0x7F800000u | static_cast<u32>((r.next() & 0x3FFFFF) | 1);
    default: return sign | static_cast<u32>(r.next() & 0x7F7FFFFF);
  }
}

inline u64 random_f64(Rng& r) {
  const u64 sign = r.chance(50) ? u64{1} << 63 : 0;
  switch (r.below(10)) {
    case 0: return sign;
    case 1: return sign | (r.next() & 0xFFFFFFFFFFFFFull);
    case 2: return sign | 0x7FF0000000000000ull;
    case 3: return sign | 0x7FF8000000000000ull | (r.next() & 0x7FFFFFFFFFFFFull);
    case 4: return sign | 0x7FF0000000000000ull | (r.next() & 0x7FFFFFFFFFFFFull) | 1;
    case 5: return sign | ((0x3FF - 30 + r.below(60)) << 52) | (r.next() & 0xFFFFFFFFFFFFFull);
    default: return sign | (r.next() & 0x7FEFFFFFFFFFFFFFull);
  }
}

inline u64 random_int(Rng& r, int bits) {
  const u64 mask = bits == 64 ? ~u64{0} : (u64{1} << bits) - 1;
  switch (r.below(6)) {
    case 0: return 0;
    case 1: return (u64{1} << (bits - 1)) & mask;
    case 2: return ((u64{1} << (bits - 1)) - 1) & mask;
    case 3: return static_cast<u64>(static_cast<i64>(r.below(2000)) - 1000) & mask;
    default: return r.next() & mask;
  }
}

inline bool in_domain(Domain d, Float80 x) {
  const u16 e = x.sign_exp & 0x7FFF;
  const bool finite = e != 0x7FFF && (e == 0 || (x.signif >> 63));
  switch (d) {
    case Domain::kAny: return true;
    case Domain::kUnit: return !finite || e < 0x3FFF || (e == 0x3FFF && x.signif == u64{1} << 63);
    case Domain::kLogP1: return !finite || e < 0x3FFD;
    case Domain::kTrig: return true;
  }
  return true;
}

// Builds a random case for `form`.
inline Case make_case(Rng& r, const Form& form) {
  Case c;
  c.insn = form.bytes;
  // Control word: precision (PC = 01 rarely), rounding, mostly every exception masked.
  static const u16 kPc[] = {0, 2, 3, 3, 1};
  u16 cw = static_cast<u16>(0x0040 | (kPc[r.below(r.chance(95) ? 4 : 5)] << 8) | (r.below(4) << 10));
  cw |= r.chance(70) ? 0x3F : static_cast<u16>(r.below(64));
  const unsigned top = static_cast<unsigned>(r.below(8));
  // Sticky flags only where masked, so nothing is pending before the instruction.
  u16 sw = static_cast<u16>((top << 11) | (r.next() & 0x4700) | (r.next() & cw & 0x3F));
  u16 tag = 0;
  Float80 regs[8];
  for (int i = 0; i < 8; ++i) {
    const bool empty = i == 7 ? r.chance(85) : r.chance(i < 2 ? 4 : 10);
    Float80 v = (i > 0 && r.chance(25)) ? near(r, regs[0]) : random_f80(r);
    if (i == 0) {
      for (int tries = 0; tries < 50 && !in_domain(form.domain, v); ++tries) v = random_f80(r);
      if (!in_domain(form.domain, v)) v = f80(false, 0x3FF0, u64{1} << 63);
      if (form.domain == Domain::kTrig && r.chance(80)) {
        const u16 e = static_cast<u16>(0x3FFF - 40 + r.below(40 + 62));
        v = f80(r.chance(50), e, random_sig(r));
      }
    }
    regs[i] = v;
    const unsigned phys = (top + i) & 7;
    if (empty) tag = static_cast<u16>(tag | (3u << (2 * phys)));
  }
  std::memcpy(c.image + 0, &cw, 2);
  c.image[2] = c.image[3] = 0xFF;
  std::memcpy(c.image + 4, &sw, 2);
  c.image[6] = c.image[7] = 0xFF;
  std::memcpy(c.image + 8, &tag, 2);
  c.image[10] = c.image[11] = 0xFF;
  for (int i = 0; i < 8; ++i) {
    std::memcpy(c.image + 28 + 10 * i, &regs[i].signif, 8);
    std::memcpy(c.image + 36 + 10 * i, &regs[i].sign_exp, 2);
  }
  for (auto& b : c.mem) b = static_cast<u8>(r.next());
  switch (form.mem) {
    case Mem::kNone:
    case Mem::kStore: break;
    case Mem::kF32: { const u32 v = random_f32(r); std::memcpy(c.mem, &v, 4); break; }
    case Mem::kF64: { const u64 v = random_f64(r); std::memcpy(c.mem, &v, 8); break; }
    case Mem::kF80: {
      const Float80 v = random_f80(r);
      std::memcpy(c.mem, &v.signif, 8);
      std::memcpy(c.mem + 8, &v.sign_exp, 2);
      break;
    }
    case Mem::kI16: { const u64 v = random_int(r, 16); std::memcpy(c.mem, &v, 2); break; }
    case Mem::kI32: { const u64 v = random_int(r, 32); std::memcpy(c.mem, &v, 4); break; }
    case Mem::kI64: { const u64 v = random_int(r, 64); std::memcpy(c.mem, &v, 8); break; }
    case Mem::kBcd:
      for (int i = 0; i < 9; ++i) c.mem[i] = static_cast<u8>(r.below(10) << 4 | r.below(10));
      c.mem[9] = r.chance(50) ? 0x80 : 0;
      break;
    case Mem::kMmx: {
      // Lanes at and around the saturation limits half the time.
      static const u8 kEdge[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE};
      for (int i = 0; i < 8; ++i) c.mem[i] = r.chance(50) ? kEdge[r.below(6)] : static_cast<u8>(r.next());
      break;
    }
    case Mem::kShiftCount: {
      const u64 v = r.chance(80) ? r.below(70) : r.next();
      std::memcpy(c.mem, &v, 8);
      break;
    }
    case Mem::kControlWord: {
      const u16 v = static_cast<u16>(r.next());
      std::memcpy(c.mem, &v, 2);
      break;
    }
  }
  c.eflags = 0x202 | (static_cast<u32>(r.next()) & kArithFlags);
  return c;
}

// Every x87 instruction form with deterministic results; memory forms address [esi].
inline std::vector<Form> catalogue() {
  std::vector<Form> forms;
  auto add = [&](std::string name, std::vector<u8> bytes, Mem mem = Mem::kNone, Domain domain = Domain::kAny,
                 bool approximate = false) { forms.push_back({std::move(name), std::move(bytes), mem, domain, approximate}); };
  static const char* kArith[8] = {"add", "mul", "com", "comp", "sub", "subr", "div", "divr"};
  for (u8 op = 0; op < 8; ++op) {
    const std::string n = kArith[op];
    add("f" + n + "_m32", {0xD8, static_cast<u8>(0x06 | op << 3)}, Mem::kF32);
    add("f" + n + "_m64", {0xDC, static_cast<u8>(0x06 | op << 3)}, Mem::kF64);
    add("fi" + n + "_m32", {0xDA, static_cast<u8>(0x06 | op << 3)}, Mem::kI32);
    add("fi" + n + "_m16", {0xDE, static_cast<u8>(0x06 | op << 3)}, Mem::kI16);
    add("f" + n + "_st0_st3", {0xD8, static_cast<u8>(0xC3 | op << 3)});
    add("dc_" + n + "_st3", {0xDC, static_cast<u8>(0xC3 | op << 3)});
    if (op != 3) add("de_" + n + "_st3", {0xDE, static_cast<u8>(0xC3 | op << 3)});
  }
  add("fcompp", {0xDE, 0xD9});
  add("fadd_st0_st0", {0xD8, 0xC0});
  static const char* kCmov[8] = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
  for (u8 i = 0; i < 8; ++i) add(kCmov[i], {static_cast<u8>(i < 4 ? 0xDA : 0xDB), static_cast<u8>(0xC3 | (i & 3) << 3)});
  add("fucompp", {0xDA, 0xE9});
  add("fucomi", {0xDB, 0xEB});
  add("fcomi", {0xDB, 0xF3});
  add("fucomip", {0xDF, 0xEB});
  add("fcomip", {0xDF, 0xF3});
  add("fucom", {0xDD, 0xE3});
  add("fucomp", {0xDD, 0xEB});

  add("fld_m32", {0xD9, 0x06}, Mem::kF32);
  add("fld_m64", {0xDD, 0x06}, Mem::kF64);
  add("fld_m80", {0xDB, 0x2E}, Mem::kF80);
  add("fild_m16", {0xDF, 0x06}, Mem::kI16);
  add("fild_m32", {0xDB, 0x06}, Mem::kI32);
  add("fild_m64", {0xDF, 0x2E}, Mem::kI64);
  add("fbld", {0xDF, 0x26}, Mem::kBcd);
  add("fst_m32", {0xD9, 0x16}, Mem::kStore);
  add("fstp_m32", {0xD9, 0x1E}, Mem::kStore);
  add("fst_m64", {0xDD, 0x16}, Mem::kStore);
  add("fstp_m64", {0xDD, 0x1E}, Mem::kStore);
  add("fstp_m80", {0xDB, 0x3E}, Mem::kStore);
  add("fist_m16", {0xDF, 0x16}, Mem::kStore);
  add("fistp_m16", {0xDF, 0x1E}, Mem::kStore);
  add("fist_m32", {0xDB, 0x16}, Mem::kStore);
  add("fistp_m32", {0xDB, 0x1E}, Mem::kStore);
  add("fistp_m64", {0xDF, 0x3E}, Mem::kStore);
  add("fbstp", {0xDF, 0x36}, Mem::kStore);
  add("fld_st3", {0xD9, 0xC3});
  add("fxch_st3", {0xD9, 0xCB});
  add("fst_st3", {0xDD, 0xD3});
  add("fstp_st3", {0xDD, 0xDB});
  add("fstp_st0", {0xDD, 0xD8});
  add("fstp1_st3", {0xD9, 0xDB});
  add("fstp8_st3", {0xDF, 0xD3});
  add("fstp9_st3", {0xDF, 0xDB});
  add("fxch4_st3", {0xDD, 0xCB});
  add("fxch7_st3", {0xDF, 0xCB});
  add("ffree_st3", {0xDD, 0xC3});
  add("ffreep_st3", {0xDF, 0xC3});
  add("fnop", {0xD9, 0xD0});
  add("fchs", {0xD9, 0xE0});
  add("fabs", {0xD9, 0xE1});
  add("ftst", {0xD9, 0xE4});
  add("fxam", {0xD9, 0xE5});
  static const char* kConst[7] = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
  for (u8 i = 0; i < 7; ++i) add(kConst[i], {0xD9, static_cast<u8>(0xE8 + i)});
  add("fxtract", {0xD9, 0xF4});
  add("fprem1", {0xD9, 0xF5});
  add("fdecstp", {0xD9, 0xF6});
  add("fincstp", {0xD9, 0xF7});
  add("fprem", {0xD9, 0xF8});
  add("fsqrt", {0xD9, 0xFA});
  add("frndint", {0xD9, 0xFC});
  add("fscale", {0xD9, 0xFD});
  add("fldcw", {0xD9, 0x2E}, Mem::kControlWord);
  add("fnstcw", {0xD9, 0x3E}, Mem::kStore);
  add("fnstsw_m16", {0xDD, 0x3E}, Mem::kStore);
  add("fnstsw_ax", {0xDF, 0xE0});
  add("fnclex", {0xDB, 0xE2});
  add("fninit", {0xDB, 0xE3});

  // MMX: register forms use MM3 <- MM5, memory forms [esi]; the x87 state shows the aliasing.
  static const u8 kMmx[] = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6F, 0x74,
                            0x75, 0x76, 0xD1, 0xD2, 0xD3, 0xD5, 0xD8, 0xD9, 0xDB, 0xDC, 0xDD, 0xDF, 0xE1, 0xE2,
                            0xE5, 0xE8, 0xE9, 0xEB, 0xEC, 0xED, 0xEF, 0xF1, 0xF2, 0xF3, 0xF5, 0xF8, 0xF9, 0xFA,
                            0xFC, 0xFD, 0xFE};
  for (u8 op : kMmx) {
    char name[32];
    std::snprintf(name, sizeof name, "mmx_0f%02x_reg", op);
    add(name, {0x0F, op, 0xDD});
    std::snprintf(name, sizeof name, "mmx_0f%02x_mem", op);
    add(name, {0x0F, op, 0x1E}, Mem::kMmx);
  }
  // Shift counts up to 70 in the register forms exercise the "count too large" rules.
  for (u8 op : {0xD1, 0xD2, 0xD3, 0xE1, 0xE2, 0xF1, 0xF2, 0xF3}) {
    char name[32];
    std::snprintf(name, sizeof name, "mmx_0f%02x_count", op);
    add(name, {0x0F, op, 0x1E}, Mem::kShiftCount);
  }
  for (u8 reg : {2, 4, 6})
    for (u8 op : {0x71, 0x72, 0x73}) {
      if (op == 0x73 && reg == 4) continue;
      for (u8 count : {0, 1, 7, 15, 16, 31, 32, 63, 64, 200}) {
        char name[40];
        std::snprintf(name, sizeof name, "mmx_0f%02x_%u_imm%u", op, reg, count);
        add(name, {0x0F, op, static_cast<u8>(0xC3 | reg << 3), count});
      }
    }
  add("movd_mm_eax", {0x0F, 0x6E, 0xD8});
  add("movd_mm_m32", {0x0F, 0x6E, 0x1E}, Mem::kMmx);
  add("movd_eax_mm", {0x0F, 0x7E, 0xD8});
  add("movd_m32_mm", {0x0F, 0x7E, 0x1E}, Mem::kStore);
  add("movq_m64_mm", {0x0F, 0x7F, 0x1E}, Mem::kStore);
  add("movq_mm_mm", {0x0F, 0x7F, 0xEB});
  add("emms", {0x0F, 0x77});

  add("f2xm1", {0xD9, 0xF0}, Mem::kNone, Domain::kUnit, true);
  add("fyl2x", {0xD9, 0xF1}, Mem::kNone, Domain::kAny, true);
  add("fptan", {0xD9, 0xF2}, Mem::kNone, Domain::kTrig, true);
  add("fpatan", {0xD9, 0xF3}, Mem::kNone, Domain::kAny, true);
  add("fyl2xp1", {0xD9, 0xF9}, Mem::kNone, Domain::kLogP1, true);
  add("fsincos", {0xD9, 0xFB}, Mem::kNone, Domain::kTrig, true);
  add("fsin", {0xD9, 0xFE}, Mem::kNone, Domain::kTrig, true);
  add("fcos", {0xD9, 0xFF}, Mem::kNone, Domain::kTrig, true);
  return forms;
}

}  // namespace tern::fputest
