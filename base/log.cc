#include "base/log.h"

#include <cstdio>

#include "base/error.h"

namespace tern {

namespace detail {

std::array<LogLevel, static_cast<size_t>(LogCat::kCount)> g_log_levels = [] {
  std::array<LogLevel, static_cast<size_t>(LogCat::kCount)> levels;
  levels.fill(LogLevel::kWarn);
  return levels;
}();

void log_write(LogCat cat, LogLevel level, const std::string& text) {
  static constexpr const char* kLevelNames[] = {"error", "warn", "info", "debug", "trace"};
  fmt::print(stderr, "[{}:{}] {}\n", kLogCategoryNames[static_cast<size_t>(cat)],
             kLevelNames[static_cast<size_t>(level)], text);
}

}  // namespace detail

namespace {

LogLevel parse_level(std::string_view name, std::string_view item) {
  static constexpr std::string_view kNames[] = {"error", "warn", "info", "debug", "trace"};
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<LogLevel>(i);
  fail("--log: unknown level '{}' in '{}' (error, warn, info, debug, trace)", name, item);
}

}  // namespace

void configure_logging(std::string_view spec) {
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    const std::string_view name = item.substr(0, colon);
    const LogLevel level =
        colon == std::string_view::npos ? LogLevel::kDebug : parse_level(item.substr(colon + 1), item);
    if (name == "all") {
      detail::g_log_levels.fill(level);
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < kLogCategoryNames.size(); ++i) {
      if (kLogCategoryNames[i] == name) {
        detail::g_log_levels[i] = level;
        found = true;
      }
    }
    if (!found) fail("--log: unknown category '{}'", name);
  }
}

}  // namespace tern
