// Logging by category and level. The configuration is process-wide (it is how the user wants to
// see messages, not machine state); messages go to stderr.
#pragma once

#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>

#include "base/types.h"

namespace tern {

enum class LogLevel : u8 { kError, kWarn, kInfo, kDebug, kTrace };

// One category per subsystem; `--log` names them by the strings in kLogCategoryNames.
enum class LogCat : u8 {
  kMachine, kCpu, kMmu, kJit, kIo, kPic, kPit, kRtc, kKbd, kUart, kPci, kIde, kFdc, kDma,
  kVga, kApic, kFwCfg, kBios, kAcpi, kFrontend, kState,
  kCount
};

inline constexpr std::array<std::string_view, static_cast<size_t>(LogCat::kCount)>
    kLogCategoryNames = {"machine", "cpu", "mmu", "jit", "io", "pic", "pit", "rtc", "kbd",
                         "uart", "pci", "ide", "fdc", "dma", "vga", "apic", "fwcfg", "bios",
                         "acpi", "frontend", "state"};

namespace detail {
extern std::array<LogLevel, static_cast<size_t>(LogCat::kCount)> g_log_levels;
void log_write(LogCat cat, LogLevel level, const std::string& text);
}  // namespace detail

inline bool log_enabled(LogCat cat, LogLevel level) {
  return level <= detail::g_log_levels[static_cast<size_t>(cat)];
}

// Applies a `--log` specification: comma-separated `CATEGORY[:LEVEL]` items, where CATEGORY is a
// name from kLogCategoryNames or `all` and LEVEL one of error|warn|info|debug|trace (default
// debug). Throws Error naming the bad item.
void configure_logging(std::string_view spec);

template <class... Args>
void log(LogCat cat, LogLevel level, fmt::format_string<Args...> f, Args&&... args) {
  if (log_enabled(cat, level)) detail::log_write(cat, level, fmt::format(f, std::forward<Args>(args)...));
}

template <class... Args>
void log_warn(LogCat cat, fmt::format_string<Args...> f, Args&&... args) {
  log(cat, LogLevel::kWarn, f, std::forward<Args>(args)...);
}

template <class... Args>
void log_debug(LogCat cat, fmt::format_string<Args...> f, Args&&... args) {
  log(cat, LogLevel::kDebug, f, std::forward<Args>(args)...);
}

}  // namespace tern
