#include "devices/apic.h"

#include <bit>

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u32 kVersion = 0x00050014;  // integrated APIC (0x14), six LVT entries (max index 5)
constexpr u32 kLvtMasked = 1u << 16;
constexpr u32 kLvtLevel = 1u << 15;
constexpr u32 kTimerPeriodic = 1u << 17;
constexpr u32 kApicGlobalEnable = 1u << 11;  // IA32_APIC_BASE bit 11

// Writable bits per LVT entry (SDM Figure 10-8); delivery status and remote IRR are read-only.
constexpr u32 kLvtWritable[6] = {0x000300FF, 0x000107FF, 0x000107FF, 0x0001A7FF, 0x0001A7FF, 0x000100FF};

enum : u32 {
  kRegId = 0x020, kRegVersion = 0x030, kRegTpr = 0x080, kRegApr = 0x090, kRegPpr = 0x0A0, kRegEoi = 0x0B0,
  kRegLdr = 0x0D0, kRegDfr = 0x0E0, kRegSvr = 0x0F0, kRegIsr = 0x100, kRegTmr = 0x180, kRegIrr = 0x200,
  kRegEsr = 0x280, kRegIcrLow = 0x300, kRegIcrHigh = 0x310, kRegLvt = 0x320, kRegTimerInitial = 0x380,
  kRegTimerCurrent = 0x390, kRegTimerDivide = 0x3E0,
};

// Delivery modes (LVT and ICR bits 10:8).
enum : u32 { kModeFixed = 0, kModeLowest = 1, kModeNmi = 4, kModeInit = 5, kModeStartup = 6, kModeExtInt = 7 };

constexpr u32 kErrorReceiveIllegalVector = 1u << 6;

bool test(const std::array<u32, 8>& bits, unsigned v) { return bits[v >> 5] >> (v & 31) & 1; }
void set_bit(std::array<u32, 8>& bits, unsigned v, bool on) {
  if (on)
    bits[v >> 5] |= 1u << (v & 31);
  else
    bits[v >> 5] &= ~(1u << (v & 31));
}

}  // namespace

LocalApic::LocalApic(Cpu& cpu, PhysMemory& mem, Clock& clock)
    : m_cpu(cpu), m_clock(clock), m_timer(clock, [this] { on_timer(); }) {
  IoOps ops;
  ops.widths = 4;
  ops.read = [this](u32 offset, unsigned size) -> u64 {
    // A disabled or relocated APIC does not decode its old page.
    if (!hardware_enabled()) return ~u64{0} >> (64 - 8 * size);
    m_cpu.sync_clock();
    return read_register(offset & ~3u) >> (8 * (offset & 3)) & (~u64{0} >> (64 - 8 * size));
  };
  ops.write = [this](u32 offset, u64 value, unsigned size) {
    if (!hardware_enabled() || size != 4) return;  // the registers take 32-bit writes only
    m_cpu.sync_clock();
    write_register(offset, static_cast<u32>(value));
    m_cpu.after_device_access();
  };
  mem.add_mmio("local-apic", kDefaultBase, 0x1000, ops);
  reset();
}

bool LocalApic::hardware_enabled() const {
  // Relocation is not modelled: an APIC moved away from its default page is treated as
  // disabled (no OS tern runs moves it).
  const u64 base = m_cpu.msr.apic_base;
  return (base & kApicGlobalEnable) && (base & ~u64{0xFFF}) == kDefaultBase;
}

void LocalApic::reset() {
  m_id = 0;
  m_tpr = m_ldr = 0;
  m_dfr = 0xFFFFFFFF;
  m_svr = 0xFF;
  m_isr.fill(0);
  m_tmr.fill(0);
  m_irr.fill(0);
  m_esr = m_esr_pending = 0;
  m_icr_low = m_icr_high = 0;
  m_lvt.fill(kLvtMasked);
  // Virtual wire mode on the bootstrap processor: LINT0 delivers the 8259's interrupts (ExtINT,
  // unmasked) from reset, as on QEMU's PC, so firmware written for the 8259 alone works.
  m_lvt[kLvtLint0] = kModeExtInt << 8;
  m_timer_initial = m_timer_dcr = 0;
  m_timer_running = false;
  m_timer.cancel();
  update_intr();
}

int LocalApic::highest(const std::array<u32, 8>& bits) const {
  for (int word = 7; word >= 0; --word)
    if (bits[static_cast<size_t>(word)]) return word * 32 + 31 - std::countl_zero(bits[static_cast<size_t>(word)]);
  return -1;
}

u8 LocalApic::processor_priority() const {
  const int isrv = highest(m_isr);
  const u32 isr_class = isrv < 0 ? 0 : static_cast<u32>(isrv) & 0xF0;
  return static_cast<u8>((m_tpr & 0xF0) >= isr_class ? m_tpr & 0xFF : isr_class);
}

int LocalApic::deliverable_vector() const {
  const int v = highest(m_irr);
  if (v < 0 || (static_cast<u32>(v) & 0xF0) <= (processor_priority() & 0xF0u)) return -1;
  return v;
}

bool LocalApic::extint_active() const {
  const u32 lvt = m_lvt[kLvtLint0];
  return m_lint[0] && !(lvt & kLvtMasked) && ((lvt >> 8) & 7) == kModeExtInt;
}

void LocalApic::update_intr() {
  // With the APIC globally disabled, LINT0 is the processor's INTR pin.
  const bool level = hardware_enabled() ? deliverable_vector() >= 0 || extint_active() : m_lint[0];
  if (level == m_intr_level) return;
  m_intr_level = level;
  m_cpu.set_irq(Cpu::kIntrLine, level);
}

u8 LocalApic::acknowledge() {
  if (!hardware_enabled()) {
    const u8 v = m_pic ? m_pic->acknowledge() : static_cast<u8>(m_svr);
    update_intr();
    return v;
  }
  const int v = deliverable_vector();
  if (v >= 0) {
    set_bit(m_irr, static_cast<unsigned>(v), false);
    set_bit(m_isr, static_cast<unsigned>(v), true);
    update_intr();
    return static_cast<u8>(v);
  }
  if (extint_active() && m_pic) {
    const u8 pic_vector = m_pic->acknowledge();
    update_intr();
    return pic_vector;
  }
  return static_cast<u8>(m_svr & 0xFF);  // spurious: nothing left to deliver
}

bool LocalApic::matches(u8 destination, bool logical) const {
  if (!logical) return destination == 0xFF || destination == m_id;
  if (destination == 0xFF) return true;
  const u8 ldr = static_cast<u8>(m_ldr >> 24);
  if ((m_dfr >> 28) == 0xF) return (destination & ldr) != 0;  // flat model
  // Cluster model: cluster in the high nibble (15 = all), member bits in the low nibble.
  const bool cluster = (destination >> 4) == 0xF || (destination >> 4) == (ldr >> 4);
  return cluster && (destination & ldr & 0x0F) != 0;
}

void LocalApic::accept(u8 vector, bool level) {
  if (vector < 16) {
    set_error(kErrorReceiveIllegalVector);
    return;
  }
  set_bit(m_irr, vector, true);
  set_bit(m_tmr, vector, level);
  update_intr();
}

void LocalApic::accept_nmi() { m_cpu.set_irq(Cpu::kNmiLine, true); }

void LocalApic::set_error(u32 bits) {
  m_esr_pending |= bits;
  const u32 lvt = m_lvt[kLvtError];
  if (!(lvt & kLvtMasked) && (lvt & 0xFF) >= 16) accept(static_cast<u8>(lvt), false);
}

void LocalApic::end_of_interrupt() {
  const int v = highest(m_isr);
  if (v < 0) return;
  set_bit(m_isr, static_cast<unsigned>(v), false);
  if (test(m_tmr, static_cast<unsigned>(v)) && m_eoi_listener) m_eoi_listener(static_cast<u8>(v));
  update_intr();
}

void LocalApic::set_irq(unsigned line, bool level) {
  if (line > kLint1) return;
  const bool was = m_lint[line];
  m_lint[line] = level;
  deliver_lint(line == kLint0 ? kLvtLint0 : kLvtLint1, level, was);
  update_intr();
}

void LocalApic::deliver_lint(unsigned lvt, bool level, bool was) {
  const u32 entry = m_lvt[lvt];
  if ((entry & kLvtMasked) || !hardware_enabled() || !level || was) return;
  switch ((entry >> 8) & 7) {
    case kModeFixed: accept(static_cast<u8>(entry), entry & kLvtLevel); break;
    case kModeNmi: accept_nmi(); break;
    default: break;  // ExtINT follows the level in update_intr()
  }
}

void LocalApic::write_icr(u32 low) {
  m_icr_low = low & 0x000CCFFF;  // delivery status (bit 12) reads 0: delivered at once
  const u8 vector = static_cast<u8>(low);
  const u32 mode = (low >> 8) & 7;
  const u32 shorthand = (low >> 18) & 3;
  const bool to_self = shorthand == 1 || shorthand == 2 ||
                       (shorthand == 0 && matches(static_cast<u8>(m_icr_high >> 24), low & (1u << 11)));
  log(LogCat::kApic, LogLevel::kDebug, "IPI mode {} vector {:#04x} shorthand {}{}", mode, vector, shorthand,
      to_self ? "" : " (no other processor)");
  if (!to_self) return;
  switch (mode) {
    case kModeFixed:
    case kModeLowest: accept(vector, false); break;
    case kModeNmi: accept_nmi(); break;
    case kModeInit:
    case kModeStartup: log(LogCat::kApic, LogLevel::kWarn, "INIT/SIPI to itself ignored"); break;
    default: break;
  }
}

u32 LocalApic::read_register(u32 offset) {
  if (offset >= kRegIsr && offset < kRegIsr + 0x80) return m_isr[(offset - kRegIsr) >> 4];
  if (offset >= kRegTmr && offset < kRegTmr + 0x80) return m_tmr[(offset - kRegTmr) >> 4];
  if (offset >= kRegIrr && offset < kRegIrr + 0x80) return m_irr[(offset - kRegIrr) >> 4];
  if (offset >= kRegLvt && offset < kRegLvt + 0x60) return m_lvt[(offset - kRegLvt) >> 4];
  switch (offset) {
    case kRegId: return u32{m_id} << 24;
    case kRegVersion: return kVersion;
    case kRegTpr: return m_tpr;
    case kRegApr: return processor_priority();
    case kRegPpr: return processor_priority();
    case kRegLdr: return m_ldr;
    case kRegDfr: return m_dfr;
    case kRegSvr: return m_svr;
    case kRegEsr: return m_esr;
    case kRegIcrLow: return m_icr_low;
    case kRegIcrHigh: return m_icr_high;
    case kRegTimerInitial: return m_timer_initial;
    case kRegTimerCurrent: return timer_current_count();
    case kRegTimerDivide: return m_timer_dcr;
    default: return 0;
  }
}

void LocalApic::write_register(u32 offset, u32 value) {
  if (offset >= kRegLvt && offset < kRegLvt + 0x60) {
    const unsigned i = (offset - kRegLvt) >> 4;
    const u32 keep = m_lvt[i] & ~kLvtWritable[i];
    // A software-disabled APIC keeps every LVT entry masked (SDM §10.4.7.2).
    m_lvt[i] = keep | (value & kLvtWritable[i]) | (software_enabled() ? 0 : kLvtMasked);
    update_intr();
    return;
  }
  switch (offset) {
    case kRegId: m_id = static_cast<u8>(value >> 24); break;
    case kRegTpr: m_tpr = value & 0xFF; update_intr(); break;
    case kRegEoi: end_of_interrupt(); break;
    case kRegLdr: m_ldr = value & 0xFF000000; break;
    case kRegDfr: m_dfr = value | 0x0FFFFFFF; break;
    case kRegSvr:
      m_svr = value & 0x3FF;
      if (!software_enabled())
        for (u32& lvt : m_lvt) lvt |= kLvtMasked;
      update_intr();
      break;
    case kRegEsr:
      // A write latches the errors seen since the last one (SDM §10.5.3).
      m_esr = m_esr_pending;
      m_esr_pending = 0;
      break;
    case kRegIcrLow: write_icr(value); break;
    case kRegIcrHigh: m_icr_high = value & 0xFF000000; break;
    case kRegTimerInitial:
      m_timer_initial = value;
      if (value == 0) {
        m_timer_running = false;
        m_timer.cancel();
      } else {
        start_timer(m_clock.now());
      }
      break;
    case kRegTimerDivide: {
      const u32 current = timer_current_count();
      m_timer_dcr = value & 0x0B;
      // Keep the count where it is; it goes on at the new rate.
      if (m_timer_running) start_timer(m_clock.now() - u64{m_timer_initial - current} * timer_divisor());
      break;
    }
    default: break;
  }
}

u32 LocalApic::timer_divisor() const {
  const u32 code = (m_timer_dcr & 3) | ((m_timer_dcr >> 1) & 4);
  return code == 7 ? 1 : 2u << code;
}

u32 LocalApic::timer_current_count() const {
  if (!m_timer_running) return 0;
  const u64 elapsed = (m_clock.now() - m_timer_start) / timer_divisor();
  if (m_lvt[kLvtTimer] & kTimerPeriodic) return static_cast<u32>(m_timer_initial - elapsed % m_timer_initial);
  return elapsed >= m_timer_initial ? 0 : static_cast<u32>(m_timer_initial - elapsed);
}

void LocalApic::start_timer(u64 start) {
  m_timer_start = start;
  m_timer_running = true;
  m_timer.arm_at(start + u64{m_timer_initial} * timer_divisor());
}

void LocalApic::on_timer() {
  if (!m_timer_running) return;
  const u32 lvt = m_lvt[kLvtTimer];
  if (!(lvt & kLvtMasked)) accept(static_cast<u8>(lvt), false);
  if (lvt & kTimerPeriodic)
    start_timer(m_timer_start + u64{m_timer_initial} * timer_divisor());
  else
    m_timer_running = false;
}

void LocalApic::serialize(StateIo& io) {
  io(m_id, m_tpr, m_ldr, m_dfr, m_svr, m_isr, m_tmr, m_irr, m_esr, m_esr_pending, m_icr_low, m_icr_high);
  io(m_lvt, m_timer_initial, m_timer_dcr, m_timer_start, m_timer_running, m_lint, m_intr_level, m_timer);
  if (io.loading() && m_timer_running && m_timer_initial == 0) throw_state_error("apic: running timer with no count");
}

}  // namespace tern
