#include "devices/pit_counter.h"

#include <algorithm>

#include "base/state.h"

namespace tern {

namespace {

u32 from_bcd(u16 v) { return (v >> 12 & 15) * 1000u + (v >> 8 & 15) * 100u + (v >> 4 & 15) * 10u + (v & 15); }

u16 to_bcd(u32 v) {
  return static_cast<u16>((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | (v % 10));
}

}  // namespace

void PitCounter::reset() { *this = PitCounter(); }

u32 PitCounter::count_register_ticks() const {
  const u32 n = m_bcd ? from_bcd(m_cr) : m_cr;
  return n == 0 ? modulus() : n;
}

void PitCounter::start(u64 tick) {
  m_start = tick;
  m_n = count_register_ticks();
  m_phase = Phase::kCounting;
  m_null_count = false;
  m_pending = false;
}

void PitCounter::apply_pending(u64 tick) {
  if (!m_pending || tick < m_pending_at) return;
  // Modes 2 and 3 take a new count at the end of the current period.
  m_start = m_pending_at;
  m_n = count_register_ticks();
  m_pending = false;
  m_null_count = false;
}

void PitCounter::write_control(u8 control, u64 tick) {
  apply_pending(tick);
  m_mode = (control >> 1) & 7;
  if (m_mode > 5) m_mode &= 3;  // 6 and 7 are aliases of modes 2 and 3
  m_rw = (control >> 4) & 3;
  m_bcd = control & 1;
  m_control_written = true;
  m_write_msb_next = m_read_msb_next = false;
  m_phase = Phase::kIdle;
  m_pending = false;
  m_null_count = true;
}

void PitCounter::load_count_register(u64 tick) {
  m_null_count = true;
  switch (m_mode) {
    case 0:
    case 4:
      // Software-triggered: the count loads on the next clock and counting starts (the gate
      // only pauses it).
      start(tick);
      if (!m_gate) {
        m_phase = Phase::kPaused;
        m_frozen = 0;
      }
      break;
    case 1:
    case 5:
      // Hardware-triggered: the count waits for a gate rising edge.
      if (m_phase == Phase::kIdle) m_phase = Phase::kWaitTrigger;
      break;
    default:
      if (m_phase == Phase::kCounting) {
        const u64 elapsed = tick - m_start;
        m_pending_at = m_start + (elapsed / m_n + 1) * m_n;
        m_pending = true;
      } else if (m_gate) {
        start(tick);
      } else {
        m_phase = Phase::kGateLow;
      }
      break;
  }
}

void PitCounter::write(u8 value, u64 tick) {
  apply_pending(tick);
  switch (m_rw) {
    case 1:
      m_cr = value;
      break;
    case 2:
      m_cr = static_cast<u16>(value << 8);
      break;
    default:
      if (!m_write_msb_next) {
        m_cr = static_cast<u16>((m_cr & 0xFF00) | value);
        m_write_msb_next = true;
        // Mode 0: writing the first byte stops counting and sets OUT low.
        if (m_mode == 0 && m_phase != Phase::kIdle) {
          m_idle_value = count(tick);
          m_phase = Phase::kIdle;
        }
        return;
      }
      m_cr = static_cast<u16>((m_cr & 0x00FF) | value << 8);
      m_write_msb_next = false;
      break;
  }
  load_count_register(tick);
}

u8 PitCounter::read(u64 tick) {
  if (m_latched_status_valid) {
    m_latched_status_valid = false;
    return m_latched_status;
  }
  u16 v;
  bool msb;
  if (m_latched_bytes) {
    v = m_latched_count;
    msb = m_rw == 2 || (m_rw == 3 && m_latched_bytes == 1);
    --m_latched_bytes;
  } else {
    v = count(tick);
    msb = m_rw == 2 || (m_rw == 3 && m_read_msb_next);
    if (m_rw == 3) m_read_msb_next = !m_read_msb_next;
  }
  return static_cast<u8>(msb ? v >> 8 : v);
}

void PitCounter::latch_count(u64 tick) {
  // A second latch before the first is read is ignored (8254 "Counter Latch Command").
  if (m_latched_bytes) return;
  m_latched_count = count(tick);
  m_latched_bytes = m_rw == 3 ? 2 : 1;
}

void PitCounter::latch_status(u64 tick) {
  if (m_latched_status_valid) return;
  m_latched_status = static_cast<u8>((out(tick) ? 0x80 : 0) | (m_null_count ? 0x40 : 0) | m_rw << 4 | m_mode << 1 |
                                     (m_bcd ? 1 : 0));
  m_latched_status_valid = true;
}

void PitCounter::set_gate(bool level, u64 tick) {
  apply_pending(tick);
  const bool rising = level && !m_gate;
  const bool falling = !level && m_gate;
  m_gate = level;
  switch (m_mode) {
    case 0:
    case 4:
      if (falling && m_phase == Phase::kCounting) {
        m_frozen = tick - m_start;
        m_phase = Phase::kPaused;
      } else if (rising && m_phase == Phase::kPaused) {
        m_start = tick - m_frozen;
        m_phase = Phase::kCounting;
      }
      break;
    case 1:
    case 5:
      if (rising && m_phase != Phase::kIdle) start(tick);
      break;
    default:
      if (falling && m_phase == Phase::kCounting) {
        m_idle_value = static_cast<u16>(value_at(tick - m_start));
        m_phase = Phase::kGateLow;
      } else if (rising && m_phase == Phase::kGateLow) {
        start(tick);
      }
      break;
  }
}

u32 PitCounter::value_at(u64 elapsed) const {
  const u64 n = m_n;
  u64 v;
  switch (m_mode) {
    case 2:
      v = n - elapsed % n;
      break;
    case 3: {
      // Counts down by two through each half period.
      const u64 high = (n + 1) / 2;
      const u64 phase = elapsed % n;
      const u64 k = phase < high ? phase : phase - high;
      v = std::max<u64>(2, (n - 2 * k) & ~u64{1});
      break;
    }
    default:
      v = (n + modulus() - elapsed % modulus()) % modulus();
      break;
  }
  return static_cast<u32>(v % modulus());
}

bool PitCounter::out_at(u64 elapsed) const {
  const u64 n = m_n;
  switch (m_mode) {
    case 0:
    case 1: return elapsed >= n;
    case 2: return elapsed % n != n - 1;
    case 3: return elapsed % n < (n + 1) / 2;
    default: return elapsed != n;
  }
}

u64 PitCounter::next_change_after(u64 elapsed) const {
  const u64 n = m_n;
  switch (m_mode) {
    case 0:
    case 1: return elapsed < n ? n : kNever;
    case 2: {
      if (n == 1) return kNever;
      const u64 phase = elapsed % n;
      const u64 base = elapsed - phase;
      return phase < n - 1 ? base + n - 1 : base + n;
    }
    case 3: {
      if (n == 1) return kNever;
      const u64 phase = elapsed % n;
      const u64 base = elapsed - phase;
      return phase < (n + 1) / 2 ? base + (n + 1) / 2 : base + n;
    }
    default:
      if (elapsed < n) return n;
      if (elapsed == n) return n + 1;
      return kNever;
  }
}

bool PitCounter::out(u64 tick) {
  apply_pending(tick);
  switch (m_phase) {
    case Phase::kCounting: return out_at(tick - m_start);
    case Phase::kPaused: return out_at(m_frozen);
    case Phase::kIdle: return m_mode != 0 && m_control_written;
    case Phase::kWaitTrigger:
    case Phase::kGateLow: return true;
  }
  return false;
}

u16 PitCounter::count(u64 tick) {
  apply_pending(tick);
  u32 v;
  switch (m_phase) {
    case Phase::kCounting: v = value_at(tick - m_start); break;
    case Phase::kPaused: v = value_at(m_frozen); break;
    default: v = m_idle_value; break;
  }
  return m_bcd ? to_bcd(v) : static_cast<u16>(v);
}

u64 PitCounter::next_out_change(u64 tick) {
  apply_pending(tick);
  if (m_phase != Phase::kCounting) return kNever;
  const u64 rel = next_change_after(tick - m_start);
  if (rel == kNever) return m_pending ? m_pending_at : kNever;
  const u64 at = m_start + rel;
  return m_pending ? std::min(at, m_pending_at) : at;
}

void PitCounter::serialize(StateIo& io) {
  io(m_mode, m_rw, m_bcd, m_control_written, m_cr, m_n, m_null_count, m_write_msb_next, m_read_msb_next);
  io(m_phase, m_start, m_frozen, m_pending, m_pending_at, m_idle_value, m_gate);
  io(m_latched_count, m_latched_bytes, m_latched_status_valid, m_latched_status);
  const bool uses_n = m_phase == Phase::kCounting || m_phase == Phase::kPaused;
  if (io.loading() && (m_mode > 5 || m_rw > 3 || m_n > 65536 || static_cast<u8>(m_phase) > 4 || (uses_n && m_n == 0)))
    throw_state_error("pit: bad counter state");
}

}  // namespace tern
