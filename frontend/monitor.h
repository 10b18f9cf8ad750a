// A small line-based monitor for a running machine: `--monitor stdio` (the terminal, when COM1
// is elsewhere) or `--monitor unix:PATH` (a Unix socket; one client at a time, e.g.
// `socat - UNIX-CONNECT:PATH`). The runners poll it between slices, so commands act between two
// guest instructions.
//
// Commands: help, info status, savevm FILE, loadvm FILE, quit.
#pragma once

#include <string>

#include "machine/machine.h"

namespace tern {

class Monitor {
 public:
  // Throws Error on a bad spec or when the socket cannot be created.
  Monitor(const std::string& spec, Machine& machine);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Runs the commands that have arrived; never waits for input. True when one of them loaded a
  // state (guest time jumped: host-clock pacing starts again from there).
  bool poll();
  // Runs one command line and returns its reply (without the prompt).
  std::string execute(const std::string& line);

 private:
  void accept_client();
  void read_input();
  void send(const std::string& text);
  void close_client();

  Machine& m_machine;
  std::string m_socket_path;  // unix: the listening socket's path (removed at the end)
  int m_listen_fd = -1;
  int m_in_fd = -1;           // where commands come from: stdin or the connected client
  int m_out_fd = -1;
  std::string m_pending;      // bytes of a line not complete yet
  bool m_loaded = false;      // a loadvm succeeded since the last poll()
};

}  // namespace tern
