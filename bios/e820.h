// The e820 memory map the board hands the firmware (fw_cfg file "etc/e820"): where RAM is.
// The firmware adds its own reservations (EBDA, BIOS, ACPI) on top.
#pragma once

#include <vector>

#include "base/types.h"

namespace tern {

enum class E820Type : u32 { kRam = 1, kReserved = 2, kAcpi = 3, kNvs = 4 };

struct E820Entry {
  u64 address;
  u64 length;
  E820Type type;
};

// RAM below the PCI hole from 0, and RAM above 4 GiB.
std::vector<E820Entry> board_e820(u64 low_ram, u64 high_ram);
// The fw_cfg encoding: 20 bytes per entry, little-endian {u64 address, u64 length, u32 type}.
std::vector<u8> encode_e820(const std::vector<E820Entry>& entries);

}  // namespace tern
