// The interpreter loop: fetch, decode, execute, interrupts at instruction boundaries, and the
// fault path back from raise().
#include "cpu/cpu.h"

#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "base/state.h"
#include "cpu/decoder.h"

namespace tern {

namespace {

bool contributory(u8 v) { return v == kDE || v == kTS || v == kNP || v == kSS || v == kGP; }

}  // namespace

Cpu::Cpu(PhysMemory& mem, IoSpace& io, Clock& clock) : m_mmu(mem), m_decode_cache(mem), m_io(io), m_clock(clock) {
  reset();
}

void Cpu::reset() {
  if (m_engine) m_engine->flush();
  m_decode_cache.flush();
  std::memset(gpr, 0, sizeof gpr);
  gpr[kEdx] = 0x0652;  // processor signature: family 6, model 5, stepping 2 (Pentium II)
  eflags = fl::kFixedOne;
  lf = LazyFlags{};
  for (Segment& s : seg) s = Segment{};
  seg[kCs].selector = 0xF000;
  seg[kCs].base = 0xFFFF0000;
  eip = next_eip = 0xFFF0;
  ldtr = Segment{};
  ldtr.attr = 0x82;
  tr = Segment{};
  tr.attr = 0x8B;
  gdtr = TableReg{};
  idtr = TableReg{};
  cr0 = cr0::CD | cr0::NW | cr0::ET;
  cr2 = cr3 = cr4 = 0;
  efer = 0;
  std::memset(dr, 0, sizeof dr);
  dr[6] = 0xFFFF0FF0;
  dr[7] = 0x400;
  cpl = 0;
  halted = false;
  const u64 tsc_offset = msr.tsc_offset;
  msr = Msrs{};
  msr.tsc_offset = tsc_offset - m_retired;  // RESET clears the TSC
  fpu = X87State{};
  fpu.control = 0x0040;
  fpu.tag = 0x5555;
  m_nmi_pending = m_nmi_blocked = m_inhibit = m_inhibit_debug = false;
  m_debug_trap = 0;
  m_delivering = -1;
  update_breakpoints();
  for (Segment& s : seg) refresh_segment(s);
  update_paging();
}

void Cpu::set_irq(unsigned line, bool level) {
  // An interrupt raised by the instruction being executed (FERR#, a write to the local APIC) is
  // taken at the next boundary: the interpreter's block loop looks only at the budget. (At least
  // the current instruction still runs, so every slice makes progress.)
  const bool rising = level && (line == kIntrLine ? !m_intr : line == kNmiLine);
  if (rising) m_budget = std::min(m_budget, m_executed + 1);
  if (line == kIntrLine) {
    m_intr = level;
  } else if (line == kNmiLine && level) {
    m_nmi_pending = true;  // NMI is edge-triggered
  }
}

u64 Cpu::run(u64 max_instructions) {
  m_budget = max_instructions;
  m_executed = 0;
  m_stop = CpuStop::kBudget;
  m_stop_requested = false;
  m_delivering = -1;
  if (setjmp(m_fault_jmp) != 0) handle_fault();
  while (m_executed < m_budget) {
    // Events at the instruction boundary in priority order (Intel SDM Vol. 3 §6.9): #DB traps
    // of the previous instruction or task switch, then NMI, then INTR.
    if (m_debug_trap && !m_inhibit_debug) deliver_debug_trap();
    if (halted || m_nmi_pending || (m_intr && (eflags & fl::IF))) {
      if (!service_interrupts() && halted) {
        m_stop = CpuStop::kHalted;
        break;
      }
      if (m_executed >= m_budget) break;
    }
    // A block engine runs what it can; what it cannot, the interpreter runs one instruction at a
    // time (the engine's verifier relies on single steps).
    if (m_engine) {
      if (!m_engine->run_blocks(*this)) step();
    } else if (block_allowed()) {
      run_block();
    } else {
      step();
    }
  }
  if (m_stop_requested) m_stop = CpuStop::kRequested;
  sync_clock();
  return m_executed;
}

void Cpu::sync_clock() {
  m_clock.advance_instructions(m_retired - m_clock_synced);
  m_clock_synced = m_retired;
}

bool Cpu::service_interrupts() {
  if (m_inhibit) return false;
  if (m_nmi_pending && !m_nmi_blocked) {
    m_nmi_pending = false;
    m_nmi_blocked = true;
    halted = false;
    deliver(kNMI, false, false, 0, eip);
    return true;
  }
  if (m_intr && (eflags & fl::IF) && m_ack) {
    sync_clock();
    const u8 vector = m_ack->acknowledge();
    halted = false;
    deliver(vector, false, false, 0, eip);
    return true;
  }
  return false;
}

void Cpu::step() {
  // MOV SS / POP SS hold off instruction breakpoints on the next instruction as well.
  const bool debug_shadow = m_inhibit_debug;
  m_inhibit = m_inhibit_debug = false;
  if (m_code_breakpoints && !(eflags & fl::RF) && !debug_shadow) check_code_breakpoints();
  // RF is cleared once the instruction-breakpoint check has passed (Intel SDM Vol. 3 §17.3.1.1).
  eflags &= ~fl::RF;
  // TF at the start decides the single-step trap: POPF/IRET that set TF trap one later.
  if (eflags & fl::TF) m_debug_trap |= dr6::BS;
  const DecodedInsn& d = fetch();
  next_eip = code32() ? eip + d.len : (eip + d.len) & 0xFFFF;
  d.handler(*this, d);
  finish_instruction(d);
}

void Cpu::finish_instruction(const DecodedInsn& d) {
  // A REP string instruction that stops before its last iteration restarts itself; events taken
  // at this boundary push RF = 1 so that its instruction breakpoint does not fire again.
  if (d.rep != kRepNone && next_eip == eip) eflags |= fl::RF;
  if (m_inhibit && d.op != Op::kSti) m_inhibit_debug = true;
  eip = next_eip;
  ++m_executed;
  ++m_retired;
}

// Whether the next instructions may run as a block: no debug feature that acts on every
// instruction (single step, RF, the interrupt and debug shadows, a pending #DB trap, code or
// data breakpoints) is in effect. Events (NMI, INTR, HLT) were dealt with by the run loop.
bool Cpu::block_allowed() const {
  return !(m_inhibit || m_inhibit_debug || m_debug_trap || m_code_breakpoints || m_data_breakpoints ||
           (eflags & (fl::TF | fl::RF)));
}

// Runs instructions back to back until one ends a block (a far control transfer, port I/O, or
// any instruction that changes what the run loop watches: kEndsBlock in ops.def), a REP
// instruction stops to restart itself, the budget is used up, or an interrupt is due at a near
// branch: the run loop's checks then cost once per block, not once per instruction.
void Cpu::run_block() {
  // CS, CPL and the code page's translation cannot change inside a block: keep them at hand.
  const u32 cs_base = seg[kCs].base;
  const u64 cs_hi = seg[kCs].hi;
  // Below this EIP any instruction (at most 15 bytes) lies within the CS limit.
  const u64 eip_safe = cs_hi >= 14 ? cs_hi - 14 : 0;
  const bool as_user = user(), is32 = code32();
  const u32 ip_mask = is32 ? 0xFFFFFFFFu : 0xFFFFu;
  u32 page = 1;  // the linear code page translated in page_key (1: none yet)
  u64 page_key = 0;
  for (;;) {
    const u32 lin = cs_base + eip;
    if ((lin & 0xFFFFF000u) != page && m_mmu.lookup_exec(lin, 1, as_user)) {
      page = lin & 0xFFFFF000u;
      page_key = DecodeCache::key(m_mmu.exec_phys_page(as_user, lin), is32);
    }
    const DecodedInsn* d = nullptr;
    if ((lin & 0xFFFFF000u) == page) d = m_decode_cache.find(page_key | ((lin & 0xFFF) << 1));
    if (!d || (eip > eip_safe && u64{eip} + d->len - 1 > cs_hi)) d = &fetch_slow();
    next_eip = (eip + d->len) & ip_mask;
    d->handler(*this, *d);
    if (d->attrs & (kEndsBlock | kRestarts)) [[unlikely]] {
      // A REP restart and instructions that end a block, near branches aside, go back to the
      // run loop through finish_instruction(), which handles what they can leave behind.
      if (next_eip == eip || !(d->attrs & kNearBranch)) return finish_instruction(*d);
      // A near branch changes nothing the run loop watches, but a device may have raised an
      // interrupt meanwhile (an MMIO write): leave at branches when one is due.
      if (m_nmi_pending || (m_intr && (eflags & fl::IF))) return finish_instruction(*d);
    }
    eip = next_eip;
    ++m_executed;
    ++m_retired;
    if (m_executed >= m_budget) return;
  }
}

const DecodedInsn& Cpu::fetch() {
  const Segment& cs = seg[kCs];
  const u32 lin = cs.base + eip;
  const bool as_user = user();
  if (m_mmu.lookup_exec(lin, 1, as_user)) {
    const u64 phys = m_mmu.exec_phys_page(as_user, lin) | (lin & 0xFFF);
    const DecodedInsn* d = m_decode_cache.find(DecodeCache::key(phys, code32()));
    // The whole instruction must lie within the CS limit (which may have changed since).
    if (d && u64{eip} + d->len - 1 <= cs.hi) return *d;
  }
  return fetch_slow();
}

const DecodedInsn& Cpu::fetch_slow() {
  const Segment& cs = seg[kCs];
  if (eip > cs.hi) gp(0);
  const u32 limit_avail = static_cast<u32>(std::min<u64>(15, cs.hi - eip + 1));
  const u32 lin = cs.base + eip;
  const u32 page_avail = 0x1000 - (lin & 0xFFF);
  u32 avail = std::min(limit_avail, page_avail);

  const bool as_user = user();
  const u8* bytes = m_mmu.lookup_exec(lin, 1, as_user);
  u64 phys = 0;
  u8 buf[16];
  if (bytes) {
    phys = m_mmu.exec_phys_page(as_user, lin) | (lin & 0xFFF);
  } else {
    const Mmu::Fill f = m_mmu.fill(lin, Access::kExec, as_user);
    if (!f.ok) {
      cr2 = lin;
      raise(kPF, f.error_code);
    }
    phys = f.phys;
    if (f.host) {
      bytes = f.host;
    } else {
      // Code in MMIO or open bus: read it byte by byte.
      for (u32 i = 0; i < avail; ++i) buf[i] = static_cast<u8>(m_mmu.phys().read(f.phys + i, 1));
      bytes = buf;
    }
  }
  DecodedInsn& d = m_uncached;
  DecodeStatus status = decode(bytes, avail, code32(), d);
  // Instructions in RAM or ROM that do not leave their page are cached.
  if (status == DecodeStatus::kOk && bytes != buf) return *m_decode_cache.insert(phys, code32(), d);
  if (status == DecodeStatus::kNeedMore && avail < limit_avail) {
    // The instruction continues on the next page: fetch it (this may #PF at the next page).
    if (bytes != buf) std::memcpy(buf, bytes, avail);
    const u32 more = limit_avail - avail;
    for (u32 i = 0; i < more; ++i) buf[avail + i] = static_cast<u8>(read_lin_exec(lin + avail + i));
    status = decode(buf, limit_avail, code32(), d);
  }
  if (status != DecodeStatus::kOk) gp(0);  // longer than 15 bytes or past the CS limit
  return d;
}

void Cpu::raise(u8 vector, u32 error_code) {
  m_fault.vector = vector;
  m_fault.has_error = error_code != kNoErrorCode;
  m_fault.error_code = m_fault.has_error ? error_code : 0;
  m_fault.code_breakpoint = false;
  std::longjmp(m_fault_jmp, 1);
}

// Delivers the fault recorded by raise(), escalating to #DF and to a triple fault by the rules
// of Intel SDM Vol. 3 Table 6-5.
void Cpu::handle_fault() {
  const PendingFault f = m_fault;
  halted = false;
  // Every fault but an instruction breakpoint pushes RF = 1, so that the handler's IRET does not
  // hit an instruction breakpoint on the restarted instruction (Intel SDM Vol. 3 §17.3.1.1).
  if (!f.code_breakpoint) eflags |= fl::RF;
  if (m_delivering >= 0) {
    const u8 first = static_cast<u8>(m_delivering);
    if (first == kDF) {
      log(LogCat::kCpu, LogLevel::kInfo, "triple fault at {:04x}:{:08x}", seg[kCs].selector, eip);
      m_delivering = -1;
      m_stop = CpuStop::kTripleFault;
      m_budget = 0;
      return;
    }
    if ((contributory(first) && contributory(f.vector)) || (first == kPF && (contributory(f.vector) || f.vector == kPF))) {
      m_delivering = kDF;
      deliver(kDF, false, true, 0, eip);
      m_delivering = -1;
      return;
    }
  }
  m_delivering = f.vector;
  deliver(f.vector, false, f.has_error, f.error_code, eip);
  m_delivering = -1;
}

}  // namespace tern
