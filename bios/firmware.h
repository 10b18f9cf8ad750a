// Firmware images: SeaBIOS (or a raw ROM given with --bios) mapped below 4 GiB and its top
// 128 KiB at 0xE0000 so that real-mode code starts at the reset vector F000:FFF0.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"
#include "mmu/phys_memory.h"

namespace tern {

// Default firmware from Debian's seabios package.
inline constexpr const char* kSeaBiosPath = "/usr/share/seabios/bios-256k.bin";
inline constexpr const char* kVgaBiosPath = "/usr/share/seabios/vgabios-stdvga.bin";

// Reads a whole file; throws Error naming `what` when it is missing, unreadable or a directory.
std::vector<u8> read_file(const std::string& path, const std::string& what);

// Checks and maps a system ROM image. Throws Error when its size is not a multiple of 64 KiB
// or is larger than 16 MiB.
void map_system_rom(PhysMemory& mem, std::vector<u8> image, const std::string& path);

}  // namespace tern
