// Multiboot (version 1) kernel loading: ELF32 kernels and the a.out kludge (header bit 16), the
// boot information structure (memory sizes, memory map, command line, modules) and the machine
// state the specification promises at entry: 32-bit protected mode, paging off, flat segments,
// EAX = 0x2BADB002, EBX = the information structure.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

class Cpu;
class PhysMemory;

// True when `image` carries a Multiboot header in its first 8 KiB.
bool is_multiboot(const std::vector<u8>& image);

// Loads the kernel (and `initrd`, if not empty, as module 0) into memory and puts the CPU in
// the Multiboot entry state. Throws Error on a malformed image or one that does not fit in RAM.
void boot_multiboot(Cpu& cpu, PhysMemory& mem, const std::vector<u8>& image, const std::string& cmdline,
                    const std::vector<u8>& initrd, const std::string& initrd_name);

}  // namespace tern
