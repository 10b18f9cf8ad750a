#include "frontend/guest_script.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "frontend/key_text.h"

namespace tern {

GuestScriptOptions::Keys parse_send_keys(const std::string& value) {
  const size_t at = value.rfind('@');
  if (at == std::string::npos || at == 0) fail("--send-keys: expected TEXT@SECONDS, got '{}'", value);
  double seconds = -1;
  try {
    size_t used = 0;
    seconds = std::stod(value.substr(at + 1), &used);
    if (used != value.size() - at - 1) seconds = -1;
  } catch (const std::exception&) {
  }
  if (!(seconds >= 0) || !std::isfinite(seconds)) fail("--send-keys: '{}' is not a time in seconds", value.substr(at + 1));
  return {value.substr(0, at), static_cast<u64>(std::llround(seconds * 1e9))};
}

GuestScript::GuestScript(const GuestScriptOptions& options, Machine& machine)
    : m_machine(machine),
      m_until(options.until_serial),
      m_save_text(options.save_on_serial),
      m_save_path(options.save_on_serial_path) {
  for (const GuestScriptOptions::Keys& keys : options.keys) {
    u64 t = keys.at_ns;
    for (std::vector<u8>& bytes : text_to_keystrokes(keys.text)) {
      m_strokes.push_back({t, std::move(bytes)});
      t += kKeyIntervalNs;
    }
  }
  std::stable_sort(m_strokes.begin(), m_strokes.end(), [](const Stroke& a, const Stroke& b) { return a.at_ns < b.at_ns; });
  if (options.guest_timeout_ns) m_timeout_at = machine.clock().now() + options.guest_timeout_ns;
  m_listening = !m_until.empty() || !m_save_text.empty();
  if (m_listening) machine.set_serial_listener([this](u8 byte) { on_serial_byte(byte); });
}

GuestScript::~GuestScript() {
  if (m_listening) m_machine.set_serial_listener(nullptr);
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return !tail.empty() && s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

void GuestScript::on_serial_byte(u8 byte) {
  m_recent.push_back(static_cast<char>(byte));
  const size_t keep = std::max(m_until.size(), m_save_text.size());
  if (m_recent.size() > keep) m_recent.erase(0, m_recent.size() - keep);
  if (ends_with(m_recent, m_save_text)) {
    // Saved between instructions, by after_slice() once the machine has paused.
    m_save_text.clear();
    m_save_due = true;
    m_machine.pause();
  }
  if (ends_with(m_recent, m_until)) m_machine.stop(0);
}

u64 GuestScript::ns_until_next(u64 now) const {
  u64 next = Clock::kNever;
  if (!m_strokes.empty()) next = m_strokes.front().at_ns;
  if (m_timeout_at) next = std::min(next, m_timeout_at);
  return next == Clock::kNever ? next : (next > now ? next - now : 0);
}

void GuestScript::after_slice() {
  if (m_save_due) {
    m_save_due = false;
    m_machine.save_state(m_save_path);
  }
  const u64 now = m_machine.clock().now();
  while (!m_strokes.empty() && m_strokes.front().at_ns <= now) {
    for (u8 b : m_strokes.front().bytes) m_machine.keyboard().key_scancode(b);
    m_strokes.pop_front();
  }
  if (m_timeout_at && now >= m_timeout_at) m_machine.stop(static_cast<int>(ExitCode::kTimeout));
}

}  // namespace tern
