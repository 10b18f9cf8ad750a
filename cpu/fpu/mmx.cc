// MMX instructions of the Pentium II (Intel SDM Vol. 1 Chapter 9, Vol. 2). MMX register i is the
// significand of x87 physical register i; every MMX instruction but EMMS sets TOP to 0 and all
// tags to valid, and a written register's sign/exponent word to all ones (Vol. 1 §9.5.1).
// CR0.EM makes them #UD, CR0.TS #NM, and a pending x87 exception is reported first (Table 12-1).
#include "cpu/fpu/x87.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

void mmx_begin(Cpu& cpu) {
  if (cpu.cr0 & cr0::EM) cpu.raise(kUD);
  if (cpu.cr0 & cr0::TS) cpu.raise(kNM);
  x87::check_pending(cpu);
}

// The aliasing side effects of every MMX instruction but EMMS.
void mmx_touch(X87State& s) {
  s.set_top(0);
  s.tag = 0;
}

u64 read_mmx_operand(Cpu& cpu, const DecodedInsn& d, int i) {
  const Operand& o = d.ops[i];
  switch (o.kind) {
    case OperandKind::kMmx: return cpu.fpu.regs[o.reg].signif;
    case OperandKind::kReg: return cpu.gpr[o.reg];
    case OperandKind::kImm: return d.imm & 0xFF;
    case OperandKind::kMem:
      if (o.size == 8) return cpu.read64(d.seg, cpu.effective_address(d));
      return cpu.read(d.seg, cpu.effective_address(d), o.size);
    default: return 0;
  }
}

void write_mmx(X87State& s, u8 r, u64 v) { s.regs[r] = Float80{v, 0xFFFF}; }

// Lane-wise operation on `bits`-bit lanes; f gets the two lanes as u64 and returns the result.
template <int Bits, typename F>
u64 lanes(u64 a, u64 b, F f) {
  constexpr u64 kMask = Bits == 64 ? ~u64{0} : (u64{1} << Bits) - 1;
  u64 r = 0;
  for (int i = 0; i < 64; i += Bits) r |= (f((a >> i) & kMask, (b >> i) & kMask) & kMask) << i;
  return r;
}

template <int Bits>
i64 sext(u64 v) {
  return static_cast<i64>(v << (64 - Bits)) >> (64 - Bits);
}
template <int Bits>
u64 saturate_signed(i64 v) {
  constexpr i64 kMax = (i64{1} << (Bits - 1)) - 1, kMin = -kMax - 1;
  return static_cast<u64>(v > kMax ? kMax : v < kMin ? kMin : v);
}
template <int Bits>
u64 saturate_unsigned(i64 v) {
  constexpr i64 kMax = (i64{1} << Bits) - 1;
  return static_cast<u64>(v > kMax ? kMax : v < 0 ? 0 : v);
}

// dest (an MMX register) <- f(dest, source).
template <typename F>
void binary(Cpu& cpu, const DecodedInsn& d, F f) {
  mmx_begin(cpu);
  const u64 src = read_mmx_operand(cpu, d, 1);
  X87State& s = cpu.fpu;
  const u8 r = d.ops[0].reg;
  const u64 result = f(s.regs[r].signif, src);
  mmx_touch(s);
  write_mmx(s, r, result);
}

template <int Bits>
u64 shift_left(u64 a, u64 count) {
  return lanes<Bits>(a, 0, [&](u64 x, u64) { return count >= Bits ? 0 : x << count; });
}
template <int Bits>
u64 shift_right(u64 a, u64 count) {
  return lanes<Bits>(a, 0, [&](u64 x, u64) { return count >= Bits ? 0 : x >> count; });
}
template <int Bits>
u64 shift_arithmetic(u64 a, u64 count) {
  const u64 c = count >= Bits ? Bits - 1 : count;
  return lanes<Bits>(a, 0, [&](u64 x, u64) { return static_cast<u64>(sext<Bits>(x) >> c); });
}

// Interleaves the low (high = false) or high halves of a and b in `Bits` lanes.
template <int Bits>
u64 unpack(u64 a, u64 b, bool high) {
  constexpr u64 kMask = (u64{1} << Bits) - 1;
  constexpr int kCount = 32 / Bits;
  const int base = high ? 32 : 0;
  u64 r = 0;
  for (int i = 0; i < kCount; ++i) {
    r |= ((a >> (base + i * Bits)) & kMask) << (2 * i * Bits);
    r |= ((b >> (base + i * Bits)) & kMask) << ((2 * i + 1) * Bits);
  }
  return r;
}

// Packs the `From`-bit signed lanes of a (low half) and b (high half) into half-width lanes.
template <int From, typename Sat>
u64 pack(u64 a, u64 b, Sat saturate) {
  constexpr int kTo = From / 2, kCount = 64 / From;
  constexpr u64 kMask = (u64{1} << kTo) - 1;
  u64 r = 0;
  for (int i = 0; i < kCount; ++i) {
    r |= (saturate(sext<From>(a >> (i * From))) & kMask) << (i * kTo);
    r |= (saturate(sext<From>(b >> (i * From))) & kMask) << ((i + kCount) * kTo);
  }
  return r;
}

}  // namespace

// EMMS empties every register and, as the differential test shows, also clears TOP.
void op_emms(Cpu& cpu, const DecodedInsn&) {
  mmx_begin(cpu);
  cpu.fpu.set_top(0);
  cpu.fpu.tag = 0xFFFF;
}

// MOVD mm, r/m32 (zero-extended) and MOVD r/m32, mm.
void op_movd(Cpu& cpu, const DecodedInsn& d) {
  mmx_begin(cpu);
  X87State& s = cpu.fpu;
  if (d.ops[0].kind == OperandKind::kMmx) {
    const u64 v = read_mmx_operand(cpu, d, 1) & 0xFFFFFFFFu;
    mmx_touch(s);
    write_mmx(s, d.ops[0].reg, v);
    return;
  }
  const u32 v = static_cast<u32>(s.regs[d.ops[1].reg].signif);
  if (d.ops[0].kind == OperandKind::kMem)
    cpu.write(d.seg, cpu.effective_address(d), 4, v);
  else
    cpu.gpr[d.ops[0].reg] = v;
  mmx_touch(s);
}

void op_movq(Cpu& cpu, const DecodedInsn& d) {
  mmx_begin(cpu);
  X87State& s = cpu.fpu;
  const u64 v = read_mmx_operand(cpu, d, 1);
  if (d.ops[0].kind == OperandKind::kMem) {
    cpu.write64(d.seg, cpu.effective_address(d), v);
    mmx_touch(s);
    return;
  }
  mmx_touch(s);
  write_mmx(s, d.ops[0].reg, v);
}

#define MMX_BINARY(name, expr) \
  void op_##name(Cpu& cpu, const DecodedInsn& d) { binary(cpu, d, [](u64 a, u64 b) -> u64 { return expr; }); }

MMX_BINARY(punpcklbw, unpack<8>(a, b, false))
MMX_BINARY(punpcklwd, unpack<16>(a, b, false))
MMX_BINARY(punpckldq, unpack<32>(a, b, false))
MMX_BINARY(punpckhbw, unpack<8>(a, b, true))
MMX_BINARY(punpckhwd, unpack<16>(a, b, true))
MMX_BINARY(punpckhdq, unpack<32>(a, b, true))
MMX_BINARY(packsswb, pack<16>(a, b, saturate_signed<8>))
MMX_BINARY(packuswb, pack<16>(a, b, saturate_unsigned<8>))
MMX_BINARY(packssdw, pack<32>(a, b, saturate_signed<16>))
MMX_BINARY(pcmpgtb, lanes<8>(a, b, [](u64 x, u64 y) { return sext<8>(x) > sext<8>(y) ? ~u64{0} : 0; }))
MMX_BINARY(pcmpgtw, lanes<16>(a, b, [](u64 x, u64 y) { return sext<16>(x) > sext<16>(y) ? ~u64{0} : 0; }))
MMX_BINARY(pcmpgtd, lanes<32>(a, b, [](u64 x, u64 y) { return sext<32>(x) > sext<32>(y) ? ~u64{0} : 0; }))
MMX_BINARY(pcmpeqb, lanes<8>(a, b, [](u64 x, u64 y) { return x == y ? ~u64{0} : 0; }))
MMX_BINARY(pcmpeqw, lanes<16>(a, b, [](u64 x, u64 y) { return x == y ? ~u64{0} : 0; }))
MMX_BINARY(pcmpeqd, lanes<32>(a, b, [](u64 x, u64 y) { return x == y ? ~u64{0} : 0; }))
MMX_BINARY(psrlw, shift_right<16>(a, b))
MMX_BINARY(psrld, shift_right<32>(a, b))
MMX_BINARY(psrlq, shift_right<64>(a, b))
MMX_BINARY(psraw, shift_arithmetic<16>(a, b))
MMX_BINARY(psrad, shift_arithmetic<32>(a, b))
MMX_BINARY(psllw, shift_left<16>(a, b))
MMX_BINARY(pslld, shift_left<32>(a, b))
MMX_BINARY(psllq, shift_left<64>(a, b))
MMX_BINARY(pmullw, lanes<16>(a, b, [](u64 x, u64 y) { return static_cast<u64>(sext<16>(x) * sext<16>(y)); }))
MMX_BINARY(pmulhw, lanes<16>(a, b, [](u64 x, u64 y) { return static_cast<u64>((sext<16>(x) * sext<16>(y)) >> 16); }))
MMX_BINARY(pmaddwd, lanes<32>(a, b, [](u64 x, u64 y) {
  return static_cast<u64>(sext<16>(x) * sext<16>(y) + sext<16>(x >> 16) * sext<16>(y >> 16));
}))
MMX_BINARY(pand, a & b)
MMX_BINARY(pandn, ~a & b)
MMX_BINARY(por, a | b)
MMX_BINARY(pxor, a ^ b)
MMX_BINARY(paddb, lanes<8>(a, b, [](u64 x, u64 y) { return x + y; }))
MMX_BINARY(paddw, lanes<16>(a, b, [](u64 x, u64 y) { return x + y; }))
MMX_BINARY(paddd, lanes<32>(a, b, [](u64 x, u64 y) { return x + y; }))
MMX_BINARY(paddsb, lanes<8>(a, b, [](u64 x, u64 y) { return saturate_signed<8>(sext<8>(x) + sext<8>(y)); }))
MMX_BINARY(paddsw, lanes<16>(a, b, [](u64 x, u64 y) { return saturate_signed<16>(sext<16>(x) + sext<16>(y)); }))
MMX_BINARY(paddusb, lanes<8>(a, b, [](u64 x, u64 y) { return saturate_unsigned<8>(static_cast<i64>(x + y)); }))
MMX_BINARY(paddusw, lanes<16>(a, b, [](u64 x, u64 y) { return saturate_unsigned<16>(static_cast<i64>(x + y)); }))
MMX_BINARY(psubb, lanes<8>(a, b, [](u64 x, u64 y) { return x - y; }))
MMX_BINARY(psubw, lanes<16>(a, b, [](u64 x, u64 y) { return x - y; }))
MMX_BINARY(psubd, lanes<32>(a, b, [](u64 x, u64 y) { return x - y; }))
MMX_BINARY(psubsb, lanes<8>(a, b, [](u64 x, u64 y) { return saturate_signed<8>(sext<8>(x) - sext<8>(y)); }))
MMX_BINARY(psubsw, lanes<16>(a, b, [](u64 x, u64 y) { return saturate_signed<16>(sext<16>(x) - sext<16>(y)); }))
MMX_BINARY(psubusb, lanes<8>(a, b, [](u64 x, u64 y) {
  return saturate_unsigned<8>(static_cast<i64>(x) - static_cast<i64>(y));
}))
MMX_BINARY(psubusw, lanes<16>(a, b, [](u64 x, u64 y) {
  return saturate_unsigned<16>(static_cast<i64>(x) - static_cast<i64>(y));
}))

#undef MMX_BINARY

}  // namespace tern
