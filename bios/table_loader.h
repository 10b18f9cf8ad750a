// Runs the firmware table-loader script ("etc/table-loader": ALLOCATE, ADD_POINTER, ADD_CHECKSUM
// commands over named blobs, as SeaBIOS does at boot) directly into guest RAM. Used when a kernel
// is booted without firmware, so it finds the same ACPI tables a firmware boot would install.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

class PhysMemory;

struct TableLoaderZones {
  u32 high = 0;  // where "high" allocations go (top of low RAM, reserved in the e820 map)
  u32 fseg = 0;  // where "fseg" allocations go (0xF0000 segment, for the RSDP)
};

// Executes `script` over `files`, placing each allocated file at the next aligned address of its
// zone. Returns the guest address of every allocated file. Throws Error on a malformed script.
std::map<std::string, u32> run_table_loader(PhysMemory& mem, const std::vector<u8>& script,
                                            const std::map<std::string, std::vector<u8>>& files,
                                            const TableLoaderZones& zones);

}  // namespace tern
