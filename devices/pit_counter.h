// One counter of the 8254 programmable interval timer: the six counting modes, gate behaviour,
// counter and status latches, binary and BCD counting, and LSB/MSB access sequences.
//
// The counter is not stepped clock by clock: it keeps the input-clock tick at which its counting
// element was loaded, and computes the count and OUT for any later tick from the elapsed ticks.
// Callers pass the current tick to every operation (ticks never go backwards).
//
// Intel 8254 datasheet (order 231164): mode definitions, "Read-Back Command", "Counter Latch".
#pragma once

#include "base/types.h"

namespace tern {

class StateIo;

class PitCounter {
 public:
  static constexpr u64 kNever = ~u64{0};

  // Power-on: no control word written, OUT low, not counting.
  void reset();

  // A control word for this counter (bits 5..0: RW, mode, BCD; RW = 0 is a latch command and
  // does not come here).
  void write_control(u8 control, u64 tick);
  void latch_count(u64 tick);
  void latch_status(u64 tick);
  void write(u8 value, u64 tick);
  u8 read(u64 tick);

  void set_gate(bool level, u64 tick);
  bool gate() const { return m_gate; }

  bool out(u64 tick);
  // The count in the counting element now (binary, or BCD digits in BCD mode).
  u16 count(u64 tick);
  // The first tick after `tick` at which OUT changes, or kNever.
  u64 next_out_change(u64 tick);

  u8 mode() const { return m_mode; }

  void serialize(StateIo& io);

 private:
  enum class Phase : u8 {
    kIdle,         // no count written since the control word
    kWaitTrigger,  // modes 1 and 5: count written, waiting for a gate rising edge
    kCounting,     // following the timeline from m_start
    kPaused,       // modes 0 and 4 with the gate low: frozen at m_frozen elapsed ticks
    kGateLow,      // modes 2 and 3 with the gate low: OUT high, waiting for a rising edge
  };

  u32 modulus() const { return m_bcd ? 10000 : 65536; }
  // The count register as a number of ticks (0 means the modulus).
  u32 count_register_ticks() const;
  void apply_pending(u64 tick);
  void start(u64 tick);
  void load_count_register(u64 tick);
  bool out_at(u64 elapsed) const;
  u32 value_at(u64 elapsed) const;
  u64 next_change_after(u64 elapsed) const;

  // Programming.
  u8 m_mode = 0;
  u8 m_rw = 3;  // 1 LSB, 2 MSB, 3 LSB then MSB
  bool m_bcd = false;
  bool m_control_written = false;
  // Count register as written (raw 16 bits) and the count (in ticks) the timeline uses.
  u16 m_cr = 0;
  u32 m_n = 0;
  bool m_null_count = false;
  bool m_write_msb_next = false;
  bool m_read_msb_next = false;
  // Counting element.
  Phase m_phase = Phase::kIdle;
  u64 m_start = 0;             // tick the counting element was loaded
  u64 m_frozen = 0;            // elapsed ticks at the pause (kPaused)
  bool m_pending = false;      // modes 2/3: m_cr takes over at the end of the current period
  u64 m_pending_at = 0;
  u16 m_idle_value = 0;        // what the counting element shows when not counting
  bool m_gate = true;
  // Latches.
  u16 m_latched_count = 0;
  u8 m_latched_bytes = 0;      // bytes of m_latched_count still to read
  bool m_latched_status_valid = false;
  u8 m_latched_status = 0;
};

}  // namespace tern
