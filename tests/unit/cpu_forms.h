// The instruction forms of the differential tests (test_cpu_ops.cc): byte-exact 32-bit code
// snippets, the operand values to try on each, and which flags and results the Intel SDM defines
// for a given input, so that tern is compared with the host CPU only where the architecture (or,
// on Intel hosts, tern's documented undefined-flag model) pins the outcome down.
//
// Conventions of the snippets: the destination is EAX/AX/AL, the source EBX/BX/BL, a shift count
// CL, the upper half of a product or dividend EDX; memory operands are the dword at the data
// address (the centre of the data window, see cpu_harness.h). No snippet uses the stack.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "base/bits.h"
#include "tests/unit/cpu_harness.h"

namespace tern::test {

// How an instruction leaves the six arithmetic flags (Intel SDM Vol. 2, "Flags Affected").
enum class FlagRule : u8 {
  kAll,       // all six defined (or unchanged)
  kLogic,     // AND OR XOR TEST: AF undefined
  kShift,     // SHL SAL SHR SAR
  kRotate,    // ROL ROR
  kRotateCarry,  // RCL RCR
  kDoubleShift,  // SHLD SHRD
  kMul,       // MUL IMUL: SF ZF AF PF undefined
  kDiv,       // DIV IDIV: all undefined
  kDaa,       // DAA DAS: OF undefined
  kAaa,       // AAA AAS: OF SF ZF PF undefined
  kAam,       // AAM: OF AF CF undefined
  kAad,       // AAD: OF AF CF undefined
  kBitTest,   // BT BTS BTR BTC: OF SF AF PF undefined
  kBitScan,   // BSF BSR: CF OF SF AF PF undefined
};

// The operand values a form is tried with.
enum class Inputs : u8 {
  kBinary,   // EAX, EBX (and the memory dword) over edge values
  kUnary,    // EAX over edge values
  kCount,    // EAX over edge values, CL over edge counts
  kDivide,   // EDX:EAX and EBX that do not raise #DE
  kBcd,      // every AL with a few AH, every AF/CF combination
  kFlags,    // every combination of the arithmetic flags
  kBitOffset,  // EBX a signed bit offset reaching the whole data window
  kString,   // ESI/EDI inside the data window, small ECX, DF either way
};

enum class Kind : u8 { kShl, kShr, kSar, kRol, kRor, kRcl, kRcr, kShld, kShrd, kOther };

struct Form {
  std::string name;
  std::vector<u8> code;
  u8 size = 4;           // operand size in bytes
  FlagRule rule = FlagRule::kAll;
  Inputs inputs = Inputs::kBinary;
  Kind kind = Kind::kOther;
  int imm_count = -1;    // shift count in the code, or -1 for CL

  // Whether the snippet reads or writes the data window.
  bool uses_memory() const {
    return inputs == Inputs::kString || inputs == Inputs::kBitOffset || name.find(" m") != std::string::npos ||
           name.find(",m") != std::string::npos;
  }
};

struct FlagMasks {
  u32 defined = fl::kArith;  // compared on every host
  u32 model = 0;             // undefined by the SDM, pinned by tern's model: compared on Intel hosts
  bool result_defined = true;
};

inline constexpr u32 kSZP = fl::SF | fl::ZF | fl::PF;

// Which flags the SDM defines for `f` run from `in` (Intel SDM Vol. 2 per instruction), and which
// undefined ones tern's model (cpu/flags.cc) fixes to the P6 core's behaviour.
inline FlagMasks flag_masks(const Form& f, const CpuState& in) {
  FlagMasks m;
  const unsigned bits = 8u * f.size;
  const unsigned count = (f.imm_count >= 0 ? static_cast<unsigned>(f.imm_count) : in.gpr[kEcx]) & 0x1F;
  switch (f.rule) {
    case FlagRule::kAll: break;
    case FlagRule::kLogic: m.defined &= ~fl::AF, m.model = fl::AF; break;
    case FlagRule::kShift:
      if (count == 0) break;
      m.defined = kSZP | fl::CF;
      m.model = fl::AF;
      if (count == 1) m.defined |= fl::OF;
      else m.model |= fl::OF;
      // CF is undefined for SHL/SHR counts of at least the operand size.
      if (count >= bits && f.kind != Kind::kSar) m.defined &= ~fl::CF;
      break;
    case FlagRule::kRotate:
    case FlagRule::kRotateCarry:
      if (count == 1) break;
      if (count != 0) m.defined &= ~fl::OF, m.model = fl::OF;
      break;
    case FlagRule::kDoubleShift:
      if (count == 0) break;
      if (count > bits) {
        m.defined = 0;  // result and flags undefined (16-bit operands, counts 17..31)
        m.result_defined = false;
        break;
      }
      m.defined = kSZP | fl::CF;
      m.model = fl::AF;
      if (count == 1) m.defined |= fl::OF;
      else m.model |= fl::OF;
      break;
    case FlagRule::kMul: m.defined = fl::CF | fl::OF, m.model = kSZP | fl::AF; break;
    case FlagRule::kDiv: m.defined = 0, m.model = fl::kArith; break;
    case FlagRule::kDaa: m.defined &= ~fl::OF, m.model = fl::OF; break;
    // AAA/AAS: OF is left alone and SF cleared by the P6 core; tern's ZF and PF follow the
    // 16-bit intermediate (see bcd.cc) but are not compared: no public source pins them down.
    case FlagRule::kAaa: m.defined = fl::AF | fl::CF, m.model = fl::OF | fl::SF; break;
    case FlagRule::kAam:
    case FlagRule::kAad: m.defined = kSZP, m.model = fl::OF | fl::AF | fl::CF; break;
    case FlagRule::kBitTest: m.defined = fl::CF | fl::ZF, m.model = fl::OF | fl::SF | fl::AF | fl::PF; break;
    case FlagRule::kBitScan: m.defined = fl::ZF, m.model = fl::CF | fl::OF | fl::SF | fl::AF | fl::PF; break;
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// The forms.

namespace forms_detail {

inline std::vector<u8> cat(std::initializer_list<u8> a, u32 addr = 0, bool with_addr = false, std::initializer_list<u8> tail = {}) {
  std::vector<u8> v(a);
  if (with_addr)
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<u8>(addr >> (8 * i)));
  v.insert(v.end(), tail);
  return v;
}

// Opcode bytes for operand size `size` of an instruction whose byte form is `op8` and whose
// 16/32-bit form is `op8 + 1` (66 prefix for 16 bits).
inline std::vector<u8> sized(u8 size, std::initializer_list<u8> op8, std::initializer_list<u8> rest) {
  std::vector<u8> v;
  if (size == 2) v.push_back(0x66);
  std::vector<u8> op(op8);
  if (size != 1) op.back() = static_cast<u8>(op.back() + 1);
  v.insert(v.end(), op.begin(), op.end());
  v.insert(v.end(), rest);
  return v;
}

inline std::vector<u8> prefixed(u8 size, std::initializer_list<u8> bytes) {
  std::vector<u8> v;
  if (size == 2) v.push_back(0x66);
  v.insert(v.end(), bytes);
  return v;
}

inline const char* sz(u8 size) { return size == 1 ? "8" : size == 2 ? "16" : "32"; }

}  // namespace forms_detail

inline void add_alu_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  struct Alu { const char* name; u8 op; FlagRule rule; };
  const Alu alus[] = {{"add", 0x00, FlagRule::kAll}, {"or", 0x08, FlagRule::kLogic}, {"adc", 0x10, FlagRule::kAll},
                      {"sbb", 0x18, FlagRule::kAll}, {"and", 0x20, FlagRule::kLogic}, {"sub", 0x28, FlagRule::kAll},
                      {"xor", 0x30, FlagRule::kLogic}, {"cmp", 0x38, FlagRule::kAll}, {"test", 0x84, FlagRule::kLogic}};
  for (const Alu& a : alus) {
    for (u8 size : {1, 2, 4}) {
      out.push_back({fmt::format("{} r{},r{}", a.name, sz(size), sz(size)), sized(size, {a.op}, {0xD8}), size, a.rule});
      if (a.op != 0x84)
        out.push_back({fmt::format("{} m{},r{}", a.name, sz(size), sz(size)),
                       sized(size, {a.op}, {0x1D, u8(data), u8(data >> 8), u8(data >> 16), u8(data >> 24)}), size, a.rule});
    }
    if (a.op != 0x84) out.push_back({fmt::format("{} r32,m32", a.name), cat({u8(a.op + 3), 0x05}, data, true), 4, a.rule});
  }
  out.push_back({"add ah,bh", {0x00, 0xFC}, 1, FlagRule::kAll});
  out.push_back({"sub bh,al", {0x28, 0xC7}, 1, FlagRule::kAll});
  out.push_back({"add eax,imm32", {0x05, 0x78, 0x56, 0x34, 0x82}, 4, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"adc eax,imm8s", {0x83, 0xD0, 0x80}, 4, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"sub ax,imm8s", {0x66, 0x83, 0xE8, 0xFF}, 2, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"and al,imm8", {0x24, 0x5A}, 1, FlagRule::kLogic, Inputs::kUnary});
  out.push_back({"cmp ax,imm16", {0x66, 0x3D, 0x00, 0x80}, 2, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"sbb r8,imm8", {0x80, 0xD8, 0x7F}, 1, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"xor r32,imm32", {0x81, 0xF0, 0xFF, 0x00, 0xFF, 0x00}, 4, FlagRule::kLogic, Inputs::kUnary});
  out.push_back({"test m32,imm32", cat({0xF7, 0x05}, data, true, {0x01, 0x80, 0x00, 0x80}), 4, FlagRule::kLogic});
}

inline void add_unary_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  struct Unary { const char* name; u8 op; u8 modrm; FlagRule rule; };
  const Unary unaries[] = {{"inc", 0xFE, 0xC0, FlagRule::kAll}, {"dec", 0xFE, 0xC8, FlagRule::kAll},
                           {"not", 0xF6, 0xD0, FlagRule::kAll}, {"neg", 0xF6, 0xD8, FlagRule::kAll}};
  for (const Unary& u : unaries)
    for (u8 size : {1, 2, 4})
      out.push_back({fmt::format("{} r{}", u.name, sz(size)), sized(size, {u.op}, {u.modrm}), size, u.rule, Inputs::kUnary});
  out.push_back({"inc m32", cat({0xFF, 0x05}, data, true), 4, FlagRule::kAll, Inputs::kBinary});
  out.push_back({"neg m16", cat({0x66, 0xF7, 0x1D}, data, true), 2, FlagRule::kAll, Inputs::kBinary});
}

inline void add_shift_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  struct Shift { const char* name; u8 reg; Kind kind; FlagRule rule; };
  const Shift shifts[] = {{"rol", 0, Kind::kRol, FlagRule::kRotate},      {"ror", 1, Kind::kRor, FlagRule::kRotate},
                          {"rcl", 2, Kind::kRcl, FlagRule::kRotateCarry}, {"rcr", 3, Kind::kRcr, FlagRule::kRotateCarry},
                          {"shl", 4, Kind::kShl, FlagRule::kShift},       {"shr", 5, Kind::kShr, FlagRule::kShift},
                          {"sal", 6, Kind::kShl, FlagRule::kShift},       {"sar", 7, Kind::kSar, FlagRule::kShift}};
  for (const Shift& s : shifts) {
    for (u8 size : {1, 2, 4}) {
      const u8 modrm = static_cast<u8>(0xC0 | (s.reg << 3));
      out.push_back({fmt::format("{} r{},cl", s.name, sz(size)), sized(size, {0xD2}, {modrm}), size, s.rule, Inputs::kCount, s.kind});
      out.push_back({fmt::format("{} r{},1", s.name, sz(size)), sized(size, {0xD0}, {modrm}), size, s.rule, Inputs::kUnary, s.kind, 1});
    }
  }
  out.push_back({"shl r32,5", {0xC1, 0xE0, 0x05}, 4, FlagRule::kShift, Inputs::kUnary, Kind::kShl, 5});
  out.push_back({"rcr r8,9", {0xC0, 0xD8, 0x09}, 1, FlagRule::kRotateCarry, Inputs::kUnary, Kind::kRcr, 9});
  out.push_back({"ror r16,17", {0x66, 0xC1, 0xC8, 0x11}, 2, FlagRule::kRotate, Inputs::kUnary, Kind::kRor, 17});
  out.push_back({"sar r32,0", {0xC1, 0xF8, 0x00}, 4, FlagRule::kShift, Inputs::kUnary, Kind::kSar, 0});
  out.push_back({"shr m32,cl", cat({0xD3, 0x2D}, data, true), 4, FlagRule::kShift, Inputs::kCount, Kind::kShr});
  for (u8 size : {2, 4}) {
    out.push_back({fmt::format("shld r{},r{},cl", sz(size), sz(size)), prefixed(size, {0x0F, 0xA5, 0xD8}), size,
                   FlagRule::kDoubleShift, Inputs::kCount, Kind::kShld});
    out.push_back({fmt::format("shrd r{},r{},cl", sz(size), sz(size)), prefixed(size, {0x0F, 0xAD, 0xD8}), size,
                   FlagRule::kDoubleShift, Inputs::kCount, Kind::kShrd});
    for (u8 n : {1, 7, 16})
      out.push_back({fmt::format("shld r{},r{},{}", sz(size), sz(size), n), prefixed(size, {0x0F, 0xA4, 0xD8, n}), size,
                     FlagRule::kDoubleShift, Inputs::kBinary, Kind::kShld, n});
    out.push_back({fmt::format("shrd r{},r{},3", sz(size), sz(size)), prefixed(size, {0x0F, 0xAC, 0xD8, 3}), size,
                   FlagRule::kDoubleShift, Inputs::kBinary, Kind::kShrd, 3});
  }
}

inline void add_muldiv_forms(std::vector<Form>& out) {
  using namespace forms_detail;
  struct MulDiv { const char* name; u8 modrm; FlagRule rule; Inputs inputs; };
  const MulDiv ops[] = {{"mul", 0xE3, FlagRule::kMul, Inputs::kBinary}, {"imul", 0xEB, FlagRule::kMul, Inputs::kBinary},
                        {"div", 0xF3, FlagRule::kDiv, Inputs::kDivide}, {"idiv", 0xFB, FlagRule::kDiv, Inputs::kDivide}};
  for (const MulDiv& m : ops)
    for (u8 size : {1, 2, 4})
      out.push_back({fmt::format("{} r{}", m.name, sz(size)), sized(size, {0xF6}, {m.modrm}), size, m.rule, m.inputs});
  for (u8 size : {2, 4}) {
    out.push_back({fmt::format("imul r{},r{}", sz(size), sz(size)), prefixed(size, {0x0F, 0xAF, 0xC3}), size, FlagRule::kMul});
    out.push_back({fmt::format("imul r{},r{},imm8s", sz(size), sz(size)), prefixed(size, {0x6B, 0xC3, 0x85}), size, FlagRule::kMul});
  }
  out.push_back({"imul r32,r32,imm32", {0x69, 0xC3, 0x01, 0x00, 0x01, 0x00}, 4, FlagRule::kMul});
  out.push_back({"imul r16,r16,imm16", {0x66, 0x69, 0xC3, 0x39, 0x30}, 2, FlagRule::kMul});
}

inline void add_bcd_forms(std::vector<Form>& out) {
  out.push_back({"daa", {0x27}, 1, FlagRule::kDaa, Inputs::kBcd});
  out.push_back({"das", {0x2F}, 1, FlagRule::kDaa, Inputs::kBcd});
  out.push_back({"aaa", {0x37}, 1, FlagRule::kAaa, Inputs::kBcd});
  out.push_back({"aas", {0x3F}, 1, FlagRule::kAaa, Inputs::kBcd});
  out.push_back({"aam", {0xD4, 0x0A}, 1, FlagRule::kAam, Inputs::kBcd});
  out.push_back({"aam 7", {0xD4, 0x07}, 1, FlagRule::kAam, Inputs::kBcd});
  out.push_back({"aad", {0xD5, 0x0A}, 1, FlagRule::kAad, Inputs::kBcd});
  out.push_back({"aad 7", {0xD5, 0x07}, 1, FlagRule::kAad, Inputs::kBcd});
}

inline void add_bit_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  struct Bit { const char* name; u8 op; u8 group_reg; };
  const Bit bits[] = {{"bt", 0xA3, 4}, {"bts", 0xAB, 5}, {"btr", 0xB3, 6}, {"btc", 0xBB, 7}};
  for (const Bit& b : bits) {
    for (u8 size : {2, 4}) {
      out.push_back({fmt::format("{} r{},r{}", b.name, sz(size), sz(size)), prefixed(size, {0x0F, b.op, 0xD8}), size, FlagRule::kBitTest});
      std::vector<u8> mem = prefixed(size, {0x0F, b.op, 0x1D});
      for (int i = 0; i < 4; ++i) mem.push_back(static_cast<u8>(data >> (8 * i)));
      out.push_back({fmt::format("{} m{},r{}", b.name, sz(size), sz(size)), mem, size, FlagRule::kBitTest, Inputs::kBitOffset});
    }
    out.push_back({fmt::format("{} r32,37", b.name), {0x0F, 0xBA, u8(0xC0 | (b.group_reg << 3)), 37}, 4, FlagRule::kBitTest, Inputs::kUnary});
  }
  for (u8 size : {2, 4}) {
    out.push_back({fmt::format("bsf r{},r{}", sz(size), sz(size)), prefixed(size, {0x0F, 0xBC, 0xC3}), size, FlagRule::kBitScan});
    out.push_back({fmt::format("bsr r{},r{}", sz(size), sz(size)), prefixed(size, {0x0F, 0xBD, 0xC3}), size, FlagRule::kBitScan});
  }
}

inline void add_exchange_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  for (u8 size : {1, 2, 4}) {
    // CMPXCHG r/m, r with ECX as the destination (EAX is the accumulator) and EBX the source.
    out.push_back({fmt::format("cmpxchg r{},r{}", sz(size), sz(size)), sized(size, {0x0F, 0xB0}, {0xD9}), size});
    out.push_back({fmt::format("xadd r{},r{}", sz(size), sz(size)), sized(size, {0x0F, 0xC0}, {0xD8}), size});
    out.push_back({fmt::format("xchg r{},r{}", sz(size), sz(size)), sized(size, {0x86}, {0xD8}), size});
  }
  out.push_back({"cmpxchg m32,r32", cat({0x0F, 0xB1, 0x1D}, data, true), 4});
  out.push_back({"xadd m8,r8", cat({0x0F, 0xC0, 0x1D}, data, true), 1});
  out.push_back({"bswap eax", {0x0F, 0xC8}, 4, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"bswap ebx", {0x0F, 0xCB}, 4});
  // Undefined by the SDM; Intel and AMD processors clear the low word (tern's model too).
  out.push_back({"bswap ax", {0x66, 0x0F, 0xC8}, 2, FlagRule::kAll, Inputs::kUnary});
}

inline void add_data_forms(std::vector<Form>& out, u32 data) {
  using namespace forms_detail;
  static constexpr const char* kCc[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
  for (u8 cc = 0; cc < 16; ++cc) {
    out.push_back({fmt::format("cmov{} r32,r32", kCc[cc]), {0x0F, u8(0x40 + cc), 0xC3}, 4, FlagRule::kAll, Inputs::kFlags});
    out.push_back({fmt::format("cmov{} r16,r16", kCc[cc]), {0x66, 0x0F, u8(0x40 + cc), 0xC3}, 2, FlagRule::kAll, Inputs::kFlags});
    out.push_back({fmt::format("set{} r8", kCc[cc]), {0x0F, u8(0x90 + cc), 0xC0}, 1, FlagRule::kAll, Inputs::kFlags});
  }
  out.push_back({"cmovne r32,m32", cat({0x0F, 0x45, 0x05}, data, true), 4, FlagRule::kAll, Inputs::kFlags});
  out.push_back({"lahf", {0x9F}, 1, FlagRule::kAll, Inputs::kFlags});
  out.push_back({"sahf", {0x9E}, 1, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"cbw", {0x66, 0x98}, 2, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"cwde", {0x98}, 4, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"cwd", {0x66, 0x99}, 2, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"cdq", {0x99}, 4, FlagRule::kAll, Inputs::kUnary});
  out.push_back({"movzx r32,r8", {0x0F, 0xB6, 0xC7}, 4});  // movzx eax, bh
  out.push_back({"movzx r32,r16", {0x0F, 0xB7, 0xC3}, 4});
  out.push_back({"movsx r32,r8", {0x0F, 0xBE, 0xC3}, 4});
  out.push_back({"movsx r16,r8", {0x66, 0x0F, 0xBE, 0xC3}, 2});
  out.push_back({"movsx r32,m16", cat({0x0F, 0xBF, 0x05}, data, true), 4});
}

inline void add_string_forms(std::vector<Form>& out) {
  struct Str { const char* name; u8 op; FlagRule rule; };
  const Str strs[] = {{"movs", 0xA4, FlagRule::kAll}, {"cmps", 0xA6, FlagRule::kAll}, {"stos", 0xAA, FlagRule::kAll},
                      {"lods", 0xAC, FlagRule::kAll}, {"scas", 0xAE, FlagRule::kAll}};
  for (const Str& s : strs)
    for (u8 rep : {0x00, 0xF3, 0xF2})
      for (u8 size : {1, 2, 4}) {
        std::vector<u8> code;
        if (rep) code.push_back(rep);
        std::vector<u8> op = forms_detail::sized(size, {s.op}, {});
        code.insert(code.end(), op.begin(), op.end());
        const char* prefix = rep == 0xF3 ? "rep " : rep == 0xF2 ? "repne " : "";
        out.push_back({fmt::format("{}{}{}", prefix, s.name, forms_detail::sz(size)), code, size, s.rule, Inputs::kString});
      }
}

// Every form; `data` is the data address the memory forms name.
inline std::vector<Form> all_forms(u32 data) {
  std::vector<Form> out;
  add_alu_forms(out, data);
  add_unary_forms(out, data);
  add_shift_forms(out, data);
  add_muldiv_forms(out);
  add_bcd_forms(out);
  add_bit_forms(out, data);
  add_exchange_forms(out, data);
  add_data_forms(out, data);
  add_string_forms(out);
  return out;
}

}  // namespace tern::test
