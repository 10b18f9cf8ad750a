// Save states of the whole machine: a state loads into a second machine as the identity, both
// then run on alike (under either engine), and every kind of unfit state is refused with the
// running machine left exactly as it was.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/state.h"
#include "frontend/monitor.h"
#include "machine/machine.h"

using namespace tern;

namespace {

constexpr u64 kBootSliceNs = 30'000'000;  // SeaBIOS is well into POST by then: PCI, VGA, timers

MachineConfig seabios_config(Engine engine = Engine::kInterp) {
  MachineConfig c;
  c.ram_bytes = u64{16} << 20;
  c.serial = "none";
  c.engine = engine;
  return c;
}

// The first section (the header aside: it names the engine that saved) whose contents differ
// between two state files, or "" when they hold the same machine.
std::string first_difference(const std::vector<u8>& a, const std::vector<u8>& b) {
  const StateReader ra(a), rb(b);
  if (ra.section_names() != rb.section_names()) return "(section list)";
  for (const std::string& name : ra.section_names())
    if (name != "machine" && ra.section_data(name) != rb.section_data(name)) return name;
  return "";
}

// A copy of `file` with one section replaced, added (not there yet) or removed (`data` null),
// with valid checksums throughout.
std::vector<u8> with_section(const std::vector<u8>& file, const std::string& name, const std::vector<u8>* data) {
  const StateReader r(file);
  StateWriter w;
  auto put = [&w](const std::string& n, const std::vector<u8>& bytes) {
    StateIo io = w.section(n);
    io.bytes(const_cast<u8*>(bytes.data()), bytes.size());
  };
  for (const std::string& n : r.section_names()) {
    if (n != name)
      put(n, r.section_data(n));
    else if (data)
      put(n, *data);
  }
  if (data && !r.has(name)) put(name, *data);
  return w.finish();
}

std::string write_temp(const std::string& name, const std::vector<u8>& data) {
  const std::string path = "test_save_state_" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return path;
}

}  // namespace

TEST_CASE("a machine state loads into a second machine as the identity") {
  Machine a(seabios_config());
  a.run_for(kBootSliceNs);
  const std::vector<u8> state = a.save_state_image();

  Machine b(seabios_config());
  b.load_state(StateReader(state));
  CHECK(b.clock().now() == a.clock().now());
  CHECK(b.instructions() == a.instructions());
  CHECK(first_difference(b.save_state_image(), state) == "");
}

TEST_CASE("a loaded machine runs on exactly as the saved one, under either engine") {
  const Engine saver = GENERATE(Engine::kInterp, Engine::kJit);
  const Engine loader = GENERATE(Engine::kInterp, Engine::kJit);
  Machine a(seabios_config(saver));
  a.run_for(kBootSliceNs);
  std::cout << "saver " << int(saver) << " loader " << int(loader) << std::endl;
  Machine b(seabios_config(loader));
  b.load_state(StateReader(a.save_state_image()));
  a.run_for(kBootSliceNs);
  b.run_for(kBootSliceNs);
  CHECK(b.instructions() == a.instructions());
  const std::vector<u8> sa = a.save_state_image(), sb = b.save_state_image();
  const StateReader rra(sa), rrb(sb); const auto& ca = rra.section_data("cpu");
  const auto& cb = rrb.section_data("cpu");
  for (size_t i = 0; i < ca.size(); ++i) if (ca[i] != cb[i]) std::cout << "cpu byte " << i << std::endl;
  CHECK(first_difference(sa, sb) == "");
}

TEST_CASE("loading a state into the machine that saved it rewinds it") {
  Machine m(seabios_config());
  m.run_for(kBootSliceNs);
  const std::vector<u8> state = m.save_state_image();
  m.run_for(kBootSliceNs);
  m.load_state(StateReader(state));
  CHECK(first_difference(m.save_state_image(), state) == "");
}

TEST_CASE("a state file round-trips through save_state and load_state by path") {
  Machine a(seabios_config());
  a.run_for(kBootSliceNs);
  const std::string path = "test_save_state_file.state";
  a.save_state(path);
  Machine b(seabios_config());
  b.load_state(path);
  CHECK(first_difference(b.save_state_image(), a.save_state_image()) == "");
  std::remove(path.c_str());
}

TEST_CASE("states of another machine configuration are refused, the machine unchanged") {
  Machine small(seabios_config());
  small.run_for(kBootSliceNs);
  const std::vector<u8> state = small.save_state_image();

  MachineConfig bigger = seabios_config();
  bigger.ram_bytes = u64{32} << 20;
  Machine other(bigger);
  other.run_for(kBootSliceNs);
  const std::vector<u8> before = other.save_state_image();
  CHECK_THROWS_WITH(other.load_state(StateReader(state)), Catch::Contains("-m") && Catch::Contains("16 MiB"));
  CHECK(first_difference(other.save_state_image(), before) == "");

  MachineConfig appended = seabios_config();
  appended.rtc_start_epoch = 0;
  Machine third(appended);
  CHECK_THROWS_WITH(third.load_state(StateReader(state)), Catch::Contains("--rtc-base"));
}

TEST_CASE("a state whose disk image changed since the save is refused") {
  const std::string disk = write_temp("disk.img", std::vector<u8>(1 << 20, 0));
  MachineConfig c = seabios_config();
  c.hda = disk;
  c.snapshot = true;  // the image is only read, so it can be rewritten below
  std::vector<u8> state;
  {
    Machine a(c);
    a.run_for(kBootSliceNs);
    state = a.save_state_image();
  }
  {
    Machine b(c);
    b.load_state(StateReader(state));  // unchanged: fine
  }
  std::vector<u8> changed(1 << 20, 0);
  changed[12345] = 1;
  write_temp("disk.img", changed);
  Machine b(c);
  const std::vector<u8> before = b.save_state_image();
  CHECK_THROWS_WITH(b.load_state(StateReader(state)), Catch::Contains("--hda") && Catch::Contains("changed"));
  CHECK(first_difference(b.save_state_image(), before) == "");
  std::remove(disk.c_str());
}

TEST_CASE("missing, unknown, short and long sections are refused, the machine unchanged") {
  Machine a(seabios_config());
  a.run_for(kBootSliceNs);
  const std::vector<u8> state = a.save_state_image();
  Machine b(seabios_config());
  const std::vector<u8> before = b.save_state_image();
  const StateReader reader(state);
  for (const std::string& name : reader.section_names()) {
    INFO("section " << name);
    CHECK_THROWS_AS(b.load_state(StateReader(with_section(state, name, nullptr))), Error);
    std::vector<u8> shorter = reader.section_data(name);
    shorter.pop_back();
    CHECK_THROWS_AS(b.load_state(StateReader(with_section(state, name, &shorter))), Error);
    std::vector<u8> longer = reader.section_data(name);
    longer.push_back(0);
    CHECK_THROWS_AS(b.load_state(StateReader(with_section(state, name, &longer))), Error);
  }
  const std::vector<u8> extra{1, 2, 3};
  CHECK_THROWS_WITH(b.load_state(StateReader(with_section(state, "tape-drive", &extra))),
                    Catch::Contains("unknown section 'tape-drive'"));
  CHECK(first_difference(b.save_state_image(), before) == "");
}

TEST_CASE("a device section refused halfway through the load is rolled back") {
  Machine a(seabios_config());
  a.run_for(kBootSliceNs);
  const std::vector<u8> state = a.save_state_image();
  Machine b(seabios_config());
  b.run_for(kBootSliceNs / 3);
  const std::vector<u8> before = b.save_state_image();
  // The last device section loses a byte: every section before it has already been loaded.
  std::vector<u8> fw_cfg = StateReader(state).section_data("fw-cfg");
  fw_cfg.pop_back();
  CHECK_THROWS_AS(b.load_state(StateReader(with_section(state, "fw-cfg", &fw_cfg))), Error);
  CHECK(first_difference(b.save_state_image(), before) == "");
  b.run_for(kBootSliceNs);  // and it still runs
  CHECK(b.status() == MachineStatus::kRunning);
}

TEST_CASE("the monitor saves, loads and reports, and refuses what it cannot do") {
  Machine m(seabios_config());
  Monitor monitor("unix:test_save_state_monitor.sock", m);
  m.run_for(kBootSliceNs);
  const std::string path = "test_save_state_monitor.state";
  CHECK(monitor.execute("savevm " + path) == "saved: " + path);
  const u64 saved_at = m.clock().now();
  m.run_for(kBootSliceNs);
  CHECK(monitor.execute("loadvm " + path) == "loaded: " + path);
  CHECK(m.clock().now() == saved_at);
  CHECK_THAT(monitor.execute("info status"), Catch::StartsWith("status: running, guest time 0.030"));
  CHECK_THAT(monitor.execute("loadvm no-such.state"), Catch::StartsWith("error: cannot open state file"));
  CHECK_THAT(monitor.execute("frobnicate"), Catch::StartsWith("error: unknown command"));
  CHECK(monitor.execute("quit") == "bye");
  CHECK(m.status() == MachineStatus::kStopped);
  std::remove(path.c_str());
}
