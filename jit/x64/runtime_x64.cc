// The runtime stubs every block shares, emitted at the start of each code cache generation:
// entering generated code from C++, leaving it, calling the interpreter handler, and turning the
// lazy flags in the Cpu back into host flags.
#include "cpu/cpu.h"
#include "jit/helpers.h"
#include "jit/jit_engine.h"
#include "jit/x64/backend_x64.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

const a::Gp kCalleeSaved[6] = {a::rbx, a::rbp, a::r12, a::r13, a::r14, a::r15};

void store_guest_regs(a::Assembler& as, const CpuLayout& l) {
  for (u8 r = 0; r < 8; ++r) as.mov(cpu_mem(l.gpr[r], 4), guest_reg(r).r32());
}

void load_guest_regs(a::Assembler& as, const CpuLayout& l) {
  for (u8 r = 0; r < 8; ++r) as.mov(guest_reg(r).r32(), cpu_mem(l.gpr[r], 4));
}

// enter(Cpu* rdi, const u8* code rsi): saves the host's callee-saved registers, loads the guest
// registers and the budget, and jumps to the block.
void emit_enter(a::Assembler& as, const CpuLayout& l, const a::Mem& left) {
  for (const a::Gp& r : kCalleeSaved) as.push(r);
  as.sub(a::rsp, 8);  // 6 pushes after the call: realign to 16
  as.mov(reg::kCpu, a::rdi);
  as.mov(a::rax, a::rsi);
  load_guest_regs(as, l);
  as.mov(reg::kLeft, left);
  as.jmp(a::rax);
}

// exit: rax = the BlockExit* taken (or 0); stores the guest registers and the budget and returns
// to enter's caller.
void emit_exit(a::Assembler& as, const CpuLayout& l, const a::Mem& left) {
  store_guest_regs(as, l);
  as.mov(left, reg::kLeft);
  as.add(a::rsp, 8);
  for (int i = 5; i >= 0; --i) as.pop(kCalleeSaved[i]);
  as.ret();
}

// run_op (call, rax = OpSite*): the Cpu gets the guest registers and budget, jit_run_op runs the
// handler, and generated code gets them back.
void emit_run_op(a::Assembler& as, const CpuLayout& l, const a::Mem& left, JitEngine* engine) {
  store_guest_regs(as, l);
  as.mov(left, reg::kLeft);
  as.sub(a::rsp, 8);  // the call into this stub misaligned the stack by 8
  as.mov(a::rsi, a::rax);
  as.mov(a::rdi, reinterpret_cast<u64>(engine));
  as.mov(a::rax, reinterpret_cast<u64>(&jit_run_op));
  as.call(a::rax);
  as.add(a::rsp, 8);
  load_guest_regs(as, l);
  as.mov(reg::kLeft, left);
  as.ret();
}

}  // namespace

bool X64Backend::emit_runtime(CodeCache& cache) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64), reinterpret_cast<u64>(cache.cursor()));
  a::Assembler as(&code);
  const a::Mem left = a::qword_ptr(reinterpret_cast<u64>(&cache.context().left));
  asmjit::Label enter = as.newLabel(), exit = as.newLabel(), run_op = as.newLabel(), load_flags = as.newLabel();
  asmjit::Label flags_to_eflags = as.newLabel();
  as.bind(enter);
  emit_enter(as, m_layout, left);
  as.align(asmjit::AlignMode::kCode, 16);
  as.bind(exit);
  emit_exit(as, m_layout, left);
  as.align(asmjit::AlignMode::kCode, 16);
  as.bind(run_op);
  emit_run_op(as, m_layout, left, &m_engine);
  as.align(asmjit::AlignMode::kCode, 16);
  as.bind(load_flags);
  emit_load_flags(as, m_layout);
  as.align(asmjit::AlignMode::kCode, 16);
  as.bind(flags_to_eflags);
  emit_flags_to_eflags(as, m_layout, load_flags);
  size_t size = 0;
  u8* at = place(code, &size);
  if (!at) return false;
  m_runtime.enter = at + code.labelOffsetFromBase(enter);
  m_runtime.exit = at + code.labelOffsetFromBase(exit);
  m_runtime.run_op = at + code.labelOffsetFromBase(run_op);
  m_runtime.load_flags = at + code.labelOffsetFromBase(load_flags);
  m_runtime.flags_to_eflags = at + code.labelOffsetFromBase(flags_to_eflags);
  const std::pair<asmjit::Label, const char*> stubs[] = {{enter, "tern_jit_enter"}, {exit, "tern_jit_exit"},
      {run_op, "tern_jit_run_op"}, {load_flags, "tern_jit_load_flags"}, {flags_to_eflags, "tern_jit_flags_to_eflags"}};
  for (size_t i = 0; i < std::size(stubs); ++i) {
    const size_t start = code.labelOffsetFromBase(stubs[i].first);
    const size_t end = i + 1 < std::size(stubs) ? code.labelOffsetFromBase(stubs[i + 1].first) : size;
    m_engine.perf_map().add(at + start, end - start, stubs[i].second);
  }
  return true;
}

}  // namespace tern::x64
