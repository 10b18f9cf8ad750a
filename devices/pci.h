// The PCI bus of the i440FX board: configuration mechanism #1 at ports 0xCF8/0xCFC, the
// PciFunction base class every PCI function derives from (256-byte configuration space with
// write masks, BARs that map themselves through callbacks, INTx), and INTx routing to the four
// PIRQ lines the PIIX3 steers to ISA IRQs.
//
// PCI Local Bus Specification 2.2 §3.2.2.3.2 (configuration mechanism #1), §6.1 (header),
// §6.2.5 (base address registers), §6.2.5.2 (expansion ROM BAR).
#pragma once

#include <array>
#include <functional>
#include <optional>

#include "base/irq.h"
#include "base/types.h"
#include "mmu/io_space.h"

namespace tern {

class StateIo;
class PciBus;

// Offsets of the type 0 configuration header (PCI 2.2 §6.1).
namespace pci_cfg {
inline constexpr u8 kVendorId = 0x00;
inline constexpr u8 kDeviceId = 0x02;
inline constexpr u8 kCommand = 0x04;
inline constexpr u8 kStatus = 0x06;
inline constexpr u8 kRevision = 0x08;
inline constexpr u8 kClassCode = 0x09;  // prog-if, subclass, class (3 bytes)
inline constexpr u8 kCacheLineSize = 0x0C;
inline constexpr u8 kLatencyTimer = 0x0D;
inline constexpr u8 kHeaderType = 0x0E;
inline constexpr u8 kBar0 = 0x10;
inline constexpr u8 kSubsystemVendorId = 0x2C;
inline constexpr u8 kSubsystemId = 0x2E;
inline constexpr u8 kRomBar = 0x30;
inline constexpr u8 kInterruptLine = 0x3C;
inline constexpr u8 kInterruptPin = 0x3D;
}  // namespace pci_cfg

// COMMAND register bits.
namespace pci_cmd {
inline constexpr u16 kIo = 1 << 0;
inline constexpr u16 kMemory = 1 << 1;
inline constexpr u16 kBusMaster = 1 << 2;
inline constexpr u16 kIntxDisable = 1 << 10;
}  // namespace pci_cmd

// STATUS register bit 3: the function's INTx is asserted (PCI 2.3 §6.2.3).
inline constexpr u16 kPciStatusInterrupt = 1 << 3;

struct PciId {
  u16 vendor = 0;
  u16 device = 0;
  u8 revision = 0;
  u32 class_code = 0;  // class << 16 | subclass << 8 | prog-if
  u16 subsystem_vendor = 0;
  u16 subsystem = 0;
};

enum class PciBarKind : u8 { kIo, kMemory, kMemoryPrefetchable };

class PciFunction {
 public:
  static constexpr int kBarCount = 6;
  static constexpr int kRomBarIndex = 6;

  // Called when a BAR's decoded address changes: `old_base` is where it was mapped (nothing if
  // it was not), `new_base` where it is now. I/O bases fit 16 bits, memory bases 32 bits.
  using BarMapper = std::function<void(std::optional<u32> old_base, std::optional<u32> new_base)>;

  explicit PciFunction(const PciId& id);
  virtual ~PciFunction() = default;
  PciFunction(const PciFunction&) = delete;
  PciFunction& operator=(const PciFunction&) = delete;

  // Configuration space access; `offset` + `size` stay within one dword.
  virtual u32 config_read(u8 offset, unsigned size);
  void config_write(u8 offset, u32 value, unsigned size);

  // Power-on state: the configuration space as it was when the function was attached to the
  // bus, with every BAR unmapped; then reset_function() for the subclass's own state.
  void reset();

  u16 command() const;
  bool bus_master() const { return command() & pci_cmd::kBusMaster; }
  u8 config_byte(u8 offset) const { return m_config[offset]; }

  // Drives the function's INTx pin (level-triggered; COMMAND.INTx-disable masks it).
  void set_irq(bool level);
  bool irq_level() const { return m_irq_level; }

  // Where BAR `index` (0..5, or kRomBarIndex) is decoded now, if anywhere.
  std::optional<u32> bar_base(int index) const { return m_bars[static_cast<size_t>(index)].mapped; }

  // Saves or restores the configuration space and INTx level; after loading, BARs are remapped.
  void serialize(StateIo& io);

 protected:
  // Declares BAR `index` of `size` bytes (a power of two; at least 4 for I/O, 16 for memory).
  void define_bar(int index, PciBarKind kind, u32 size, BarMapper mapper);
  // Declares the expansion ROM BAR (size a power of two, at least 2 KiB).
  void define_rom_bar(u32 size, BarMapper mapper);
  // INTx pin 1..4 = INTA#..INTD#.
  void set_interrupt_pin(u8 pin);
  void set_header_type(u8 type) { m_config[pci_cfg::kHeaderType] = type; }

  // Raw configuration bytes and the masks of bits the guest may write (one bit per bit).
  void set_config(u8 offset, u32 value, unsigned size);
  u32 get_config(u8 offset, unsigned size) const;
  void set_writable(u8 offset, u32 mask, unsigned size);

  // Called after a guest write of `size` bytes at `offset` has been applied.
  virtual void config_written(u8 offset, unsigned size) {
    (void)offset;
    (void)size;
  }
  // The subclass's own power-on state (registers outside configuration space).
  virtual void reset_function() {}

 private:
  friend class PciBus;

  struct Bar {
    u32 size = 0;  // 0: not implemented
    PciBarKind kind = PciBarKind::kIo;
    BarMapper mapper;
    std::optional<u32> mapped;
  };

  std::optional<u32> decoded_base(int index) const;
  void update_bars();
  void update_irq();

  std::array<u8, 256> m_config{};
  std::array<u8, 256> m_wmask{};
  std::array<u8, 256> m_w1c{};  // bits a write of one clears (STATUS error bits)
  std::array<u8, 256> m_power_on{};
  std::array<Bar, 7> m_bars{};
  bool m_irq_level = false;
  PciBus* m_bus = nullptr;
  u8 m_devfn = 0;
};

// Bus 0 behind the i440FX host bridge. Ports 0xCF8-0xCFF; byte and word accesses to
// 0xCF8-0xCFB are not configuration cycles (on the PIIX3 that is the reset control register at
// 0xCF9) and go to `legacy_ports`.
class PciBus {
 public:
  // PIRQ lines (PIRQA#..PIRQD#) that function INTx pins are wired to; `pirq_sink` hears their
  // levels (lines 0..3).
  static constexpr unsigned kPirqCount = 4;

  PciBus(IoSpace& io);
  PciBus(const PciBus&) = delete;
  PciBus& operator=(const PciBus&) = delete;

  // Places `function` at device 0..31, function 0..7. A function 0 whose device has other
  // functions reads as multi-function (header type bit 7). The function's configuration space
  // at this moment becomes its power-on state.
  void attach(u8 device, u8 function_number, PciFunction& function);
  PciFunction* function(u8 device, u8 function_number) const;

  void set_pirq_sink(IrqSink* sink) { m_pirq_sink = sink; }
  void set_legacy_ports(IoOps ops) { m_legacy = std::move(ops); }

  // The PIRQ line a device's INTx pin is wired to on this board: the i440FX/PIIX3 rotation
  // (device d pin p -> PIRQ (d - 1 + p - 1) mod 4), which the BIOS's $PIR table and ACPI describe.
  static unsigned pirq_of(u8 device, u8 pin);

  // Configuration cycles as mechanism #1 issues them (for tests and the firmware tables).
  u32 config_read(u8 device, u8 function_number, u8 offset, unsigned size) const;
  void config_write(u8 device, u8 function_number, u8 offset, u32 value, unsigned size);

  // Resets CONFIG_ADDRESS and every function.
  void reset();
  // Saves CONFIG_ADDRESS; functions serialize themselves.
  void serialize(StateIo& io);

 private:
  friend class PciFunction;
  void function_irq_changed(const PciFunction& f);
  u64 read_port(u32 offset, unsigned size);
  void write_port(u32 offset, u64 value, unsigned size);

  std::array<PciFunction*, 256> m_functions{};  // by devfn
  u32 m_address = 0;                            // CONFIG_ADDRESS
  IrqSink* m_pirq_sink = nullptr;
  std::array<bool, kPirqCount> m_pirq_level{};
  IoOps m_legacy;
};

}  // namespace tern
