// The PC board: builds every part from a MachineConfig (memory map, CPU, devices, firmware, the
// wiring of interrupt lines) and runs it in slices of virtual time. A Machine owns all its
// state, so several machines can live in one process.
#pragma once

#include <memory>

#include "base/clock.h"
#include "cpu/cpu.h"
#include "devices/char_backend.h"
#include "devices/debug_port.h"
#include "devices/vga.h"
#include "machine/config.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern {

enum class MachineStatus : u8 {
  kRunning,
  kPoweredOff,   // ACPI power-off (or debug-exit 0): exit code 0
  kDebugExit,    // the guest wrote to isa-debug-exit: exit_code()
  kTripleFault,  // with no_reboot
};

class Machine {
 public:
  explicit Machine(const MachineConfig& config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Runs until `virtual_ns` more nanoseconds of guest time have passed or the machine stops.
  void run_for(u64 virtual_ns);

  MachineStatus status() const { return m_status; }
  int exit_code() const { return m_exit_code; }
  // System reset (keyboard controller, port 0xCF9, triple fault): CPU and devices to power-on.
  void reset();

  const MachineConfig& config() const { return m_config; }
  Clock& clock() { return m_clock; }
  PhysMemory& memory() { return m_mem; }
  IoSpace& io() { return m_io; }
  Cpu& cpu() { return *m_cpu; }
  Vga& vga() { return *m_vga; }
  // Guest instructions executed since the machine was built.
  u64 instructions() const { return m_cpu->retired(); }

  // Flushes buffered character output (serial, debug console).
  void flush_output();

 private:
  void boot();
  void request_exit(MachineStatus status, int code);

  MachineConfig m_config;
  Clock m_clock;
  PhysMemory m_mem;
  IoSpace m_io;
  std::unique_ptr<Cpu> m_cpu;
  std::unique_ptr<Vga> m_vga;
  std::unique_ptr<CharBackend> m_debugcon_out;
  std::unique_ptr<DebugConsole> m_debugcon;
  std::unique_ptr<DebugExit> m_debug_exit;
  MachineStatus m_status = MachineStatus::kRunning;
  int m_exit_code = 0;
};

}  // namespace tern
