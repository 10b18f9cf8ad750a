#include "devices/vga_pci.h"

#include <algorithm>
#include <bit>

#include "base/state.h"

namespace tern {

namespace {

constexpr PciId kStdVgaId{0x1234, 0x1111, 0x02, 0x030000, 0x1AF4, 0x1100};
constexpr u32 kMinRomBar = 2048;  // PCI 2.2 §6.2.5.2

}  // namespace

VgaPci::VgaPci(Vga& vga, PhysMemory& mem, std::vector<u8> rom)
    : PciFunction(kStdVgaId), m_vga(vga), m_mem(mem), m_rom(std::move(rom)) {
  define_bar(0, PciBarKind::kMemoryPrefetchable, Vga::kVramBytes,
             [this](std::optional<u32>, std::optional<u32> base) { m_vga.map_lfb(base.value_or(0)); });
  if (m_rom.empty()) return;
  const u32 rom_bar = std::max(kMinRomBar, std::bit_ceil(static_cast<u32>(m_rom.size())));
  define_rom_bar(rom_bar, [this, rom_bar](std::optional<u32> old_base, std::optional<u32> base) {
    if (old_base) m_mem.remove_mmio("vga-rom");
    if (!base) return;
    IoOps rom_ops;
    rom_ops.widths = 1;
    // Beyond the image the ROM BAR window reads as zeros; writes are ignored.
    rom_ops.read = [this](u32 offset, unsigned) -> u64 { return offset < m_rom.size() ? m_rom[offset] : 0; };
    rom_ops.write = [](u32, u64, unsigned) {};
    m_mem.add_mmio("vga-rom", *base, rom_bar, rom_ops);
  });
}

void VgaPci::reset_function() { m_vga.reset(); }

void VgaPci::serialize(StateIo& io) {
  PciFunction::serialize(io);
  m_vga.serialize(io);
}

}  // namespace tern
