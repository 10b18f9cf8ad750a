#include "devices/ioapic.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u32 kVersion = 0x11 | (IoApic::kPins - 1) << 16;  // 82093AA, 24 entries
constexpr u64 kMasked = u64{1} << 16;
constexpr u64 kLevel = u64{1} << 15;
constexpr u64 kRemoteIrr = u64{1} << 14;
constexpr u64 kLogical = u64{1} << 11;
// Writable bits: vector, delivery mode, destination mode, polarity, trigger, mask, destination.
constexpr u64 kWritable = 0xFF000000'0001AFFFull;

enum : u32 { kModeFixed = 0, kModeLowest = 1, kModeNmi = 4 };

}  // namespace

IoApic::IoApic(PhysMemory& mem, LocalApic& lapic) : m_lapic(lapic) {
  IoOps ops;
  ops.widths = 4;
  ops.read = [this](u32 offset, unsigned size) -> u64 {
    u32 v = 0xFFFFFFFF;
    if ((offset & ~3u) == 0x00) v = m_select;
    if ((offset & ~3u) == 0x10) v = read_register(m_select);
    return v >> (8 * (offset & 3)) & (~u64{0} >> (64 - 8 * size));
  };
  ops.write = [this](u32 offset, u64 value, unsigned size) {
    if (offset == 0x00) m_select = static_cast<u8>(value);
    if (offset == 0x10 && size == 4) write_register(m_select, static_cast<u32>(value));
  };
  mem.add_mmio("ioapic", kDefaultBase, 0x1000, ops);
  lapic.set_eoi_listener([this](u8 vector) { end_of_interrupt(vector); });
  reset();
}

void IoApic::reset() {
  m_select = 0;
  m_id = 0;
  m_redir.fill(kMasked);
}

u32 IoApic::read_register(u8 index) const {
  if (index == 0x00) return u32{m_id} << 24;
  if (index == 0x01) return kVersion;
  if (index == 0x02) return u32{m_id} << 24;  // arbitration ID
  if (index >= 0x10 && index < 0x10 + 2 * kPins) {
    const u64 entry = m_redir[(index - 0x10) / 2];
    return static_cast<u32>(index & 1 ? entry >> 32 : entry);
  }
  return 0xFFFFFFFF;
}

void IoApic::write_register(u8 index, u32 value) {
  if (index == 0x00) {
    m_id = (value >> 24) & 0x0F;
    return;
  }
  if (index < 0x10 || index >= 0x10 + 2 * kPins) return;
  const unsigned pin = (index - 0x10) / 2;
  u64& entry = m_redir[pin];
  const u64 shift = index & 1 ? 32 : 0;
  const u64 mask = (u64{0xFFFFFFFF} << shift) & kWritable;
  entry = (entry & ~mask) | ((u64{value} << shift) & mask);
  log(LogCat::kApic, LogLevel::kDebug, "I/O APIC pin {} <- {:#018x}", pin, entry);
  // An unmasked level input that is asserted now gets delivered (an edge needs a new edge).
  if (entry & kLevel) service(pin);
}

void IoApic::set_irq(unsigned pin, bool level) {
  if (pin >= kPins) return;
  const u32 bit = 1u << pin;
  const bool was = m_levels & bit;
  m_levels = level ? (m_levels | bit) : (m_levels & ~bit);
  const u64 entry = m_redir[pin];
  // Edge: a rising edge. Level: while asserted (remote IRR holds off repeats).
  if (level && ((entry & kLevel) || !was)) service(pin);
}

void IoApic::service(unsigned pin) {
  u64& entry = m_redir[pin];
  const bool level_mode = entry & kLevel;
  if ((entry & kMasked) || !(m_levels >> pin & 1)) return;
  if (level_mode && (entry & kRemoteIrr)) return;
  const u8 destination = static_cast<u8>(entry >> 56);
  if (!m_lapic.matches(destination, entry & kLogical)) return;
  switch ((entry >> 8) & 7) {
    case kModeFixed:
    case kModeLowest:
      if (level_mode) entry |= kRemoteIrr;
      m_lapic.accept(static_cast<u8>(entry), level_mode);
      break;
    case kModeNmi: m_lapic.accept_nmi(); break;
    default:
      log(LogCat::kApic, LogLevel::kWarn, "I/O APIC pin {}: delivery mode {} not supported", pin, (entry >> 8) & 7);
      break;
  }
}

void IoApic::end_of_interrupt(u8 vector) {
  for (unsigned pin = 0; pin < kPins; ++pin) {
    u64& entry = m_redir[pin];
    if (!(entry & kRemoteIrr) || static_cast<u8>(entry) != vector) continue;
    entry &= ~kRemoteIrr;
    service(pin);
  }
}

void IoApic::serialize(StateIo& io) { io(m_select, m_id, m_redir, m_levels); }

}  // namespace tern
