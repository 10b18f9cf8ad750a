// Event delivery of the CPU core, driven directly without a board or nasm: NMI blocking, the
// STI and MOV SS interrupt shadows, the order of a single-step trap and a pending interrupt,
// EXT in the error code of a fault raised while delivering a hardware interrupt, and the
// escalation from #DF to a triple fault; save and restore of the CPU state.
#include <catch2/catch.hpp>

#include <cstring>
#include <initializer_list>
#include <vector>

#include "base/bits.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/state.h"
#include "cpu/cpu.h"
#include "mmu/io_space.h"
#include "mmu/phys_memory.h"

using namespace tern;

namespace {

// An interrupt controller that always answers with one vector.
struct FixedVector : InterruptAcknowledge {
  u8 vector = 0x20;
  int acks = 0;
  u8 acknowledge() override {
    ++acks;
    return vector;
  }
};

constexpr u32 kGdt = 0x1000;
constexpr u32 kIdt = 0x2000;
constexpr u16 kCode = 0x08;
constexpr u16 kData = 0x10;

// A CPU with 1 MiB of RAM and helpers to place code and tables.
struct Rig {
  PhysMemory mem{1 << 20};
  IoSpace io;
  Clock clock;
  Cpu cpu{mem, io, clock};
  FixedVector pic;

  Rig() { cpu.set_interrupt_controller(&pic); }

  void poke(u32 addr, std::initializer_list<u8> bytes) { poke(addr, bytes.begin(), bytes.size()); }
  // Through dma_write, as a device would: the CPU's decoded-instruction cache sees the change.
  void poke(u32 addr, const u8* bytes, size_t size) { mem.dma_write(addr, bytes, size); }
  void poke32(u32 addr, u32 value) { store_le<u32>(mem.ram_bytes() + addr, value); }
  u16 peek16(u32 addr) { return load_le<u16>(mem.ram_bytes() + addr); }
  u32 peek32(u32 addr) { return load_le<u32>(mem.ram_bytes() + addr); }

  // Real mode, CS = 0 at `ip`, SS:SP = 0:0x8000, IVT at 0.
  void real_mode_at(u16 ip) {
    cpu.seg[kCs].selector = 0;
    cpu.seg[kCs].base = 0;
    cpu.refresh_segment(cpu.seg[kCs]);
    cpu.gpr[kEsp] = 0x8000;
    cpu.eip = cpu.next_eip = ip;
  }
  void ivt(u8 vector, u16 ip) { poke32(vector * 4u, ip); }

  // Flat 32-bit protected mode at `eip`, ESP = 0x9000, an IDT of 256 absent gates.
  void protected_mode_at(u32 eip) {
    constexpr u64 kCodeDescriptor = 0x00CF9B000000FFFFull;
    constexpr u64 kDataDescriptor = 0x00CF93000000FFFFull;
    poke32(kGdt + 8, static_cast<u32>(kCodeDescriptor));
    poke32(kGdt + 12, static_cast<u32>(kCodeDescriptor >> 32));
    poke32(kGdt + 16, static_cast<u32>(kDataDescriptor));
    poke32(kGdt + 20, static_cast<u32>(kDataDescriptor >> 32));
    cpu.gdtr = {kGdt, 23};
    cpu.idtr = {kIdt, 256 * 8 - 1};
    cpu.set_cr0(cpu.cr0 | cr0::PE);
    for (u8 s = 0; s < kSegCount; ++s) {
      cpu.seg[s] = s == kCs ? Cpu::segment_from_descriptor(kCode, kCodeDescriptor)
                            : Cpu::segment_from_descriptor(kData, kDataDescriptor);
      cpu.refresh_segment(cpu.seg[s]);
    }
    cpu.gpr[kEsp] = 0x9000;
    cpu.eip = cpu.next_eip = eip;
  }
  // A 32-bit interrupt (0x8E) or trap (0x8F) gate to `offset` in the flat code segment.
  void gate(u8 vector, u32 offset, u8 access) {
    poke32(kIdt + vector * 8u, (u32{kCode} << 16) | (offset & 0xFFFF));
    poke32(kIdt + vector * 8u + 4, (offset & 0xFFFF0000u) | (u32{access} << 8));
  }
};

constexpr u8 kJmpSelf[] = {0xEB, 0xFE};

}  // namespace

TEST_CASE("NMI is delivered through the IVT and held off until the handler's IRET") {
  Rig r;
  r.real_mode_at(0x100);
  r.poke(0x100, {0xEB, 0xFE});                    // jmp $
  r.poke(0x200, {0xFE, 0x06, 0x00, 0x05,          // inc byte [0x500]
                 0xEB, 0xFE});                    // jmp $ (patched to IRET below)
  r.ivt(kNMI, 0x200);
  r.cpu.set_irq(Cpu::kNmiLine, true);
  r.cpu.run(20);
  CHECK(r.mem.ram_bytes()[0x500] == 1);
  CHECK(r.cpu.eip == 0x204);

  // A second NMI while the handler runs stays pending ...
  r.cpu.set_irq(Cpu::kNmiLine, false);
  r.cpu.set_irq(Cpu::kNmiLine, true);
  r.cpu.run(20);
  CHECK(r.mem.ram_bytes()[0x500] == 1);

  // ... until the handler returns with IRET.
  r.poke(0x204, {0xCF});
  r.cpu.run(20);
  CHECK(r.mem.ram_bytes()[0x500] == 2);
  CHECK(r.cpu.eip == 0x100);
}

TEST_CASE("INTR is accepted only after the instruction that follows STI") {
  Rig r;
  r.real_mode_at(0x100);
  r.poke(0x100, {0xFA, 0x90, 0xFB, 0x90, 0xEB, 0xFE});  // cli; nop; sti; nop; jmp $
  r.poke(0x300, {0xEB, 0xFE});
  r.ivt(0x20, 0x300);
  r.cpu.set_irq(Cpu::kIntrLine, true);
  r.cpu.run(3);  // cli, nop, sti: masked, then in the shadow
  CHECK(r.pic.acks == 0);
  r.cpu.run(10);
  REQUIRE(r.pic.acks >= 1);
  CHECK(r.peek16(0x8000 - 6) == 0x104);  // pushed IP: after the NOP that follows STI
}

TEST_CASE("MOV SS holds off interrupts for one instruction") {
  Rig r;
  r.real_mode_at(0x100);
  r.cpu.eflags |= fl::IF;
  r.poke(0x100, {0x8E, 0xD0,   // mov ss, ax (AX = 0)
                 0x90,         // nop: still in the shadow
                 0xEB, 0xFE});
  r.poke(0x300, {0xEB, 0xFE});
  r.ivt(0x20, 0x300);
  r.cpu.run(1);
  r.cpu.set_irq(Cpu::kIntrLine, true);
  r.cpu.run(1);  // the NOP runs before the interrupt
  CHECK(r.pic.acks == 0);
  r.cpu.run(1);
  CHECK(r.pic.acks == 1);
  CHECK(r.peek16(0x8000 - 6) == 0x103);
}

TEST_CASE("POP SS holds off interrupts for one instruction") {
  Rig r;
  r.real_mode_at(0x100);
  r.cpu.eflags |= fl::IF;
  r.poke(0x100, {0x6A, 0x00,   // push 0
                 0x17,         // pop ss
                 0x90,         // nop: still in the shadow
                 0xEB, 0xFE});
  r.poke(0x300, kJmpSelf, sizeof kJmpSelf);
  r.ivt(0x20, 0x300);
  r.cpu.run(2);
  r.cpu.set_irq(Cpu::kIntrLine, true);
  r.cpu.run(1);
  CHECK(r.pic.acks == 0);
  r.cpu.run(1);
  CHECK(r.pic.acks == 1);
  CHECK(r.peek16(0x8000 - 6) == 0x104);
}

TEST_CASE("a single-step trap is taken before a pending interrupt") {
  Rig r;
  r.protected_mode_at(0x100);
  r.cpu.eflags |= fl::IF | fl::TF;
  r.poke(0x100, {0x90, 0xEB, 0xFE});  // nop; jmp $
  r.poke(0x300, {0xEB, 0xFE});
  r.poke(0x400, {0xEB, 0xFE});
  r.gate(kDB, 0x300, 0x8F);  // trap gate: IF stays set
  r.gate(0x20, 0x400, 0x8E);
  r.cpu.run(1);  // the NOP; its trap is due at the next boundary
  r.cpu.set_irq(Cpu::kIntrLine, true);
  r.cpu.run(1);  // #DB, then the interrupt before the #DB handler's first instruction
  CHECK(r.cpu.dr[6] & dr6::BS);
  CHECK(r.cpu.eip == 0x400);
  CHECK(r.peek32(0x9000 - 12) == 0x101);  // #DB frame: EIP after the NOP
  CHECK(r.peek32(0x9000 - 24) == 0x300);  // interrupt frame: EIP of the #DB handler
}

TEST_CASE("a fault while delivering a hardware interrupt carries EXT and is not a double fault") {
  Rig r;
  r.protected_mode_at(0x100);
  r.cpu.eflags |= fl::IF;
  r.poke(0x100, kJmpSelf, sizeof kJmpSelf);
  r.poke(0x500, kJmpSelf, sizeof kJmpSelf);
  r.gate(kNP, 0x500, 0x8E);
  r.gate(kDF, 0x600, 0x8E);
  r.gate(0x20, 0x400, 0x0E);  // not present
  r.cpu.set_irq(Cpu::kIntrLine, true);
  r.cpu.run(1);
  CHECK(r.cpu.eip == 0x500);
  CHECK(r.peek32(0x9000 - 16) == 0x20 * 8 + 2 + 1);  // #NP(IDT, EXT)
  CHECK(r.peek32(0x9000 - 12) == 0x100);             // the interrupted EIP
}

TEST_CASE("an exception while delivering #DF is a triple fault") {
  Rig r;
  r.protected_mode_at(0x100);
  r.poke(0x100, {0x0F, 0x0B});  // ud2
  r.gate(kUD, 0x300, 0x0E);     // not present: #NP
  r.gate(kNP, 0x300, 0x0E);     // not present: #NP during #NP delivery -> #DF
  r.gate(kDF, 0x300, 0x0E);     // not present: triple fault
  r.cpu.run(10);
  CHECK(r.cpu.stop_reason() == CpuStop::kTripleFault);
}

namespace {

std::vector<u8> saved_cpu(Cpu& cpu) {
  std::vector<u8> out;
  StateIo io(out);
  cpu.serialize(io);
  return out;
}

}  // namespace

TEST_CASE("CPU state saves and loads as the identity, and both copies run on alike") {
  Rig a;
  a.protected_mode_at(0x10000);
  // mov eax, 0x12345678; mov ebx, 3; fld1; fldpi; faddp; add eax, ebx; sti; (loop:) inc ecx; jmp loop
  a.poke(0x10000, {0xB8, 0x78, 0x56, 0x34, 0x12, 0xBB, 0x03, 0x00, 0x00, 0x00, 0xD9, 0xE8, 0xD9, 0xEB, 0xDE,
                   0xC1, 0x01, 0xD8, 0xFB, 0x41, 0xEB, 0xFD});
  a.cpu.cr2 = 0xCAFEF00D;
  a.cpu.msr.sysenter_eip = 0x1234;
  a.cpu.run(9);  // stops right after STI: the interrupt shadow is part of the state
  const std::vector<u8> state = saved_cpu(a.cpu);

  Rig b;
  std::memcpy(b.mem.ram_bytes(), a.mem.ram_bytes(), 1 << 20);
  StateIo in("cpu", state);
  b.cpu.serialize(in);
  in.expect_end();
  CHECK(b.cpu.gpr[kEax] == 0x1234567B);
  CHECK(b.cpu.cr2 == 0xCAFEF00D);
  CHECK(b.cpu.msr.sysenter_eip == 0x1234);
  CHECK(b.cpu.eip == a.cpu.eip);
  CHECK(saved_cpu(b.cpu) == state);

  a.cpu.run(1000);
  b.cpu.run(1000);
  CHECK(b.cpu.gpr[kEcx] == a.cpu.gpr[kEcx]);
  CHECK(saved_cpu(b.cpu) == saved_cpu(a.cpu));
}

TEST_CASE("a CPU section with a byte missing is refused") {
  Rig a;
  std::vector<u8> state = saved_cpu(a.cpu);
  state.pop_back();
  Rig b;
  StateIo in("cpu", state);
  CHECK_THROWS_AS(b.cpu.serialize(in), Error);
}
