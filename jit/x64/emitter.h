// The per-block code emitter of the x86-64 backend: the state every emit_*.cc file works with
// while it turns one guest instruction into host code.
//
// Design notes
// - Each guest instruction either gets an inline form (emit_alu.cc, emit_data.cc, ...) or runs
//   its interpreter handler through a call (jit/helpers.h). Inline forms commit nothing guest-
//   visible (registers, memory, flags in the Cpu) before every memory access of the instruction
//   has passed its TLB fast path, so any slow path can simply run the whole instruction through
//   the handler instead and continue after it: one slow path for TLB misses, MMIO, segment checks
//   that fail, faults and code pages.
// - Lazy flags (FlagState): an instruction that writes flags leaves a pending description (the
//   operation and where its operands and result are: guest registers, immediates, Cpu::lf fields,
//   or derivable from the others). Nothing is stored until something can observe the flags: a
//   helper call, a slow path (which stores them from the state at the instruction's start), an
//   exit, or an overwrite of a register the description points at. Host EFLAGS often still hold
//   the guest flags (host_valid) and branches use them directly.
// - Shifts and IMUL replace some flags and keep the others. When a kept flag may be read (often
//   only because a later memory access may fault), the new flags go to JitContext::flag_bits and
//   the old ones stay in Cpu::lf (kOverride); they are combined only when something needs the
//   whole set, which a following ALU instruction usually makes unnecessary.
#pragma once

#include <asmjit/x86.h>

#include <array>
#include <functional>
#include <vector>

#include "cpu/state.h"
#include "jit/block.h"
#include "jit/discover.h"
#include "jit/x64/abi.h"
#include "mmu/paging.h"

namespace tern {
class JitEngine;
}

namespace tern::x64 {

// Addresses of the runtime stubs in the code cache (runtime_x64.cc).
struct Runtime {
  const u8* enter = nullptr;       // BlockExit* enter(Cpu*, const u8* code)
  const u8* exit = nullptr;        // leave generated code; rax = BlockExit* or 0
  const u8* run_op = nullptr;      // call with rax = OpSite*: runs the handler
  const u8* load_flags = nullptr;  // call: host EFLAGS = the guest flags Cpu::lf/eflags describe
  const u8* flags_to_eflags = nullptr;  // call: Cpu::eflags = those flags, lf.op = kNone (keeps rax)
};

// A value the lazy flags need.
struct FlagValue {
  enum Kind : u8 { kNone, kReg, kImm, kStored, kDerived };
  Kind kind = kNone;
  u8 reg = 0;   // kReg: guest register whose host register holds the value (low `size` bytes)
  u32 imm = 0;  // kImm
  static FlagValue in_reg(u8 r) { return {kReg, r, 0}; }
  static FlagValue immediate(u32 v) { return {kImm, 0, v}; }
  static FlagValue stored() { return {kStored, 0, 0}; }
  static FlagValue derived() { return {kDerived, 0, 0}; }
  bool operator==(const FlagValue&) const = default;
};

// What the translator knows about the guest's arithmetic flags at the current point.
struct FlagState {
  enum class Where : u8 {
    kMemory,   // Cpu::lf and eflags hold them (`known`: lf.op and lf.size are op and size)
    kPending,  // op/size with res/src1/src2 as described; Cpu::lf is stale
    kDead,     // nothing can observe them before they are overwritten
    kOverride, // as kMemory, except the `override` flags, which JitContext::flag_bits holds
  };
  Where where = Where::kMemory;
  bool known = false;
  FlagOp op = FlagOp::kNone;
  u8 size = 4;
  FlagValue res, src1, src2;
  u32 host_valid = 0;  // guest flags (fl::CF...) the host EFLAGS hold right now
  u32 override = 0;    // kOverride

  static FlagState dead() {
    FlagState s;
    s.where = Where::kDead;
    return s;
  }
  // Cpu::eflags holds the flags (lf.op is kNone).
  static FlagState in_eflags() {
    FlagState s;
    s.known = true;
    return s;
  }
  // Whether `other` describes the flags the same way, with at least the host flags this has.
  bool covered_by(const FlagState& other) const {
    if (where != other.where || (other.host_valid & host_valid) != host_valid) return false;
    return where == Where::kDead || (known == other.known && op == other.op && size == other.size &&
                                     res == other.res && src1 == other.src1 && src2 == other.src2 &&
                                     (where != Where::kOverride || override == other.override));
  }
};

class X64Backend;

class Emitter {
 public:
  Emitter(X64Backend& backend, asmjit::x86::Assembler& as, const BlockSource& src, Block& block);

  // Emits the whole block; false if asmjit reported an error.
  bool emit_block();

  // Jumps that chaining patches: the jump instruction (rel32 after 1 opcode byte, or 2 for a
  // conditional jump) and the exit stub it targets while unlinked.
  struct PatchableJump {
    BlockExit* exit;
    asmjit::Label jump;
    asmjit::Label stub;
    bool conditional;
  };
  const std::vector<PatchableJump>& patchable_jumps() const { return m_patchable; }

  asmjit::x86::Assembler& as;
  const CpuLayout& layout;
  const Runtime& runtime;
  const BlockSource& src;
  Block& block;
  JitEngine& engine;

  // ---- The instruction being emitted ----
  const GuestInsn& insn() const { return *m_insn; }
  const DecodedInsn& d() const { return m_insn->d; }
  unsigned index() const { return m_index; }
  u32 key() const { return src.key; }
  bool last_in_block() const { return m_index + 1 == src.count; }
  // Flags live before this instruction (flag liveness).
  u32 live_in() const { return m_live_in; }
  // The label this instruction's slow path starts at: jumping there runs the whole instruction
  // through its handler and continues after it.
  asmjit::Label slow_path();

  // ---- Lazy flags (emit_flags.cc) ----
  FlagState flags;
  // Stores whatever Cpu::lf/eflags lack. Keeps the host flags, except from kOverride (then
  // host_valid becomes 0; clobbers rcx and rdx).
  void materialize_flags();
  // Before guest register r changes: stores the flag values that live in it if still needed.
  void guest_reg_written(u8 r);
  // After the host instruction that computed them: the new flags are pending.
  void set_pending(FlagOp op, u8 size, FlagValue res, FlagValue src1, FlagValue src2, u32 host_valid = fl::kArith);
  // Makes the host flags hold what condition `cc` (0..15) tests; returns the host condition.
  asmjit::x86::CondCode condition(u8 cc);
  // Makes the host CF hold the guest CF (for ADC, SBB, RCL...).
  void host_cf();
  // Copies the guest CF into eflags.CF (INC and DEC keep CF there).
  void cf_to_eflags();
  void host_flags_clobbered() { flags.host_valid = 0; }
  // For an inline form that replaces the arithmetic flags in `replaced` and keeps the others
  // (shifts, IMUL): keep_flags() before the host instruction, flags_from_host() right after it.
  // Both keep rax; they clobber rcx.
  void keep_flags();
  void flags_from_host(u32 replaced);

  // ---- Guest operands ----
  // The host view of guest register r of `size` bytes, or an invalid Gp for AH..BH.
  asmjit::x86::Gp reg_view(u8 r, u8 size) const;
  // Loads a register or immediate operand zero-extended into `dst` (32-bit).
  void load_operand(const Operand& o, const asmjit::x86::Gp& dst);
  // Writes the low `size` bytes of `value` to guest register r (AH..BH included).
  void store_reg(u8 r, u8 size, const asmjit::x86::Gp& value);
  // The same without guest_reg_written() (the caller did it before computing `value`).
  void write_reg_raw(u8 r, u8 size, const asmjit::x86::Gp& value);
  // The guest register an operand of `size` bytes names as a whole (AH -> EAX).
  static u8 full_reg(u8 r, u8 size) { return size == 1 ? (r & 3) : r; }
  // An immediate of `size` bytes as asmjit wants it (sign-extended from its size).
  static asmjit::Imm sized_imm(u32 v, u8 size);

  // ---- Memory (emit_mem.cc) ----
  // The memory operand's offset in its segment (effective address) in eax.
  void effective_address();
  // Linear address of the instruction's memory operand in eax (offset, segment checks, base).
  void linear_of_operand(u8 size, Access access);
  // Linear address of [sreg:offset] (offset in eax, already wrapped to the address size).
  void linear_of(u8 sreg, u8 size, Access access);
  // Linear address of SS:((ESP + delta) masked to the stack size) in eax.
  void stack_linear(i32 delta, u8 size, Access access);
  // ESP += delta (SP alone on a 16-bit stack).
  void adjust_esp(i32 delta);
  // Jumps to the slow path when static branch target `eip` lies beyond the CS limit (the handler
  // then raises #GP if the branch is taken); nothing under a flat CS.
  void check_branch_target(u32 eip);
  // The same for a target in r10d.
  void check_branch_target_r10();
  // The byte offset of the TLB entry of linear address `lin` within a TLB set, in `offset`.
  void tlb_entry_offset(const asmjit::x86::Gp& offset, const asmjit::x86::Gp& lin);
  // Translates the linear address in rax to a host pointer (same register) for `size` bytes.
  void translate(u8 size, Access access);
  // Loads `size` bytes from [rax + disp] zero-extended into dst (32-bit).
  void load(const asmjit::x86::Gp& dst, u8 size, i32 disp = 0);
  void store(const asmjit::x86::Gp& value, u8 size, i32 disp = 0);
  // Whether this mode may access memory inline at all (kCheckedMemory not set).
  bool inline_memory() const;

  // ---- Calls and exits ----
  // Runs this instruction through its handler (flags stored first); a handler that ends the block
  // leaves to the engine.
  void call_handler();
  // Leaves for static guest target `eip` (flags must be stored), when host condition `cc` holds
  // (or always): chained when on the same page, else through the jump cache.
  void exit_to(u32 eip);
  void exit_to_if(asmjit::x86::CondCode cc, u32 eip);
  // The index of the instruction at `eip` when a branch from this instruction back to it can loop
  // inside the block (see emit_loop_edge), else -1.
  int loop_head(u32 eip) const;
  // Goes back to instruction `head` (always, or when `cc` holds), charging the budget again.
  // Flags are stored only when the budget has run out and the block leaves instead, or when the
  // instructions at the head may observe them and no peeled copy can take them pending.
  void loop_to(unsigned head);
  void loop_to_if(asmjit::x86::CondCode cc, unsigned head);
  // The index of a later instruction of the block at `eip`, or -1.
  int forward_head(u32 eip) const;
  // When `cc` holds, skips ahead to instruction `head` inside the block (see emit_forward_edge).
  void jump_forward_if(asmjit::x86::CondCode cc, unsigned head);
  // The same from the middle of the block (a side exit): the flags are stored and the
  // instructions after this one given back to the budget only on the way out.
  void side_exit_if(asmjit::x86::CondCode cc, u32 eip);
  // Leaves for the guest EIP the handler just set (after a transfer it ran).
  void exit_dynamic();
  // Before the block leaves from this instruction: gives the budget back the instructions after
  // it, which were charged at entry (a loop's JMP in the middle of a block, jit/discover.cc).
  void give_back_rest();
  // Leaves for the guest EIP in r10d through the jump cache (flags must be stored).
  void exit_indirect();
  // A stub emitted after the block body.
  void cold(std::function<void()> fn) { m_cold.push_back(std::move(fn)); }
  // Leaves to the engine after this instruction (it completed; EIP is its fall-through).
  asmjit::Label exit_after();

 private:
  void emit_insn();
  OpSite& site();
  void emit_entry();
  void emit_handler_call();
  void emit_leave(u32 uncharged_after, bool set_eip, u32 eip);
  // The block's shared jump-cache lookup for the EIP in r10d (emitted once, on first use).
  asmjit::Label jump_cache_lookup();
  void patchable_exit(bool conditional, asmjit::x86::CondCode cc, u32 eip);
  // The budget charge of a loop from instruction `index` back to instruction `head`, then round
  // or out with `state`.
  void emit_loop_edge(unsigned index, unsigned head, const FlagState& state);
  // The taken side of a conditional branch at instruction `index` to the later instruction `head`
  // with flags `state`: the skipped instructions go back to the budget, and the flags reach the
  // head's code as it expects them (as for a back edge), or the branch leaves the block.
  void emit_forward_edge(unsigned index, unsigned head, const FlagState& state);
  // The taken side of a conditional branch from this instruction to instruction `head`: `edge`
  // (emit_loop_edge or emit_forward_edge) emits it after the block body, with the flags as they
  // are here.
  using EdgeEmitter = void (Emitter::*)(unsigned index, unsigned head, const FlagState& state);
  void conditional_edge(asmjit::x86::CondCode cc, unsigned head, EdgeEmitter edge);
  // Whether the main pass's code at instruction `head` expects the flags in the Cpu.
  bool expects_flags_in_cpu(unsigned head) const;
  // Stores `state` and goes to instruction `head`, whose code expects the flags in the Cpu.
  void enter_with_flags_in_cpu(unsigned head, const FlagState& state);
  // Flags live before instruction i.
  u32 live_before(unsigned i) const { return i ? src.insns[i - 1].flags_live_out : src.flags_live_in; }
  // The first join point at or after `head` and before `index` that a copy starting at `head`
  // reaches with the same flags (dead, or described by an instruction it ran), with no
  // instruction that ends in an exit before it; -1 if there is none or a peeled copy is being
  // emitted (copies nest no further).
  int join_after(unsigned head, unsigned index) const;
  // After the main pass emitted instruction m_index: a join point if the flags are now a pending
  // description of registers and immediates, or dead (m_join).
  void note_join_point();
  // A second copy of instructions head..join, entered from a back edge whose flags are `state`
  // (still pending), so that they need not be stored on every pass.
  void emit_peeled_copy(asmjit::Label entry, unsigned head, unsigned join, const FlagState& state);

  X64Backend& m_backend;
  const GuestInsn* m_insn = nullptr;
  unsigned m_index = 0;
  u32 m_live_in = fl::kArith;
  FlagState m_flags_at_start;
  OpSite* m_site = nullptr;
  asmjit::Label m_slow;
  asmjit::Label m_exit_after;
  asmjit::Label m_end;
  std::vector<std::function<void()>> m_cold;
  std::vector<PatchableJump> m_patchable;
  bool m_block_closed = false;  // the instructions emitted so far end in an unconditional exit
  asmjit::Label m_lookup;
  // The main pass: the start of each instruction's code, and the flags there.
  std::array<asmjit::Label, kMaxBlockInsns> m_head;
  std::array<FlagState, kMaxBlockInsns> m_flags_before;
  std::array<bool, kMaxBlockInsns> m_ends_in_exit{};  // the instruction left unconditionally
  bool m_peeling = false;
  // The TLB addend of every RAM page while paging is off (linear = physical), which inline
  // accesses then expect (TlbEntry::identity_*_tag); 0 when paging is on (pages map anywhere).
  u64 m_ram_addend = 0;
  // Join points: after instruction i of the main pass when the flags there (m_join_flags[i]) are
  // a pending description of registers and immediates, or dead. Code that arrives there with any
  // other description of the same guest flags may go on. Invalid labels elsewhere.
  std::array<asmjit::Label, kMaxBlockInsns> m_join;
  std::array<FlagState, kMaxBlockInsns> m_join_flags;
  // The instruction whose result a pending description at a join point describes: a copy that
  // starts after it has not run it, and cannot join there.
  std::array<unsigned, kMaxBlockInsns> m_join_pending_from{};
  unsigned m_pending_from = 0;  // of the current pending description
};

// Emits materialisation of flag state `s` (no change to host flags beyond recomputing the same
// ones, except from kOverride), and regeneration of host flags from `s`. Scratch: rcx, rdx.
void emit_store_flags(Emitter& e, const FlagState& s);
void emit_host_flags(Emitter& e, const FlagState& s);
// After a handler ran the instruction that left `after` (its slow path): makes the Cpu and host
// flags what `after` claims.
void emit_flags_after_handler(Emitter& e, const FlagState& after);
// The runtime stub behind Runtime::load_flags (clobbers rcx and rdx).
void emit_load_flags(asmjit::x86::Assembler& as, const CpuLayout& l);
// The stub behind Runtime::flags_to_eflags, built on the load_flags stub at `load_flags`.
void emit_flags_to_eflags(asmjit::x86::Assembler& as, const CpuLayout& l, asmjit::Label load_flags);

// An inline form: returns false to fall back to the handler (before emitting anything).
using EmitFn = bool (*)(Emitter& e);

// The inline forms by operation (emit_table.cc); null: handler.
EmitFn inline_form(Op op);
// Instructions that cannot fault or read flags beyond their own inputs (flag liveness).
bool is_pure(const DecodedInsn& d);

}  // namespace tern::x64
