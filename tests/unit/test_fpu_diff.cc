// Differential test of tern's software x87 against the host's x87 (x86-64 hosts only): every
// instruction form of the catalogue, random and edge operands, every precision and rounding
// mode, masked and unmasked exceptions. Results and status words must be bit-exact, except that
// transcendental results may differ by one ulp (the bit-exact share is reported).
//
// With TERN_FPU_RECORD=DIR set, the cases and the host's outcomes are also written to
// DIR/<form>.txt: the recorded vectors that test_fpu_vectors replays on any host.
#include <catch2/catch.hpp>

#if defined(__x86_64__)

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "tests/unit/test_fpu_catalogue.h"

namespace tern::fputest {
namespace {

// Runs `frstor [rdi]; INSN; fnsave [rdi]` natively with the operand at [rsi].
class HostRunner {
 public:
  HostRunner() {
    m_code = static_cast<u8*>(mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(m_code != MAP_FAILED);
  }
  ~HostRunner() { munmap(m_code, 4096); }

  Outcome run(const Case& c) {
    std::vector<u8> code = {
        0x53,                    // push rbx
        0x48, 0x89, 0xD3,        // mov rbx, rdx
        0x51, 0x9D,              // push rcx; popfq
        0xB8, 0x78, 0x56, 0x34, 0x12,  // mov eax, kEaxIn
        0xDD, 0x27,              // frstor [rdi]
    };
    code.insert(code.end(), c.insn.begin(), c.insn.end());
    code.insert(code.end(), {
        0xDD, 0x37,              // fnsave [rdi]
        0x48, 0x89, 0x03,        // mov [rbx], rax
        0x9C, 0x58,              // pushfq; pop rax
        0x48, 0x89, 0x43, 0x08,  // mov [rbx+8], rax
        0x5B, 0xC3,              // pop rbx; ret
    });
    std::memcpy(m_code, code.data(), code.size());
    alignas(16) u8 image[kImageSize];
    alignas(16) u8 mem[512] = {};
    std::memcpy(image, c.image, kImageSize);
    std::memcpy(mem, c.mem, kMemSize);
    u64 regs[2];
    auto fn = reinterpret_cast<void (*)(u8*, u8*, u64*, u64)>(m_code);
    fn(image, mem, regs, c.eflags);
    Outcome o;
    std::memcpy(o.image, image, kImageSize);
    std::memcpy(o.mem, mem, kMemSize);
    clear_pointers(o.image);
    o.ax = static_cast<u16>(regs[0]);
    o.eflags = static_cast<u32>(regs[1]) & kArithFlags;
    return o;
  }

 private:
  u8* m_code;
};

struct Tally {
  unsigned cases = 0, exact = 0, same_results = 0, failures = 0;
};

// The input of a case in readable form, for mismatch reports.
std::string describe(const std::string& name, const Case& c) {
  char buf[160];
  u16 cw, sw, tw;
  std::memcpy(&cw, c.image, 2);
  std::memcpy(&sw, c.image + 4, 2);
  std::memcpy(&tw, c.image + 8, 2);
  std::string s = name;
  std::snprintf(buf, sizeof buf, " cw %04x sw %04x tw %04x mem %s eflags %x", cw, sw, tw, hex(c.mem, kMemSize).c_str(), c.eflags);
  s += buf;
  for (int i = 0; i < 8; ++i) {
    const Float80 v = image_reg(c.image, i);
    const bool empty = ((tw >> (2 * ((((sw >> 11) & 7) + i) & 7))) & 3) == 3;
    std::snprintf(buf, sizeof buf, "\n   ST%d %04x:%016llx%s", i, v.sign_exp, static_cast<unsigned long long>(v.signif),
                  empty ? " empty" : "");
    s += buf;
  }
  return s;
}

unsigned cases_per_form(const Form& f) {
  if (const char* env = std::getenv("TERN_FPU_CASES")) return static_cast<unsigned>(std::atoi(env));
  return f.approximate ? 3000 : 1000;
}

}  // namespace

TEST_CASE("x87 results and status words match the host x87 bit for bit", "[fpu][diff]") {
  HostRunner host;
  TernRunner tern;
  const char* record_dir = std::getenv("TERN_FPU_RECORD");
  // TERN_FPU_SHOW_INEXACT=1 lists the first transcendental results that differ by one ulp.
  const bool show_inexact = std::getenv("TERN_FPU_SHOW_INEXACT") != nullptr;
  std::map<std::string, Tally> tally;
  Tally transcendental;
  unsigned form_index = 0;
  for (const Form& form : catalogue()) {
    Rng rng(0x7E57F00Dull + 7919 * form_index++);
    std::FILE* out = nullptr;
    if (record_dir) {
      std::filesystem::create_directories(record_dir);
      out = std::fopen((std::string(record_dir) + "/" + form.name + ".txt").c_str(), "w");
    }
    Tally& t = tally[form.name];
    const unsigned n = cases_per_form(form);
    for (unsigned i = 0; i < n; ++i) {
      const Case c = make_case(rng, form);
      const Outcome want = host.run(c);
      const Outcome got = tern.run(c);
      bool exact;
      std::string why;
      const bool ok = matches(want, got, form.approximate, exact, why);
      // Same result registers (C1, the rounded-up bit, may still differ for transcendentals).
      const bool same_results = std::memcmp(want.image + 28, got.image + 28, 80) == 0;
      ++t.cases;
      t.exact += exact;
      t.same_results += same_results;
      if (form.approximate) {
        ++transcendental.cases;
        transcendental.exact += exact;
        transcendental.same_results += same_results;
      }
      if (ok && !same_results && show_inexact)
        std::printf("ONE-ULP %s\n%s\n", describe(form.name, c).c_str(), why.c_str());
      if (!ok && ++t.failures <= 3) std::printf("MISMATCH %s\n%s\n", describe(form.name, c).c_str(), why.c_str());
      // The immediate-count MMX shifts are many small forms: fewer recorded cases each.
      const unsigned recorded = form.name.find("_imm") != std::string::npos ? 8 : 40;
      if (out && i < recorded) std::fprintf(out, "%s\n", encode(form.name, c, want, form.approximate).c_str());
    }
    if (out) std::fclose(out);
  }
  unsigned failures = 0;
  for (const auto& [name, t] : tally) {
    failures += t.failures;
    if (t.failures) UNSCOPED_INFO(name << ": " << t.failures << " of " << t.cases << " differ");
  }
  for (const Form& form : catalogue())
    if (form.approximate) {
      const Tally& t = tally[form.name];
      std::printf("%-8s results bit-exact %u/%u (%.3f%%), whole outcome incl. C1 %.3f%%\n", form.name.c_str(),
                  t.same_results, t.cases, 100.0 * t.same_results / t.cases, 100.0 * t.exact / t.cases);
    }
  const double rate = 100.0 * transcendental.same_results / transcendental.cases;
  std::printf("transcendental results bit-exact: %.3f%% of %u cases (whole outcome incl. C1: %.3f%%)\n", rate,
              transcendental.cases, 100.0 * transcendental.exact / transcendental.cases);
  CHECK(failures == 0);
  // Issue 6 asks for 99%. Measured on an AMD EPYC (family 19h) host: 99.18% overall, FPTAN
  // 98.4% (95.4% before tern followed that processor's 68-bit evaluation of tan for |x| < 2^-28),
  // every other function 98.8-99.8%; the remaining differences are the host's own rounding
  // errors in its polynomial approximations, spread over all arguments.
  CHECK(rate >= 99.0);
}

}  // namespace tern::fputest

#endif
