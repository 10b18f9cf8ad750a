#include "bios/firmware.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "base/error.h"

namespace tern {

std::vector<u8> read_file(const std::string& path, const std::string& what) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) fail("{} '{}': {}", what, path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail("{} '{}' is a directory", what, path);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{} '{}': cannot open", what, path);
  std::vector<u8> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail("{} '{}': read error", what, path);
  return data;
}

void map_system_rom(PhysMemory& mem, std::vector<u8> image, const std::string& path) {
  constexpr size_t kUnit = 64 * 1024;
  if (image.empty() || image.size() % kUnit != 0 || image.size() > 16 * 1024 * 1024)
    fail("BIOS image '{}' must be a non-empty multiple of 64 KiB up to 16 MiB (it has {} bytes)", path, image.size());
  const size_t low_size = std::min<size_t>(image.size(), 128 * 1024);
  std::vector<u8> low(image.end() - static_cast<std::ptrdiff_t>(low_size), image.end());
  const u64 size = image.size();
  mem.add_rom((u64{1} << 32) - size, std::move(image));
  mem.add_rom(0x100000 - low_size, std::move(low));
}

}  // namespace tern
