// The PC board: builds every part from a MachineConfig (memory map, CPU, the i440FX/PIIX3
// chipset and its devices, firmware, the wiring of interrupt lines) and runs it in slices of
// virtual time. A Machine owns all its state, so several machines can live in one process.
//
// machine.cc: the run loop, reset and exits; board.cc: building and wiring the devices;
// save_state.cc: save states.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/state.h"
#include "bios/acpi.h"
#include "cpu/cpu.h"
#include "devices/apic.h"
#include "devices/char_backend.h"
#include "devices/debug_port.h"
#include "devices/fw_cfg.h"
#include "devices/i440fx.h"
#include "devices/i8042.h"
#include "devices/ioapic.h"
#include "devices/pci.h"
#include "devices/pic.h"
#include "devices/piix3.h"
#include "devices/piix4_acpi.h"
#include "devices/pit.h"
#include "devices/port92.h"
#include "devices/ps2_keyboard.h"
#include "devices/ps2_mouse.h"
#include "devices/rtc.h"
#include "devices/uart.h"
#include "devices/vga.h"
#include "devices/vga_pci.h"
#include "jit/jit_engine.h"
#include "machine/config.h"
#include "machine/isa_irqs.h"
#include "machine/storage.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

namespace tern {

enum class MachineStatus : u8 {
  kRunning,
  kPoweredOff,   // ACPI power-off (or debug-exit 0): exit code 0
  kDebugExit,    // the guest wrote to isa-debug-exit: exit_code()
  kTripleFault,  // with no_reboot
  kStopped,      // stop() was called (by the frontend): exit_code()
};

class Machine {
 public:
  // PCI slots of the board (device numbers on bus 0).
  static constexpr u8 kSlotHostBridge = 0;  // 00.0 i440FX
  static constexpr u8 kSlotPiix = 1;        // 01.0 ISA bridge, 01.1 IDE, 01.3 ACPI
  static constexpr u8 kSlotVga = 2;         // 02.0 VGA

  explicit Machine(const MachineConfig& config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Runs until `virtual_ns` more nanoseconds of guest time have passed or the machine stops.
  void run_for(u64 virtual_ns);

  MachineStatus status() const { return m_status; }
  int exit_code() const { return m_exit_code; }
  // System reset (keyboard controller, port 0x92, port 0xCF9, triple fault): CPU and devices to
  // power-on. Devices ask for it with request_reset(); it happens between instructions.
  void reset();
  void request_reset();

  const MachineConfig& config() const { return m_config; }
  Clock& clock() { return m_clock; }
  PhysMemory& memory() { return m_mem; }
  IoSpace& io() { return m_io; }
  Cpu& cpu() { return *m_cpu; }
  Vga& vga() { return *m_vga; }
  PciBus& pci() { return *m_pci; }
  IsaIrqs& isa_irqs() { return *m_isa_irqs; }
  Rtc& rtc() { return *m_rtc; }
  // Input devices for the frontend: set 2 scan codes and mouse motion.
  Ps2Keyboard& keyboard() { return *m_keyboard; }
  Ps2Mouse& mouse() { return *m_mouse; }
  // The ACPI power button.
  void press_power_button() { m_acpi->press_power_button(); }
  // Guest instructions executed since the machine was built.
  u64 instructions() const { return m_cpu->retired(); }

  // Ends the run after the current instruction with `exit_code` (frontend conditions such as
  // --until-serial or --guest-timeout); ignored when the machine has already stopped.
  void stop(int exit_code);
  // Shows every byte the guest writes to COM1 to `listener` (one listener at a time).
  void set_serial_listener(std::function<void(u8)> listener) { m_serial_out->set_listener(std::move(listener)); }

  // Flushes buffered character output (serial, debug console).
  void flush_output();

  // Ends the current run_for() after the current instruction, with the machine still running:
  // for frontend work that must happen between two instructions (saving a state when COM1
  // shows a text).
  void pause() {
    m_pause_requested = true;
    m_cpu->request_stop();
  }

  // Save states (save_state.cc; the format is described there and in docs/save-states.md).
  // save_state() writes the file atomically; load_state() refuses (Error) a damaged file, a
  // state of another machine configuration, or one whose disk, firmware or kernel files changed,
  // and then leaves this machine exactly as it was. After a load the machine is running.
  void save_state(const std::string& path);
  std::vector<u8> save_state_image();
  void load_state(const std::string& path);
  void load_state(const StateReader& reader);
  // "jit" or "interp": the engine that runs the guest.
  std::string engine_name() const;

 private:
  // board.cc
  void build_board();
  void wire_fpu_error(IrqLine irq13);
  void setup_cmos();
  void setup_fw_cfg();
  void update_a20();
  // Firmware-free boots: PCI resources as a BIOS would have assigned them.
  void configure_pci_for_direct_boot();
  // The ACPI tables' view of the board (for fw_cfg and for firmware-free boots).
  AcpiSetup acpi_setup() const;

  // direct_boot.cc: --kernel without --bios (Multiboot or Linux bzImage).
  void check_kernel_image() const;
  void boot_kernel();

  // Reads every image the configuration names (before any output file is created, so that a
  // bad image leaves nothing behind).
  // The JIT when the configured engine resolves to it (and the host gives executable memory).
  void start_engine();
  void load_images();
  // Maps the firmware, or loads the kernel and sets the CPU up for it.
  void boot();
  void request_exit(MachineStatus status, int code);

  // save_state.cc: every part with a section of its own, in file order.
  struct StatePart {
    std::string name;
    std::function<void(StateIo&)> serialize;
  };
  std::vector<StatePart> state_parts();
  void after_state_load();

  MachineConfig m_config;
  Clock m_clock;
  PhysMemory m_mem;
  IoSpace m_io;
  std::unique_ptr<Cpu> m_cpu;
  std::unique_ptr<JitEngine> m_jit;  // set when the JIT runs the guest
  // Interrupt controllers and the ISA lines.
  std::unique_ptr<LocalApic> m_lapic;
  std::unique_ptr<IoApic> m_ioapic;
  std::unique_ptr<DualPic> m_pic;
  std::unique_ptr<IsaIrqs> m_isa_irqs;
  // ISA devices.
  std::unique_ptr<Pit> m_pit;
  std::unique_ptr<Rtc> m_rtc;
  std::unique_ptr<Port92> m_port92;
  std::unique_ptr<Ps2Keyboard> m_keyboard;
  std::unique_ptr<Ps2Mouse> m_mouse;
  std::unique_ptr<I8042> m_kbc;
  std::unique_ptr<TappedBackend> m_serial_out;
  std::unique_ptr<Uart> m_com1;
  std::unique_ptr<Uart> m_com2;
  // PCI.
  std::unique_ptr<PciBus> m_pci;
  std::unique_ptr<I440fx> m_i440fx;
  std::unique_ptr<Piix3> m_piix3;
  std::unique_ptr<Piix4Acpi> m_acpi;
  std::unique_ptr<Vga> m_vga;
  std::unique_ptr<VgaPci> m_vga_pci;
  // IDE, floppy and ISA DMA, with the images load_images() opened.
  StorageImages m_storage_images;
  std::unique_ptr<Storage> m_storage;
  // Firmware configuration.
  std::unique_ptr<FwCfg> m_fw_cfg;
  // Debug ports.
  std::unique_ptr<CharBackend> m_debugcon_out;
  std::unique_ptr<DebugConsole> m_debugcon;
  std::unique_ptr<DebugExit> m_debug_exit;

  // Images, kept for reboots.
  std::vector<u8> m_kernel_image;
  std::vector<u8> m_initrd_image;
  std::vector<u8> m_vga_rom;

  MachineStatus m_status = MachineStatus::kRunning;
  int m_exit_code = 0;
  bool m_reset_pending = false;
  bool m_pause_requested = false;
};

}  // namespace tern
