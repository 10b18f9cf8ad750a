#include "devices/pit.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u64 kNsPerSecond = 1'000'000'000;
// Port 0x61 bit 4 toggles with each DRAM refresh request (counter 1 at 15.085 us on a PC).
constexpr u64 kRefreshPeriodNs = 15085;

}  // namespace

Pit::Pit(IoSpace& io, Clock& clock, IrqLine irq0)
    : m_clock(clock), m_irq0(irq0), m_timer(clock, [this] { update_irq0(); }) {
  IoOps ports;
  ports.widths = 1;
  ports.read = [this](u32 offset, unsigned) -> u64 {
    if (offset == 3) return 0xFF;  // the control word register is write-only
    return m_counters[offset].read(now_tick());
  };
  ports.write = [this](u32 offset, u64 value, unsigned) {
    if (offset == 3) {
      write_control(static_cast<u8>(value));
    } else {
      m_counters[offset].write(static_cast<u8>(value), now_tick());
      log(LogCat::kPit, LogLevel::kTrace, "counter {} <- {:#04x}", offset, value);
    }
    update_irq0();
  };
  io.map(0x40, 4, ports);
  IoOps port61;
  port61.widths = 1;
  port61.read = [this](u32, unsigned) -> u64 { return read_port61(); };
  port61.write = [this](u32, u64 value, unsigned) { write_port61(static_cast<u8>(value)); };
  io.map(0x61, 1, port61);
  reset();
}

u64 Pit::tick_at(u64 ns) {
  return static_cast<u64>(static_cast<unsigned __int128>(ns) * kInputHz / kNsPerSecond);
}

u64 Pit::tick_time(u64 tick) {
  const unsigned __int128 scaled = static_cast<unsigned __int128>(tick) * kNsPerSecond;
  return static_cast<u64>((scaled + kInputHz - 1) / kInputHz);
}

void Pit::write_control(u8 value) {
  const u64 tick = now_tick();
  const unsigned select = value >> 6;
  if (select == 3) {
    // Read-back command: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3
    // select counters 0-2.
    for (unsigned i = 0; i < 3; ++i) {
      if (!(value & (2u << i))) continue;
      if (!(value & 0x10)) m_counters[i].latch_status(tick);
      if (!(value & 0x20)) m_counters[i].latch_count(tick);
    }
    return;
  }
  if ((value & 0x30) == 0) {
    m_counters[select].latch_count(tick);
    return;
  }
  m_counters[select].write_control(value & 0x3F, tick);
  log(LogCat::kPit, LogLevel::kDebug, "counter {} mode {} rw {} {}", select, m_counters[select].mode(),
      (value >> 4) & 3, (value & 1) ? "BCD" : "binary");
}

u8 Pit::read_port61() {
  const u64 now = m_clock.now();
  const bool refresh = (now / kRefreshPeriodNs) & 1;
  const bool out2 = m_counters[2].out(tick_at(now));
  return static_cast<u8>((m_port61 & 0x0F) | (refresh ? 0x10 : 0) | (out2 ? 0x20 : 0));
}

void Pit::write_port61(u8 value) {
  m_port61 = value & 0x0F;
  m_counters[2].set_gate(value & 1, now_tick());
}

void Pit::update_irq0() {
  const u64 tick = now_tick();
  const bool level = m_counters[0].out(tick);
  if (level != m_irq0_level) {
    m_irq0_level = level;
    m_irq0.set(level);
  }
  const u64 next = m_counters[0].next_out_change(tick);
  if (next == PitCounter::kNever)
    m_timer.cancel();
  else
    m_timer.arm_at(tick_time(next));
}

void Pit::reset() {
  for (PitCounter& c : m_counters) c.reset();
  m_port61 = 0;
  m_counters[2].set_gate(false, now_tick());
  update_irq0();
}

void Pit::serialize(StateIo& io) {
  for (PitCounter& c : m_counters) c.serialize(io);
  io(m_irq0_level, m_port61, m_timer);
}

}  // namespace tern
