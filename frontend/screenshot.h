// Screenshots: the VGA picture as a PNG file (libpng), read back for tests, and the schedule of
// `--screenshot FILE[@SECONDS]`, `--screenshot-every SECONDS:DIR` and `--dump-text FILE[@SECONDS]`,
// all on virtual time so that identical runs give identical files.
#pragma once

#include <string>

#include "devices/vga_render.h"
#include "machine/machine.h"

namespace tern {

// Writes `image` as an 8-bit RGB PNG. Throws Error naming the file when it cannot be written.
void write_png(const VgaImage& image, const std::string& path);
// Reads an 8-bit RGB or RGBA PNG (alpha dropped). Throws Error when it is not one.
VgaImage read_png(const std::string& path);

struct ScreenOutputOptions {
  std::string screenshot;          // written at the end of the run, or at screenshot_at_ns
  u64 screenshot_at_ns = 0;        // 0: at the end
  std::string screenshot_dir;      // --screenshot-every: DIR/screen-NNNNNN.png
  u64 screenshot_every_ns = 0;     // 0: off
  std::string dump_text;           // the text screen at the end of the run, or at dump_text_at_ns
  u64 dump_text_at_ns = 0;         // 0: at the end
};

// Parse "FILE" or "FILE@SECONDS" (--screenshot, --dump-text) and "SECONDS:DIR" into `out`;
// throw Error on bad values.
void parse_screenshot_option(const std::string& value, ScreenOutputOptions& out);
void parse_dump_text_option(const std::string& value, ScreenOutputOptions& out);
void parse_screenshot_every_option(const std::string& value, ScreenOutputOptions& out);

class ScreenOutputs {
 public:
  explicit ScreenOutputs(const ScreenOutputOptions& options) : m_options(options) {}

  // Virtual nanoseconds from `now` until the next timed screenshot (Clock::kNever: none).
  u64 ns_until_next(u64 now) const;
  // Takes the screenshots whose virtual time has come.
  void after_slice(Machine& machine);
  // End of the run: the end-of-run screenshot and the text dump.
  void finish(Machine& machine);

 private:
  ScreenOutputOptions m_options;
  bool m_screenshot_done = false;  // the timed --screenshot has been written
  bool m_dump_done = false;        // the timed --dump-text has been written
  u64 m_shots = 0;  // --screenshot-every pictures taken so far
};

}  // namespace tern
