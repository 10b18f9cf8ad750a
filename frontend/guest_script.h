// What a headless run does on its own, on guest (virtual) time, so that it is repeatable:
// `--send-keys TEXT@SECONDS` types into the guest, `--until-serial TEXT` ends the run with 0 as
// soon as TEXT appears on COM1, `--guest-timeout SECONDS` ends it with 124 after that much guest
// time, `--save-on-serial TEXT:FILE` saves the machine's state when TEXT appears.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "machine/machine.h"

namespace tern {

struct GuestScriptOptions {
  struct Keys {
    std::string text;
    u64 at_ns;
  };
  std::vector<Keys> keys;
  std::string until_serial;
  u64 guest_timeout_ns = 0;  // 0: none
  // --save-on-serial TEXT:FILE: the state is saved right after the instruction that completed
  // TEXT on COM1 (once); the run goes on unless --until-serial ends it there too.
  std::string save_on_serial;
  std::string save_on_serial_path;
};

// Parses "TEXT@SECONDS" (the last '@' separates); throws Error on a bad value.
GuestScriptOptions::Keys parse_send_keys(const std::string& value);

class GuestScript {
 public:
  // Guest time between two typed characters: long enough for any guest to read the bytes.
  static constexpr u64 kKeyIntervalNs = 20'000'000;

  GuestScript(const GuestScriptOptions& options, Machine& machine);
  ~GuestScript();
  GuestScript(const GuestScript&) = delete;
  GuestScript& operator=(const GuestScript&) = delete;

  // Virtual nanoseconds from `now` until the script next has something to do (Clock::kNever).
  u64 ns_until_next(u64 now) const;
  // Types the keys that are due, saves a state that --save-on-serial asked for, and ends the run
  // when the guest timeout has come.
  void after_slice();

 private:
  void on_serial_byte(u8 byte);

  struct Stroke {
    u64 at_ns;
    std::vector<u8> bytes;
  };
  Machine& m_machine;
  std::deque<Stroke> m_strokes;  // in time order
  std::string m_until;
  std::string m_save_text;       // --save-on-serial, cleared once it has been seen
  std::string m_save_path;
  bool m_save_due = false;
  bool m_listening = false;      // the COM1 listener is set
  std::string m_recent;          // the last bytes of COM1 output (as long as the longest text)
  u64 m_timeout_at = 0;          // absolute guest time, 0: none
};

}  // namespace tern
