// The processor's local APIC (xAPIC, memory-mapped at 0xFEE00000 while IA32_APIC_BASE enables
// it): ID, version, TPR/PPR, EOI, logical destination, spurious vector, ISR/TMR/IRR, error
// status, the ICR (IPIs to itself; the board has one processor), the local vector table and the
// timer (one-shot and periodic, with the divide configuration) on the virtual clock.
//
// It is the CPU's interrupt controller: it drives the CPU's INTR and answers the INTA cycle with
// its highest-priority vector, or passes the cycle to the 8259 pair when LINT0 delivers ExtINT
// (virtual wire mode). I/O APIC messages arrive through accept().
//
// Intel SDM Vol. 3 ch. 10 (APIC): register map Table 10-1, LVT Figure 10-8, timer §10.5.4,
// priorities §10.8.3, EOI §10.8.5, ICR §10.6.1, software enable §10.4.7.
#pragma once

#include <array>
#include <functional>

#include "base/clock.h"
#include "base/irq.h"
#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

namespace tern {

class StateIo;

class LocalApic : public IrqSink, public InterruptAcknowledge {
 public:
  static constexpr u64 kDefaultBase = 0xFEE00000;
  // LINT inputs for IrqLine: LINT0 carries the 8259's INT, LINT1 the NMI line.
  static constexpr unsigned kLint0 = 0;
  static constexpr unsigned kLint1 = 1;
  // The APIC timer's input clock (the bus clock): 1 GHz, one count per ns before division.
  static constexpr u64 kBusHz = 1'000'000'000;

  // Drives `cpu`'s INTR and NMI. Maps its registers.
  LocalApic(Cpu& cpu, PhysMemory& mem, Clock& clock);
  // The 8259 pair, which answers INTA cycles for ExtINT (LINT0 in virtual wire mode).
  void set_pic(InterruptAcknowledge* pic) { m_pic = pic; }

  // LINT0/LINT1 levels.
  void set_irq(unsigned line, bool level) override;
  // The INTA cycle.
  u8 acknowledge() override;

  // An interrupt message from the I/O APIC (or an IPI): does it address this APIC?
  bool matches(u8 destination, bool logical) const;
  // A fixed or lowest-priority interrupt with `vector`; `level` sets its TMR bit.
  void accept(u8 vector, bool level);
  void accept_nmi();
  // Called with the vector of each EOI of a level-triggered interrupt (to the I/O APIC).
  void set_eoi_listener(std::function<void(u8 vector)> listener) { m_eoi_listener = std::move(listener); }

  u32 read_register(u32 offset);
  void write_register(u32 offset, u32 value);

  void reset();
  void serialize(StateIo& io);

 private:
  enum Lvt : unsigned { kLvtTimer, kLvtThermal, kLvtPerf, kLvtLint0, kLvtLint1, kLvtError, kLvtCount };

  bool hardware_enabled() const;
  bool software_enabled() const { return m_svr & 0x100; }
  int highest(const std::array<u32, 8>& bits) const;
  u8 processor_priority() const;
  int deliverable_vector() const;
  bool extint_active() const;
  void update_intr();
  void end_of_interrupt();
  void write_icr(u32 low);
  void deliver_lint(unsigned lvt, bool level, bool was);
  void set_error(u32 bits);

  // Timer.
  u32 timer_divisor() const;
  u32 timer_current_count() const;
  void start_timer(u64 start);
  void on_timer();

  Cpu& m_cpu;
  Clock& m_clock;
  InterruptAcknowledge* m_pic = nullptr;
  std::function<void(u8)> m_eoi_listener;

  u8 m_id = 0;
  u32 m_tpr = 0;
  u32 m_ldr = 0;
  u32 m_dfr = 0xFFFFFFFF;
  u32 m_svr = 0xFF;
  std::array<u32, 8> m_isr{}, m_tmr{}, m_irr{};
  u32 m_esr = 0;          // readable error status (latched by an ESR write)
  u32 m_esr_pending = 0;  // errors since the last latch
  u32 m_icr_low = 0, m_icr_high = 0;
  std::array<u32, kLvtCount> m_lvt{};
  u32 m_timer_initial = 0;
  u32 m_timer_dcr = 0;
  u64 m_timer_start = 0;
  bool m_timer_running = false;
  bool m_lint[2] = {false, false};
  bool m_intr_level = false;
  Timer m_timer;
};

}  // namespace tern
