// JIT against interpreter on generated programs: straight-line mixes of the instructions the
// x86-64 backend has inline forms for (and some it hands to handlers), in every operand form and
// size, over edge-value registers and memory. Each program runs once under each engine from the
// same state; registers, flags, memory, the retired count and any exception must agree.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "tests/unit/jit_rig.h"

using namespace tern;
using tern::test::JitRig;
namespace x = asmjit::x86;

namespace {

constexpr u32 kSrc = JitRig::kData + 0x1000;  // ESI
constexpr u32 kDst = JitRig::kData + 0x8000;  // EDI

struct Random {
  u64 s;
  u32 next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<u32>(s);
  }
  u32 below(u32 n) { return next() % n; }
  bool chance(u32 percent) { return below(100) < percent; }
};

const u32 kEdgeValues[] = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
                           0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF};

u32 value(Random& r) { return r.chance(50) ? kEdgeValues[r.below(16)] : r.next(); }

// Registers the programs may write: EAX EBX ECX EDX EBP (ESI/EDI address memory, ESP the stack).
x::Gp reg(Random& r, unsigned bits) {
  static const x::Gp k32[] = {x::eax, x::ebx, x::ecx, x::edx, x::ebp};
  static const x::Gp k16[] = {x::ax, x::bx, x::cx, x::dx, x::bp};
  static const x::Gp k8[] = {x::al, x::ah, x::bl, x::bh, x::cl, x::ch, x::dl, x::dh};
  if (bits == 32) return k32[r.below(5)];
  if (bits == 16) return k16[r.below(5)];
  return k8[r.below(8)];
}

x::Mem mem(Random& r, unsigned bits) {
  const i32 disp = static_cast<i32>(r.below(64)) - 16;
  const x::Gp base = r.chance(50) ? x::esi : x::edi;
  return x::ptr(base, disp, bits / 8);
}

unsigned size_bits(Random& r) {
  static const unsigned kBits[] = {8, 16, 32, 32};
  return kBits[r.below(4)];
}

void alu(x::Assembler& a, Random& r) {
  static const asmjit::InstId kOps[] = {x::Inst::kIdAdd, x::Inst::kIdOr,  x::Inst::kIdAdc, x::Inst::kIdSbb, x::Inst::kIdAnd,
                                        x::Inst::kIdSub, x::Inst::kIdXor, x::Inst::kIdCmp, x::Inst::kIdTest};
  const asmjit::InstId op = kOps[r.below(9)];
  const unsigned bits = size_bits(r);
  const asmjit::Imm imm(static_cast<i64>(static_cast<i32>(value(r))) & ((bits == 32) ? -1 : (1ll << bits) - 1));
  switch (r.below(5)) {
    case 0: a.emit(op, reg(r, bits), reg(r, bits)); break;
    case 1: a.emit(op, reg(r, bits), imm); break;
    case 2: a.emit(op, op == x::Inst::kIdTest ? asmjit::Operand(mem(r, bits)) : asmjit::Operand(reg(r, bits)),
                   op == x::Inst::kIdTest ? asmjit::Operand(reg(r, bits)) : asmjit::Operand(mem(r, bits)));
      break;
    case 3: a.emit(op, mem(r, bits), reg(r, bits)); break;
    default: a.emit(op, mem(r, bits), imm); break;
  }
}

void unary(x::Assembler& a, Random& r) {
  static const asmjit::InstId kOps[] = {x::Inst::kIdInc, x::Inst::kIdDec, x::Inst::kIdNeg, x::Inst::kIdNot};
  const unsigned bits = size_bits(r);
  if (r.chance(70))
    a.emit(kOps[r.below(4)], reg(r, bits));
  else
    a.emit(kOps[r.below(4)], mem(r, bits));
}

void shift(x::Assembler& a, Random& r) {
  static const asmjit::InstId kOps[] = {x::Inst::kIdShl, x::Inst::kIdShr, x::Inst::kIdSar, x::Inst::kIdRol,
                                        x::Inst::kIdRor, x::Inst::kIdRcl, x::Inst::kIdRcr};
  const asmjit::InstId op = kOps[r.below(7)];
  const unsigned bits = size_bits(r);
  const asmjit::Operand dst = r.chance(75) ? asmjit::Operand(reg(r, bits)) : asmjit::Operand(mem(r, bits));
  if (r.chance(25))
    a.emit(op, dst, x::cl);
  else
    a.emit(op, dst, r.chance(50) ? 1 : r.below(34));
}

void multiply(x::Assembler& a, Random& r) {
  const unsigned bits = size_bits(r);
  switch (r.below(3)) {
    case 0: a.emit(r.chance(50) ? x::Inst::kIdMul : x::Inst::kIdImul, r.chance(70) ? asmjit::Operand(reg(r, bits)) : asmjit::Operand(mem(r, bits))); break;
    case 1: {
      const unsigned wide = bits == 8 ? 32 : bits;
      a.emit(x::Inst::kIdImul, reg(r, wide), r.chance(60) ? asmjit::Operand(reg(r, wide)) : asmjit::Operand(mem(r, wide)));
      break;
    }
    default: {
      const unsigned wide = bits == 8 ? 16 : bits;
      a.emit(x::Inst::kIdImul, reg(r, wide), reg(r, wide), asmjit::Imm(static_cast<i16>(value(r))));
      break;
    }
  }
}

void flag_reader(x::Assembler& a, Random& r) {
  const x::CondCode cc = static_cast<x::CondCode>(r.below(16));
  switch (r.below(5)) {
    case 0:
      if (r.chance(70)) a.set(cc, reg(r, 8)); else a.set(cc, mem(r, 8));
      break;
    case 1: {
      const unsigned bits = r.chance(50) ? 16 : 32;
      a.emit(x::Inst::cmovccFromCond(cc), reg(r, bits), r.chance(60) ? asmjit::Operand(reg(r, bits)) : asmjit::Operand(mem(r, bits)));
      break;
    }
    case 2:  // every flag, as the guest would see it
      a.pushfd();
      a.pop(reg(r, 32));
      break;
    case 3: {  // a conditional branch over one instruction (a block boundary)
      asmjit::Label over = a.newLabel();
      a.j(cc, over);
      alu(a, r);
      a.bind(over);
      break;
    }
    default: {
      static const asmjit::InstId kCarry[] = {x::Inst::kIdClc, x::Inst::kIdStc, x::Inst::kIdCmc};
      a.emit(kCarry[r.below(3)]);
      break;
    }
  }
}

void data(x::Assembler& a, Random& r) {
  const unsigned bits = size_bits(r);
  switch (r.below(9)) {
    case 0: a.mov(reg(r, bits), reg(r, bits)); break;
    case 1: a.mov(reg(r, bits), asmjit::Imm(value(r) & (bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1))); break;
    case 2: a.mov(reg(r, bits), mem(r, bits)); break;
    case 3: a.mov(mem(r, bits), reg(r, bits)); break;
    case 4: {
      const unsigned to = r.chance(50) ? 32 : 16;
      const unsigned from = to == 16 ? 8 : (r.chance(50) ? 8 : 16);
      const asmjit::Operand src = r.chance(50) ? asmjit::Operand(reg(r, from)) : asmjit::Operand(mem(r, from));
      a.emit(r.chance(50) ? x::Inst::kIdMovzx : x::Inst::kIdMovsx, reg(r, to), src);
      break;
    }
    case 5: a.lea(reg(r, r.chance(70) ? 32 : 16), x::ptr(x::esi, x::ebx, r.below(4), static_cast<i32>(value(r)))); break;
    case 6: a.xchg(reg(r, bits), reg(r, bits)); break;
    case 7: {
      static const asmjit::InstId kConv[] = {x::Inst::kIdCbw, x::Inst::kIdCwde, x::Inst::kIdCwd, x::Inst::kIdCdq};
      a.emit(kConv[r.below(4)]);
      break;
    }
    default: a.xchg(mem(r, bits), reg(r, bits)); break;
  }
}

void stack(x::Assembler& a, Random& r) {
  switch (r.below(4)) {
    case 0: a.push(reg(r, 32)); a.pop(reg(r, 32)); break;
    case 1: a.push(asmjit::Imm(static_cast<i32>(value(r)))); a.pop(reg(r, r.chance(80) ? 32 : 16)); a.pop(reg(r, 16)); break;
    case 2: a.push(x::dword_ptr(x::esi, static_cast<i32>(r.below(32)))); a.pop(x::dword_ptr(x::edi, static_cast<i32>(r.below(32)))); break;
    default: a.push(reg(r, 16)); a.pop(reg(r, 16)); break;
  }
}

void string(x::Assembler& a, Random& r) {
  if (r.chance(10)) {
    if (r.chance(50)) a.std(); else a.cld();
  }
  static const asmjit::InstId kOps[] = {x::Inst::kIdMovs, x::Inst::kIdStos, x::Inst::kIdLods};
  const unsigned bits = size_bits(r);
  const asmjit::InstId op = kOps[r.below(3)];
  const x::Mem src = x::ptr(x::esi, 0, bits / 8), dst = x::ptr(x::edi, 0, bits / 8);
  const x::Gp acc = bits == 8 ? x::Gp(x::al) : bits == 16 ? x::Gp(x::ax) : x::Gp(x::eax);
  if (op == x::Inst::kIdMovs) a.emit(op, dst, src);
  else if (op == x::Inst::kIdStos) a.emit(op, dst, acc);
  else a.emit(op, acc, src);
}

void instruction(x::Assembler& a, Random& r) {
  switch (r.below(10)) {
    case 0: case 1: case 2: alu(a, r); break;
    case 3: unary(a, r); break;
    case 4: shift(a, r); break;
    case 5: multiply(a, r); break;
    case 6: flag_reader(a, r); break;
    case 7: data(a, r); break;
    case 8: stack(a, r); break;
    default: string(a, r); break;
  }
}

void program(x::Assembler& a, Random& r, unsigned length) {
  for (unsigned i = 0; i < length; ++i) instruction(a, r);
  a.hlt();
}

// Loop counters, out of reach of the programs' ESI/EDI-relative accesses.
constexpr u32 kCounters = JitRig::kData + 0xF000;

// A loop of a few passes counted in memory, with random instructions around its exits: a JNZ
// back edge, or a JZ past the closing JMP (the block goes on after the JMP); sometimes a
// conditional early exit from the middle of the body.
void loop(x::Assembler& a, Random& r, unsigned& counters) {
  const x::Mem counter = x::dword_ptr(kCounters + 4 * (counters++ % 64));
  asmjit::Label top = a.newLabel(), out = a.newLabel();
  a.mov(counter, 1 + r.below(6));
  a.bind(top);
  for (unsigned n = 1 + r.below(6); n > 0; --n) instruction(a, r);
  if (r.chance(30)) {
    a.j(static_cast<x::CondCode>(r.below(16)), out);
    for (unsigned n = r.below(4); n > 0; --n) instruction(a, r);
  }
  a.dec(counter);
  if (r.chance(50)) {
    a.jnz(top);
  } else {
    a.jz(out);
    for (unsigned n = r.below(3); n > 0; --n) instruction(a, r);
    a.jmp(top);
  }
  a.bind(out);
}

void looping_program(x::Assembler& a, Random& r, unsigned length) {
  unsigned counters = 0;
  for (unsigned i = 0; i < length; ++i) {
    if (r.chance(20)) loop(a, r, counters); else instruction(a, r);
  }
  a.hlt();
}

struct Outcome {
  u32 gpr[8];
  u32 eflags;
  u64 retired;
  int vector;
  std::vector<u8> memory;
};

// Where the programs run. The same bytes run in every mode; in real mode they decode as 16-bit
// code (other instructions, other lengths), which exercises 16-bit operands and addressing,
// segment arithmetic and whatever the bytes turn into, self-modifying stores included.
enum class Mode { kFlat32, kSegmented32, kReal16 };

// Segments based at kData; with a tight limit, some EDI-relative accesses overrun it (#GP).
void segmented(Cpu& cpu, bool tight) {
  for (u8 s : {kDs, kEs}) {
    cpu.seg[s].base = JitRig::kData;
    cpu.seg[s].limit = tight ? 0x8018 : 0xFFFF;
    cpu.refresh_segment(cpu.seg[s]);
  }
}

void real_mode(JitRig& rig) {
  Cpu& cpu = rig.cpu;
  cpu.set_cr0(cr0::ET);
  cpu.idtr = {0, 0x3FF};
  for (u32 v = 0; v < 32; ++v) rig.put32(v * 4, JitRig::kHandlers + 16 * v);  // 0000:handler
  const u16 selectors[kSegCount] = {JitRig::kData >> 4, JitRig::kCode >> 4, 0, JitRig::kData >> 4, 0, 0};
  for (u8 s = 0; s < kSegCount; ++s) {
    cpu.seg[s] = Segment{};
    cpu.seg[s].selector = selectors[s];
    cpu.seg[s].base = u32{selectors[s]} << 4;
    cpu.refresh_segment(cpu.seg[s]);
  }
  cpu.eip = cpu.next_eip = 0;
}

using ProgramFn = void (*)(x::Assembler&, Random&, unsigned);

Outcome run(bool jit, u64 seed, unsigned length, Mode mode = Mode::kFlat32, ProgramFn generate = program) {
  JitRig rig(jit);
  Random r{seed};
  rig.assemble(JitRig::kCode, [&](x::Assembler& a) { generate(a, r, length); });
  Random init{seed * 31 + 7};
  for (u32 off = 0; off < JitRig::kDataSize; off += 4) rig.put32(JitRig::kData + off, value(init));
  for (u8 i = 0; i < 8; ++i) rig.cpu.gpr[i] = value(init);
  const bool offsets = mode != Mode::kFlat32;
  rig.cpu.gpr[kEsi] = offsets ? kSrc - JitRig::kData : kSrc;
  rig.cpu.gpr[kEdi] = offsets ? kDst - JitRig::kData : kDst;
  rig.cpu.gpr[kEsp] = JitRig::kStackTop;
  rig.cpu.set_eflags(value(init), fl::kArith);
  if (mode == Mode::kSegmented32) segmented(rig.cpu, seed % 4 == 0);
  if (mode == Mode::kReal16) real_mode(rig);
  Outcome o;
  o.retired = rig.run_to_halt(mode == Mode::kReal16 ? 20000 : 100000);
  std::memcpy(o.gpr, rig.cpu.gpr, sizeof o.gpr);
  o.eflags = rig.cpu.get_eflags();
  o.vector = rig.vector();
  const u8* data = rig.mem.ram_ptr(JitRig::kData, JitRig::kDataSize);
  o.memory.assign(data, data + JitRig::kDataSize);
  const u8* code = rig.mem.ram_ptr(JitRig::kCode, 0x1000);
  o.memory.insert(o.memory.end(), code, code + 0x1000);
  const u8* stack = rig.mem.ram_ptr(JitRig::kStackTop - 256, 256);
  o.memory.insert(o.memory.end(), stack, stack + 256);
  return o;
}

void compare(u64 seeds, Mode mode, ProgramFn generate = program) {
  for (u64 seed = 1; seed <= seeds; ++seed) {
    const unsigned length = 8 + static_cast<unsigned>(seed % 48);
    const Outcome interp = run(false, seed, length, mode, generate);
    const Outcome jit = run(true, seed, length, mode, generate);
    INFO("seed " << seed << " length " << length);
    for (int i = 0; i < 8; ++i) {
      INFO("register " << i);
      REQUIRE(jit.gpr[i] == interp.gpr[i]);
    }
    REQUIRE(jit.eflags == interp.eflags);
    REQUIRE(jit.vector == interp.vector);
    REQUIRE(jit.retired == interp.retired);
    REQUIRE(jit.memory == interp.memory);
  }
}

}  // namespace

TEST_CASE("generated programs end in the same state under the JIT and the interpreter") {
  compare(1500, Mode::kFlat32);
}

TEST_CASE("with segment bases and limits (faults included), both engines agree") {
  compare(800, Mode::kSegmented32);
}

TEST_CASE("generated programs with loops (back edges, exits past a loop's JMP) agree under both engines") {
  compare(1500, Mode::kFlat32, looping_program);
  compare(300, Mode::kSegmented32, looping_program);
}

TEST_CASE("the same bytes run as 16-bit real-mode code agree under both engines") {
  compare(800, Mode::kReal16);
}

TEST_CASE("an index-only address wraps at 32 bits with a displacement above 2 GiB") {
  // [ebx*4 + disp] with ebx*4 + disp = kSrc + 2^32: the host must not sign-extend into 64 bits.
  constexpr u32 kScaled = 0x80000000u;
  const u32 disp = kSrc + kScaled;
  u32 loaded[2];
  for (bool jit : {false, true}) {
    JitRig rig(jit);
    rig.assemble(JitRig::kCode, [&](x::Assembler& a) {
      a.mov(x::ebx, kScaled / 4);
      a.mov(x::eax, x::dword_ptr_abs(disp, x::ebx, 2));
      a.mov(x::dword_ptr_abs(disp + 4, x::ebx, 2), x::ecx);
      a.hlt();
    });
    rig.put32(kSrc, 0x12345678);
    rig.cpu.gpr[kEcx] = 0xCAFEF00D;
    rig.run_to_halt(100);
    REQUIRE(rig.vector() < 0);
    loaded[jit] = rig.cpu.gpr[kEax];
    CHECK(rig.mem.ram_ptr(kSrc + 4, 4)[0] == 0x0D);
  }
  CHECK(loaded[0] == 0x12345678);
  CHECK(loaded[1] == 0x12345678);
}

TEST_CASE("with paging off, accesses to pages that do not map RAM one to one read the right bytes") {
  // Inline accesses predict RAM's addend while paging is off; a ROM page and, with A20 masked, a
  // page above 1 MiB that wraps to low RAM have other addends.
  constexpr u32 kRom = 0xFFEE0000u;  // bit 20 clear: the same address with A20 masked
  u32 loaded[2][3];
  for (bool jit : {false, true}) {
    JitRig rig(jit);
    std::vector<u8> rom(0x20000, 0);
    rom[0x1230] = 0xA5;
    rig.mem.add_rom(kRom, rom);
    rig.mem.set_a20(false);
    rig.assemble(JitRig::kCode, [&](x::Assembler& a) {
      asmjit::Label again = a.newLabel();
      a.mov(x::esi, 2);  // the first pass fills the TLB through the slow path; the second hits it
      a.bind(again);
      a.mov(x::dword_ptr(JitRig::kData), 0x11223344);
      a.mov(x::eax, x::dword_ptr(0x100000 + JitRig::kData));  // A20 masked: JitRig::kData
      a.movzx(x::ebx, x::byte_ptr(kRom + 0x1230));
      a.mov(x::ecx, x::dword_ptr(JitRig::kData));
      a.mov(x::dword_ptr(JitRig::kData), x::esi);
      a.dec(x::esi);
      a.jnz(again);
      a.hlt();
    });
    rig.run_to_halt(100);
    REQUIRE(rig.vector() < 0);
    loaded[jit][0] = rig.cpu.gpr[kEax];
    loaded[jit][1] = rig.cpu.gpr[kEbx];
    loaded[jit][2] = rig.cpu.gpr[kEcx];
  }
  for (bool jit : {false, true}) {
    INFO((jit ? "jit" : "interpreter"));
    CHECK(loaded[jit][0] == 0x11223344);
    CHECK(loaded[jit][1] == 0xA5);
    CHECK(loaded[jit][2] == 0x11223344);
  }
}

TEST_CASE("a loop whose first instruction reads the carry of its back edge's compare adds it on every pass") {
  // The back edge goes round through a copy of the ADC that takes the CMP's flags pending; the
  // budget arithmetic on the way must not stand in for them. CF alternates from pass to pass.
  u32 sum[2];
  for (bool jit : {false, true}) {
    JitRig rig(jit);
    rig.assemble(JitRig::kCode, [](x::Assembler& a) {
      asmjit::Label loop = a.newLabel(), done = a.newLabel();
      a.mov(x::ecx, 100);
      a.xor_(x::edx, x::edx);
      a.xor_(x::ebx, x::ebx);
      a.mov(x::esi, 0x40000000);
      a.bind(loop);
      a.adc(x::edx, x::esi);
      a.xor_(x::ebx, 0x80000000);
      a.dec(x::ecx);
      a.jz(done);
      a.cmp(x::esi, x::ebx);
      a.jne(loop);
      a.bind(done);
      a.hlt();
    });
    rig.run_to_halt(10000);
    REQUIRE(rig.vector() < 0);
    sum[jit] = rig.cpu.gpr[kEdx];
  }
  CHECK(sum[0] == 100u * 0x40000000u + 50);  // a carry after each odd pass but the last
  CHECK(sum[1] == sum[0]);
}

TEST_CASE("gzip's heap sift-down (a loop with exits past its closing JMP, from Linux's workload) agrees") {
  // pqdownheap() as Debian's gzip is compiled, where --jit-verify over the Linux workload found
  // a block leaving from its loop's JMP without giving back the instructions after it: forward
  // branches into the block, a loop back to its middle, code after the loop's JMP. Run in short
  // slices with TLB flushes, with and without paging.
  static const u8 kBody[] = {
      0x81, 0xc3, 0xef, 0xd3, 0x0a, 0x00, 0x89, 0xc7, 0x89, 0x14, 0x24, 0x8b, 0x83, 0xfc, 0x52, 0x00, 0x00, 0x0f,
      0xb7, 0x2c, 0x50, 0x66, 0x89, 0x6c, 0x24, 0x10, 0x01, 0xd2, 0x8b, 0xb0, 0x7c, 0x04, 0x00, 0x00, 0x89, 0x74,
      0x24, 0x0c, 0x8d, 0x0c, 0xaf, 0x89, 0x4c, 0x24, 0x08, 0x39, 0x54, 0x24, 0x0c, 0x7c, 0x76, 0x0f, 0xb7, 0x1c,
      0x50, 0x66, 0x8b, 0x34, 0x9f, 0x66, 0x89, 0x74, 0x24, 0x12, 0x7e, 0x2d, 0x8d, 0x4a, 0x01, 0x89, 0x4c, 0x24,
      0x04, 0x0f, 0xb7, 0x74, 0x50, 0x02, 0x66, 0x8b, 0x4c, 0x24, 0x12, 0x66, 0x39, 0x0c, 0xb7, 0x72, 0x12, 0x75,
      0x14, 0x8a, 0x8c, 0x30, 0x94, 0x14, 0x00, 0x00, 0x38, 0x8c, 0x18, 0x94, 0x14, 0x00, 0x00, 0x72, 0x04, 0x8b,
      0x54, 0x24, 0x04, 0x0f, 0xb7, 0x34, 0x50, 0x66, 0x89, 0x74, 0x24, 0x04, 0x8b, 0x4c, 0x24, 0x08, 0x66, 0x8b,
      0x1c, 0xb7, 0x66, 0x39, 0x19, 0x72, 0x24, 0x75, 0x10, 0x8a, 0x8c, 0x28, 0x94, 0x14, 0x00, 0x00, 0x38, 0x8c,
      0x30, 0x94, 0x14, 0x00, 0x00, 0x73, 0x12, 0x8b, 0x34, 0x24, 0x8b, 0x5c, 0x24, 0x04, 0x66, 0x89, 0x1c, 0x70,
      0x89, 0x14, 0x24, 0x01, 0xd2, 0xeb, 0x84, 0x8b, 0x7c, 0x24, 0x10, 0x8b, 0x1c, 0x24, 0x66, 0x89, 0x3c, 0x58,
      0x83, 0xc4, 0x14, 0x5b, 0x5e, 0x5f, 0x5d, 0xc3};
  constexpr u32 kGot = JitRig::kData + 0x100;      // holds the state's address
  constexpr u32 kState = JitRig::kData + 0x1000;   // heap[] (u16), heap_len at +0x47c, depth[] at +0x1494
  constexpr u32 kTree = JitRig::kData + 0x4000;    // tree[] of {u16 freq, u16 len}
  constexpr u32 kHeapLen = 60;
  for (u64 seed = 1; seed <= 200; ++seed) {
    u32 regs[2][8];
    u64 retired[2];
    std::vector<u8> heaps[2];
    for (bool jit : {false, true}) {
      JitRig rig(jit);
      rig.assemble(JitRig::kCode, [](x::Assembler& a) {
        asmjit::Label func = a.newLabel();
        a.call(func);
        a.hlt();
        a.bind(func);
        for (const x::Gp& r : {x::ebp, x::edi, x::esi, x::ebx}) a.push(r);
        a.sub(x::esp, 0x14);
        a.embed(kBody, sizeof kBody);
      });
      Random r{seed};
      if (seed % 2) {  // paging on: identity map of the first 4 MiB
        constexpr u32 kDir = 0x100000, kTable = 0x101000;
        rig.put32(kDir, kTable | 0x7);
        for (u32 i = 0; i < 1024; ++i) rig.put32(kTable + 4 * i, i * 4096 | 0x7);
        rig.cpu.set_cr3(kDir);
        rig.cpu.set_cr0(rig.cpu.cr0 | cr0::PG);
      }
      rig.put32(kGot, kState);
      rig.put32(kState + 0x47c, kHeapLen);
      for (u32 i = 0; i <= kHeapLen + 1; ++i) {
        const u32 node = r.below(100);
        rig.mem.ram_ptr(kState + 2 * i, 2)[0] = static_cast<u8>(node);
        rig.mem.ram_ptr(kState + 0x1494 + node, 1)[0] = static_cast<u8>(r.below(4));
        rig.put32(kTree + 4 * node, r.below(8));  // few distinct frequencies: ties go to depth[]
      }
      rig.cpu.gpr[kEax] = kTree;
      rig.cpu.gpr[kEdx] = 1 + r.below(kHeapLen / 2);  // the node to sift down
      rig.cpu.gpr[kEbx] = kGot - 0x52fc - 0xad3ef;
      // Short runs, as between timer deadlines: the budget ends inside the block's loops.
      Random slices{seed * 7 + 1};
      for (int n = 0; n < 100000 && !rig.cpu.halted; ++n) {
        rig.cpu.run(1 + slices.below(40));
        if (slices.chance(50)) rig.cpu.mmu().flush_all();  // TLB misses: slow paths in the block
      }
      REQUIRE(rig.vector() < 0);
      std::memcpy(regs[jit], rig.cpu.gpr, sizeof regs[jit]);
      retired[jit] = rig.cpu.retired();
      const u8* heap = rig.mem.ram_ptr(kState, 2 * (kHeapLen + 2));
      heaps[jit].assign(heap, heap + 2 * (kHeapLen + 2));
    }
    INFO("seed " << seed);
    for (int i = 0; i < 8; ++i) {
      INFO("register " << i);
      CHECK(regs[1][i] == regs[0][i]);
    }
    CHECK(heaps[1] == heaps[0]);
    CHECK(retired[1] == retired[0]);
  }
}
