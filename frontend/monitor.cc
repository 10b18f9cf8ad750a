#include "frontend/monitor.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.h"

namespace tern {

namespace {

constexpr const char* kPrompt = "(tern) ";
constexpr const char* kHelp =
    "help                this text\n"
    "info status         running or stopped, guest time, instructions, engine\n"
    "savevm FILE         save the machine's state to FILE\n"
    "loadvm FILE         resume the state in FILE (refused, machine unchanged, if it does not fit)\n"
    "quit                end the run (exit code 0)";

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}

const char* status_name(MachineStatus status) {
  switch (status) {
    case MachineStatus::kRunning: return "running";
    case MachineStatus::kPoweredOff: return "powered off";
    case MachineStatus::kDebugExit: return "exited (debug-exit)";
    case MachineStatus::kTripleFault: return "stopped (triple fault)";
    case MachineStatus::kStopped: return "stopped";
  }
  return "?";
}

}  // namespace

Monitor::Monitor(const std::string& spec, Machine& machine) : m_machine(machine) {
  if (spec == "stdio") {
    m_in_fd = STDIN_FILENO;
    m_out_fd = STDOUT_FILENO;
    send(kPrompt);
    return;
  }
  if (spec.rfind("unix:", 0) != 0 || spec.size() == 5) fail("--monitor: expected stdio or unix:PATH, got '{}'", spec);
  const std::string path = spec.substr(5);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) fail("--monitor: socket path '{}' is too long", path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  // A socket left behind by an earlier run is replaced; any other file is not.
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) fail("--monitor: '{}' exists and is not a socket", path);
    ::unlink(path.c_str());
  }
  m_listen_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen_fd < 0 || ::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen_fd, 1) != 0) {
    const int err = errno;
    if (m_listen_fd >= 0) ::close(m_listen_fd);
    fail("--monitor: cannot listen on '{}': {}", path, std::strerror(err));
  }
  m_socket_path = path;
}

Monitor::~Monitor() {
  close_client();
  if (m_listen_fd >= 0) {
    ::close(m_listen_fd);
    ::unlink(m_socket_path.c_str());
  }
}

bool Monitor::poll() {
  m_loaded = false;
  if (m_listen_fd >= 0 && m_in_fd < 0 && readable(m_listen_fd)) accept_client();
  if (m_in_fd >= 0 && readable(m_in_fd)) read_input();
  return m_loaded;
}

void Monitor::accept_client() {
  const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  m_in_fd = m_out_fd = fd;
  m_pending.clear();
  send(std::string("tern monitor: 'help' lists the commands\n") + kPrompt);
}

void Monitor::close_client() {
  if (m_listen_fd >= 0 && m_in_fd >= 0) ::close(m_in_fd);
  m_in_fd = m_out_fd = -1;
}

void Monitor::read_input() {
  char buffer[4096];
  const ssize_t n = ::read(m_in_fd, buffer, sizeof buffer);
  if (n <= 0) {
    // End of input: a socket client went away (the next may connect); stdin is done.
    close_client();
    return;
  }
  m_pending.append(buffer, static_cast<size_t>(n));
  size_t eol;
  while (m_in_fd >= 0 && (eol = m_pending.find('\n')) != std::string::npos) {
    std::string line = m_pending.substr(0, eol);
    m_pending.erase(0, eol + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string reply = execute(line);
    send(reply.empty() ? kPrompt : reply + "\n" + kPrompt);
  }
}

void Monitor::send(const std::string& text) {
  size_t done = 0;
  while (m_out_fd >= 0 && done < text.size()) {
    // A client that went away must not kill the process with SIGPIPE.
    const ssize_t n = m_listen_fd >= 0 ? ::send(m_out_fd, text.data() + done, text.size() - done, MSG_NOSIGNAL)
                                       : ::write(m_out_fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string Monitor::execute(const std::string& line) {
  std::istringstream in(line);
  std::string command, argument, extra;
  in >> command >> argument >> extra;
  if (command.empty()) return "";
  try {
    if (command == "help" && argument.empty()) return kHelp;
    if (command == "info" && argument == "status" && extra.empty()) {
      const double seconds = static_cast<double>(m_machine.clock().now()) / 1e9;
      return fmt::format("status: {}, guest time {:.6f} s, {} instructions, engine {}",
                         status_name(m_machine.status()), seconds, m_machine.instructions(), m_machine.engine_name());
    }
    if ((command == "savevm" || command == "loadvm") && !argument.empty() && extra.empty()) {
      if (command == "savevm") {
        m_machine.save_state(argument);
      } else {
        m_machine.load_state(argument);
        m_loaded = true;
      }
      return fmt::format("{}: {}", command == "savevm" ? "saved" : "loaded", argument);
    }
    if (command == "quit" && argument.empty()) {
      m_machine.stop(0);
      return "bye";
    }
  } catch (const Error& e) {
    return fmt::format("error: {}", e.what());
  }
  return fmt::format("error: unknown command '{}' ('help' lists the commands)", line);
}

}  // namespace tern
