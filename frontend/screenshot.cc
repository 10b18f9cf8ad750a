#include "frontend/screenshot.h"

#include <png.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "base/error.h"
#include "frontend/text_dump.h"

namespace tern {

namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

constexpr u64 kNsPerSecond = 1'000'000'000;

u64 seconds_to_ns(const std::string& text, const char* option) {
  double seconds = 0;
  size_t used = 0;
  try {
    seconds = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(seconds > 0) || seconds > 1e6) fail("{}: '{}' is not a time in seconds", option, text);
  return static_cast<u64>(std::llround(seconds * kNsPerSecond));
}

// libpng reports errors through longjmp; these wrappers keep that inside one function each.
bool png_write_rows(FILE* f, const VgaImage& image) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  std::vector<u8> row(size_t{image.width} * 3);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (u32 y = 0; y < image.height; ++y) {
    for (u32 x = 0; x < image.width; ++x) {
      const u32 c = image.pixels[size_t{y} * image.width + x];
      row[x * 3 + 0] = static_cast<u8>(c >> 16);
      row[x * 3 + 1] = static_cast<u8>(c >> 8);
      row[x * 3 + 2] = static_cast<u8>(c);
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

bool png_read_rows(FILE* f, VgaImage& image) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  std::vector<u8> row;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_init_io(png, f);
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  if (png_get_bit_depth(png, info) != 8 || (color != PNG_COLOR_TYPE_RGB && color != PNG_COLOR_TYPE_RGBA) ||
      png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  const unsigned channels = color == PNG_COLOR_TYPE_RGBA ? 4 : 3;
  image.width = png_get_image_width(png, info);
  image.height = png_get_image_height(png, info);
  image.pixels.assign(size_t{image.width} * image.height, 0);
  row.resize(size_t{image.width} * channels);
  for (u32 y = 0; y < image.height; ++y) {
    png_read_row(png, row.data(), nullptr);
    for (u32 x = 0; x < image.width; ++x) {
      const u8* p = &row[size_t{x} * channels];
      image.pixels[size_t{y} * image.width + x] = (u32{p[0]} << 16) | (u32{p[1]} << 8) | p[2];
    }
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

void write_png(const VgaImage& image, const std::string& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) fail("screenshot: cannot create '{}'", path);
  if (!png_write_rows(f.get(), image) || std::fflush(f.get()) != 0) fail("screenshot: cannot write '{}'", path);
}

VgaImage read_png(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) fail("cannot open '{}'", path);
  VgaImage image;
  if (!png_read_rows(f.get(), image)) fail("'{}' is not an 8-bit RGB PNG", path);
  return image;
}

namespace {

// "FILE" or "FILE@SECONDS".
void parse_timed_file(const std::string& value, const char* option, std::string& file, u64& at_ns) {
  const size_t at = value.rfind('@');
  file = value.substr(0, at);
  if (at != std::string::npos) at_ns = seconds_to_ns(value.substr(at + 1), option);
  if (file.empty()) fail("{}: expected FILE or FILE@SECONDS, got '{}'", option, value);
}

}  // namespace

void parse_screenshot_option(const std::string& value, ScreenOutputOptions& out) {
  parse_timed_file(value, "--screenshot", out.screenshot, out.screenshot_at_ns);
}

void parse_dump_text_option(const std::string& value, ScreenOutputOptions& out) {
  parse_timed_file(value, "--dump-text", out.dump_text, out.dump_text_at_ns);
}

void parse_screenshot_every_option(const std::string& value, ScreenOutputOptions& out) {
  const size_t colon = value.find(':');
  if (colon == std::string::npos || colon + 1 == value.size())
    fail("--screenshot-every: expected SECONDS:DIR, got '{}'", value);
  out.screenshot_every_ns = seconds_to_ns(value.substr(0, colon), "--screenshot-every");
  out.screenshot_dir = value.substr(colon + 1);
}

u64 ScreenOutputs::ns_until_next(u64 now) const {
  u64 next = Clock::kNever;
  if (m_options.screenshot_at_ns && !m_screenshot_done) next = m_options.screenshot_at_ns;
  if (m_options.dump_text_at_ns && !m_dump_done) next = std::min(next, m_options.dump_text_at_ns);
  if (m_options.screenshot_every_ns) next = std::min(next, (m_shots + 1) * m_options.screenshot_every_ns);
  if (next == Clock::kNever) return next;
  return next > now ? next - now : 0;
}

void ScreenOutputs::after_slice(Machine& machine) {
  const u64 now = machine.clock().now();
  if (m_options.screenshot_at_ns && !m_screenshot_done && now >= m_options.screenshot_at_ns) {
    write_png(render_screen(machine.vga()), m_options.screenshot);
    m_screenshot_done = true;
  }
  if (m_options.dump_text_at_ns && !m_dump_done && now >= m_options.dump_text_at_ns) {
    write_text_dump(machine.vga(), m_options.dump_text);
    m_dump_done = true;
  }
  while (m_options.screenshot_every_ns && now >= (m_shots + 1) * m_options.screenshot_every_ns) {
    std::error_code ignored;
    std::filesystem::create_directories(m_options.screenshot_dir, ignored);
    ++m_shots;
    write_png(render_screen(machine.vga()), fmt::format("{}/screen-{:06}.png", m_options.screenshot_dir, m_shots));
  }
}

void ScreenOutputs::finish(Machine& machine) {
  // A run that ends before the time of a timed output writes it with the last screen.
  if (!m_options.screenshot.empty() && !m_screenshot_done) write_png(render_screen(machine.vga()), m_options.screenshot);
  if (!m_options.dump_text.empty() && !m_dump_done) write_text_dump(machine.vga(), m_options.dump_text);
}

}  // namespace tern
