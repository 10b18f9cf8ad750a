// The VGA as PCI function: QEMU's "stdvga" identity (vendor 0x1234, device 0x1111, class 0x0300)
// with the Bochs VBE linear framebuffer as BAR 0 (16 MiB, prefetchable memory) and the VGA BIOS
// as expansion ROM, which is where SeaBIOS looks for a PCI VGA's option ROM (its vgarom_setup()
// maps the ROM BAR of the first VGA-class function with I/O and memory decoding enabled).
// The legacy ports and the 0xA0000 window decode whatever COMMAND says, as on QEMU.
#pragma once

#include <vector>

#include "devices/pci.h"
#include "devices/vga.h"
#include "mmu/phys_memory.h"

namespace tern {

class VgaPci : public PciFunction {
 public:
  // `rom` is the VGA BIOS image (empty: no expansion ROM).
  VgaPci(Vga& vga, PhysMemory& mem, std::vector<u8> rom);

  void serialize(StateIo& io);

 private:
  void reset_function() override;

  Vga& m_vga;
  PhysMemory& m_mem;
  std::vector<u8> m_rom;
};

}  // namespace tern
