// SeaBIOS (Debian's bios-256k.bin) on the board with no disks: it must find the i440FX, fw_cfg,
// the PCI devices and the ACPI tables, initialize the keyboard and report that nothing is
// bootable, all in a few seconds of virtual time. Prints the virtual and host time it took.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bios/firmware.h"
#include "machine/machine.h"

using namespace tern;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("SeaBIOS boots on the board and reports no bootable device") {
  if (!std::filesystem::exists(kSeaBiosPath)) {
    WARN("no " << kSeaBiosPath << ": install Debian's seabios package");
    return;
  }
  const std::string log_path = "test_seabios_boot.log";
  MachineConfig config;
  config.serial = "none";
  config.debugcon = "file:" + log_path;
  Machine m(config);
  const auto host_start = std::chrono::steady_clock::now();
  std::string log;
  // At most 30 s of guest time; the report comes after about two.
  for (int slice = 0; slice < 3000 && m.status() == MachineStatus::kRunning; ++slice) {
    m.run_for(10'000'000);
    m.flush_output();
    log = slurp(log_path);
    if (log.find("No bootable device") != std::string::npos) break;
  }
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  const double virtual_s = static_cast<double>(m.clock().now()) / 1e9;
  INFO(log);
  CHECK(log.find("SeaBIOS (version") != std::string::npos);
  CHECK(log.find("Running on QEMU (i440fx)") != std::string::npos);
  CHECK(log.find("QEMU fw_cfg DMA interface supported") != std::string::npos);
  CHECK(log.find("Moving pm_base to 0x600") != std::string::npos);
  CHECK(log.find("PCI: init bdf=00:01.3 id=8086:7113") != std::string::npos);
  CHECK(log.find("ACPI: parse DSDT") != std::string::npos);
  CHECK(log.find("Found 1 cpu(s)") != std::string::npos);
  CHECK(log.find("PS2 keyboard initialized") != std::string::npos);
  CHECK(log.find("Found 2 serial ports") != std::string::npos);
  CHECK(log.find("No bootable device") != std::string::npos);
  CHECK(virtual_s < 10);
  WARN("SeaBIOS to \"No bootable device\": " << virtual_s << " s virtual, " << host_s << " s host, "
                                            << m.instructions() << " instructions");
  std::filesystem::remove(log_path);
}
