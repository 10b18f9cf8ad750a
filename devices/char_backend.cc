#include "devices/char_backend.h"

#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/error.h"

namespace tern {

namespace {

class NullBackend : public CharBackend {
 public:
  void write(u8) override {}
};

class FileBackend : public CharBackend {
 public:
  // Line-buffered, so `tail -f` on a log shows the guest's lines as they come.
  FileBackend(std::FILE* f, bool owned) : m_file(f), m_owned(owned) { std::setvbuf(m_file, nullptr, _IOLBF, BUFSIZ); }
  ~FileBackend() override {
    if (m_owned)
      std::fclose(m_file);
    else
      std::fflush(m_file);
  }
  void write(u8 byte) override { std::fputc(byte, m_file); }
  void flush() override { std::fflush(m_file); }

 private:
  std::FILE* m_file;
  bool m_owned;
};

// The terminal settings to restore. Terminal modes belong to the host process, not to a machine,
// and must be restored from signal handlers too, so they live here.
struct termios g_saved_termios;
volatile sig_atomic_t g_termios_changed = 0;

void restore_terminal() {
  if (g_termios_changed) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
  g_termios_changed = 0;
}

void restore_terminal_and_die(int sig) {
  restore_terminal();
  signal(sig, SIG_DFL);
  raise(sig);
}

// Raw input: every key at once, no local echo, CR not turned into LF, no flow control; Ctrl-C
// still interrupts tern.
void make_terminal_raw() {
  if (g_termios_changed || tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
  struct termios raw = g_saved_termios;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | IEXTEN);
  raw.c_iflag &= ~static_cast<tcflag_t>(ICRNL | IXON);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) return;
  g_termios_changed = 1;
  std::atexit(restore_terminal);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) signal(sig, restore_terminal_and_die);
}

// Output to stdout, input from stdin.
class StdioBackend : public FileBackend {
 public:
  StdioBackend() : FileBackend(stdout, false) {}
  ~StdioBackend() override { restore_terminal(); }

  bool read(u8& byte) override {
    if (m_eof) return false;
    if (isatty(STDIN_FILENO)) {
      // A background tern must not touch the terminal (reading would stop it with SIGTTIN).
      if (tcgetpgrp(STDIN_FILENO) != getpgrp()) return false;
      make_terminal_raw();
    }
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return false;
    const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
    if (n == 1) return true;
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) m_eof = true;
    return false;
  }
  bool readable() const override { return !m_eof; }

 private:
  bool m_eof = false;
};

}  // namespace

std::unique_ptr<CharBackend> open_char_backend(const std::string& spec, const std::string& option) {
  if (spec == "none") return std::make_unique<NullBackend>();
  if (spec == "stdio") return std::make_unique<StdioBackend>();
  if (spec.rfind("file:", 0) == 0 && spec.size() > 5) {
    const std::string path = spec.substr(5);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) fail("{}: cannot create '{}': {}", option, path, std::strerror(errno));
    return std::make_unique<FileBackend>(f, true);
  }
  fail("{}: expected stdio, file:PATH or none, got '{}'", option, spec);
}

}  // namespace tern
