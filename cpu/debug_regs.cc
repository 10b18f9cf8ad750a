// Debug registers and the debug exception (Intel SDM Vol. 3 §17.2, §17.3): DR0-DR3 breakpoint
// addresses, DR6 status, DR7 control; instruction breakpoints (faults, suppressed by EFLAGS.RF),
// data and I/O breakpoints and the single-step and task-switch traps (reported together as one
// #DB after the instruction), and general detect (DR7.GD).
//
// Breakpoint checks cost nothing while DR7 arms none: update_breakpoints() keeps one flag per
// kind, and only those flags are tested on the hot paths (step, linear, port access).
#include "cpu/cpu.h"

namespace tern {

namespace {

// DR7 fields.
constexpr u32 kDr7Gd = 1u << 13;
constexpr u32 kDr7Fixed = 0x400;          // bit 10 reads as 1
constexpr u32 kDr7Writable = 0xFFFF23FF;  // bits 11, 12, 14, 15 are reserved (0)
// DR6 fields.
constexpr u32 kDr6Hits = 0xF;  // B0-B3
constexpr u32 kDr6Fixed = 0xFFFF0FF0;     // P6: bits 4-11 and 16-31 read as 1, bit 12 as 0
constexpr u32 kDr6Writable = 0x0000E00F;  // B0-B3, BD, BS, BT

// DR7.RWn encodings.
enum Rw : u8 { kRwExecute = 0, kRwWrite = 1, kRwIo = 2, kRwReadWrite = 3 };

bool enabled(u32 dr7, unsigned i) { return (dr7 >> (2 * i)) & 3; }
Rw rw_of(u32 dr7, unsigned i) { return static_cast<Rw>((dr7 >> (16 + 4 * i)) & 3); }
// LENn: 00 one byte, 01 two, 11 four; 10 (eight bytes on later processors) is undefined on P6
// and treated as eight.
u32 len_of(u32 dr7, unsigned i) {
  static constexpr u32 kBytes[4] = {1, 2, 8, 4};
  return kBytes[(dr7 >> (18 + 4 * i)) & 3];
}

// Whether [addr, addr + size) touches breakpoint i (its address aligned down to its length).
bool overlaps(const u32* dr, u32 dr7, unsigned i, u32 addr, u32 size) {
  const u32 len = len_of(dr7, i);
  const u32 start = dr[i] & ~(len - 1);
  return u64{addr} < u64{start} + len && u64{start} < u64{addr} + size;
}

// The checks of MOV to/from DRn (Intel SDM "MOV—Move to/from Debug Registers"); returns the
// register accessed (DR4/DR5 alias DR6/DR7 unless CR4.DE makes them #UD).
u8 checked_debug_register(Cpu& cpu, u8 n) {
  if (cpu.protected_mode() && (cpu.v86() || cpu.cpl != 0)) cpu.gp(0);
  if ((n == 4 || n == 5) && (cpu.cr4 & cr4::DE)) cpu.raise(kUD);
  if (cpu.dr[7] & kDr7Gd) {
    // General detect: a #DB fault before the access, reported with BD.
    cpu.dr[6] |= dr6::BD;
    cpu.raise(kDB);
  }
  return n == 4 ? 6 : n == 5 ? 7 : n;
}

}  // namespace

u32 Cpu::read_debug_register(u8 n) { return dr[checked_debug_register(*this, n)]; }

void Cpu::write_debug_register(u8 n, u32 value) {
  n = checked_debug_register(*this, n);
  if (n == 6) value = (value & kDr6Writable) | kDr6Fixed;
  if (n == 7) value = (value & kDr7Writable) | kDr7Fixed;
  dr[n] = value;
  update_breakpoints();
}

void Cpu::update_breakpoints() {
  m_code_breakpoints = m_data_breakpoints = m_io_breakpoints = false;
  for (unsigned i = 0; i < 4; ++i) {
    if (!enabled(dr[7], i)) continue;
    switch (rw_of(dr[7], i)) {
      case kRwExecute: m_code_breakpoints = true; break;
      case kRwWrite:
      case kRwReadWrite: m_data_breakpoints = true; break;
      case kRwIo:
        // Undefined without CR4.DE (Intel SDM Vol. 3 §17.2.4).
        if (cr4 & cr4::DE) m_io_breakpoints = true;
        break;
    }
  }
}

// Instruction breakpoints are faults taken before the instruction (EIP still at it) unless RF is
// set; RF lets the handler return to the instruction without hitting the breakpoint again.
void Cpu::check_code_breakpoints() {
  const u32 lin = seg[kCs].base + eip;
  u32 hits = 0;
  for (unsigned i = 0; i < 4; ++i)
    if (enabled(dr[7], i) && rw_of(dr[7], i) == kRwExecute && overlaps(dr, dr[7], i, lin, 1)) hits |= 1u << i;
  if (!hits) return;
  dr[6] = (dr[6] & ~kDr6Hits) | hits;
  m_fault = PendingFault{kDB, false, 0, true};
  std::longjmp(m_fault_jmp, 1);
}

void Cpu::check_data_breakpoints(u32 lin, u32 size, Access access) {
  for (unsigned i = 0; i < 4; ++i) {
    if (!enabled(dr[7], i)) continue;
    const Rw rw = rw_of(dr[7], i);
    const bool kind_matches = rw == kRwReadWrite || (rw == kRwWrite && access == Access::kWrite);
    if (kind_matches && overlaps(dr, dr[7], i, lin, size)) m_debug_trap |= 1u << i;
  }
}

void Cpu::check_io_breakpoints(u16 port, u8 size) {
  for (unsigned i = 0; i < 4; ++i)
    if (enabled(dr[7], i) && rw_of(dr[7], i) == kRwIo && overlaps(dr, dr[7], i, port, size)) m_debug_trap |= 1u << i;
}

void Cpu::set_task_switch_trap() { m_debug_trap |= dr6::BT; }

// The traps of the instruction just retired (or of a task switch) as one #DB: DR6 gets the
// breakpoint hits in B0-B3 (replacing older hits) and BS/BT added to what it holds.
void Cpu::deliver_debug_trap() {
  dr[6] = (dr[6] & ~kDr6Hits) | m_debug_trap;
  halted = false;
  deliver(kDB, false, false, 0, eip);
}

}  // namespace tern
