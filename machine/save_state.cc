// Save states of the whole machine: one file (base/state.h) with a "machine" section describing
// the configuration and its files (state_header.h), one section per part (CPU, clock, every
// device, the memory map) and the RAM.
//
// Loading never half-applies. Before the running machine is touched, the whole file has been
// checked (format, version, checksums, section framing), the configuration and the files it
// names match, every section this machine needs is there and nothing else, and the RAM section's
// layout is right. Device sections are then loaded with a copy of the current state kept aside:
// if one is refused (a value its device rejects), the copy is loaded back and the machine is as
// it was. RAM, already checked, is loaded last.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "base/error.h"
#include "base/log.h"
#include "base/state.h"
#include "machine/machine.h"
#include "machine/state_header.h"

namespace tern {

namespace {

constexpr const char* kMachineSection = "machine";
constexpr const char* kRamSection = "ram";

// Host seconds, for the log lines that tell how long saving and loading took.
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<Machine::StatePart> Machine::state_parts() {
  // Order matters only for messages; every part restores its own fields and timers.
  return {
      {"cpu", [this](StateIo& io) { m_cpu->serialize(io); }},
      {"clock",
       [this](StateIo& io) {
         m_clock.serialize(io);
         // The rate is configuration (--ips, in the header): a clock running at another is a
         // damaged section, not a machine to run.
         if (io.loading() && m_clock.instructions_per_second() != m_config.instructions_per_second)
           throw_state_error("clock: rate differs from the machine's --ips");
       }},
      {"memory", [this](StateIo& io) { m_mem.serialize(io); }},
      {"lapic", [this](StateIo& io) { m_lapic->serialize(io); }},
      {"ioapic", [this](StateIo& io) { m_ioapic->serialize(io); }},
      {"pic", [this](StateIo& io) { m_pic->serialize(io); }},
      {"isa-irqs", [this](StateIo& io) { m_isa_irqs->serialize(io); }},
      {"pit", [this](StateIo& io) { m_pit->serialize(io); }},
      {"rtc", [this](StateIo& io) { m_rtc->serialize(io); }},
      {"port92", [this](StateIo& io) { m_port92->serialize(io); }},
      {"ps2-keyboard", [this](StateIo& io) { m_keyboard->serialize(io); }},
      {"ps2-mouse", [this](StateIo& io) { m_mouse->serialize(io); }},
      {"i8042", [this](StateIo& io) { m_kbc->serialize(io); }},
      {"com1", [this](StateIo& io) { m_com1->serialize(io); }},
      {"com2", [this](StateIo& io) { m_com2->serialize(io); }},
      {"pci", [this](StateIo& io) { m_pci->serialize(io); }},
      {"i440fx", [this](StateIo& io) { m_i440fx->serialize(io); }},
      {"piix3", [this](StateIo& io) { m_piix3->serialize(io); }},
      {"piix4-acpi", [this](StateIo& io) { m_acpi->serialize(io); }},
      {"vga", [this](StateIo& io) { m_vga_pci->serialize(io); }},
      {"storage", [this](StateIo& io) { m_storage->serialize(io); }},
      {"fw-cfg", [this](StateIo& io) { m_fw_cfg->serialize(io); }},
  };
}

std::string Machine::engine_name() const { return m_jit ? "jit" : "interp"; }

std::vector<u8> Machine::save_state_image() {
  flush_output();
  // The arithmetic flags go into EFLAGS and the lazy operands are cleared (the guest sees no
  // difference): engines keep different, equivalent lazy operands, and a state must not depend
  // on the engine that saved it.
  m_cpu->set_arith(m_cpu->arith_flags());
  m_cpu->lf = LazyFlags{};
  StateWriter writer;
  {
    StateHeader header = StateHeader::describe(m_config, "tern " + engine_name());
    StateIo io = writer.section(kMachineSection);
    header.serialize(io);
  }
  for (StatePart& part : state_parts()) {
    StateIo io = writer.section(part.name);
    part.serialize(io);
  }
  StateIo ram = writer.section(kRamSection);
  m_mem.serialize_ram(ram);
  return writer.finish();
}

void Machine::save_state(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<u8> file = save_state_image();
  StateWriter::write_file(path, file);
  log(LogCat::kMachine, LogLevel::kInfo, "state saved to {}: {} bytes in {:.3f} s", path, file.size(),
      seconds_since(start));
}

void Machine::load_state(const std::string& path) { load_state(StateReader::from_file(path)); }

void Machine::load_state(const StateReader& reader) {
  const auto start = std::chrono::steady_clock::now();
  const StateHeader header = StateHeader::read(reader);
  header.check_same_machine(m_config);
  header.check_images();
  std::vector<StatePart> parts = state_parts();
  // Exactly the sections this machine has: a missing one would leave a part unloaded, an unknown
  // one means another tern (or a damaged file) wrote it.
  std::vector<std::string> expected{kMachineSection, kRamSection};
  for (const StatePart& part : parts) expected.push_back(part.name);
  for (const std::string& name : reader.section_names())
    if (std::find(expected.begin(), expected.end(), name) == expected.end())
      throw_state_error(fmt::format("unknown section '{}'", name));
  for (const std::string& name : expected)
    if (!reader.has(name)) throw_state_error(fmt::format("section '{}' is missing", name));
  {
    StateIo ram = reader.section(kRamSection);
    m_mem.check_ram(ram);
  }

  std::vector<std::vector<u8>> backup;
  for (StatePart& part : parts) {
    backup.emplace_back();
    StateIo io(backup.back());
    part.serialize(io);
  }
  try {
    for (StatePart& part : parts) {
      StateIo io = reader.section(part.name);
      part.serialize(io);
      io.expect_end();
    }
  } catch (const Error&) {
    for (size_t i = 0; i < parts.size(); ++i) {
      StateIo io(parts[i].name, backup[i]);
      parts[i].serialize(io);
    }
    throw;
  }
  StateIo ram = reader.section(kRamSection);
  m_mem.serialize_ram(ram);
  after_state_load();
  log(LogCat::kMachine, LogLevel::kInfo, "state loaded (saved by {}): checked and applied in {:.3f} s", header.saved_by,
      seconds_since(start));
}

void Machine::after_state_load() {
  // The A20 gate follows the keyboard controller and port 0x92. Caches derived from the old CPU
  // mode and RAM (TLB, decoded instructions, translated blocks) were dropped as the "cpu" and
  // "ram" sections loaded.
  update_a20();
  m_reset_pending = false;
  m_pause_requested = false;
  m_status = MachineStatus::kRunning;
  m_exit_code = 0;
}

}  // namespace tern
