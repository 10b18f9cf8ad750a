// The block driver of the x86-64 backend: entry check, one instruction after another (inline form
// or handler call), exits and the cold stubs after the block body.
#include "jit/x64/emitter.h"

#include "cpu/cpu.h"
#include "jit/context.h"
#include "jit/jit_engine.h"
#include "jit/mode_key.h"
#include "jit/x64/backend_x64.h"

namespace tern::x64 {

namespace a = asmjit::x86;

Emitter::Emitter(X64Backend& backend, a::Assembler& assembler, const BlockSource& source, Block& b)
    : as(assembler),
      layout(backend.layout()),
      runtime(backend.runtime()),
      src(source),
      block(b),
      engine(backend.engine()),
      m_backend(backend) {
  Cpu& cpu = engine.cpu();
  if (!(cpu.cr0 & cr0::PG)) m_ram_addend = cpu.mmu().identity_addend();
}

bool Emitter::emit_block() {
  emit_entry();
  for (m_index = 0; m_index < src.count; ++m_index) {
    if (m_block_closed) {
      // Past a loop's closing JMP (jit/discover.cc): only forward edges, which bring the flags as
      // this code expects them, reach here.
      m_block_closed = false;
      flags = FlagState();
    }
    m_head[m_index] = as.newLabel();
    as.bind(m_head[m_index]);
    m_flags_before[m_index] = flags;
    emit_insn();
    m_ends_in_exit[m_index] = m_block_closed;
    note_join_point();
  }
  if (!m_block_closed) {
    // The block stopped at a page end or its length limit: fall through to the next one.
    materialize_flags();
    exit_to(src.insns[src.count - 1].next_eip);
  }
  while (!m_cold.empty()) {
    auto stubs = std::move(m_cold);
    m_cold.clear();
    for (auto& stub : stubs) stub();
  }
  return true;
}

// Charges the whole block against the budget; a block the budget cannot cover (or that the CS
// limit cuts short) goes back to the engine untouched, which lets the interpreter step.
void Emitter::emit_entry() {
  asmjit::Label bail = as.newLabel();
  as.sub(reg::kLeft, static_cast<i32>(src.count));
  as.jl(bail);
  if (!(src.key & mode::kFlatCs)) {
    const GuestInsn& last = src.insns[src.count - 1];
    as.mov(reg::kTmp1.r32(), last.eip + last.d.len - 1);
    as.cmp(cpu_mem(layout.seg_hi[kCs], 8), reg::kTmp1);
    as.jb(bail);
  }
  const u32 count = src.count, eip = src.eip;
  cold([this, bail, count, eip] {
    as.bind(bail);
    as.add(reg::kLeft, static_cast<i32>(count));
    as.mov(cpu_mem(layout.eip, 4), eip);
    as.xor_(a::eax, a::eax);
    as.jmp(runtime.exit);
  });
}

void Emitter::emit_insn() {
  m_insn = &src.insns[m_index];
  m_live_in = m_index ? src.insns[m_index - 1].flags_live_out : fl::kArith;
  m_flags_at_start = flags;
  m_site = nullptr;
  m_slow = m_exit_after = m_end = asmjit::Label();
  const EmitFn fn = inline_form(d().op);
  if (!(fn && fn(*this))) emit_handler_call();
  if (m_end.isValid()) as.bind(m_end);
  if (!m_slow.isValid()) return;
  // The slow path: the whole instruction through its handler, from the flags as they were at its
  // start, then on as the inline form would have (or out, for a block-ending instruction).
  const FlagState start = m_flags_at_start, after = flags;
  OpSite* s = &site();
  const asmjit::Label slow = m_slow, exit_after_label = exit_after(), resume = m_end;
  const bool ends = m_block_closed;
  cold([this, start, after, s, slow, exit_after_label, resume, ends] {
    as.bind(slow);
    emit_store_flags(*this, start);
    as.mov(a::rax, reinterpret_cast<u64>(s));
    as.call(runtime.run_op);
    as.test(reg::kLeft, reg::kLeft);
    as.js(exit_after_label);
    if (ends) {
      as.jmp(exit_after_label);  // gives back the instructions after it, if any
      return;
    }
    emit_flags_after_handler(*this, after);
    as.jmp(resume);
  });
}

OpSite& Emitter::site() {
  if (m_site) return *m_site;
  OpSite& s = engine.new_site();
  s.insn = d();
  s.eip = m_insn->eip;
  s.next_eip = m_insn->next_eip;
  s.uncharged = src.count - m_index;
  s.block = &block;
  // Every mode change but CLD/STD (DF is in the key) ends a block (cpu/ops.def kEndsBlock).
  s.may_change_mode = (op_info(s.insn.op).attrs & kEndsBlock) || s.insn.op == Op::kCld || s.insn.op == Op::kStd;
  m_site = &s;
  return s;
}

asmjit::Label Emitter::slow_path() {
  if (!m_slow.isValid()) {
    m_slow = as.newLabel();
    m_end = as.newLabel();
  }
  return m_slow;
}

asmjit::Label Emitter::exit_after() {
  if (m_exit_after.isValid()) return m_exit_after;
  m_exit_after = as.newLabel();
  const asmjit::Label label = m_exit_after;
  const u32 uncharged_after = src.count - m_index - 1;
  cold([this, label, uncharged_after] {
    as.bind(label);
    // EIP is already the next instruction's (the handler ran the instruction).
    if (uncharged_after) as.add(reg::kLeft, static_cast<i32>(uncharged_after));
    as.xor_(a::eax, a::eax);
    as.jmp(runtime.exit);
  });
  return label;
}

void Emitter::emit_handler_call() { call_handler(); }

void Emitter::call_handler() {
  const DecodedInsn& insn = d();
  materialize_flags();
  as.mov(a::rax, reinterpret_cast<u64>(&site()));
  as.call(runtime.run_op);
  flags.host_valid = 0;
  if (op_info(insn.op).flags_written) {
    flags.where = FlagState::Where::kMemory;
    flags.known = false;
  }
  const bool string_rep = insn.rep != kRepNone && is_string_op(insn.op);
  if (op_info(insn.op).attrs & kEndsBlock) {
    exit_dynamic();
    return;
  }
  as.test(reg::kLeft, reg::kLeft);
  as.js(exit_after());
  if (string_rep) {
    // A REP string instruction ends its block: it either restarts itself or falls through.
    as.cmp(cpu_mem(layout.eip, 4), m_insn->eip);
    exit_to_if(a::CondCode::kE, m_insn->eip);
    exit_to(m_insn->next_eip);
  }
}

void Emitter::exit_indirect() {
  m_block_closed = true;
  give_back_rest();
  as.jmp(jump_cache_lookup());
}

void Emitter::give_back_rest() {
  if (m_index + 1 < src.count) as.lea(reg::kLeft, a::ptr(reg::kLeft, static_cast<i32>(src.count - m_index - 1)));
}

// r10d = guest EIP. Linear address -> execute TLB (the page must still map to the same host
// bytes) -> jump cache slot -> the block, if it was translated under this block's mode key for
// this EIP. Anything else goes back to the engine.
asmjit::Label Emitter::jump_cache_lookup() {
  if (m_lookup.isValid()) return m_lookup;
  m_lookup = as.newLabel();
  const asmjit::Label label = m_lookup;
  cold([this, label] {
    const asmjit::Label miss = as.newLabel();
    const a::Gp lin = reg::kAddr, t1 = reg::kTmp1, t2 = reg::kTmp2;
    const bool user = (src.key & mode::kCplMask) == (3u << mode::kCplShift);
    const i32 entry = layout.tlb[user];
    as.bind(label);
    as.mov(lin.r32(), reg::kVal2.r32());
    if (!(src.key & mode::kFlatCs)) as.add(lin.r32(), cpu_mem(layout.seg_base[kCs], 4));
    tlb_entry_offset(t1, lin);
    as.mov(t2.r32(), lin.r32());
    as.and_(t2.r32(), 0xFFFFF000u);
    as.cmp(t2.r32(), a::dword_ptr(reg::kCpu, t1, 0, entry + layout.tlb_exec_tag));
    as.jne(miss);
    as.mov(t2, a::qword_ptr(reg::kCpu, t1, 0, entry + layout.tlb_addend));
    as.add(t2, lin);  // host address of the target's first byte
    as.mov(t1.r32(), lin.r32());
    as.shr(t1.r32(), kJumpCacheBits);
    as.xor_(t1.r32(), lin.r32());
    as.and_(t1.r32(), kJumpCacheSize - 1);
    as.shl(t1.r32(), 5);
    static_assert(sizeof(JumpCacheEntry) == 32);
    as.lea(lin, a::ptr(reinterpret_cast<u64>(engine.context().jump_cache)));
    as.cmp(t2, a::qword_ptr(lin, t1, 0, 0));
    as.jne(miss);
    as.mov(t2, jump_cache_tag(src.key, 0));
    as.or_(t2, reg::kVal2);
    as.cmp(t2, a::qword_ptr(lin, t1, 0, 16));
    as.jne(miss);
    as.jmp(a::qword_ptr(lin, t1, 0, 8));
    as.bind(miss);
    as.mov(cpu_mem(layout.eip, 4), reg::kVal2.r32());
    as.xor_(a::eax, a::eax);
    as.jmp(runtime.exit);
  });
  return label;
}

void Emitter::exit_dynamic() {
  m_block_closed = true;
  give_back_rest();
  as.xor_(a::eax, a::eax);
  as.jmp(runtime.exit);
}

void Emitter::exit_to(u32 eip) {
  give_back_rest();
  patchable_exit(false, a::CondCode::kO, eip);
  m_block_closed = true;
}

void Emitter::exit_to_if(a::CondCode cc, u32 eip) { patchable_exit(true, cc, eip); }

// The block's whole count was charged at entry; from instruction `head` on, count - head of it is
// still to run. index + 1 - head instructions have run since the head, so charging count - head
// again leaves the budget lower by that. The code at the head expects the flags as the main pass
// had them there (m_flags_before): nothing, if they are dead there; otherwise a back edge goes
// round through a peeled copy of the instructions up to a join point, which takes the pending
// flags as they are, or, when the code at the head expects them in the Cpu, stores them.
void Emitter::emit_loop_edge(unsigned index, unsigned head, const FlagState& state) {
  const i32 ran = static_cast<i32>(index + 1 - head), charge = static_cast<i32>(src.count - head);
  as.sub(reg::kLeft, ran);
  const int join = join_after(head, index);
  if (live_before(head) == 0) {
    as.jge(m_head[head]);
  } else if (join >= 0) {
    const asmjit::Label peeled = as.newLabel();
    as.jge(peeled);
    cold([this, peeled, head, join, state] { emit_peeled_copy(peeled, head, static_cast<unsigned>(join), state); });
  } else {
    const asmjit::Label out = as.newLabel();
    as.jl(out);
    enter_with_flags_in_cpu(head, state);
    as.bind(out);
  }
  as.add(reg::kLeft, charge);
  emit_store_flags(*this, state);
  as.mov(cpu_mem(layout.eip, 4), src.insns[head].eip);
  as.xor_(a::eax, a::eax);
  as.jmp(runtime.exit);
}

int Emitter::loop_head(u32 eip) const {
  for (unsigned head = 0; head <= m_index; ++head) {
    if (src.insns[head].eip != eip) continue;
    const bool goes_round = live_before(head) == 0 || join_after(head, m_index) >= 0 || expects_flags_in_cpu(head);
    return goes_round ? static_cast<int>(head) : -1;
  }
  return -1;
}

void Emitter::enter_with_flags_in_cpu(unsigned head, const FlagState& state) {
  emit_store_flags(*this, state);
  // The head's code may test host flags it had loaded from the Cpu.
  if (m_flags_before[head].host_valid) emit_host_flags(*this, m_flags_before[head]);
  as.jmp(m_head[head]);
}

int Emitter::join_after(unsigned head, unsigned index) const {
  if (m_peeling) return -1;
  for (unsigned j = head; j < index && !m_ends_in_exit[j]; ++j) {
    const bool dead = m_join_flags[j].where == FlagState::Where::kDead;
    if (m_join[j].isValid() && (dead || m_join_pending_from[j] >= head)) return static_cast<int>(j);
  }
  return -1;
}

int Emitter::forward_head(u32 eip) const {
  for (unsigned head = m_index + 1; head < src.count; ++head)
    if (src.insns[head].eip == eip) return static_cast<int>(head);
  return -1;
}

void Emitter::jump_forward_if(a::CondCode cc, unsigned head) { conditional_edge(cc, head, &Emitter::emit_forward_edge); }

void Emitter::conditional_edge(a::CondCode cc, unsigned head, EdgeEmitter edge) {
  const asmjit::Label label = as.newLabel();
  as.j(cc, label);
  const FlagState state = flags;
  const unsigned index = m_index;
  const bool peeling = m_peeling;
  cold([this, label, index, head, state, peeling, edge] {
    as.bind(label);
    m_peeling = peeling;
    (this->*edge)(index, head, state);
    m_peeling = false;
  });
}

bool Emitter::expects_flags_in_cpu(unsigned head) const {
  const FlagState& before = m_flags_before[head];
  return before.where == FlagState::Where::kMemory && !before.known;
}

void Emitter::emit_forward_edge(unsigned index, unsigned head, const FlagState& state) {
  const bool flags_in_cpu = expects_flags_in_cpu(head);
  const int join = join_after(head, src.count);
  if (live_before(head) != 0 && !flags_in_cpu && join < 0) {
    // Out of the block, as a side exit.
    as.add(reg::kLeft, static_cast<i32>(src.count - index - 1));
    emit_store_flags(*this, state);
    patchable_exit(false, a::CondCode::kO, src.insns[head].eip);
    return;
  }
  if (const u32 skipped = head - index - 1) as.lea(reg::kLeft, a::ptr(reg::kLeft, static_cast<i32>(skipped)));
  if (live_before(head) == 0) {
    as.jmp(m_head[head]);
  } else if (join >= 0) {
    emit_peeled_copy(as.newLabel(), head, static_cast<unsigned>(join), state);
  } else {
    enter_with_flags_in_cpu(head, state);
  }
}

void Emitter::note_join_point() {
  if (m_block_closed) return;
  const bool pending_in_registers = flags.where == FlagState::Where::kPending && flags.res.kind != FlagValue::kStored &&
                                    flags.src1.kind != FlagValue::kStored && flags.src2.kind != FlagValue::kStored;
  if (!pending_in_registers && flags.where != FlagState::Where::kDead) return;
  m_join[m_index] = as.newLabel();
  as.bind(m_join[m_index]);
  m_join_flags[m_index] = flags;
  m_join_pending_from[m_index] = m_pending_from;
}

void Emitter::emit_peeled_copy(asmjit::Label entry, unsigned head, unsigned join, const FlagState& state) {
  as.bind(entry);
  const bool closed = m_block_closed;
  m_block_closed = false;  // emit_insn() reads it for the instruction it emits
  m_peeling = true;
  flags = state;
  flags.host_valid = 0;  // the budget arithmetic on the way here changed the host flags
  for (m_index = head; m_index <= join; ++m_index) emit_insn();
  m_peeling = false;
  m_block_closed = closed;
  // The registers hold what the main pass's description refers to; only the host flags may differ.
  const FlagState& expected = m_join_flags[join];
  if (expected.host_valid && !expected.covered_by(flags)) emit_host_flags(*this, expected);
  as.jmp(m_join[join]);
}

void Emitter::loop_to(unsigned head) {
  emit_loop_edge(m_index, head, flags);
  m_block_closed = true;
}

void Emitter::loop_to_if(a::CondCode cc, unsigned head) { conditional_edge(cc, head, &Emitter::emit_loop_edge); }

void Emitter::side_exit_if(a::CondCode cc, u32 eip) {
  const asmjit::Label out = as.newLabel();
  as.j(cc, out);
  const FlagState state = flags;
  const u32 not_run = src.count - m_index - 1;
  cold([this, out, state, not_run, eip] {
    as.bind(out);
    as.add(reg::kLeft, static_cast<i32>(not_run));
    emit_store_flags(*this, state);
    patchable_exit(false, a::CondCode::kO, eip);
  });
}

void Emitter::patchable_exit(bool conditional, a::CondCode cc, u32 eip) {
  // Same linear page as the block start: the target's physical page is then the block's own.
  const u32 target_lin = src.lin - src.eip + eip;
  if ((target_lin >> 12) != (src.lin >> 12)) {
    // Another page: its mapping may change, so the jump cache checks it every time.
    const asmjit::Label lookup = jump_cache_lookup(), skip = as.newLabel();
    if (conditional) as.j(a::negateCond(cc), skip);
    as.mov(reg::kVal2.r32(), eip);
    as.jmp(lookup);
    if (conditional) as.bind(skip);
    return;
  }
  BlockExit& exit = engine.new_exit();
  exit.from = &block;
  exit.target_eip = eip;
  exit.chainable = true;
  const asmjit::Label jump = as.newLabel(), stub = as.newLabel();
  as.bind(jump);
  if (conditional)
    as.long_().j(cc, stub);
  else
    as.long_().jmp(stub);
  m_patchable.push_back({&exit, jump, stub, conditional});
  BlockExit* e = &exit;
  cold([this, stub, eip, e] {
    as.bind(stub);
    as.mov(cpu_mem(layout.eip, 4), eip);
    as.mov(a::rax, reinterpret_cast<u64>(e));
    as.jmp(runtime.exit);
  });
}

}  // namespace tern::x64

namespace tern::x64 {

a::Gp Emitter::reg_view(u8 r, u8 size) const {
  if (size == 1 && r >= 4) return a::Gp();
  return view(guest_reg(r), size);
}

void Emitter::load_operand(const Operand& o, const a::Gp& dst) {
  const a::Gp d32 = dst.r32();
  if (o.kind == OperandKind::kImm) {
    as.mov(d32, o.size == 4 ? d().imm : d().imm & ((1u << (8 * o.size)) - 1));
    return;
  }
  if (o.size == 4) {
    as.mov(d32, guest_reg(o.reg).r32());
  } else if (o.size == 2 || o.reg < 4) {
    as.movzx(d32, reg_view(o.reg, o.size));
  } else {  // AH CH DH BH
    as.mov(d32, guest_reg(o.reg - 4).r32());
    as.shr(d32, 8);
    as.movzx(d32, dst.r8Lo());
    host_flags_clobbered();
  }
}

asmjit::Imm Emitter::sized_imm(u32 v, u8 size) {
  if (size == 1) return asmjit::Imm(static_cast<i8>(v));
  if (size == 2) return asmjit::Imm(static_cast<i16>(v));
  return asmjit::Imm(static_cast<i32>(v));
}

void Emitter::store_reg(u8 r, u8 size, const a::Gp& value) {
  guest_reg_written(full_reg(r, size));
  write_reg_raw(r, size, value);
}

void Emitter::write_reg_raw(u8 r, u8 size, const a::Gp& value) {
  const u8 full = full_reg(r, size);
  if (size == 1 && r >= 4) {
    // Bits 8-15: rotate them to the bottom, replace, rotate back.
    const a::Gp host = guest_reg(full).r32();
    as.ror(host, 8);
    as.mov(host.r8Lo(), value.r8Lo());
    as.rol(host, 8);
    host_flags_clobbered();
    return;
  }
  as.mov(reg_view(r, size), view(value, size));
}

}  // namespace tern::x64
