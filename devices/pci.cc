#include "devices/pci.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

// CONFIG_ADDRESS (PCI 2.2 §3.2.2.3.2): bit 31 enable, 23:16 bus, 15:11 device, 10:8 function,
// 7:2 register.
constexpr u32 kConfigEnable = 1u << 31;
constexpr u32 kConfigAddressMask = 0x80FFFFFC;

// STATUS bits 8 and 11..15 record errors and are cleared by writing one.
constexpr u16 kStatusWriteOneToClear = 0xF900;
// COMMAND bits a generic function implements: I/O, memory, bus master, parity, SERR#,
// INTx disable.
constexpr u16 kCommandWritable = 0x0547;

bool power_of_two(u32 v) { return v && !(v & (v - 1)); }

u8 bar_offset(int index) {
  return index == PciFunction::kRomBarIndex ? pci_cfg::kRomBar : static_cast<u8>(pci_cfg::kBar0 + 4 * index);
}

}  // namespace

PciFunction::PciFunction(const PciId& id) {
  set_config(pci_cfg::kVendorId, id.vendor, 2);
  set_config(pci_cfg::kDeviceId, id.device, 2);
  set_config(pci_cfg::kRevision, id.revision, 1);
  set_config(pci_cfg::kClassCode, id.class_code, 3);
  set_config(pci_cfg::kSubsystemVendorId, id.subsystem_vendor, 2);
  set_config(pci_cfg::kSubsystemId, id.subsystem, 2);
  set_writable(pci_cfg::kCommand, kCommandWritable, 2);
  set_writable(pci_cfg::kCacheLineSize, 0xFF, 1);
  set_writable(pci_cfg::kLatencyTimer, 0xFF, 1);
  set_writable(pci_cfg::kInterruptLine, 0xFF, 1);
  m_w1c[pci_cfg::kStatus] = kStatusWriteOneToClear & 0xFF;
  m_w1c[pci_cfg::kStatus + 1] = kStatusWriteOneToClear >> 8;
}

void PciFunction::set_config(u8 offset, u32 value, unsigned size) {
  for (unsigned i = 0; i < size && offset + i < 256; ++i) m_config[offset + i] = static_cast<u8>(value >> (8 * i));
}

u32 PciFunction::get_config(u8 offset, unsigned size) const {
  u32 v = 0;
  for (unsigned i = 0; i < size && offset + i < 256; ++i) v |= u32{m_config[offset + i]} << (8 * i);
  return v;
}

void PciFunction::set_writable(u8 offset, u32 mask, unsigned size) {
  for (unsigned i = 0; i < size && offset + i < 256; ++i) m_wmask[offset + i] = static_cast<u8>(mask >> (8 * i));
}

u16 PciFunction::command() const { return static_cast<u16>(get_config(pci_cfg::kCommand, 2)); }

void PciFunction::define_bar(int index, PciBarKind kind, u32 size, BarMapper mapper) {
  const u32 min = kind == PciBarKind::kIo ? 4 : 16;
  if (index < 0 || index >= kBarCount || !power_of_two(size) || size < min) return;
  Bar& bar = m_bars[static_cast<size_t>(index)];
  bar.size = size;
  bar.kind = kind;
  bar.mapper = std::move(mapper);
  // The low bits are read-only type bits (PCI 2.2 §6.2.5.1): bit 0 I/O space, bit 3 prefetchable.
  const u32 type = kind == PciBarKind::kIo ? 1u : kind == PciBarKind::kMemoryPrefetchable ? 8u : 0u;
  set_config(bar_offset(index), type, 4);
  set_writable(bar_offset(index), ~(size - 1), 4);
}

void PciFunction::define_rom_bar(u32 size, BarMapper mapper) {
  if (!power_of_two(size) || size < 2048) return;
  Bar& bar = m_bars[kRomBarIndex];
  bar.size = size;
  bar.kind = PciBarKind::kMemory;
  bar.mapper = std::move(mapper);
  set_config(pci_cfg::kRomBar, 0, 4);
  set_writable(pci_cfg::kRomBar, ~(size - 1) | 1u, 4);  // bit 0: ROM address decode enable
}

void PciFunction::set_interrupt_pin(u8 pin) { set_config(pci_cfg::kInterruptPin, pin, 1); }

u32 PciFunction::config_read(u8 offset, unsigned size) { return get_config(offset, size); }

void PciFunction::config_write(u8 offset, u32 value, unsigned size) {
  for (unsigned i = 0; i < size && offset + i < 256; ++i) {
    const u8 b = static_cast<u8>(value >> (8 * i));
    u8& cell = m_config[offset + i];
    const u8 wmask = m_wmask[offset + i];
    cell = static_cast<u8>((cell & ~wmask) | (b & wmask));
    cell = static_cast<u8>(cell & ~(b & m_w1c[offset + i]));
  }
  const unsigned end = offset + size;
  const bool touches_command = offset <= pci_cfg::kCommand + 1 && end > pci_cfg::kCommand;
  const bool touches_bars = (offset < pci_cfg::kBar0 + 24 && end > pci_cfg::kBar0) ||
                            (offset < pci_cfg::kRomBar + 4 && end > pci_cfg::kRomBar);
  if (touches_command || touches_bars) update_bars();
  if (touches_command) update_irq();
  config_written(offset, size);
}

std::optional<u32> PciFunction::decoded_base(int index) const {
  const Bar& bar = m_bars[static_cast<size_t>(index)];
  if (bar.size == 0) return std::nullopt;
  const u32 raw = get_config(bar_offset(index), 4);
  const u16 cmd = command();
  if (index == kRomBarIndex) {
    if (!(cmd & pci_cmd::kMemory) || !(raw & 1)) return std::nullopt;
    const u32 base = raw & ~(bar.size - 1);
    return base ? std::optional<u32>(base) : std::nullopt;
  }
  if (bar.kind == PciBarKind::kIo) {
    const u32 base = raw & ~(bar.size - 1) & ~3u;
    // An x86 host bridge forwards only the 64 KiB I/O space; address 0 means "not assigned".
    if (!(cmd & pci_cmd::kIo) || base == 0 || u64{base} + bar.size > 0x10000) return std::nullopt;
    return base;
  }
  const u32 base = raw & ~(bar.size - 1) & ~15u;
  // All ones is the sizing pattern, not an address.
  if (!(cmd & pci_cmd::kMemory) || base == 0 || base == ~(bar.size - 1)) return std::nullopt;
  return base;
}

void PciFunction::update_bars() {
  for (int i = 0; i <= kRomBarIndex; ++i) {
    Bar& bar = m_bars[static_cast<size_t>(i)];
    if (bar.size == 0) continue;
    const std::optional<u32> now = decoded_base(i);
    if (now == bar.mapped) continue;
    const std::optional<u32> old = bar.mapped;
    bar.mapped = now;
    log(LogCat::kPci, LogLevel::kDebug, "{:02x}.{} BAR{} {} -> {}", m_devfn >> 3, m_devfn & 7, i,
        old ? fmt::format("{:#x}", *old) : "unmapped", now ? fmt::format("{:#x}", *now) : "unmapped");
    if (bar.mapper) bar.mapper(old, now);
  }
}

void PciFunction::set_irq(bool level) {
  m_irq_level = level;
  update_irq();
}

void PciFunction::update_irq() {
  u16 status = static_cast<u16>(get_config(pci_cfg::kStatus, 2));
  status = m_irq_level ? (status | kPciStatusInterrupt) : (status & ~kPciStatusInterrupt);
  set_config(pci_cfg::kStatus, status, 2);
  if (m_bus) m_bus->function_irq_changed(*this);
}

void PciFunction::reset() {
  m_config = m_power_on;
  m_irq_level = false;
  update_bars();
  update_irq();
  reset_function();
}

void PciFunction::serialize(StateIo& io) {
  io(m_config, m_irq_level);
  if (io.loading()) update_bars();
}

PciBus::PciBus(IoSpace& io) {
  IoOps ops;
  ops.widths = 1 | 2 | 4;
  ops.read = [this](u32 offset, unsigned size) { return read_port(offset, size); };
  ops.write = [this](u32 offset, u64 value, unsigned size) { write_port(offset, value, size); };
  io.map(0xCF8, 8, ops);
}

void PciBus::attach(u8 device, u8 function_number, PciFunction& function) {
  const u8 devfn = static_cast<u8>((device & 31) << 3 | (function_number & 7));
  m_functions[devfn] = &function;
  function.m_bus = this;
  function.m_devfn = devfn;
  function.m_power_on = function.m_config;
  // Multi-function devices say so in function 0's header type (PCI 2.2 §6.2.1).
  if (PciFunction* f0 = m_functions[devfn & ~7u]; f0 && function_number != 0) {
    f0->m_config[pci_cfg::kHeaderType] |= 0x80;
    f0->m_power_on[pci_cfg::kHeaderType] |= 0x80;
  }
}

PciFunction* PciBus::function(u8 device, u8 function_number) const {
  return m_functions[static_cast<u8>((device & 31) << 3 | (function_number & 7))];
}

unsigned PciBus::pirq_of(u8 device, u8 pin) { return (device + pin - 2u) & 3; }

u32 PciBus::config_read(u8 device, u8 function_number, u8 offset, unsigned size) const {
  PciFunction* f = function(device, function_number);
  if (!f) return ~u32{0} >> (32 - 8 * size);  // no device: master abort reads all ones
  return f->config_read(offset, size);
}

void PciBus::config_write(u8 device, u8 function_number, u8 offset, u32 value, unsigned size) {
  if (PciFunction* f = function(device, function_number)) f->config_write(offset, value, size);
}

u64 PciBus::read_port(u32 offset, unsigned size) {
  if (offset < 4) {
    if (offset == 0 && size == 4) return m_address;
    return m_legacy.read ? m_legacy.read(offset, size) : ~u64{0} >> (64 - 8 * size);
  }
  const unsigned bus = (m_address >> 16) & 0xFF;
  if (!(m_address & kConfigEnable) || bus != 0) return ~u64{0} >> (64 - 8 * size);
  const u8 reg = static_cast<u8>((m_address & 0xFC) + (offset - 4));
  const u32 v = config_read((m_address >> 11) & 31, (m_address >> 8) & 7, reg, size);
  log(LogCat::kPci, LogLevel::kTrace, "config read {:02x}.{} [{:02x}]/{} = {:#x}", (m_address >> 11) & 31,
      (m_address >> 8) & 7, reg, size, v);
  return v;
}

void PciBus::write_port(u32 offset, u64 value, unsigned size) {
  if (offset < 4) {
    if (offset == 0 && size == 4)
      m_address = static_cast<u32>(value) & kConfigAddressMask;
    else if (m_legacy.write)
      m_legacy.write(offset, value, size);
    return;
  }
  const unsigned bus = (m_address >> 16) & 0xFF;
  if (!(m_address & kConfigEnable) || bus != 0) return;
  const u8 reg = static_cast<u8>((m_address & 0xFC) + (offset - 4));
  log(LogCat::kPci, LogLevel::kTrace, "config write {:02x}.{} [{:02x}]/{} = {:#x}", (m_address >> 11) & 31,
      (m_address >> 8) & 7, reg, size, value);
  config_write((m_address >> 11) & 31, (m_address >> 8) & 7, reg, static_cast<u32>(value), size);
}

void PciBus::function_irq_changed(const PciFunction& f) {
  const u8 device = f.m_devfn >> 3;
  const u8 pin = f.m_config[pci_cfg::kInterruptPin];
  if (pin < 1 || pin > 4) return;
  const unsigned pirq = pirq_of(device, pin);
  // PIRQ lines are wired-OR of every INTx pin routed to them.
  bool level = false;
  for (const PciFunction* other : m_functions) {
    if (!other || !other->m_irq_level || (other->command() & pci_cmd::kIntxDisable)) continue;
    const u8 other_pin = other->m_config[pci_cfg::kInterruptPin];
    if (other_pin >= 1 && other_pin <= 4 && pirq_of(other->m_devfn >> 3, other_pin) == pirq) level = true;
  }
  if (level == m_pirq_level[pirq]) return;
  m_pirq_level[pirq] = level;
  if (m_pirq_sink) m_pirq_sink->set_irq(pirq, level);
}

void PciBus::reset() {
  m_address = 0;
  for (PciFunction* f : m_functions)
    if (f) f->reset();
}

void PciBus::serialize(StateIo& io) { io(m_address, m_pirq_level); }

}  // namespace tern
