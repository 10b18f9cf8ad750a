// The IA-32 CPU: architectural state plus the services every instruction handler uses (register
// and memory access with segmentation and paging, lazy flags, stack, faults) and the interpreter
// loop.
//
// Faults: a handler that detects a fault calls raise(), which records the exception and longjmps
// back to run(); the run loop then delivers it through the IDT. Handlers therefore commit
// architectural state only after every access that can fault (or in restartable steps, as REP
// string instructions do), hold no objects with destructors, and EIP still points at the
// faulting instruction. The same holds for helpers called from JIT code: longjmp unwinds JIT
// frames without needing unwind tables.
#pragma once

#include <csetjmp>

#include "base/bits.h"
#include "base/clock.h"
#include "base/irq.h"
#include "base/types.h"
#include "cpu/fpu/x87_state.h"
#include "cpu/decode_cache.h"
#include "cpu/insn.h"
#include "cpu/state.h"
#include "mmu/io_space.h"
#include "mmu/mmu.h"

namespace tern {

// Exception vectors (Intel SDM Vol. 3 §6.3.1).
enum Vector : u8 {
  kDE = 0, kDB = 1, kNMI = 2, kBP = 3, kOF = 4, kBR = 5, kUD = 6, kNM = 7, kDF = 8,
  kTS = 10, kNP = 11, kSS = 12, kGP = 13, kPF = 14, kMF = 16, kAC = 17, kMC = 18,
};

// DR6 status bits of debug exceptions (Intel SDM Vol. 3 §17.2.3); B0-B3 are bits 0-3.
namespace dr6 {
inline constexpr u32 BD = 1u << 13;  // general detect
inline constexpr u32 BS = 1u << 14;  // single step
inline constexpr u32 BT = 1u << 15;  // task switch
}  // namespace dr6

// The interrupt controller the CPU asks for a vector when it accepts INTR (the INTA cycle).
class InterruptAcknowledge {
 public:
  virtual ~InterruptAcknowledge() = default;
  virtual u8 acknowledge() = 0;
};

// Model-specific registers a P6 keeps as plain storage or with simple behaviour.
struct Msrs {
  u32 sysenter_cs = 0;
  u32 sysenter_esp = 0;
  u32 sysenter_eip = 0;
  u64 apic_base = 0xFEE00900;  // BSP, enabled, default base
  u64 pat = 0x0007040600070406ull;
  u64 mtrr_cap = 0x508;         // 8 variable ranges, fixed ranges, write-combining
  u64 mtrr_def_type = 0;
  u64 mtrr_fixed[11] = {};
  u64 mtrr_var[16] = {};        // base/mask pairs
  u64 tsc_offset = 0;           // TSC = retired instructions + offset
  u64 misc_enable = 1;
  void serialize(StateIo& io);
};

enum class CpuStop : u8 { kBudget, kHalted, kTripleFault, kRequested };

class Cpu;

// An engine that runs guest code in larger steps than the interpreter (the JIT, jit/). The run
// loop hands it control at instruction boundaries where nothing is due; it retires instructions
// exactly as step() would (Cpu::finish_instruction for handlers it calls, set_executed for the
// rest) and returns at the first boundary where Cpu::block_exit_due() holds. A fault longjmps out
// of it back to the run loop, with the state exact at the faulting instruction.
class BlockEngine {
 public:
  virtual ~BlockEngine() = default;
  // Runs from the current EIP; false when it ran nothing (the interpreter then steps once).
  virtual bool run_blocks(Cpu& cpu) = 0;
  // Forgets every translation (RESET, state load: guest memory may have changed wholesale).
  virtual void flush() = 0;
};

// Why a hardware task switch happens (Intel SDM Vol. 3 §7.3): it decides the busy bits, the NT
// flag and the back link.
enum class TaskSwitch : u8 { kJump, kCall, kIret, kInterrupt };

class Cpu : public IrqSink {
 public:
  // Interrupt input lines for IrqLine.
  static constexpr unsigned kIntrLine = 0;
  static constexpr unsigned kNmiLine = 1;
  static constexpr u32 kNoErrorCode = ~u32{0};

  Cpu(PhysMemory& mem, IoSpace& io, Clock& clock);
  Cpu(const Cpu&) = delete;
  Cpu& operator=(const Cpu&) = delete;

  // Power-on / RESET state (Intel SDM Vol. 3 §9.1.1): real mode at F000:FFF0.
  void reset();

  // Executes up to `max_instructions`; returns the number retired. Stops early when halted, on a
  // triple fault, or when request_stop() is called (from a device during the run).
  u64 run(u64 max_instructions);
  CpuStop stop_reason() const { return m_stop; }
  void request_stop() { m_budget = 0; m_stop_requested = true; }

  void set_interrupt_controller(InterruptAcknowledge* ack) { m_ack = ack; }
  // A block engine (the JIT) runs the guest where it can; null: the interpreter only.
  void set_block_engine(BlockEngine* engine) { m_engine = engine; }
  BlockEngine* block_engine() const { return m_engine; }
  void set_irq(unsigned line, bool level) override;

  // Total instructions retired since reset (drives RDTSC and virtual time).
  u64 retired() const { return m_retired; }

  // ---- State (public: the instruction handlers in cpu/ops and the JIT read and write it) ----
  u32 gpr[8] = {};
  u32 eip = 0;
  u32 eflags = fl::kFixedOne;  // arithmetic bits valid only when lf.op == FlagOp::kNone
  LazyFlags lf;
  Segment seg[kSegCount];
  Segment ldtr, tr;
  TableReg gdtr, idtr;
  u32 cr0 = 0, cr2 = 0, cr3 = 0, cr4 = 0;
  u64 efer = 0;
  u32 dr[8] = {};
  u8 cpl = 0;
  bool halted = false;
  Msrs msr;
  X87State fpu;
  // FERR#: raised when a waiting x87 instruction finds an unmasked exception pending while
  // CR0.NE = 0 (Intel SDM Vol. 1 §8.7). The board wires it to IRQ 13 and lowers it when the
  // guest writes port 0xF0.
  IrqLine ferr;

  // EIP of the instruction that follows the one executing; control transfers change it.
  u32 next_eip = 0;

  // ---- Registers ----
  // General register `r` of `size` bytes; for size 1, r = 0..7 is AL CL DL BL AH CH DH BH.
  u32 reg(u8 r, u8 size) const {
    if (size == 4) return gpr[r];
    if (size == 2) return gpr[r] & 0xFFFF;
    return r < 4 ? gpr[r] & 0xFF : (gpr[r - 4] >> 8) & 0xFF;
  }
  void set_reg(u8 r, u8 size, u32 v) {
    if (size == 4) gpr[r] = v;
    else if (size == 2) gpr[r] = (gpr[r] & 0xFFFF0000u) | (v & 0xFFFF);
    else if (r < 4) gpr[r] = (gpr[r] & 0xFFFFFF00u) | (v & 0xFF);
    else gpr[r - 4] = (gpr[r - 4] & 0xFFFF00FFu) | ((v & 0xFF) << 8);
  }

  // ---- Mode ----
  bool protected_mode() const { return cr0 & cr0::PE; }
  bool v86() const { return eflags & fl::VM; }
  bool code32() const { return seg[kCs].big(); }
  bool stack32() const { return seg[kSs].big(); }
  unsigned iopl() const { return (eflags >> 12) & 3; }
  bool user() const { return cpl == 3; }

  // ---- Flags (flags.cc) ----
  u32 get_eflags() const;
  // Writes the bits of `mask` from `value` (no privilege rules: callers apply them).
  void set_eflags(u32 value, u32 mask);
  void set_lazy(FlagOp op, u8 size, u32 src1, u32 src2, u32 res) { lf = {res, src1, src2, op, size}; }
  // Sets the six arithmetic flags eagerly.
  void set_arith(u32 flags) {
    eflags = (eflags & ~fl::kArith) | (flags & fl::kArith);
    lf.op = FlagOp::kNone;
  }
  u32 arith_flags() const;
  bool cf() const;
  bool zf() const { return arith_flags() & fl::ZF; }
  bool sf() const { return arith_flags() & fl::SF; }
  bool of() const { return arith_flags() & fl::OF; }
  // Condition code 0..15 as in Jcc (O NO B AE E NE BE A S NS P NP L GE LE G).
  bool cond(u8 cc) const;

  // ---- Memory (memory.cc) ----
  // Effective address (offset in the segment) of the instruction's memory operand.
  u32 effective_address(const DecodedInsn& d) const {
    u32 ea = d.disp;
    if (d.ea_base != kNoReg) ea += gpr[d.ea_base];
    if (d.ea_index != kNoReg) ea += gpr[d.ea_index] << d.ea_scale;
    return d.asize == 2 ? ea & 0xFFFF : ea;
  }
  // Segment-relative accesses with segment checks; size 1, 2 or 4 (read64/write64 for 8). The
  // common case is inlined: the segment checks pass, no data breakpoint is armed, EFLAGS.AC is
  // clear (so no alignment check) and the TLB hits. Everything else, with every rule, is
  // read_checked/write_checked in memory.cc.
  u32 read(u8 sreg, u32 offset, u8 size) {
    const Segment& s = seg[sreg];
    if (s.readable && offset >= s.lo && u64{offset} + size - 1 <= s.hi && !m_data_breakpoints && !(eflags & fl::AC))
      if (const u8* p = m_mmu.lookup_read(s.base + offset, size, user())) return static_cast<u32>(load_le_sized(p, size));
    return read_checked(sreg, offset, size);
  }
  void write(u8 sreg, u32 offset, u8 size, u32 value) {
    const Segment& s = seg[sreg];
    if (s.writable && offset >= s.lo && u64{offset} + size - 1 <= s.hi && !m_data_breakpoints && !(eflags & fl::AC))
      if (u8* p = m_mmu.lookup_write(s.base + offset, size, user())) return store_le_sized(p, value, size);
    write_checked(sreg, offset, size, value);
  }
  u64 read64(u8 sreg, u32 offset);
  void write64(u8 sreg, u32 offset, u64 value);
  // Checks that [offset, offset+size) of the segment is accessible; returns the linear address.
  u32 linear(u8 sreg, u32 offset, u32 size, Access access);
  // Linear accesses at the current privilege (user when CPL 3) or as a supervisor (descriptor
  // tables, TSS, IDT: "implicit supervisor" accesses).
  u32 read_lin(u32 lin, u8 size, bool user);
  void write_lin(u32 lin, u8 size, u32 value, bool user);
  u32 read_sys(u32 lin, u8 size) { return read_lin(lin, size, false); }
  void write_sys(u32 lin, u8 size, u32 value) { write_lin(lin, size, value, false); }
  // Raises #PF (or succeeds) for every page of [lin, lin+size) without accessing memory: for
  // instructions that must not partially complete.
  void probe_lin(u32 lin, u32 size, Access access, bool user);

  // Operand i of the instruction: register, memory (at the effective address), immediate.
  u32 read_op(const DecodedInsn& d, int i);
  void write_op(const DecodedInsn& d, int i, u32 value);

  // ---- Stack ----
  u32 sp_mask() const { return stack32() ? 0xFFFFFFFFu : 0xFFFFu; }
  u32 esp_value() const { return gpr[kEsp] & sp_mask(); }
  void set_esp(u32 v) { gpr[kEsp] = stack32() ? v : (gpr[kEsp] & 0xFFFF0000u) | (v & 0xFFFF); }
  void push(u8 size, u32 value) {
    const u32 new_sp = (esp_value() - size) & sp_mask();
    write(kSs, new_sp, size, value);
    set_esp(new_sp);
  }
  u32 pop(u8 size) {
    const u32 value = read(kSs, esp_value(), size);
    set_esp(esp_value() + size);
    return value;
  }
  // Reads the stack at ESP + offset without moving ESP.
  u32 stack_read(u32 offset, u8 size) { return read(kSs, (esp_value() + offset) & sp_mask(), size); }

  // ---- Control transfer ----
  // Near jump to `target` (truncated to the operand size): checks the CS limit, sets next_eip.
  void jump_near(u32 target, u8 osize) {
    if (osize == 2) target &= 0xFFFF;
    if (target > seg[kCs].hi) gp(0);
    next_eip = target;
  }

  // ---- Faults and interrupts (interrupts.cc) ----
  [[noreturn]] void raise(u8 vector, u32 error_code = kNoErrorCode);
  // #GP(error) shorthand.
  [[noreturn]] void gp(u32 error_code = 0) { raise(kGP, error_code); }
  // Software interrupt (INT n, INT3, INTO, INT1): delivered after the instruction, returning
  // to next_eip.
  void software_interrupt(u8 vector, bool int_n);
  // Delivers an exception or interrupt through the IVT/IDT (or a task gate). `return_eip` is
  // what is pushed; `software` marks INT n/INT3/INTO (gate DPL checked, EXT = 0 in error codes).
  // Pending #DB traps and interrupt shadows of the interrupted code are discarded.
  void deliver(u8 vector, bool software, bool has_error, u32 error_code, u32 return_eip);

  // Hardware task switch to the TSS named by `selector` (task.cc). For kInterrupt, an error code
  // is pushed on the new task's stack when has_error; `return_eip` is saved in the old TSS;
  // `ext` is the EXT bit for error codes.
  void task_switch(u16 selector, TaskSwitch reason, bool has_error, u32 error_code, u32 return_eip, u32 ext);

  // The stack of an inner privilege level from the current TSS (SSn:ESPn), checked as a call
  // gate or interrupt gate does (#TS, #SS with the EXT bit `ext`). Intel SDM Vol. 3 §5.8.5.
  // In task.cc.
  struct InnerStack {
    Segment ss;
    u64 descriptor;
    u32 esp;
  };
  InnerStack inner_stack(u8 new_cpl, u32 ext);

  // ---- Debug registers and #DB (debug_regs.cc) ----
  // MOV from/to DRn with the CPL, CR4.DE and DR7.GD checks.
  u32 read_debug_register(u8 n);
  void write_debug_register(u8 n, u32 value);
  // Recomputes which kinds of breakpoints DR7 arms (after DR7 or CR4.DE change).
  void update_breakpoints();
  // Records data and I/O breakpoint hits; they are reported as a #DB trap after the instruction.
  void check_data_breakpoints(u32 lin, u32 size, Access access);
  void check_io_breakpoints(u16 port, u8 size);
  // A #DB trap (single step, data or I/O breakpoint) is due after the current instruction: REP
  // string instructions stop after the current iteration (Intel SDM Vol. 3 §17.3.1.2).
  bool debug_trap_pending() const { return m_debug_trap != 0; }
  // The INTR input is high or an NMI waits (the JIT's verifier: a block that raised one touched
  // a device).
  bool interrupt_requested() const { return m_intr || m_nmi_pending; }
  // A task switch reached a TSS with the T bit set: #DB before the new task's first instruction.
  void set_task_switch_trap();

  // ---- Segments (segments.cc) ----
  // MOV/POP to a segment register with every real, v86 and protected mode rule.
  void load_segment(u8 sreg, u16 selector);
  // Loads CS:EIP for a far JMP/CALL/RET/IRET target at privilege `new_cpl`, or in real/v86 mode.
  void load_cs_real(u16 selector, u32 new_eip);
  // Reads the 8-byte descriptor of `selector` from the GDT or LDT; raises `vector` with the
  // selector (plus `ext`, the EXT bit) as error code when outside the table limit.
  u64 read_descriptor(u16 selector, u8 vector = kGP, u32 ext = 0);
  // Builds a segment cache from a raw descriptor.
  static Segment segment_from_descriptor(u16 selector, u64 descriptor);
  // Recomputes the fast-check fields of a segment after its base/limit/attr changed.
  void refresh_segment(Segment& s) const;
  // Sets the accessed bit of the descriptor in memory if clear.
  void mark_descriptor_accessed(u16 selector, u64 descriptor);

  // ---- Control registers (system.cc) ----
  void set_cr0(u32 value);
  void set_cr3(u32 value);
  void set_cr4(u32 value);
  void update_paging();  // pushes CR0/CR3/CR4/EFER to the MMU

  // ---- Port I/O (io.cc) ----
  // Checks IOPL and the TSS I/O permission bitmap for `size` ports at `port`; raises #GP(0).
  void check_io_permission(u16 port, u8 size);
  u32 port_in(u16 port, u8 size);
  void port_out(u16 port, u8 size, u32 value);

  // Brings the clock up to date with the instructions retired so far (before device access).
  void sync_clock();
  // After a device access: a timer the device armed may now be due before the batch would end.
  void after_device_access();

  // Time-stamp counter (RDTSC): one tick per retired instruction plus the offset WRMSR sets.
  u64 tsc() const { return m_retired + msr.tsc_offset; }

  Mmu& mmu() { return m_mmu; }
  IoSpace& io() { return m_io; }
  Clock& clock() { return m_clock; }

  // IRET ends the NMI handler: NMIs are accepted again.
  void unblock_nmi() { m_nmi_blocked = false; }

  // Interrupt shadow after STI and MOV SS / POP SS: no interrupt before the next instruction.
  void inhibit_interrupts() { m_inhibit = true; }

  void serialize(StateIo& io);
  // The same fields as serialize(), restored without touching the MMU, the decode cache or the
  // JIT: for --jit-verify, which runs one block twice from the same state after undoing the
  // block's memory writes and rolling the TLB back (mmu/mmu.h TlbJournal).
  // One instruction with no event check before it: the verifier replays a block exactly as the
  // JIT ran it (no interrupt can come in between).
  void step_instruction() { step(); }
  void save_checkpoint(std::vector<u8>& out);
  void restore_checkpoint(const std::vector<u8>& in);

  // ---- For block engines (jit/) ----
  // This instruction boundary belongs to the run loop: the budget is used up, an event is due
  // (NMI, INTR with IF, a #DB trap), the CPU halted, or step() must run the next instruction
  // itself (interrupt shadow, TF, RF, instruction breakpoints armed).
  bool block_exit_due() const {
    return m_executed >= m_budget || halted || m_debug_trap || m_inhibit || m_inhibit_debug ||
           (m_nmi_pending && !m_nmi_blocked) || (m_intr && (eflags & fl::IF) && m_ack) ||
           (eflags & (fl::TF | fl::RF)) || m_code_breakpoints;
  }
  // Instructions run() may execute in this call, and how many it has executed so far; an engine
  // that retires instructions in bulk moves `executed` (and with it retired()) forward.
  u64 budget() const { return m_budget; }
  u64 executed() const { return m_executed; }
  void set_executed(u64 executed) {
    m_retired += executed - m_executed;
    m_executed = executed;
  }
  // What step() does after an instruction's handler returned: REP restart RF, the MOV SS debug
  // shadow, EIP = next_eip, and counting the instruction as retired.
  void finish_instruction(const DecodedInsn& d);
  // Whether DR7 arms data breakpoints: Cpu::linear() must then see every data access.
  bool data_breakpoints_armed() const { return m_data_breakpoints; }

 private:
  void serialize_fields(StateIo& io);
  void step();
  bool block_allowed() const;
  void run_block();
  // The instruction at CS:EIP, from the decode cache when possible (faults as a fetch would).
  const DecodedInsn& fetch();
  const DecodedInsn& fetch_slow();
  bool service_interrupts();
  void handle_fault();
  void check_code_breakpoints();
  void deliver_debug_trap();
  void deliver_real_mode(u8 vector, u32 return_eip);
  void deliver_through_gate(u8 vector, u64 gate, bool has_error, u32 error_code, u32 return_eip, u32 ext);

  u32 read_checked(u8 sreg, u32 offset, u8 size);
  void write_checked(u8 sreg, u32 offset, u8 size, u32 value);
  u32 read_slow(u32 lin, u8 size, bool user);
  u8 read_lin_exec(u32 lin);
  void write_slow(u32 lin, u8 size, u32 value, bool user);
  [[noreturn]] void segment_fault(u8 sreg);

  Mmu m_mmu;
  DecodeCache m_decode_cache;
  DecodedInsn m_uncached;  // an instruction that cannot be cached (crosses a page, MMIO)
  IoSpace& m_io;
  Clock& m_clock;
  InterruptAcknowledge* m_ack = nullptr;
  BlockEngine* m_engine = nullptr;

  std::jmp_buf m_fault_jmp;
  u64 m_budget = 0;
  u64 m_executed = 0;
  u64 m_retired = 0;
  u64 m_clock_synced = 0;  // m_retired value the clock has been advanced to
  CpuStop m_stop = CpuStop::kBudget;
  bool m_stop_requested = false;

  bool m_intr = false;      // INTR pin level
  bool m_nmi_pending = false;
  bool m_nmi_blocked = false;  // NMI handler running until IRET
  bool m_inhibit = false;        // interrupt shadow (STI, MOV SS, POP SS)
  bool m_inhibit_debug = false;  // MOV SS / POP SS also hold #DB traps for one instruction

  // DR6 bits (B0-B3, BS, BT) of #DB traps due after the current instruction.
  u32 m_debug_trap = 0;
  // Derived from DR7 (and CR4.DE): whether any breakpoint of the kind is armed.
  bool m_code_breakpoints = false;
  bool m_data_breakpoints = false;
  bool m_io_breakpoints = false;

  // The exception being raised (set by raise, consumed by handle_fault).
  struct PendingFault {
    u8 vector = 0;
    bool has_error = false;
    u32 error_code = 0;
    bool code_breakpoint = false;  // the one fault that pushes EFLAGS.RF as it is
  } m_fault;
  // Vector being delivered when a further fault hits (for #DF and triple fault); -1 if none.
  int m_delivering = -1;
};

}  // namespace tern
