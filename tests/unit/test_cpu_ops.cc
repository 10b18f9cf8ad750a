// Integer instructions against the host CPU: every form of cpu_forms.h runs, from the same inputs,
// natively (32-bit compatibility mode on x86-64 Linux, see native_x86.h) and in tern's
// interpreter; results, memory and every flag the SDM defines must agree, and on Intel hosts the
// undefined flags tern models too. A fixed subset of those vectors, recorded from a host run
// (cpu_ops_vectors.inc), is checked on every host, so AArch64 builds run the same checks.
//
// Regenerate the recorded vectors on an x86-64 host with
//   test_cpu_ops "[.record]"   (writes cpu_ops_vectors.inc into the working directory)
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <map>

#include "tests/unit/cpu_forms.h"
#include "tests/unit/native_x86.h"

namespace {

using namespace tern;
using namespace tern::test;

// Registers are "eax ecx edx ebx ebp esi edi" in hex; data windows "offset:hex" (see
// sparse_window); flags_defined masks the flags compared.
struct RecordedVector {
  const char* form;
  const char* code;
  const char* in_gpr;
  u32 in_flags;
  const char* in_data;
  const char* out_gpr;
  u32 out_flags;
  const char* out_data;
  u32 flags_defined;
};

#include "tests/unit/cpu_ops_vectors.inc"

// xorshift64*: deterministic operands on every host.
class Rng {
 public:
  explicit Rng(u64 seed) : m_s(seed | 1) {}
  u64 next() {
    m_s ^= m_s >> 12, m_s ^= m_s << 25, m_s ^= m_s >> 27;
    return m_s * 0x2545F4914F6CDD1Dull;
  }
  u32 u32_() { return static_cast<u32>(next() >> 32); }
  u32 below(u32 n) { return static_cast<u32>((next() >> 33) % n); }

 private:
  u64 m_s;
};

constexpr u32 kEdges[] = {0,      1,          2,          0x7F,       0x80,       0xFF,       0x100,      0x7FFF,
                          0x8000, 0xFFFF,     0x10000,    0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF};
constexpr u32 kCounts[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 255};

u32 size_mask(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

// An operand of `size` with the edge value `e` and random bits above it (they must survive).
u32 operand(Rng& rng, u8 size, u32 e) { return (rng.u32_() & ~size_mask(size)) | (e & size_mask(size)); }

void set_dword(CpuState& s, u32 v) {
  for (int i = 0; i < 4; ++i) s.data[kDataBefore + i] = static_cast<u8>(v >> (8 * i));
}

CpuState random_state(Rng& rng, const Form& f) {
  CpuState s;
  for (u32& r : s.gpr) r = rng.u32_();
  s.gpr[kEsp] = 0;
  s.eflags = fl::kFixedOne | (rng.u32_() & (fl::kArith | fl::DF));
  // Strings and bit strings reach the whole window; other memory forms only the centre dword.
  if (f.inputs == Inputs::kString || f.inputs == Inputs::kBitOffset)
    for (u8& b : s.data) b = static_cast<u8>(rng.u32_());
  else if (f.uses_memory())
    set_dword(s, rng.u32_());
  return s;
}

// DIV/IDIV inputs that raise #DE cannot run natively: they are covered by the #DE tests.
bool divide_faults(const Form& f, const CpuState& s) {
  const unsigned bits = 8u * f.size;
  const bool is_signed = f.name[0] == 'i';
  const u64 mask = size_mask(f.size);
  const u64 divisor = s.gpr[kEbx] & mask;
  if (divisor == 0) return true;
  const u64 dividend = f.size == 1 ? (s.gpr[kEax] & 0xFFFF) : ((u64{s.gpr[kEdx] & size_mask(f.size)} << bits) | (s.gpr[kEax] & mask));
  if (!is_signed) return dividend / divisor > mask;
  const __int128 n = static_cast<__int128>(sign_extend(dividend, 2 * bits));
  const __int128 q = n / static_cast<__int128>(sign_extend(divisor, bits));
  return q < -(__int128{1} << (bits - 1)) || q >= (__int128{1} << (bits - 1));
}

std::vector<CpuState> inputs_for(const Form& f, u32 data_addr, Rng& rng) {
  std::vector<CpuState> v;
  auto add = [&](CpuState s) { v.push_back(s); };
  switch (f.inputs) {
    case Inputs::kBinary:
      for (size_t i = 0; i < std::size(kEdges); ++i)
        for (size_t j = 0; j < std::size(kEdges); ++j) {
          CpuState s = random_state(rng, f);
          s.gpr[kEax] = operand(rng, f.size, kEdges[i]);
          s.gpr[kEbx] = operand(rng, f.size, kEdges[j]);
          s.gpr[kEcx] = operand(rng, f.size, kEdges[(i + j) % std::size(kEdges)]);
          set_dword(s, kEdges[(i * 7 + j * 3) % std::size(kEdges)]);
          add(s);
        }
      for (int n = 0; n < 64; ++n) add(random_state(rng, f));
      break;
    case Inputs::kUnary:
      for (u32 e : kEdges)
        for (u32 flags : {0u, fl::CF, fl::AF | fl::ZF, fl::kArith}) {
          CpuState s = random_state(rng, f);
          s.gpr[kEax] = operand(rng, f.size, e);
          s.eflags = fl::kFixedOne | flags;
          add(s);
        }
      for (int n = 0; n < 32; ++n) add(random_state(rng, f));
      break;
    case Inputs::kCount:
      for (u32 e : kEdges)
        for (u32 c : kCounts) {
          CpuState s = random_state(rng, f);
          s.gpr[kEax] = operand(rng, f.size, e);
          s.gpr[kEbx] = operand(rng, f.size, kEdges[(e + c) % std::size(kEdges)]);
          s.gpr[kEcx] = (rng.u32_() & ~0xFFu) | c;
          set_dword(s, e);
          add(s);
        }
      break;
    case Inputs::kDivide:
      for (size_t i = 0; i < std::size(kEdges); ++i)
        for (size_t j = 0; j < std::size(kEdges); ++j)
          for (int k = 0; k < 4; ++k) {
            CpuState s = random_state(rng, f);
            s.gpr[kEax] = operand(rng, f.size, kEdges[i]);
            s.gpr[kEdx] = k == 0 ? 0 : k == 1 ? 0xFFFFFFFF : rng.u32_() >> (rng.below(32));
            s.gpr[kEbx] = operand(rng, f.size, k == 3 ? rng.u32_() : kEdges[j]);
            if (!divide_faults(f, s)) add(s);
          }
      break;
    case Inputs::kBcd:
      for (u32 al = 0; al < 256; ++al)
        for (u32 flags : {0u, fl::CF, fl::AF, fl::CF | fl::AF}) {
          CpuState s = random_state(rng, f);
          s.gpr[kEax] = (s.gpr[kEax] & 0xFFFF0000u) | (rng.below(256) << 8) | al;
          s.eflags = fl::kFixedOne | (s.eflags & (fl::OF | fl::SF | fl::ZF | fl::PF)) | flags;
          add(s);
        }
      break;
    case Inputs::kFlags:
      for (u32 combo = 0; combo < 64; ++combo) {
        CpuState s = random_state(rng, f);
        static constexpr u32 kBits[6] = {fl::CF, fl::PF, fl::AF, fl::ZF, fl::SF, fl::OF};
        s.eflags = fl::kFixedOne;
        for (int b = 0; b < 6; ++b)
          if (combo & (1u << b)) s.eflags |= kBits[b];
        add(s);
      }
      break;
    case Inputs::kBitOffset:
      for (int n = 0; n < 96; ++n) {
        CpuState s = random_state(rng, f);
        const i32 offset = n < 8 ? std::array<i32, 8>{-256, -255, -1, 0, 15, 16, 31, 255}[n] : static_cast<i32>(rng.below(512)) - 256;
        s.gpr[kEbx] = f.size == 2 ? (s.gpr[kEbx] & 0xFFFF0000u) | (static_cast<u32>(offset) & 0xFFFF) : static_cast<u32>(offset);
        add(s);
      }
      break;
    case Inputs::kString:
      for (int n = 0; n < 160; ++n) {
        CpuState s = random_state(rng, f);
        // Few distinct bytes, so REPE/REPNE comparisons stop at varied places.
        for (u8& b : s.data) b = static_cast<u8>(0x41 + rng.below(2));
        s.gpr[kEax] = 0x41414141u + (rng.below(2) ? 0x01000001u : 0);
        s.gpr[kEsi] = data_addr - 4 + rng.below(9);
        s.gpr[kEdi] = data_addr - 4 + rng.below(9);
        s.gpr[kEcx] = n < 4 ? static_cast<u32>(n) : rng.below(7);
        add(s);
      }
      break;
  }
  return v;
}

// One disagreement, described for the report.
std::string describe(const Form& f, const CpuState& in, const CpuState& want, const CpuState& got, u32 mask) {
  std::string s = fmt::format("{} [{:02x}]\n  in :", f.name, fmt::join(f.code, " "));
  for (u32 r : in.gpr) s += fmt::format(" {:08x}", r);
  s += fmt::format(" fl {:03x}\n  want:", in.eflags & 0xFFF);
  for (u32 r : want.gpr) s += fmt::format(" {:08x}", r);
  s += fmt::format(" fl {:03x}\n  got :", want.eflags & mask);
  for (u32 r : got.gpr) s += fmt::format(" {:08x}", r);
  s += fmt::format(" fl {:03x} (compared flags {:03x})", got.eflags & mask, mask);
  if (want.data != got.data) s += "\n  memory differs";
  return s;
}

bool same(const CpuState& a, const CpuState& b, u32 flag_mask, bool result_defined) {
  for (int r = 0; r < 8; ++r)
    if (r != kEsp && !(r == kEax && !result_defined) && a.gpr[r] != b.gpr[r]) return false;
  return ((a.eflags ^ b.eflags) & flag_mask) == 0 && (!result_defined || a.data == b.data);
}

std::string hex_bytes(const u8* p, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += fmt::format("{:02x}", p[i]);
  return s;
}

std::vector<u8> from_hex(const char* s) {
  std::vector<u8> v;
  for (; s[0] && s[1]; s += 2) v.push_back(static_cast<u8>(std::stoi(std::string(s, 2), nullptr, 16)));
  return v;
}

constexpr u8 kRecordedRegs[7] = {kEax, kEcx, kEdx, kEbx, kEbp, kEsi, kEdi};

std::string format_regs(const CpuState& st) {
  std::string s;
  for (u8 r : kRecordedRegs) s += fmt::format("{}{:08x}", s.empty() ? "" : " ", st.gpr[r]);
  return s;
}

void parse_regs(const char* text, CpuState& st) {
  for (u8 r : kRecordedRegs) {
    st.gpr[r] = static_cast<u32>(std::stoul(std::string(text, 8), nullptr, 16));
    text += 9;
  }
}

// A data window as "offset:hex" of the span between its first and last non-zero byte.
std::string sparse_window(const std::array<u8, kDataSize>& data) {
  size_t first = 0, last = kDataSize;
  while (first < kDataSize && data[first] == 0) ++first;
  while (last > first && data[last - 1] == 0) --last;
  if (first == last) return "0:";
  return fmt::format("{}:{}", first, hex_bytes(data.data() + first, last - first));
}

std::array<u8, kDataSize> parse_window(const char* s) {
  std::array<u8, kDataSize> data = {};
  if (!*s) return data;
  const std::string text(s);
  const size_t colon = text.find(':');
  const size_t offset = std::stoul(text.substr(0, colon));
  const std::vector<u8> bytes = from_hex(text.c_str() + colon + 1);
  for (size_t i = 0; i < bytes.size() && offset + i < kDataSize; ++i) data[offset + i] = bytes[i];
  return data;
}

}  // namespace

TEST_CASE("integer instructions match the host CPU on every defined result and flag", "[cpu][native]") {
  NativeCpu native;
  if (!native.available()) {
    WARN("host cannot run 32-bit x86 code: native differential test skipped (the recorded vectors still run)");
    return;
  }
  const bool intel = host_is_intel();
  if (!intel) WARN("host CPU is not Intel: undefined flags (tern's P6 model) are not compared");
  TernCpu tern;
  const u32 data = native.data_addr();
  std::map<std::string, std::pair<int, std::string>> mismatches;
  size_t runs = 0;
  const std::vector<Form> forms = all_forms(data);
  for (const Form& f : forms) {
    Rng rng(std::hash<std::string>{}(f.name));
    for (const CpuState& in : inputs_for(f, data, rng)) {
      const FlagMasks m = flag_masks(f, in);
      const u32 compared = m.defined | (intel ? m.model : 0);
      const CpuState want = native.run(f.code, in);
      const RunResult got = tern.run(f.code, in, data);
      ++runs;
      if (got.vector >= 0 || !same(want, got.out, compared, m.result_defined)) {
        auto& entry = mismatches[f.name];
        if (entry.first++ == 0)
          entry.second = got.vector >= 0 ? fmt::format("{}: tern raised vector {}", f.name, got.vector)
                                         : describe(f, in, want, got.out, compared);
      }
    }
  }
  std::string report = fmt::format("{} forms, {} runs\n", forms.size(), runs);
  for (const auto& [name, e] : mismatches) report += fmt::format("x{} {}\n", e.first, e.second);
  INFO(report);
  CHECK(forms.size() > 300);
  CHECK(runs > 50000);
  CHECK(mismatches.empty());
}

TEST_CASE("recorded host vectors: tern reproduces every defined result and flag", "[cpu]") {
  TernCpu tern;
  int failures = 0;
  std::string first;
  for (const RecordedVector& r : kRecorded) {
    CpuState in;
    parse_regs(r.in_gpr, in);
    in.eflags = r.in_flags;
    in.data = parse_window(r.in_data);
    CpuState want;
    parse_regs(r.out_gpr, want);
    want.eflags = r.out_flags;
    want.data = parse_window(r.out_data);
    const RunResult got = tern.run(from_hex(r.code), in, kRecordedDataAddr);
    if ((got.vector >= 0 || !same(want, got.out, r.flags_defined, true)) && failures++ == 0)
      first = fmt::format("{} (vector {})", r.form, got.vector);
  }
  INFO(fmt::format("{} recorded vectors, first failure: {}", std::size(kRecorded), first));
  CHECK(std::size(kRecorded) > 1000);
  CHECK(failures == 0);
}

TEST_CASE("record host vectors for cpu_ops_vectors.inc", "[.record]") {
  NativeCpu native;
  REQUIRE(native.available());
  const u32 data = native.data_addr();
  std::FILE* out = std::fopen("cpu_ops_vectors.inc", "w");
  REQUIRE(out);
  fmt::print(out, "// Generated by `test_cpu_ops \"[.record]\"` on an x86-64 host ({}); do not edit.\n",
             host_is_intel() ? "Intel" : "not Intel");
  fmt::print(out, "// Each line: form, code, input registers, flags, data window, expected outputs, defined flags\n");
  fmt::print(out, "// (see RecordedVector in test_cpu_ops.cc).\n");
  fmt::print(out, "constexpr u32 kRecordedDataAddr = 0x{:08x};\nconstexpr RecordedVector kRecorded[] = {{\n", data);
  for (const Form& f : all_forms(data)) {
    Rng rng(std::hash<std::string>{}(f.name));
    const std::vector<CpuState> all = inputs_for(f, data, rng);
    constexpr size_t kPerForm = 4;
    for (size_t k = 0; k < kPerForm && !all.empty(); ++k) {
      const CpuState& in = all[(k * all.size()) / kPerForm + (k * 7) % std::max<size_t>(1, all.size() / kPerForm)];
      const FlagMasks m = flag_masks(f, in);
      if (!m.result_defined) continue;
      const CpuState want = native.run(f.code, in);
      const bool mem = f.uses_memory();
      fmt::print(out, "    {{\"{}\", \"{}\", \"{}\", 0x{:x}, \"{}\", \"{}\", 0x{:x}, \"{}\", 0x{:x}}},\n", f.name,
                 hex_bytes(f.code.data(), f.code.size()), format_regs(in), in.eflags,
                 mem ? sparse_window(in.data) : "", format_regs(want), want.eflags,
                 mem ? sparse_window(want.data) : "", m.defined);
    }
  }
  fmt::print(out, "}};\n");
  std::fclose(out);
}
