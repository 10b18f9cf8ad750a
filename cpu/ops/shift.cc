// ROL ROR RCL RCR SHL SHR SAR SHLD SHRD. Flags are computed eagerly here: their rules depend on
// the count (Intel SDM Vol. 2 "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
//
// The count is masked to 5 bits; a masked count of zero changes nothing, flags included.
//
// Undefined flags follow the P6 core (the model of cpu/flags.cc; sandpile.org "rFLAGS",
// "undefined integer FLAGS behavior", P6 column), which leaves them unchanged:
// - AF after any shift (SHL SHR SAR SHLD SHRD) with a non-zero count: unchanged;
// - OF after any shift or rotate whose masked count is not 1: unchanged;
// - CF of SHL/SHR with a count of at least the operand size: the last bit shifted out of the
//   zero-extended operand (0 beyond size + 1), which is what the shift computes;
// - 16-bit SHLD/SHRD with counts 17..31 (result and flags undefined): the operand is shifted as
//   the 48-bit string dst:src:dst, Intel's behaviour, and flags follow that result.
#include "cpu/condition.h"
#include "cpu/cpu.h"
#include "cpu/ops/forms.h"
#include "cpu/ops/handlers.h"
#include "cpu/ops/operands.h"

namespace tern {

namespace {

using namespace operand;

u32 mask_of(u8 size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }
u32 msb(u32 v, u8 size) { return (v >> (8 * size - 1)) & 1; }

u32 szp(u32 res, u8 size) { return condition::sign_zero_parity(res, size); }

// What a shift or rotate computes from the operand `v` (masked to the size) and a non-zero
// masked count; `skip` when nothing changes (RCL/RCR counts that are multiples of size + 1).
struct Shifted {
  u32 r;
  bool cf;
  bool of;  // OF as a 1-bit count defines it
  bool skip = false;
};

struct Rol {
  static constexpr bool kRotate = true;
  static Shifted apply(Cpu&, u32 v, u32 count, u8 size) {
    const u32 bits = 8u * size, n = count % bits;
    const u32 r = n ? ((v << n) | (v >> (bits - n))) & mask_of(size) : v;
    return {r, (r & 1) != 0, (msb(r, size) ^ (r & 1)) != 0};
  }
};

struct Ror {
  static constexpr bool kRotate = true;
  static Shifted apply(Cpu&, u32 v, u32 count, u8 size) {
    const u32 bits = 8u * size, n = count % bits;
    const u32 r = n ? ((v >> n) | (v << (bits - n))) & mask_of(size) : v;
    return {r, msb(r, size) != 0, (msb(r, size) ^ ((r >> (bits - 2)) & 1)) != 0};
  }
};

// RCL/RCR rotate the (size + 1)-bit value CF:operand; 8- and 16-bit counts are taken modulo 9
// and 17, and a count that is then zero leaves everything as it was.
template <bool kLeft>
struct RotateCarry {
  static constexpr bool kRotate = true;
  static Shifted apply(Cpu& cpu, u32 v, u32 count, u8 size) {
    const u32 bits = 8u * size, n = count % (bits + 1);
    if (n == 0) return {v, false, false, true};
    const u64 wide_mask = (u64{1} << (bits + 1)) - 1;
    const u64 w = v | (u64{cpu.cf()} << bits);
    const u64 rotated = (kLeft ? (w << n) | (w >> (bits + 1 - n)) : (w >> n) | (w << (bits + 1 - n))) & wide_mask;
    const u32 r = static_cast<u32>(rotated) & mask_of(size);
    const bool cf = (rotated >> bits) & 1;
    const bool of = kLeft ? msb(r, size) ^ cf : msb(r, size) ^ ((r >> (bits - 2)) & 1);
    return {r, cf, of};
  }
};

struct Shl {
  static constexpr bool kRotate = false;
  static Shifted apply(Cpu&, u32 v, u32 count, u8 size) {
    const u64 wide = u64{v} << count;
    const u32 r = static_cast<u32>(wide) & mask_of(size);
    const bool cf = (wide >> (8 * size)) & 1;
    return {r, cf, (msb(r, size) ^ cf) != 0};
  }
};

struct Shr {
  static constexpr bool kRotate = false;
  static Shifted apply(Cpu&, u32 v, u32 count, u8 size) {
    return {static_cast<u32>(u64{v} >> count), ((u64{v} >> (count - 1)) & 1) != 0, msb(v, size) != 0};
  }
};

struct Sar {
  static constexpr bool kRotate = false;
  static Shifted apply(Cpu&, u32 v, u32 count, u8 size) {
    const u32 bits = 8u * size;
    const i64 s = static_cast<i32>(v << (32 - bits)) >> (32 - bits);
    return {static_cast<u32>(s >> count) & mask_of(size), ((s >> (count - 1)) & 1) != 0, false};
  }
};

// A shift or rotate of operand 0 by the masked count in operand 1 (CL, an immediate or 1).
// Shifts set SF ZF PF from the result; rotates change only CF and OF. OF is only written for a
// count of 1, and AF never (P6 model, see the top of this file).
template <class Operation, class Dst, class Count>
struct Shift {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 count = Count::read(cpu, d, 1) & 0x1F;
    if (count == 0) return;
    const u8 size = Dst::size(d, 0);
    const Shifted s = Operation::apply(cpu, Dst::read(cpu, d, 0) & mask_of(size), count, size);
    if (s.skip) return;
    Dst::write(cpu, d, 0, s.r);
    u32 f;
    if constexpr (Operation::kRotate) {
      f = cpu.arith_flags() & ~(count == 1 ? fl::CF | fl::OF : fl::CF);
    } else {
      f = condition::aux_and_overflow(cpu) & (count == 1 ? fl::AF : fl::AF | fl::OF);
      f |= szp(s.r, size);
    }
    if (s.cf) f |= fl::CF;
    if (count == 1 && s.of) f |= fl::OF;
    cpu.set_arith(f);
  }
};

template <class D, class C> using RolForm = Shift<Rol, D, C>;
template <class D, class C> using RorForm = Shift<Ror, D, C>;
template <class D, class C> using RclForm = Shift<RotateCarry<true>, D, C>;
template <class D, class C> using RcrForm = Shift<RotateCarry<false>, D, C>;
template <class D, class C> using ShlForm = Shift<Shl, D, C>;
template <class D, class C> using ShrForm = Shift<Shr, D, C>;
template <class D, class C> using SarForm = Shift<Sar, D, C>;

// SHLD/SHRD: the destination shifted with bits of the source filling in. A 16-bit operand is
// shifted within the 48-bit string dst:src:dst, so counts above 16 behave as on Intel processors.
template <bool kLeft, class Dst, class Src>
struct DoubleShift {
  static void run(Cpu& cpu, const DecodedInsn& d) {
    const u32 count = cpu.read_op(d, 2) & 0x1F;
    if (count == 0) return;
    const u8 size = Dst::size(d, 0);
    const u64 dst = Dst::read(cpu, d, 0) & mask_of(size);
    const u64 src = Src::read(cpu, d, 1) & mask_of(size);
    const u64 wide = size == 4 ? (kLeft ? (dst << 32) | src : (src << 32) | dst) : (dst << 32) | (src << 16) | dst;
    u32 r;
    bool cf;
    if (kLeft) {
      // The result is the window [32 - count, 32 - count + size bits) of `wide`; the last bit
      // out is the one just above it.
      r = static_cast<u32>((wide << count) >> 32) & mask_of(size);
      cf = (wide >> (32 + 8 * size - count)) & 1;
    } else {
      r = static_cast<u32>(wide >> count) & mask_of(size);
      cf = (wide >> (count - 1)) & 1;
    }
    Dst::write(cpu, d, 0, r);
    u32 f = condition::aux_and_overflow(cpu) & (count == 1 ? fl::AF : fl::AF | fl::OF);
    f |= szp(r, size) | (cf ? fl::CF : 0);
    if (count == 1 && msb(r ^ static_cast<u32>(dst), size)) f |= fl::OF;
    cpu.set_arith(f);
  }
};

template <class D, class S> using ShldForm = DoubleShift<true, D, S>;
template <class D, class S> using ShrdForm = DoubleShift<false, D, S>;

}  // namespace

void op_rol(Cpu& cpu, const DecodedInsn& d) { RolForm<Any, Any>::run(cpu, d); }
void op_ror(Cpu& cpu, const DecodedInsn& d) { RorForm<Any, Any>::run(cpu, d); }
void op_rcl(Cpu& cpu, const DecodedInsn& d) { RclForm<Any, Any>::run(cpu, d); }
void op_rcr(Cpu& cpu, const DecodedInsn& d) { RcrForm<Any, Any>::run(cpu, d); }
void op_shl(Cpu& cpu, const DecodedInsn& d) { ShlForm<Any, Any>::run(cpu, d); }
void op_shr(Cpu& cpu, const DecodedInsn& d) { ShrForm<Any, Any>::run(cpu, d); }
void op_sar(Cpu& cpu, const DecodedInsn& d) { SarForm<Any, Any>::run(cpu, d); }
void op_shld(Cpu& cpu, const DecodedInsn& d) { ShldForm<Any, Any>::run(cpu, d); }
void op_shrd(Cpu& cpu, const DecodedInsn& d) { ShrdForm<Any, Any>::run(cpu, d); }

Handler shift_form_handler(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kRol: return pick<RolForm>(d);
    case Op::kRor: return pick<RorForm>(d);
    case Op::kRcl: return pick<RclForm>(d);
    case Op::kRcr: return pick<RcrForm>(d);
    case Op::kShl: return pick<ShlForm>(d);
    case Op::kShr: return pick<ShrForm>(d);
    case Op::kSar: return pick<SarForm>(d);
    case Op::kShld: return pick<ShldForm>(d);
    case Op::kShrd: return pick<ShrdForm>(d);
    default: return nullptr;
  }
}

}  // namespace tern
