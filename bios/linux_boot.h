// Direct boot of a Linux bzImage through the 32-bit boot protocol (Documentation/x86/boot.rst
// in the Linux sources: the setup header, the "zero page" struct boot_params, 32-bit entry at
// code32_start with ESI pointing at boot_params), without firmware: the loader fills in what
// the real-mode setup code would have asked the BIOS (e820 map, video mode, ACPI RSDP).
#pragma once

#include <string>
#include <vector>

#include "base/types.h"
#include "bios/e820.h"

namespace tern {

class Cpu;
class PhysMemory;

// True when `image` has the "HdrS" boot-protocol signature.
bool is_linux_kernel(const std::vector<u8>& image);

struct LinuxBootSetup {
  std::string cmdline;
  std::vector<u8> initrd;
  std::vector<E820Entry> e820;  // the memory map the kernel sees
  u64 acpi_rsdp = 0;            // 0: none
};

// Loads the kernel, initrd and boot_params into RAM and puts the CPU in the 32-bit entry
// state. Throws Error for kernels too old for 32-bit entry, non-bzImages, or images that do not
// fit in RAM.
void boot_linux(Cpu& cpu, PhysMemory& mem, const std::vector<u8>& kernel, const LinuxBootSetup& setup);

}  // namespace tern
