#include "bios/table_loader.h"

#include <cstring>

#include "base/bits.h"
#include "base/error.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

constexpr size_t kEntrySize = 128;
constexpr size_t kNameSize = 56;
constexpr u32 kCmdAllocate = 1;
constexpr u32 kCmdAddPointer = 2;
constexpr u32 kCmdAddChecksum = 3;
constexpr u8 kZoneHigh = 1;
constexpr u8 kZoneFseg = 2;

std::string name_at(const u8* e) {
  const char* s = reinterpret_cast<const char*>(e);
  return std::string(s, strnlen(s, kNameSize));
}

struct Placed {
  u32 address;
  u32 size;
};

}  // namespace

std::map<std::string, u32> run_table_loader(PhysMemory& mem, const std::vector<u8>& script,
                                            const std::map<std::string, std::vector<u8>>& files,
                                            const TableLoaderZones& zones) {
  if (script.size() % kEntrySize != 0) fail("table loader: script size {} is not a multiple of 128", script.size());
  std::map<std::string, Placed> placed;
  u32 next_high = zones.high, next_fseg = zones.fseg;
  auto host = [&](const Placed& p, u32 offset, u32 size) {
    if (u64{offset} + size > p.size) fail("table loader: access outside a file");
    u8* h = mem.ram_ptr(p.address + offset, size);
    if (!h) fail("table loader: file placed outside RAM");
    return h;
  };
  auto find = [&](const std::string& name) -> const Placed& {
    const auto it = placed.find(name);
    if (it == placed.end()) fail("table loader: '{}' used before it is allocated", name);
    return it->second;
  };
  for (size_t at = 0; at < script.size(); at += kEntrySize) {
    const u8* e = &script[at];
    switch (load_le<u32>(e)) {
      case kCmdAllocate: {
        const std::string name = name_at(e + 4);
        const u32 align = std::max<u32>(1, load_le<u32>(e + 4 + kNameSize));
        const u8 zone = e[4 + kNameSize + 4];
        const auto file = files.find(name);
        if (file == files.end()) fail("table loader: no file '{}'", name);
        u32& next = zone == kZoneFseg ? next_fseg : next_high;
        if (zone != kZoneHigh && zone != kZoneFseg) fail("table loader: unknown zone {}", zone);
        next = (next + align - 1) / align * align;
        const Placed p{next, static_cast<u32>(file->second.size())};
        std::memcpy(host(p, 0, p.size), file->second.data(), p.size);
        placed[name] = p;
        next += p.size;
        break;
      }
      case kCmdAddPointer: {
        const Placed& dest = find(name_at(e + 4));
        const Placed& src = find(name_at(e + 4 + kNameSize));
        const u32 offset = load_le<u32>(e + 4 + 2 * kNameSize);
        const u8 size = e[4 + 2 * kNameSize + 4];
        if (size != 1 && size != 2 && size != 4 && size != 8) fail("table loader: bad pointer size {}", size);
        u8* field = host(dest, offset, size);
        store_le_sized(field, load_le_sized(field, size) + src.address, size);
        break;
      }
      case kCmdAddChecksum: {
        const Placed& file = find(name_at(e + 4));
        const u32 checksum_at = load_le<u32>(e + 4 + kNameSize);
        const u32 start = load_le<u32>(e + 4 + kNameSize + 4);
        const u32 length = load_le<u32>(e + 4 + kNameSize + 8);
        u8* sum_byte = host(file, checksum_at, 1);
        const u8* data = host(file, start, length);
        u8 sum = 0;
        for (u32 i = 0; i < length; ++i) sum = static_cast<u8>(sum + data[i]);
        *sum_byte = static_cast<u8>(*sum_byte - sum);
        break;
      }
      default:
        break;  // commands a loader does not know are skipped, as SeaBIOS does
    }
  }
  std::map<std::string, u32> addresses;
  for (const auto& [name, p] : placed) addresses[name] = p.address;
  return addresses;
}

}  // namespace tern
