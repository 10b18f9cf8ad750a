// Replays the x87 vectors recorded from a host x87 (tests/unit/fpu_vectors/, written by
// test_fpu_diff with TERN_FPU_RECORD set) on any host: an AArch64 build must produce the same
// bits. Exact forms must match bit for bit; transcendental forms within one ulp, C1 aside.
//
// With TERN_FPU_OUTCOMES=FILE set, tern's own outcome for every case is written to FILE, in the
// vector format and in a fixed order: tools/compare-hosts.sh checks that the x86-64 and AArch64
// builds write identical files, which makes the transcendental results bit-exact across hosts too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "tests/unit/test_fpu_harness.h"

namespace tern::fputest {
namespace {

std::filesystem::path vector_dir() { return std::filesystem::path(__FILE__).parent_path() / "fpu_vectors"; }

std::vector<std::filesystem::path> vector_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(vector_dir())) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("x87 results match the vectors recorded from a host x87", "[fpu][vectors]") {
  TernRunner tern;
  unsigned files = 0, cases = 0, approximate_cases = 0, approximate_exact = 0, failures = 0;
  const char* outcomes_path = std::getenv("TERN_FPU_OUTCOMES");
  std::ofstream outcomes;
  if (outcomes_path) {
    outcomes.open(outcomes_path);
    REQUIRE(outcomes);
  }
  for (const auto& path : vector_files()) {
    std::ifstream in(path);
    ++files;
    std::string line;
    while (std::getline(in, line)) {
      std::string name, why;
      Case c;
      Outcome want;
      bool approximate, exact;
      REQUIRE(decode(line, name, c, want, approximate));
      const Outcome got = tern.run(c);
      if (outcomes_path) outcomes << encode(name, c, got, approximate) << '\n';
      ++cases;
      if (!matches(want, got, approximate, exact, why) && ++failures <= 10) UNSCOPED_INFO(line << "\n  " << why);
      if (approximate) {
        ++approximate_cases;
        approximate_exact += std::memcmp(want.image + 28, got.image + 28, 80) == 0;
      }
    }
  }
  std::printf("%u vector files, %u cases; transcendental results bit-exact %u/%u\n", files, cases, approximate_exact,
              approximate_cases);
  CHECK(files > 100);
  CHECK(failures == 0);
}

}  // namespace tern::fputest
