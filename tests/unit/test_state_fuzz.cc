// Damaged and unfit state files, made from a real machine's state: truncated at every length
// step, single bits flipped, sections dropped, cut, extended or filled with noise (with valid
// checksums, so the devices' own checks are reached), a wrong version, another configuration.
// Each must be refused with an Error and nothing else (no crash: this test also runs under
// AddressSanitizer and UBSan, see tests/asan/), and a refused load leaves the machine as it was.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "base/bits.h"
#include "base/error.h"
#include "base/state.h"
#include "machine/machine.h"

using namespace tern;

namespace {

constexpr u64 kRunNs = 20'000'000;

MachineConfig small_config() {
  MachineConfig c;
  c.ram_bytes = u64{4} << 20;
  c.serial = "none";
  c.engine = Engine::kInterp;
  return c;
}

// A machine, a state saved from it after a short SeaBIOS run, and its state image for checks.
struct Fixture {
  Machine machine{small_config()};
  std::vector<u8> state;
  std::vector<u8> before;
  Fixture() {
    machine.run_for(kRunNs);
    state = machine.save_state_image();
    machine.run_for(kRunNs);
    before = machine.save_state_image();
  }
  // Loads `file`; true when it was refused with Error.
  bool refused(const std::vector<u8>& file) {
    try {
      machine.load_state(StateReader(file));
    } catch (const Error&) {
      return true;
    }
    return false;
  }
  bool unchanged() { return machine.save_state_image() == before; }
};

std::vector<u8> rebuild(const StateReader& r, const std::string& name, const std::vector<u8>* data) {
  StateWriter w;
  for (const std::string& n : r.section_names()) {
    if (n == name && !data) continue;
    const std::vector<u8>& bytes = n == name ? *data : r.section_data(n);
    StateIo io = w.section(n);
    io.bytes(const_cast<u8*>(bytes.data()), bytes.size());
  }
  return w.finish();
}

}  // namespace

TEST_CASE("state files cut short at any length are refused") {
  Fixture f;
  const size_t size = f.state.size();
  const size_t step = std::max<size_t>(1, size / 400);
  for (size_t n = 0; n < size; n += n < 64 ? 1 : step) {
    INFO("length " << n << " of " << size);
    CHECK(f.refused(std::vector<u8>(f.state.begin(), f.state.begin() + static_cast<std::ptrdiff_t>(n))));
  }
  CHECK(f.unchanged());
}

TEST_CASE("state files with a flipped bit anywhere are refused") {
  Fixture f;
  std::mt19937_64 rng(1);
  std::vector<size_t> positions;
  for (size_t i = 0; i < 64 && i < f.state.size(); ++i) positions.push_back(i);  // every header byte
  for (int i = 0; i < 400; ++i) positions.push_back(rng() % f.state.size());
  for (size_t pos : positions) {
    std::vector<u8> damaged = f.state;
    damaged[pos] ^= static_cast<u8>(1u << (rng() % 8));
    INFO("byte " << pos);
    CHECK(f.refused(damaged));
  }
  CHECK(f.unchanged());
}

TEST_CASE("a state file of another format version is refused with a message naming it") {
  Fixture f;
  std::vector<u8> other = f.state;
  store_le<u32>(other.data() + 8, kStateFormatVersion + 1);
  CHECK_THROWS_WITH(f.machine.load_state(StateReader(other)), Catch::Contains("format version"));
  CHECK(f.unchanged());
}

TEST_CASE("sections dropped, cut, extended or filled with noise are refused or loaded, never more") {
  Fixture f;
  const StateReader reader(f.state);
  std::mt19937_64 rng(7);
  for (const std::string& name : reader.section_names()) {
    INFO("section " << name);
    CHECK(f.refused(rebuild(reader, name, nullptr)));
    const std::vector<u8>& good = reader.section_data(name);
    for (size_t keep : {good.size() - 1, good.size() / 2, size_t{0}}) {
      if (keep >= good.size()) continue;  // an empty section has nothing to cut
      const std::vector<u8> shorter(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(keep));
      CHECK(f.refused(rebuild(reader, name, &shorter)));
    }
    std::vector<u8> longer = good;
    longer.push_back(0x5A);
    CHECK(f.refused(rebuild(reader, name, &longer)));
    CHECK(f.unchanged());
    // Noise of the right length: devices must refuse what they cannot hold, or load it and run
    // with it; either way without touching memory they do not own. RAM noise is a valid RAM
    // image only by chance; the header's noise names files that do not exist.
    for (int round = 0; round < 8; ++round) {
      std::vector<u8> noise(good.size());
      for (u8& b : noise) b = static_cast<u8>(rng());
      if (f.refused(rebuild(reader, name, &noise)))
        CHECK(f.unchanged());
      else
        f.machine.run_for(kRunNs / 20);  // what a device accepted, it must also run with
      f.machine.load_state(StateReader(f.state));  // back to a known state for the next round
      f.before = f.machine.save_state_image();
    }
  }
}

TEST_CASE("a state of another machine configuration is refused") {
  Fixture f;
  MachineConfig bigger = small_config();
  bigger.ram_bytes = u64{8} << 20;
  Machine other(bigger);
  const std::vector<u8> before = other.save_state_image();
  CHECK_THROWS_WITH(other.load_state(StateReader(f.state)), Catch::Contains("RAM") || Catch::Contains("-m"));
  CHECK(other.save_state_image() == before);
}
