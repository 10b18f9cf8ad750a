#include "devices/piix_ide.h"

#include "base/state.h"

namespace tern {

namespace {

struct LegacyPorts {
  u16 command_block;
  u16 control;
};
constexpr std::array<LegacyPorts, 2> kLegacy = {{{0x1F0, 0x3F6}, {0x170, 0x376}}};

constexpr u16 kIdeDecodeEnable = 0x8000;  // IDETIM bit 15

}  // namespace

PiixIde::PiixIde(IoSpace& io, PhysMemory& mem, IrqLine primary_irq, IrqLine secondary_irq)
    // Class 01h (mass storage), 01h (IDE), programming interface 80h: bus master capable, both
    // channels fixed in compatibility mode.
    : PciFunction(PciId{0x8086, 0x7010, 0x00, 0x010180, 0, 0}), m_io(io) {
  m_channels[0] = std::make_unique<IdeChannel>(mem, primary_irq);
  m_channels[1] = std::make_unique<IdeChannel>(mem, secondary_irq);
  set_writable(pci_cfg::kCommand, pci_cmd::kIo | pci_cmd::kBusMaster, 2);
  // IDETIM: bits 11-10 are reserved; SIDETIM: all bits.
  set_writable(kIdetim, 0xF3FF, 2);
  set_writable(kIdetim + 2, 0xF3FF, 2);
  set_writable(kSidetim, 0xFF, 1);
  define_bar(4, PciBarKind::kIo, 16, [this](std::optional<u32> old_base, std::optional<u32> new_base) {
    map_bus_master(old_base, new_base);
  });
}

void PiixIde::map_bus_master(std::optional<u32> old_base, std::optional<u32> new_base) {
  if (old_base) m_io.unmap(static_cast<u16>(*old_base), 16);
  if (!new_base) return;
  m_io.map(static_cast<u16>(*new_base), 8, m_channels[0]->bus_master_ops());
  m_io.map(static_cast<u16>(*new_base + 8), 8, m_channels[1]->bus_master_ops());
}

// Maps or unmaps each channel's compatibility ports as PCICMD and IDETIM now ask.
void PiixIde::update_decode() {
  const bool io_enabled = command() & pci_cmd::kIo;
  for (unsigned n = 0; n < 2; ++n) {
    const bool decode = io_enabled && (get_config(static_cast<u8>(kIdetim + 2 * n), 2) & kIdeDecodeEnable);
    if (decode == m_decoded[n]) continue;
    m_decoded[n] = decode;
    if (decode) {
      m_io.map(kLegacy[n].command_block, 8, m_channels[n]->command_block_ops());
      m_io.map(kLegacy[n].control, 1, m_channels[n]->control_ops());
    } else {
      m_io.unmap(kLegacy[n].command_block, 8);
      m_io.unmap(kLegacy[n].control, 1);
    }
  }
  for (auto& ch : m_channels) ch->set_bus_master_enabled(bus_master());
}

void PiixIde::config_written(u8 offset, unsigned size) {
  (void)offset;
  (void)size;
  update_decode();
}

void PiixIde::reset_function() {
  for (auto& ch : m_channels) ch->reset();
  update_decode();
}

void PiixIde::serialize(StateIo& io) {
  PciFunction::serialize(io);
  for (auto& ch : m_channels) ch->serialize(io);
  if (io.loading()) update_decode();
}

}  // namespace tern
