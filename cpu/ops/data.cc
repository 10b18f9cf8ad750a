// MOV and its relatives: MOVZX MOVSX LEA CBW CWD XLAT CMOVcc SETcc LAHF SAHF SALC NOP, moves to
// and from segment registers, and LDS/LES/LFS/LGS/LSS.
#include "base/bits.h"
#include "cpu/condition.h"
#include "cpu/cpu.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"
#include "cpu/ops/operands.h"

namespace tern {

namespace {

using namespace operand;

// MOV, and MOVZX (a narrower source reads zero-extended).
template <class Dst, class Src>
struct Move {
  static void run(Cpu& cpu, const DecodedInsn& d) { Dst::write(cpu, d, 0, Src::read(cpu, d, 1)); }
};

template <class Dst, class Src>
struct MoveSignExtended {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    Dst::write(cpu, d, 0, static_cast<u32>(sign_extend(Src::read(cpu, d, 1), 8 * d.ops[1].size)));
  }
};

}  // namespace

void op_mov(Cpu& cpu, const DecodedInsn& d) { Move<Any, Any>::run(cpu, d); }
void op_movzx(Cpu& cpu, const DecodedInsn& d) { Move<Any, Any>::run(cpu, d); }
void op_movsx(Cpu& cpu, const DecodedInsn& d) { MoveSignExtended<Any, Any>::run(cpu, d); }

namespace {

// SETcc and CMOVcc with their condition fixed at decode time.
template <u8 kCc>
struct Setcc {
  static void run(Cpu& cpu, const DecodedInsn& d) { cpu.write_op(d, 0, condition::holds<kCc>(cpu) ? 1 : 0); }
};

template <u8 kCc>
struct Cmovcc {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    // The source is read (and may fault) whether or not the move happens.
    const u32 v = cpu.read_op(d, 1);
    if (condition::holds<kCc>(cpu)) cpu.write_op(d, 0, v);
  }
};

}  // namespace

Handler data_form_handler(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kMov:
    case Op::kMovzx: return pick<Move>(d);
    case Op::kMovsx: return pick<MoveSignExtended>(d);
    case Op::kSetcc: return condition::by_code<Setcc>(d.cc);
    case Op::kCmovcc: return condition::by_code<Cmovcc>(d.cc);
    default: return nullptr;
  }
}

void op_lea(Cpu& cpu, const DecodedInsn& d) { cpu.set_reg(d.ops[0].reg, d.osize, cpu.effective_address(d)); }

void op_cbw(Cpu& cpu, const DecodedInsn& d) {
  if (d.osize == 2)
    cpu.set_reg(kEax, 2, static_cast<u32>(sign_extend(cpu.gpr[kEax], 8)));
  else
    cpu.gpr[kEax] = static_cast<u32>(sign_extend(cpu.gpr[kEax], 16));
}

void op_cwd(Cpu& cpu, const DecodedInsn& d) {
  if (d.osize == 2)
    cpu.set_reg(kEdx, 2, (cpu.gpr[kEax] & 0x8000) ? 0xFFFF : 0);
  else
    cpu.gpr[kEdx] = (cpu.gpr[kEax] & 0x80000000u) ? 0xFFFFFFFFu : 0;
}

void op_xlat(Cpu& cpu, const DecodedInsn& d) {
  u32 addr = cpu.gpr[kEbx] + (cpu.gpr[kEax] & 0xFF);
  if (d.asize == 2) addr &= 0xFFFF;
  cpu.set_reg(kEax, 1, cpu.read(d.seg, addr, 1));
}

void op_cmovcc(Cpu& cpu, const DecodedInsn& d) {
  // The source is read (and may fault) whether or not the move happens.
  const u32 v = cpu.read_op(d, 1);
  if (cpu.cond(d.cc)) cpu.write_op(d, 0, v);
}

void op_setcc(Cpu& cpu, const DecodedInsn& d) { cpu.write_op(d, 0, cpu.cond(d.cc) ? 1 : 0); }

void op_lahf(Cpu& cpu, const DecodedInsn&) {
  cpu.set_reg(4 /* AH */, 1, (cpu.get_eflags() & (fl::SF | fl::ZF | fl::AF | fl::PF | fl::CF)) | fl::kFixedOne);
}

void op_sahf(Cpu& cpu, const DecodedInsn&) {
  cpu.set_eflags(cpu.reg(4 /* AH */, 1), fl::SF | fl::ZF | fl::AF | fl::PF | fl::CF);
}

void op_salc(Cpu& cpu, const DecodedInsn&) { cpu.set_reg(kEax, 1, cpu.cf() ? 0xFF : 0); }

void op_nop(Cpu&, const DecodedInsn&) {}

void op_mov_to_sreg(Cpu& cpu, const DecodedInsn& d) {
  const u8 sreg = d.ops[0].reg;  // never CS: the decoder makes MOV CS, r/m #UD
  cpu.load_segment(sreg, static_cast<u16>(cpu.read_op(d, 1)));
  if (sreg == kSs) cpu.inhibit_interrupts();
}

// The decoder gives a memory destination 16 bits and a register destination the operand size
// (the selector zero-extended), as the P6 stores them.
void op_mov_from_sreg(Cpu& cpu, const DecodedInsn& d) { cpu.write_op(d, 0, cpu.seg[d.ops[1].reg].selector); }

void op_load_far_pointer(Cpu& cpu, const DecodedInsn& d) {
  u8 sreg;
  switch (d.opcode) {
    case 0xC4: sreg = kEs; break;
    case 0xC5: sreg = kDs; break;
    case 0xB2: sreg = kSs; break;
    case 0xB4: sreg = kFs; break;
    default: sreg = kGs; break;
  }
  const u32 ea = cpu.effective_address(d);
  const u32 offset = cpu.read(d.seg, ea, d.osize);
  const u16 selector = static_cast<u16>(cpu.read(d.seg, (ea + d.osize) & (d.asize == 2 ? 0xFFFF : 0xFFFFFFFF), 2));
  cpu.load_segment(sreg, selector);
  cpu.set_reg(d.ops[0].reg, d.osize, offset);
  // No interrupt shadow: LSS loads SS and ESP together; only MOV SS and POP SS need one (Intel SDM
  // Vol. 3 §6.8.3).
}

}  // namespace tern
