// The virtual clock and its timers. Every device schedules work on this one clock; none reads
// host time. Virtual time is in nanoseconds and advances with retired guest instructions at a
// configured rate (or is set from the host clock by the run loop in host-clock mode).
//
// Timers fire in order of deadline; timers with the same deadline fire in the order they were
// created (their id), so runs are deterministic and the order survives a save and restore.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

class StateIo;
class Timer;

class Clock {
 public:
  static constexpr u64 kNever = std::numeric_limits<u64>::max();

  explicit Clock(u64 instructions_per_second = 100'000'000);
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  u64 now() const { return m_now; }
  u64 instructions_per_second() const { return m_ips; }

  // Advances time by `count` retired instructions.
  void advance_instructions(u64 count);
  // Advances time to `when` (never backwards).
  void advance_to(u64 when);
  // Instructions that fit before virtual time reaches `when` (at least 1 when when > now).
  u64 instructions_until(u64 when) const;

  // Earliest armed deadline, or kNever.
  u64 next_deadline() const { return m_next; }
  // Fires every timer whose deadline is <= now, in (deadline, id) order; callbacks may re-arm.
  void run_due();

  void serialize(StateIo& io);

 private:
  friend class Timer;
  unsigned add(Timer* t);
  void remove(Timer* t);
  void recompute_next();

  u64 m_now = 0;
  u64 m_ips;
  u64 m_fraction = 0;  // remainder of instructions * 1e9 not yet turned into whole ns
  u64 m_next = kNever;
  std::vector<Timer*> m_timers;
  unsigned m_next_id = 0;
};

// A one-shot timer owned by a device. Periodic behaviour is the callback re-arming it.
class Timer {
 public:
  Timer(Clock& clock, std::function<void()> callback);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void arm_at(u64 when);
  void arm_in(u64 delta_ns) { arm_at(m_clock.now() + delta_ns); }
  void cancel() { arm_at(Clock::kNever); }
  bool armed() const { return m_deadline != Clock::kNever; }
  u64 deadline() const { return m_deadline; }
  unsigned id() const { return m_id; }

  // Saves or restores the deadline (the callback is fixed by construction).
  void serialize(StateIo& io);

 private:
  friend class Clock;
  Clock& m_clock;
  std::function<void()> m_callback;
  u64 m_deadline = Clock::kNever;
  unsigned m_id;
};

}  // namespace tern
