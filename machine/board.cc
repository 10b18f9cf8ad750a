// Building the i440FX/PIIX3 board: every device, its ports and the wiring of interrupt lines,
// A20 and reset; the CMOS contents the firmware reads; system reset of all of it.
//
// Interrupts: ISA devices drive IsaIrqs lines (PIT 0, keyboard 1, COM2 3, COM1 4, RTC 8, ACPI
// SCI 9, mouse 12), which feed both the 8259 pair and the I/O APIC (IRQ 0 on input 2); PCI INTx
// pins reach ISA IRQs through the PIIX3 PIRQ routing, and I/O APIC inputs 16-19 directly. The
// master 8259's INT is the local APIC's LINT0 (virtual wire); the local APIC drives the CPU's
// INTR and answers its INTA cycles.
#include <algorithm>

#include "base/log.h"
#include "bios/cmos.h"
#include "bios/fw_cfg_contents.h"
#include "machine/machine.h"

namespace tern {

namespace {

// Where a firmware-free boot finds the VGA linear framebuffer (what the VGA BIOS assumes
// without PCI, and where SeaBIOS would put it on a small machine).
constexpr u32 kDirectBootLfb = static_cast<u32>(Vga::kDefaultLfbBase);

}  // namespace

void Machine::build_board() {
  m_lapic = std::make_unique<LocalApic>(*m_cpu, m_mem, m_clock);
  m_ioapic = std::make_unique<IoApic>(m_mem, *m_lapic);
  m_pic = std::make_unique<DualPic>(m_io, IrqLine(m_lapic.get(), LocalApic::kLint0));
  m_lapic->set_pic(m_pic.get());
  m_cpu->set_interrupt_controller(m_lapic.get());
  m_isa_irqs = std::make_unique<IsaIrqs>(*m_pic, m_ioapic.get());
  IsaIrqs& irqs = *m_isa_irqs;

  m_pit = std::make_unique<Pit>(m_io, m_clock, irqs.line(0));
  m_rtc = std::make_unique<Rtc>(m_io, m_clock, irqs.line(8), m_config.rtc_start_epoch);
  m_storage = std::make_unique<Storage>(m_io, m_mem, irqs.line(6), irqs.line(14), irqs.line(15),
                                        std::move(m_storage_images));
  setup_cmos();
  m_port92 = std::make_unique<Port92>(m_io, [this](bool) { update_a20(); }, [this] { request_reset(); });
  m_keyboard = std::make_unique<Ps2Keyboard>();
  m_mouse = std::make_unique<Ps2Mouse>();
  wire_fpu_error(irqs.line(13));
  m_kbc = std::make_unique<I8042>(m_io, irqs.line(1), irqs.line(12), *m_keyboard, *m_mouse,
                                  [this](bool) { update_a20(); }, [this] { request_reset(); });
  m_serial_out = std::make_unique<TappedBackend>(open_char_backend(m_config.serial, "--serial"));
  m_com1 = std::make_unique<Uart>(m_io, Uart::kCom1, m_clock, irqs.line(4), m_serial_out.get());
  m_com2 = std::make_unique<Uart>(m_io, Uart::kCom2, m_clock, irqs.line(3), nullptr);

  m_pci = std::make_unique<PciBus>(m_io);
  m_i440fx = std::make_unique<I440fx>(m_mem);
  m_piix3 = std::make_unique<Piix3>(&irqs.source(IsaIrqs::kPciRouting), m_ioapic.get(), [this] { request_reset(); });
  m_acpi = std::make_unique<Piix4Acpi>(m_io, m_clock, irqs.line(Piix4Acpi::kSciIrq, IsaIrqs::kAcpiSci),
                                       [this] { request_exit(MachineStatus::kPoweredOff, 0); });
  m_vga = std::make_unique<Vga>(m_io, m_mem, m_clock);
  m_vga_pci = std::make_unique<VgaPci>(*m_vga, m_mem, m_vga_rom);
  m_pci->attach(kSlotHostBridge, 0, *m_i440fx);
  m_pci->attach(kSlotPiix, 0, *m_piix3);
  m_pci->attach(kSlotPiix, 1, m_storage->ide());
  m_pci->attach(kSlotPiix, 3, *m_acpi);
  m_pci->attach(kSlotVga, 0, *m_vga_pci);
  m_pci->set_pirq_sink(m_piix3.get());
  m_pci->set_legacy_ports(m_piix3->reset_control_ports());

  m_fw_cfg = std::make_unique<FwCfg>(m_io, m_mem);
  setup_fw_cfg();

  m_debugcon_out = open_char_backend(m_config.debugcon, "--debugcon");
  m_debugcon = std::make_unique<DebugConsole>(m_io, *m_debugcon_out);
  m_debug_exit = std::make_unique<DebugExit>(m_io, [this](int code) {
    // Guest debug-exit values above 100 are reported as 100: 124..127 are tern's own.
    request_exit(code == 0 ? MachineStatus::kPoweredOff : MachineStatus::kDebugExit, std::min(code, 100));
  });
  update_a20();
}

// The PC/AT's x87 error wiring, used with CR0.NE = 0: FERR# sets a latch that drives IRQ 13; a
// write to port 0xF0 clears it (the handler's "clear busy"); 0xF1 (coprocessor reset) has no
// state to reset here. Reads of 0xF0-0xF1 float.
void Machine::wire_fpu_error(IrqLine irq13) {
  m_cpu->ferr = irq13;
  m_io.map(0xF0, 2, IoOps{[](u32, unsigned) -> u64 { return ~u64{0}; },
                          [irq13](u32 offset, u64, unsigned) {
                            if (offset == 0) irq13.lower();
                          },
                          1});
}

void Machine::setup_cmos() {
  CmosSetup cmos;
  cmos.ram_below_4g = m_mem.low_ram_size();
  cmos.ram_above_4g = m_mem.high_ram_size();
  cmos.boot_order = m_config.boot_order;
  cmos.floppy_types[0] = m_storage->floppy_cmos_type(0);
  cmos.floppy_types[1] = m_storage->floppy_cmos_type(1);
  fill_cmos(*m_rtc, cmos);
}

void Machine::setup_fw_cfg() {
  FwCfgSetup setup;
  setup.ram_bytes = m_mem.ram_size();
  setup.low_ram = m_mem.low_ram_size();
  setup.high_ram = m_mem.high_ram_size();
  setup.acpi = acpi_setup();
  setup.boot_paths = storage_boot_paths(m_config);
  fill_fw_cfg(*m_fw_cfg, setup);
}

AcpiSetup Machine::acpi_setup() const {
  AcpiSetup acpi;
  acpi.sci_irq = Piix4Acpi::kSciIrq;
  acpi.pci_hole_start = static_cast<u32>(m_mem.low_ram_size());
  acpi.floppy = m_storage->fdc().drive_present(0);
  return acpi;
}

void Machine::update_a20() {
  // A20 is on when either the keyboard controller's output port or port 0x92 enables it.
  const bool on = (m_kbc && m_kbc->a20()) || (m_port92 && m_port92->a20());
  m_mem.set_a20(on);
}

void Machine::configure_pci_for_direct_boot() {
  m_pci->config_write(kSlotVga, 0, pci_cfg::kBar0, kDirectBootLfb, 4);
  m_pci->config_write(kSlotVga, 0, pci_cfg::kCommand, pci_cmd::kIo | pci_cmd::kMemory, 2);
  // The IDE function as SeaBIOS leaves it: bus-master registers at C000h, both channels decoded
  // (IDETIM bit 15), I/O and bus mastering on.
  m_pci->config_write(kSlotPiix, 1, 0x20, 0xC000, 4);
  m_pci->config_write(kSlotPiix, 1, 0x40, 0x8000, 2);
  m_pci->config_write(kSlotPiix, 1, 0x42, 0x8000, 2);
  m_pci->config_write(kSlotPiix, 1, pci_cfg::kCommand, pci_cmd::kIo | pci_cmd::kBusMaster, 2);
}

void Machine::reset() {
  log(LogCat::kMachine, LogLevel::kInfo, "system reset");
  m_reset_pending = false;
  m_cpu->reset();
  m_lapic->reset();
  m_ioapic->reset();
  m_pic->reset();
  m_pit->reset();
  m_rtc->reset();
  m_port92->reset();
  m_keyboard->reset();
  m_mouse->reset();
  m_kbc->reset();
  m_com1->reset();
  m_com2->reset();
  m_pci->reset();
  m_storage->reset();
  m_fw_cfg->reset();
  update_a20();
  boot();
}

}  // namespace tern
