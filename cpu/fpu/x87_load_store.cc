// x87 data transfer: FLD/FILD/FBLD, FST/FSTP/FIST/FISTP/FBSTP in every memory format, FXCH,
// FCMOVcc, the constants, FCHS/FABS, FFREE, FINCSTP/FDECSTP and FNOP (Intel SDM Vol. 2; stack
// faults and masked responses per Vol. 1 §8.5.1).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

using namespace x87;

namespace {

// Pushes `v` (with the flags of its conversion) unless the stack overflows or an unmasked
// invalid exception (SNaN source) blocks the load. An unmasked DE for a denormal single or double
// source does not: the value is loaded, as on the P6 and later.
void push_checked(X87State& s, Float80 v, const fp::Ctx& ctx) {
  if (!is_empty(s, 7)) {
    if (stack_overflow(s)) push(s, fp::kIndefinite);
    return;
  }
  if (!(ctx.flags & ~ctx.control & fp::kIE)) push(s, v);
  apply_flags(s, ctx.flags);
}

// Reads a memory integer of 2, 4 or 8 bytes, sign-extended.
i64 read_int(Cpu& cpu, const DecodedInsn& d) {
  const u32 ea = cpu.effective_address(d);
  switch (d.ops[0].size) {
    case 2: return static_cast<i16>(cpu.read(d.seg, ea, 2));
    case 4: return static_cast<i32>(cpu.read(d.seg, ea, 4));
    default: return static_cast<i64>(cpu.read64(d.seg, ea));
  }
}

void write_int(Cpu& cpu, const DecodedInsn& d, i64 v) {
  const u32 ea = cpu.effective_address(d);
  const u8 size = d.ops[0].size;
  if (size == 8)
    cpu.write64(d.seg, ea, static_cast<u64>(v));
  else
    cpu.write(d.seg, ea, size, static_cast<u32>(v));
}

// The value the masked stack-underflow response stores in a memory format.
u64 indefinite_bits(u8 size) {
  switch (size) {
    case 2: return 0x8000;
    case 4: return 0xFFC00000;
    default: return 0xFFF8000000000000ull;
  }
}

void write_bits(Cpu& cpu, const DecodedInsn& d, u64 bits) {
  const u32 ea = cpu.effective_address(d);
  if (d.ops[0].size == 8)
    cpu.write64(d.seg, ea, bits);
  else
    cpu.write(d.seg, ea, d.ops[0].size, static_cast<u32>(bits));
}

void store_real(Cpu& cpu, const DecodedInsn& d, bool pop_after) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const Operand& dst = d.ops[0];
  if (is_empty(s, 0)) {
    if (!stack_underflow(s)) return;
    if (dst.kind == OperandKind::kSt) {
      set_st(s, dst.reg, fp::kIndefinite);
    } else if (dst.size == 10) {
      write_f80(cpu, d.seg, cpu.effective_address(d), fp::kIndefinite);
    } else {
      write_bits(cpu, d, indefinite_bits(dst.size));
    }
    if (pop_after) pop(s);
    return;
  }
  const Float80 v = st(s, 0);
  fp::Ctx ctx{s.control};
  if (dst.kind == OperandKind::kSt) {
    set_st(s, dst.reg, v);
  } else if (dst.size == 10) {
    write_f80(cpu, d.seg, cpu.effective_address(d), v);
  } else {
    const u64 bits = dst.size == 4 ? fp::to_f32(ctx, v) : fp::to_f64(ctx, v);
    if (fp::store_blocked(ctx)) {
      apply_flags(s, ctx.flags);
      return;
    }
    write_bits(cpu, d, bits);
  }
  apply_flags(s, ctx.flags);
  if (pop_after) pop(s);
}

void store_int(Cpu& cpu, const DecodedInsn& d, bool pop_after) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const u8 size = d.ops[0].size;
  if (is_empty(s, 0)) {
    if (!stack_underflow(s)) return;
    write_int(cpu, d, static_cast<i64>(u64{1} << (8 * size - 1)));
    if (pop_after) pop(s);
    return;
  }
  fp::Ctx ctx{s.control};
  const i64 v = fp::to_int(ctx, st(s, 0), 8 * size);
  if (!fp::store_blocked(ctx)) {
    write_int(cpu, d, v);
    if (pop_after) pop(s);
  }
  apply_flags(s, ctx.flags);
}

// A constant of 128 significant bits rounded by the rounding control (the P6 rounds its
// constants; SDM Vol. 2 "FLD1/FLDL2T/..."): value = sig * 2^(exp - 127).
void load_constant(Cpu& cpu, const DecodedInsn& d, u64 hi, u64 lo, int exp) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  fp::Ctx ctx{s.control};
  const Float80 v = fp::round_pack(ctx, false, exp, (fp::u128{hi} << 64) | lo, 64);
  push_checked(s, v, fp::Ctx{s.control});
}

// ST(0) <- f(ST(0)) for the sign operations; C1 cleared.
template <typename F>
void modify_st0(Cpu& cpu, const DecodedInsn& d, F f) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (is_empty(s, 0)) {
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  set_st(s, 0, f(st(s, 0)));
  set_cc(s, fp::kC1, 0);
}

}  // namespace

void op_fld(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const Operand& src = d.ops[0];
  fp::Ctx ctx{s.control};
  Float80 v;
  if (src.kind == OperandKind::kSt) {
    if (is_empty(s, src.reg)) {
      if (stack_underflow(s)) push(s, fp::kIndefinite);
      return;
    }
    v = st(s, src.reg);
  } else if (src.size == 10) {
    v = read_f80(cpu, d.seg, cpu.effective_address(d));
  } else if (src.size == 4) {
    v = fp::from_f32(ctx, cpu.read(d.seg, cpu.effective_address(d), 4));
  } else {
    v = fp::from_f64(ctx, cpu.read64(d.seg, cpu.effective_address(d)));
  }
  push_checked(s, v, ctx);
}

void op_fild(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  const Float80 v = fp::from_int(read_int(cpu, d));
  push_checked(cpu.fpu, v, fp::Ctx{cpu.fpu.control});
}

void op_fbld(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  u8 bcd[10];
  const u32 ea = cpu.effective_address(d);
  const u32 lin = linear_operand(cpu, d.seg, ea, 10, 8, Access::kRead);
  for (u32 i = 0; i < 10; ++i) bcd[i] = static_cast<u8>(cpu.read_lin(lin + i, 1, cpu.user()));
  push_checked(cpu.fpu, fp::from_bcd(bcd), fp::Ctx{cpu.fpu.control});
}

void op_fst(Cpu& cpu, const DecodedInsn& d) { store_real(cpu, d, false); }
void op_fstp(Cpu& cpu, const DecodedInsn& d) { store_real(cpu, d, true); }
// D9 D8+i (FSTP1): like FSTP ST(i), but an empty ST(0) is no stack underflow: nothing is
// stored and the stack is popped (measured on x86 hardware by the differential test).
void op_fstp1(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  if (!is_empty(s, 0)) set_st(s, d.ops[0].reg, st(s, 0));
  set_cc(s, fp::kC1, 0);
  pop(s);
}

void op_fist(Cpu& cpu, const DecodedInsn& d) { store_int(cpu, d, false); }
void op_fistp(Cpu& cpu, const DecodedInsn& d) { store_int(cpu, d, true); }

void op_fbstp(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const u32 ea = cpu.effective_address(d);
  u8 bcd[10];
  fp::Ctx ctx{s.control};
  if (is_empty(s, 0)) {
    if (!stack_underflow(s)) return;
    fp::Ctx quiet{static_cast<u16>(s.control | fp::kExceptions)};
    fp::to_bcd(quiet, fp::kIndefinite, bcd);  // the BCD indefinite
  } else {
    fp::to_bcd(ctx, st(s, 0), bcd);
    if (fp::store_blocked(ctx)) {
      apply_flags(s, ctx.flags);
      return;
    }
  }
  const u32 lin = probe_write(cpu, d.seg, ea, 10, 8);
  for (u32 i = 0; i < 10; ++i) cpu.write_lin(lin + i, 1, bcd[i], cpu.user());
  apply_flags(s, ctx.flags);
  pop(s);
}

void op_fxch(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  const u8 i = d.ops[0].reg;
  if (is_empty(s, 0) || is_empty(s, i)) {
    if (!stack_underflow(s)) return;
    if (is_empty(s, 0)) set_st(s, 0, fp::kIndefinite);
    if (is_empty(s, i)) set_st(s, i, fp::kIndefinite);
  } else {
    set_cc(s, fp::kC1, 0);
  }
  const Float80 a = st(s, 0), b = st(s, i);
  set_st(s, 0, b);
  set_st(s, i, a);
}

void op_fcmov(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  X87State& s = cpu.fpu;
  // DA /0../3: B E BE U; DB: their negations (SDM Vol. 2 FCMOVcc), as Jcc condition codes.
  static constexpr u8 kCc[4] = {0x2, 0x4, 0x6, 0xA};
  const u8 cc = static_cast<u8>(kCc[d.modrm_reg() & 3] | (d.opcode == 0xDB ? 1 : 0));
  const u8 i = d.ops[1].reg;
  if (is_empty(s, 0) || is_empty(s, i)) {
    if (stack_underflow(s)) set_st(s, 0, fp::kIndefinite);
    return;
  }
  if (cpu.cond(cc)) set_st(s, 0, st(s, i));
}

void op_fld1(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0x8000000000000000ull, 0, 0); }
void op_fldl2t(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0xD49A784BCD1B8AFEull, 0x492BF6FF4DAFDB4Cull, 1); }
void op_fldl2e(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E88ull, 0); }
void op_fldpi(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull, 1); }
void op_fldlg2(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0x9A209A84FBCFF798ull, 0x8F8959AC0B7C9178ull, -2); }
void op_fldln2(Cpu& cpu, const DecodedInsn& d) { load_constant(cpu, d, 0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull, -1); }

void op_fldz(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  push_checked(cpu.fpu, fp::zero(false), fp::Ctx{cpu.fpu.control});
}

void op_fchs(Cpu& cpu, const DecodedInsn& d) { modify_st0(cpu, d, [](Float80 v) { return fp::negate(v); }); }
void op_fabs(Cpu& cpu, const DecodedInsn& d) {
  modify_st0(cpu, d, [](Float80 v) { return Float80{v.signif, static_cast<u16>(v.sign_exp & 0x7FFF)}; });
}

// FFREE leaves C0 C2 C3 as they are and clears C1, as the P6 and later processors do.
void op_ffree(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  set_phys_tag(cpu.fpu, phys(cpu.fpu, d.ops[0].reg), kTagEmpty);
  set_cc(cpu.fpu, fp::kC1, 0);
}

void op_ffreep(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  set_phys_tag(cpu.fpu, phys(cpu.fpu, d.ops[0].reg), kTagEmpty);
  pop(cpu.fpu);
  set_cc(cpu.fpu, fp::kC1, 0);
}

void op_fincstp(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  cpu.fpu.set_top(cpu.fpu.top() + 1);
  set_cc(cpu.fpu, fp::kC1, 0);
}

void op_fdecstp(Cpu& cpu, const DecodedInsn& d) {
  begin(cpu, d);
  cpu.fpu.set_top(cpu.fpu.top() - 1);
  set_cc(cpu.fpu, fp::kC1, 0);
}

void op_fnop(Cpu& cpu, const DecodedInsn& d) { begin(cpu, d); }

}  // namespace tern
