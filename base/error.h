// The error a user can cause (bad option, bad image, bad state file) and the process exit codes.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace tern {

// Exit codes of the tern program (docs/exit-codes.md). Guest debug-exit values 1..100 pass
// through unchanged.
enum class ExitCode : int {
  kOk = 0,
  kTimeout = 124,
  kBadInput = 125,
  kTripleFault = 126,
  kInternal = 127,
};

// A one-line message for the user; main() prints it and exits with `code`.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::kBadInput)
      : std::runtime_error(message), m_code(code) {}
  ExitCode code() const { return m_code; }

 private:
  ExitCode m_code;
};

template <class... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace tern
