// String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE.
//
// A repeated instruction runs a bounded number of iterations per step and then restarts itself
// (next_eip stays at the instruction), so interrupts and timers are served within a bounded
// time and a fault in iteration n leaves (E)CX, (E)SI and (E)DI as they were before it, exactly
// as the hardware restarts an interrupted string instruction. REP MOVS and REP STOS over plain RAM
// run a page at a time on host memory (bulk_iterations).
#include <algorithm>
#include <cstring>

#include "cpu/cpu.h"
#include "cpu/ops/handlers.h"

namespace tern {

namespace {

constexpr u32 kIterationsPerStep = 1024;

enum class Kind { kMovs, kCmps, kStos, kLods, kScas, kIns, kOuts };

u32 addr_mask(const DecodedInsn& d) { return d.asize == 2 ? 0xFFFFu : 0xFFFFFFFFu; }

u32 index_reg(const Cpu& cpu, const DecodedInsn& d, u8 r) { return cpu.gpr[r] & addr_mask(d); }

void advance(Cpu& cpu, const DecodedInsn& d, u8 r, u8 size) {
  const u32 step = (cpu.eflags & fl::DF) ? 0u - size : size;
  cpu.set_reg(r, d.asize, cpu.gpr[r] + step);
}

// One iteration; returns the comparison result for CMPS/SCAS (true: operands equal).
bool iteration(Cpu& cpu, const DecodedInsn& d, Kind kind, u8 size) {
  switch (kind) {
    case Kind::kMovs: {
      const u32 v = cpu.read(d.seg, index_reg(cpu, d, kEsi), size);
      cpu.write(kEs, index_reg(cpu, d, kEdi), size, v);
      advance(cpu, d, kEsi, size);
      advance(cpu, d, kEdi, size);
      return false;
    }
    case Kind::kCmps: {
      const u32 a = cpu.read(d.seg, index_reg(cpu, d, kEsi), size);
      const u32 b = cpu.read(kEs, index_reg(cpu, d, kEdi), size);
      advance(cpu, d, kEsi, size);
      advance(cpu, d, kEdi, size);
      cpu.set_lazy(FlagOp::kSub, size, a, b, a - b);
      return cpu.zf();
    }
    case Kind::kStos:
      cpu.write(kEs, index_reg(cpu, d, kEdi), size, cpu.reg(kEax, size));
      advance(cpu, d, kEdi, size);
      return false;
    case Kind::kLods:
      cpu.set_reg(kEax, size, cpu.read(d.seg, index_reg(cpu, d, kEsi), size));
      advance(cpu, d, kEsi, size);
      return false;
    case Kind::kScas: {
      const u32 a = cpu.reg(kEax, size);
      const u32 b = cpu.read(kEs, index_reg(cpu, d, kEdi), size);
      advance(cpu, d, kEdi, size);
      cpu.set_lazy(FlagOp::kSub, size, a, b, a - b);
      return cpu.zf();
    }
    case Kind::kIns: {
      const u16 port = static_cast<u16>(cpu.gpr[kEdx]);
      // The destination is checked before the port is read, so a fault loses no input.
      const u32 lin = cpu.linear(kEs, index_reg(cpu, d, kEdi), size, Access::kWrite);
      cpu.probe_lin(lin, size, Access::kWrite, cpu.user());
      const u32 v = cpu.port_in(port, size);
      cpu.write_lin(lin, size, v, cpu.user());
      advance(cpu, d, kEdi, size);
      return false;
    }
    case Kind::kOuts:
      cpu.port_out(static_cast<u16>(cpu.gpr[kEdx]), size, cpu.read(d.seg, index_reg(cpu, d, kEsi), size));
      advance(cpu, d, kEsi, size);
      return false;
  }
  return false;
}

// REP MOVS and REP STOS over plain RAM, upwards with a 32-bit address size: the iterations (at
// most `limit`) that stay inside one page on each side and inside the segment limits run at once
// on host pointers. Returns how many ran; 0 leaves the next iteration to iteration(), which fills
// the TLB, goes through PhysMemory (MMIO, pages holding translated code) or faults.
u32 bulk_iterations(Cpu& cpu, const DecodedInsn& d, Kind kind, u8 size, u32 limit) {
  if ((kind != Kind::kMovs && kind != Kind::kStos) || d.asize != 4) return 0;
  if ((cpu.eflags & (fl::DF | fl::TF | fl::AC)) || cpu.data_breakpoints_armed()) return 0;
  auto room = [&](u8 sreg, u32 offset, bool write) -> u32 {
    const Segment& s = cpu.seg[sreg];
    if (!(write ? s.writable : s.readable) || offset < s.lo || offset > s.hi) return 0;
    const u64 in_segment = (s.hi - offset + 1) / size;
    const u32 in_page = (0x1000 - ((s.base + offset) & 0xFFF)) / size;
    return static_cast<u32>(std::min<u64>(in_segment, in_page));
  };
  const u32 dst_offset = cpu.gpr[kEdi], src_offset = cpu.gpr[kEsi];
  u32 n = std::min(limit, room(kEs, dst_offset, true));
  if (kind == Kind::kMovs) n = std::min(n, room(d.seg, src_offset, false));
  if (n < 2) return 0;
  const u32 bytes = n * size;
  u8* dst = cpu.mmu().lookup_write(cpu.seg[kEs].base + dst_offset, bytes, cpu.user());
  if (!dst) return 0;
  if (kind == Kind::kStos) {
    const u32 value = cpu.reg(kEax, size);
    for (u32 i = 0; i < n; ++i) store_le_sized(dst + i * size, value, size);
  } else {
    const u8* src = cpu.mmu().lookup_read(cpu.seg[d.seg].base + src_offset, bytes, cpu.user());
    if (!src) return 0;
    if (dst >= src + bytes || src >= dst + bytes)
      std::memcpy(dst, src, bytes);
    else  // overlapping: element by element, as the guest's iterations would (a pattern fill)
      for (u32 i = 0; i < bytes; i += size) std::memmove(dst + i, src + i, size);
    cpu.gpr[kEsi] = src_offset + bytes;
  }
  cpu.gpr[kEdi] = dst_offset + bytes;
  cpu.gpr[kEcx] -= n;
  return n;
}

void string_op(Cpu& cpu, const DecodedInsn& d, Kind kind) {
  const u8 size = d.ops[0].size;
  const bool compares = kind == Kind::kCmps || kind == Kind::kScas;
  if (kind == Kind::kIns || kind == Kind::kOuts) cpu.check_io_permission(static_cast<u16>(cpu.gpr[kEdx]), size);
  if (d.rep == kRepNone) {
    iteration(cpu, d, kind, size);
    return;
  }
  for (u32 n = 0; n < kIterationsPerStep; ++n) {
    const u32 count = cpu.gpr[kEcx] & addr_mask(d);
    if (count == 0) return;
    if (const u32 bulk = bulk_iterations(cpu, d, kind, size, std::min(count, kIterationsPerStep - n))) {
      n += bulk - 1;
      continue;
    }
    const bool equal = iteration(cpu, d, kind, size);
    cpu.set_reg(kEcx, d.asize, count - 1);
    if (compares && (d.rep == kRepE ? !equal : equal)) return;
    // Single-step and data breakpoints trap after each iteration (Intel SDM Vol. 3 §17.3.1.2).
    if ((cpu.eflags & fl::TF) || cpu.debug_trap_pending()) break;
  }
  if ((cpu.gpr[kEcx] & addr_mask(d)) != 0) cpu.next_eip = cpu.eip;  // more to do: run again
}

}  // namespace

void op_movs(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kMovs); }
void op_cmps(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kCmps); }
void op_stos(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kStos); }
void op_lods(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kLods); }
void op_scas(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kScas); }
void op_ins(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kIns); }
void op_outs(Cpu& cpu, const DecodedInsn& d) { string_op(cpu, d, Kind::kOuts); }

}  // namespace tern
