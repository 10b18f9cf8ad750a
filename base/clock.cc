#include "base/clock.h"

#include <algorithm>

#include "base/state.h"

namespace tern {

namespace {
constexpr u64 kNsPerSecond = 1'000'000'000;
}

Clock::Clock(u64 instructions_per_second) : m_ips(instructions_per_second ? instructions_per_second : 1) {}

void Clock::advance_instructions(u64 count) {
  // ns = count * 1e9 / ips, carrying the remainder so that no time is lost or invented.
  const unsigned __int128 total = static_cast<unsigned __int128>(count) * kNsPerSecond + m_fraction;
  m_now += static_cast<u64>(total / m_ips);
  m_fraction = static_cast<u64>(total % m_ips);
}

void Clock::advance_to(u64 when) {
  if (when > m_now) {
    m_now = when;
    m_fraction = 0;
  }
}

u64 Clock::instructions_until(u64 when) const {
  if (when <= m_now) return 0;
  if (when == kNever) return std::numeric_limits<u64>::max();
  const unsigned __int128 need = static_cast<unsigned __int128>(when - m_now) * m_ips;
  const unsigned __int128 have = m_fraction;
  const unsigned __int128 insns = (need - std::min(need, have) + kNsPerSecond - 1) / kNsPerSecond;
  return std::max<u64>(1, static_cast<u64>(std::min<unsigned __int128>(insns, ~u64{0})));
}

void Clock::run_due() {
  while (m_next <= m_now) {
    Timer* first = nullptr;
    for (Timer* t : m_timers)
      if (t->m_deadline <= m_now && (!first || t->m_deadline < first->m_deadline ||
                                     (t->m_deadline == first->m_deadline && t->m_id < first->m_id)))
        first = t;
    if (!first) break;
    first->m_deadline = kNever;
    recompute_next();
    first->m_callback();
  }
}

unsigned Clock::add(Timer* t) {
  m_timers.push_back(t);
  return m_next_id++;
}

void Clock::remove(Timer* t) {
  m_timers.erase(std::remove(m_timers.begin(), m_timers.end(), t), m_timers.end());
  recompute_next();
}

void Clock::recompute_next() {
  m_next = kNever;
  for (const Timer* t : m_timers) m_next = std::min(m_next, t->m_deadline);
}

void Clock::serialize(StateIo& io) {
  io(m_now);
  io(m_fraction);
  io(m_ips);
  if (m_ips == 0) throw_state_error("clock rate is zero");
}

Timer::Timer(Clock& clock, std::function<void()> callback)
    : m_clock(clock), m_callback(std::move(callback)), m_id(clock.add(this)) {}

Timer::~Timer() { m_clock.remove(this); }

void Timer::arm_at(u64 when) {
  m_deadline = when;
  if (when < m_clock.m_next)
    m_clock.m_next = when;
  else
    m_clock.recompute_next();
}

void Timer::serialize(StateIo& io) {
  u64 deadline = m_deadline;
  io(deadline);
  if (io.loading()) arm_at(deadline);
}

}  // namespace tern
