#include "machine/machine.h"

#include <algorithm>

#include "base/error.h"
#include "base/log.h"
#include "bios/firmware.h"
#include "bios/multiboot.h"

namespace tern {

namespace {

// Guest debug-exit values above this are reported as this value: 124..127 are tern's own.
constexpr int kMaxGuestExitCode = 100;

}  // namespace

Machine::Machine(const MachineConfig& config)
    : m_config(config), m_clock(config.instructions_per_second), m_mem(config.ram_bytes) {
  if (config.ram_bytes > (u64{64} << 30)) fail("-m: at most 64 GiB of RAM");
  m_cpu = std::make_unique<Cpu>(m_mem, m_io, m_clock);
  m_vga = std::make_unique<Vga>(m_io, m_mem, m_clock);
  m_vga->map_lfb(Vga::kDefaultLfbBase);
  // Images are read before any output file is created: a bad image leaves nothing behind.
  boot();
  m_debugcon_out = open_char_backend(config.debugcon, "--debugcon");
  m_debugcon = std::make_unique<DebugConsole>(m_io, *m_debugcon_out);
  m_debug_exit = std::make_unique<DebugExit>(m_io, [this](int code) {
    request_exit(code == 0 ? MachineStatus::kPoweredOff : MachineStatus::kDebugExit, std::min(code, kMaxGuestExitCode));
  });
}

Machine::~Machine() { flush_output(); }

void Machine::boot() {
  if (!m_config.bios.empty()) {
    map_system_rom(m_mem, read_file(m_config.bios, "--bios"), m_config.bios);
  }
  if (!m_config.kernel.empty()) {
    const std::vector<u8> kernel = read_file(m_config.kernel, "--kernel");
    const std::vector<u8> initrd = m_config.initrd.empty() ? std::vector<u8>{} : read_file(m_config.initrd, "--initrd");
    if (!is_multiboot(kernel)) fail("--kernel '{}': not a Multiboot kernel", m_config.kernel);
    boot_multiboot(*m_cpu, m_mem, kernel, m_config.append, initrd, m_config.initrd);
    // A kernel booted without firmware finds the text mode the VGA BIOS would have set.
    m_vga->set_text_mode_80x25();
    return;
  }
  if (m_config.bios.empty()) map_system_rom(m_mem, read_file(kSeaBiosPath, "SeaBIOS image"), kSeaBiosPath);
}

void Machine::request_exit(MachineStatus status, int code) {
  if (m_status != MachineStatus::kRunning) return;
  m_status = status;
  m_exit_code = code;
  m_cpu->request_stop();
}

void Machine::reset() {
  log(LogCat::kMachine, LogLevel::kInfo, "system reset");
  m_cpu->reset();
  m_vga->reset();
  if (!m_config.kernel.empty()) boot();
}

void Machine::run_for(u64 virtual_ns) {
  const u64 end = m_clock.now() + virtual_ns;
  while (m_status == MachineStatus::kRunning && m_clock.now() < end) {
    const u64 deadline = std::min(m_clock.next_deadline(), end);
    m_cpu->run(std::max<u64>(1, m_clock.instructions_until(deadline)));
    switch (m_cpu->stop_reason()) {
      case CpuStop::kHalted:
        // Nothing to do until the next event: jump virtual time there.
        m_clock.advance_to(deadline);
        break;
      case CpuStop::kTripleFault:
        if (m_config.no_reboot)
          request_exit(MachineStatus::kTripleFault, static_cast<int>(ExitCode::kTripleFault));
        else
          reset();
        break;
      case CpuStop::kBudget:
      case CpuStop::kRequested:
        break;
    }
    m_clock.run_due();
  }
}

void Machine::flush_output() {
  if (m_debugcon_out) m_debugcon_out->flush();
}

}  // namespace tern
