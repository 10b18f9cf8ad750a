#include "machine/state_header.h"

#include <filesystem>

#include "base/content_hash.h"
#include "base/error.h"
#include "base/state.h"
#include "bios/firmware.h"

namespace tern {

namespace {

constexpr u32 kMaxImages = 16;

void serialize_images(StateIo& io, std::vector<StateHeader::Image>& images) {
  u32 count = static_cast<u32>(images.size());
  io(count);
  if (io.loading()) {
    if (count > kMaxImages) throw_state_error("machine: too many images");
    images.assign(count, {});
  }
  for (StateHeader::Image& image : images) io(image);
}

std::string mib(u64 bytes) { return fmt::format("{} MiB", bytes >> 20); }

}  // namespace

void StateHeader::Image::serialize(StateIo& io) {
  io.string(role);
  io.string(path);
  io(size, hash);
}

std::vector<std::pair<std::string, std::string>> machine_image_files(const MachineConfig& config) {
  std::vector<std::pair<std::string, std::string>> files;
  if (config.kernel.empty() || !config.bios.empty())
    files.emplace_back("system ROM", config.bios.empty() ? kSeaBiosPath : config.bios);
  if (!config.vga_bios.empty())
    files.emplace_back("--vga-bios", config.vga_bios);
  else if (std::filesystem::exists(kVgaBiosPath))
    files.emplace_back("VGA BIOS", kVgaBiosPath);
  const std::pair<const char*, const std::string*> named[] = {
      {"--kernel", &config.kernel}, {"--initrd", &config.initrd}, {"--hda", &config.hda},
      {"--hdb", &config.hdb},       {"--cdrom", &config.cdrom},   {"--fda", &config.fda}};
  for (const auto& [role, path] : named)
    if (!path->empty()) files.emplace_back(role, *path);
  return files;
}

StateHeader StateHeader::describe(const MachineConfig& config, const std::string& saved_by) {
  StateHeader h;
  h.config = config;
  h.saved_by = saved_by;
  for (const auto& [role, path] : machine_image_files(config)) {
    std::error_code ec;
    const u64 size = std::filesystem::file_size(path, ec);
    if (ec) fail("{} '{}': {}", role, path, ec.message());
    h.images.push_back(Image{role, path, size, file_content_hash(path, role)});
  }
  return h;
}

StateHeader StateHeader::read(const StateReader& reader) {
  StateHeader h;
  StateIo io = reader.section("machine");
  h.serialize(io);
  io.expect_end();
  return h;
}

void StateHeader::serialize(StateIo& io) {
  MachineConfig& c = config;
  io.string(saved_by);
  io(c.ram_bytes, c.instructions_per_second, c.rtc_start_epoch, c.snapshot);
  for (std::string* s : {&c.bios, &c.vga_bios, &c.kernel, &c.initrd, &c.append, &c.hda, &c.hdb, &c.cdrom, &c.fda,
                         &c.boot_order})
    io.string(*s);
  serialize_images(io, images);
  if (io.loading() && (c.ram_bytes < (u64{1} << 20) || c.ram_bytes > (u64{64} << 30) || c.ram_bytes % 4096 ||
                       c.instructions_per_second == 0))
    throw_state_error("machine: bad configuration");
}

MachineConfig StateHeader::machine_config(MachineConfig host) const {
  host.ram_bytes = config.ram_bytes;
  host.bios = config.bios;
  host.vga_bios = config.vga_bios;
  host.kernel = config.kernel;
  host.initrd = config.initrd;
  host.append = config.append;
  host.hda = config.hda;
  host.hdb = config.hdb;
  host.cdrom = config.cdrom;
  host.fda = config.fda;
  host.boot_order = config.boot_order;
  host.snapshot = config.snapshot;
  host.instructions_per_second = config.instructions_per_second;
  host.rtc_start_epoch = config.rtc_start_epoch;
  return host;
}

void StateHeader::check_same_machine(const MachineConfig& running) const {
  const MachineConfig& s = config;
  auto differ = [](const char* what, const std::string& saved, const std::string& now) {
    fail("state file: saved with {} {}, this machine has {}", what, saved.empty() ? "none" : "'" + saved + "'",
         now.empty() ? "none" : "'" + now + "'");
  };
  if (s.ram_bytes != running.ram_bytes) differ("-m", mib(s.ram_bytes), mib(running.ram_bytes));
  const std::pair<const char*, std::pair<const std::string*, const std::string*>> strings[] = {
      {"--bios", {&s.bios, &running.bios}},       {"--vga-bios", {&s.vga_bios, &running.vga_bios}},
      {"--kernel", {&s.kernel, &running.kernel}}, {"--initrd", {&s.initrd, &running.initrd}},
      {"--append", {&s.append, &running.append}}, {"--hda", {&s.hda, &running.hda}},
      {"--hdb", {&s.hdb, &running.hdb}},          {"--cdrom", {&s.cdrom, &running.cdrom}},
      {"--fda", {&s.fda, &running.fda}},          {"--boot", {&s.boot_order, &running.boot_order}}};
  for (const auto& [what, pair] : strings)
    if (*pair.first != *pair.second) differ(what, *pair.first, *pair.second);
  if (s.snapshot != running.snapshot)
    differ("--snapshot", s.snapshot ? "on" : "off", running.snapshot ? "on" : "off");
  if (s.instructions_per_second != running.instructions_per_second)
    differ("--ips", std::to_string(s.instructions_per_second), std::to_string(running.instructions_per_second));
  if (s.rtc_start_epoch != running.rtc_start_epoch)
    differ("--rtc-base", std::to_string(s.rtc_start_epoch), std::to_string(running.rtc_start_epoch));
}

void StateHeader::check_images() const {
  const auto files = machine_image_files(config);
  if (files.size() != images.size()) fail("state file: the machine's files do not match the ones it was saved with");
  for (size_t i = 0; i < files.size(); ++i) {
    const Image& saved = images[i];
    if (files[i].first != saved.role || files[i].second != saved.path)
      fail("state file: saved with {} '{}', this machine uses {} '{}'", saved.role, saved.path, files[i].first,
           files[i].second);
    std::error_code ec;
    const u64 size = std::filesystem::file_size(saved.path, ec);
    if (ec) fail("state file: {} '{}' (used by the state): {}", saved.role, saved.path, ec.message());
    if (size != saved.size || file_content_hash(saved.path, saved.role) != saved.hash)
      fail("state file: {} '{}' changed since the state was saved (refusing to resume on other contents)",
           saved.role, saved.path);
  }
}

}  // namespace tern
