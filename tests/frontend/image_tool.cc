// A helper of the frontend tests: compares screenshots and turns an X window dump into a PNG.
//   image_tool compare A.png B.png      exit 0 when both have the same size and pixels
//   image_tool find BIG.png SMALL.png   exit 0 when SMALL appears in BIG at some position
//   image_tool xwd-to-png IN.xwd OUT.png
//   image_tool size A.png                prints WIDTHxHEIGHT
// XWD: the X Window Dump format of `xwd` (X11 XWDFileHeader: 25 big-endian 32-bit fields, the
// window name, the colour map entries, then the pixels in ZPixmap form).
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/error.h"
#include "frontend/screenshot.h"

using namespace tern;

namespace {

u32 be32(const std::vector<u8>& d, size_t at) {
  if (at + 4 > d.size()) fail("xwd: file too short");
  return (u32{d[at]} << 24) | (u32{d[at + 1]} << 16) | (u32{d[at + 2]} << 8) | d[at + 3];
}

// 24-bit TrueColor dumps (32 bits a pixel) as Xvfb -screen WxHx24 produces them.
VgaImage read_xwd(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<u8> d((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const u32 header_size = be32(d, 0), format = be32(d, 8), width = be32(d, 16), height = be32(d, 20);
  const u32 byte_order = be32(d, 28), bits_per_pixel = be32(d, 44), bytes_per_line = be32(d, 48);
  const u32 colormap_entries = be32(d, 76);
  if (format != 2 || bits_per_pixel != 32) fail("xwd: only 32-bit ZPixmap dumps are supported");
  const size_t pixels = header_size + size_t{colormap_entries} * 12;
  if (pixels + size_t{bytes_per_line} * height > d.size()) fail("xwd: file too short");
  VgaImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(size_t{width} * height);
  for (u32 y = 0; y < height; ++y) {
    for (u32 x = 0; x < width; ++x) {
      const u8* p = &d[pixels + size_t{y} * bytes_per_line + size_t{x} * 4];
      const u32 v = byte_order == 0 ? (u32{p[3]} << 24 | u32{p[2]} << 16 | u32{p[1]} << 8 | p[0])
                                    : (u32{p[0]} << 24 | u32{p[1]} << 16 | u32{p[2]} << 8 | p[3]);
      image.pixels[size_t{y} * width + x] = v & 0xFFFFFF;
    }
  }
  return image;
}

bool matches_at(const VgaImage& big, const VgaImage& small, u32 ox, u32 oy) {
  for (u32 y = 0; y < small.height; ++y)
    for (u32 x = 0; x < small.width; ++x)
      if (big.pixels[size_t{oy + y} * big.width + ox + x] != small.pixels[size_t{y} * small.width + x]) return false;
  return true;
}

int compare(const VgaImage& a, const VgaImage& b) {
  if (a.width != b.width || a.height != b.height) {
    fmt::print("different sizes: {}x{} and {}x{}\n", a.width, a.height, b.width, b.height);
    return 1;
  }
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    if (a.pixels[i] != b.pixels[i]) {
      fmt::print("first difference at ({}, {}): {:06x} and {:06x}\n", i % a.width, i / a.width, a.pixels[i], b.pixels[i]);
      return 1;
    }
  }
  return 0;
}

int find(const VgaImage& big, const VgaImage& small) {
  for (u32 oy = 0; oy + small.height <= big.height; ++oy)
    for (u32 ox = 0; ox + small.width <= big.width; ++ox)
      if (matches_at(big, small, ox, oy)) {
        fmt::print("found at ({}, {})\n", ox, oy);
        return 0;
      }
  fmt::print("a {}x{} picture does not appear in the {}x{} one\n", small.width, small.height, big.width, big.height);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 3 && args[0] == "compare") return compare(read_png(args[1]), read_png(args[2]));
    if (args.size() == 3 && args[0] == "find") return find(read_png(args[1]), read_png(args[2]));
    if (args.size() == 2 && args[0] == "size") {
      const VgaImage image = read_png(args[1]);
      fmt::print("{}x{}\n", image.width, image.height);
      return 0;
    }
    if (args.size() == 3 && args[0] == "xwd-to-png") {
      write_png(read_xwd(args[1]), args[2]);
      return 0;
    }
    fmt::print(stderr, "usage: image_tool compare|find A B, image_tool size A, or image_tool xwd-to-png IN OUT\n");
    return 2;
  } catch (const Error& e) {
    fmt::print(stderr, "image_tool: {}\n", e.what());
    return 2;
  }
}
