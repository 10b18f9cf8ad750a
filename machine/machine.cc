#include "machine/machine.h"

#include <algorithm>
#include <filesystem>

#include "base/error.h"
#include "base/log.h"
#include "bios/firmware.h"

namespace tern {

Machine::Machine(const MachineConfig& config)
    : m_config(config), m_clock(config.instructions_per_second), m_mem(config.ram_bytes) {
  if (config.ram_bytes > (u64{64} << 30)) fail("-m: at most 64 GiB of RAM");
  m_cpu = std::make_unique<Cpu>(m_mem, m_io, m_clock);
  start_engine();
  load_images();
  build_board();
  boot();
}

Machine::~Machine() { flush_output(); }

void Machine::start_engine() {
  bool fell_back = false;
  if (resolve_engine(m_config.engine, fell_back) == Engine::kJit) {
    JitOptions options;
    options.verify = m_config.jit_verify;
    options.perf_map = m_config.jit_perf_map;
    m_jit = std::make_unique<JitEngine>(*m_cpu, options);
    if (m_jit->ok()) {
      m_cpu->set_block_engine(m_jit.get());
    } else {
      m_jit.reset();
      fell_back = m_config.engine == Engine::kJit;
    }
  }
  if (fell_back) log_warn(LogCat::kJit, "no JIT on this host: running the interpreter");
}

void Machine::load_images() {
  m_storage_images = open_storage_images(m_config);
  const std::string bios = m_config.bios.empty() ? kSeaBiosPath : m_config.bios;
  if (m_config.kernel.empty() || !m_config.bios.empty())
    map_system_rom(m_mem, read_file(bios, m_config.bios.empty() ? "SeaBIOS image" : "--bios"), bios);
  if (!m_config.kernel.empty()) {
    m_kernel_image = read_file(m_config.kernel, "--kernel");
    check_kernel_image();
    if (!m_config.initrd.empty()) m_initrd_image = read_file(m_config.initrd, "--initrd");
  }
  if (!m_config.vga_bios.empty())
    m_vga_rom = read_file(m_config.vga_bios, "--vga-bios");
  else if (std::filesystem::exists(kVgaBiosPath))
    m_vga_rom = read_file(kVgaBiosPath, "VGA BIOS image");
}

void Machine::boot() {
  if (m_kernel_image.empty()) return;  // the firmware starts at the reset vector
  boot_kernel();
}

void Machine::request_exit(MachineStatus status, int code) {
  if (m_status != MachineStatus::kRunning) return;
  m_status = status;
  m_exit_code = code;
  m_cpu->request_stop();
}

void Machine::stop(int exit_code) { request_exit(MachineStatus::kStopped, exit_code); }

void Machine::request_reset() {
  m_reset_pending = true;
  m_cpu->request_stop();
}

void Machine::run_for(u64 virtual_ns) {
  const u64 end = m_clock.now() + virtual_ns;
  m_pause_requested = false;
  while (m_status == MachineStatus::kRunning && m_clock.now() < end && !m_pause_requested) {
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
          m_reset_pending = true;
        break;
      case CpuStop::kBudget:
      case CpuStop::kRequested:
        break;
    }
    if (m_reset_pending && m_status == MachineStatus::kRunning) {
      if (m_config.no_reboot && m_cpu->stop_reason() != CpuStop::kTripleFault) {
        // --no-reboot: a guest-requested reset ends the run as QEMU's -no-reboot does.
        request_exit(MachineStatus::kPoweredOff, 0);
      } else {
        reset();
      }
    }
    m_clock.run_due();
  }
}

void Machine::flush_output() {
  if (m_serial_out) m_serial_out->flush();
  if (m_debugcon_out) m_debugcon_out->flush();
}

}  // namespace tern
