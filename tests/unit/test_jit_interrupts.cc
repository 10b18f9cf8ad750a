// Interrupts and device events under the JIT. Blocks are entered only when the budget covers
// them and helpers stop a block after the instruction that raised an event, so the JIT takes an
// interrupt at the same instruction boundary as the interpreter: the retired count at delivery
// and the EIP pushed are the same under both engines.
#include <catch2/catch.hpp>

#include <array>
#include <functional>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

namespace {

constexpr u8 kVector = 0x20;
constexpr u16 kIrqPort = 0x80;

struct Controller : InterruptAcknowledge {
  Cpu* cpu = nullptr;
  u8 acknowledge() override {
    cpu->set_irq(Cpu::kIntrLine, false);
    return kVector;
  }
};

struct Delivery {
  u64 retired;  // instructions retired when the handler's HLT stopped the CPU
  u32 pushed_eip;
  u32 pushed_eflags;  // the flags as the interrupted instruction left them
  u32 ebx;
};

// The IDT gets vector 0x20; the machine loop runs the CPU to each timer deadline as
// Machine::run_for does.
class IrqRig {
 public:
  explicit IrqRig(bool jit) : rig(jit), timer(rig.clock, [this] { rig.cpu.set_irq(Cpu::kIntrLine, true); }) {
    ack.cpu = &rig.cpu;
    rig.cpu.set_interrupt_controller(&ack);
    const u32 handler = JitRig::kHandlers + 16 * kVector;
    rig.cpu.idtr.limit = 0x30 * 8 - 1;
    rig.put32(JitRig::kIdt + 8 * kVector, (0x08u << 16) | (handler & 0xFFFF));
    rig.put32(JitRig::kIdt + 8 * kVector + 4, (handler & 0xFFFF0000u) | 0x8E00);
    rig.mem.ram_ptr(handler, 1)[0] = 0xF4;
    rig.io.map(kIrqPort, 1, IoOps{nullptr, [this](u32, u32, unsigned) { rig.cpu.set_irq(Cpu::kIntrLine, true); }, 1});
  }

  Delivery run() {
    while (!rig.cpu.halted) {
      const u64 deadline = rig.clock.next_deadline();
      rig.cpu.run(deadline == Clock::kNever ? 1'000'000 : std::max<u64>(1, rig.clock.instructions_until(deadline)));
      rig.clock.run_due();
    }
    const u32 esp = rig.cpu.gpr[kEsp];
    return {rig.cpu.retired(), rig.get32(esp), rig.get32(esp + 8), rig.cpu.gpr[kEbx]};
  }

  JitRig rig;
  Controller ack;
  Timer timer;
};

// A long-running loop with interrupts enabled: one block that loops back into itself (its first
// instruction overwrites every flag), with a side exit.
void busy_loop(x::Assembler& a) {
  asmjit::Label loop = a.newLabel(), skip = a.newLabel();
  a.sti();
  a.xor_(x::ebx, x::ebx);
  a.bind(loop);
  a.add(x::ebx, 1);
  a.test(x::ebx, 3);
  a.jnz(skip);
  a.add(x::eax, x::ebx);
  a.bind(skip);
  a.jmp(loop);
}

// Runs `program` under the interpreter ([0]) and the JIT ([1]) with the timer `delay_ns` ahead,
// and checks that the interrupt came at the same instruction with the same flags.
std::array<Delivery, 2> timer_interrupt_under_both(const std::function<void(x::Assembler&)>& program, u64 delay_ns) {
  std::array<Delivery, 2> d;
  for (bool jit : {false, true}) {
    IrqRig r(jit);
    r.rig.assemble(JitRig::kCode, program);
    r.rig.cpu.eflags |= fl::IF;
    r.timer.arm_in(delay_ns);
    d[jit] = r.run();
  }
  INFO("delay " << delay_ns << " ns");
  CHECK(d[1].retired == d[0].retired);
  CHECK(d[1].pushed_eip == d[0].pushed_eip);
  CHECK(d[1].pushed_eflags == d[0].pushed_eflags);
  return d;
}

// A loop with interrupts enabled (EBX = 0 first), the timer set one instruction further on each
// run, from 1 us to `until_ns`: the interrupt comes at each instruction of the loop in turn.
void interrupt_at_each_instruction_of_loop(const std::function<void(x::Assembler&, asmjit::Label)>& body, u64 until_ns) {
  auto program = [&body](x::Assembler& a) {
    asmjit::Label loop = a.newLabel();
    a.sti();
    a.xor_(x::ebx, x::ebx);
    a.bind(loop);
    body(a, loop);
  };
  for (u64 delay_ns = 1'000; delay_ns < until_ns; delay_ns += 10) timer_interrupt_under_both(program, delay_ns);
}

}  // namespace

TEST_CASE("a timer interrupt is taken at the same instruction under the JIT as under the interpreter") {
  for (u64 delay_ns : {1'000u, 12'345u, 999'999u}) {
    const std::array<Delivery, 2> d = timer_interrupt_under_both(busy_loop, delay_ns);
    CHECK(d[1].ebx == d[0].ebx);
    CHECK(d[1].ebx > 0);
  }
}

TEST_CASE("an interrupt raised by an OUT in the middle of a block is taken right after it") {
  Delivery d[2];
  for (bool jit : {false, true}) {
    IrqRig r(jit);
    r.rig.assemble(JitRig::kCode, [](x::Assembler& a) {
      a.sti();
      a.mov(x::ebx, 1);
      a.add(x::ebx, 1);
      a.out(kIrqPort, x::al);  // raises INTR
      a.add(x::ebx, 10);      // must not run before the interrupt
      a.add(x::ebx, 100);
      a.hlt();
    });
    d[jit] = r.run();
  }
  CHECK(d[0].ebx == 2);
  CHECK(d[1].ebx == d[0].ebx);
  CHECK(d[1].pushed_eip == d[0].pushed_eip);
  CHECK(d[1].retired == d[0].retired);
}

TEST_CASE("an interrupt at a loop's back edge pushes the flags of the loop's last instruction") {
  // The block loops back into itself without storing its flags (its first instruction overwrites
  // them all); when the budget ends at the back edge it must store them before it leaves.
  interrupt_at_each_instruction_of_loop(
      [](x::Assembler& a, asmjit::Label loop) {
        a.add(x::ebx, 1);
        a.mov(x::eax, x::ebx);
        a.and_(x::eax, 7);
        a.cmp(x::eax, 5);
        a.jmp(loop);
      },
      1'300);
}

TEST_CASE("an interrupt at a back edge from the middle of a block pushes that edge's flags") {
  // Two back edges into one block: a JNZ in its middle (the block goes on after it) and the JMP at
  // its end; the block's first instruction overwrites every flag.
  interrupt_at_each_instruction_of_loop(
      [](x::Assembler& a, asmjit::Label loop) {
        a.add(x::ebx, 1);
        a.mov(x::eax, x::ebx);
        a.and_(x::eax, 3);
        a.jnz(loop);
        a.add(x::ecx, x::ebx);
        a.jmp(loop);
      },
      1'300);
}

TEST_CASE("an interrupt in a loop whose first instruction reads memory pushes the back edge's flags") {
  // The first instruction may fault, so it sees the flags of the previous pass: the back edges go
  // round through a second copy of the first two instructions that takes those flags as they are
  // pending, and must store them when the budget ends there.
  interrupt_at_each_instruction_of_loop(
      [](x::Assembler& a, asmjit::Label loop) {
        a.mov(x::eax, x::dword_ptr(JitRig::kData));
        a.add(x::eax, x::ebx);
        a.mov(x::dword_ptr(JitRig::kData), x::eax);
        a.sub(x::ebx, 7);
        a.test(x::ebx, 8);
        a.jnz(loop);
        a.adc(x::ecx, x::ebx);
        a.dec(x::edx);
        a.jmp(loop);
      },
      1'400);
}

TEST_CASE("an interrupt in a loop whose exit branch skips past its closing JMP is taken exactly") {
  // The JZ skips past the loop's closing JMP, so the block goes on after that JMP: the JZ becomes
  // a jump inside the block, and the code after the JMP closes a second loop.
  interrupt_at_each_instruction_of_loop(
      [](x::Assembler& a, asmjit::Label loop) {
        asmjit::Label every_eighth = a.newLabel();
        a.add(x::ebx, 1);
        a.test(x::ebx, 7);
        a.jz(every_eighth);
        a.add(x::ecx, x::ebx);
        a.jmp(loop);
        a.bind(every_eighth);
        a.mov(x::eax, x::dword_ptr(JitRig::kData));
        a.adc(x::eax, x::ecx);
        a.mov(x::dword_ptr(JitRig::kData), x::eax);
        a.jmp(loop);
      },
      1'500);
}
