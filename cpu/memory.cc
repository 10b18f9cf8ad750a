// Guest memory access from instructions: effective addresses, segment checks, the TLB fast path
// and its slow path (page walk, #PF, page-crossing accesses, MMIO), operands and the stack.
#include "base/bits.h"
#include "cpu/cpu.h"

namespace tern {

void Cpu::segment_fault(u8 sreg) {
  if (sreg == kSs) raise(kSS, 0);
  gp(0);
}

u32 Cpu::linear(u8 sreg, u32 offset, u32 size, Access access) {
  const Segment& s = seg[sreg];
  const bool allowed = access == Access::kWrite ? s.writable : s.readable;
  if (!allowed || offset < s.lo || u64{offset} + size - 1 > s.hi) segment_fault(sreg);
  const u32 lin = s.base + offset;
  if (m_data_breakpoints) [[unlikely]] check_data_breakpoints(lin, size, access);
  // Alignment check (#AC): CPL 3 data accesses with CR0.AM and EFLAGS.AC set.
  if (cpl == 3 && (cr0 & cr0::AM) && (eflags & fl::AC) && size > 1 && (lin & (size - 1))) raise(kAC, 0);
  return lin;
}

u32 Cpu::read_checked(u8 sreg, u32 offset, u8 size) {
  return read_lin(linear(sreg, offset, size, Access::kRead), size, user());
}

void Cpu::write_checked(u8 sreg, u32 offset, u8 size, u32 value) {
  write_lin(linear(sreg, offset, size, Access::kWrite), size, value, user());
}

u64 Cpu::read64(u8 sreg, u32 offset) {
  const u32 lin = linear(sreg, offset, 8, Access::kRead);
  if (const u8* p = m_mmu.lookup_read(lin, 8, user())) return load_le<u64>(p);
  probe_lin(lin, 8, Access::kRead, user());
  const u64 lo = read_lin(lin, 4, user());
  return lo | (u64{read_lin(lin + 4, 4, user())} << 32);
}

void Cpu::write64(u8 sreg, u32 offset, u64 value) {
  const u32 lin = linear(sreg, offset, 8, Access::kWrite);
  if (u8* p = m_mmu.lookup_write(lin, 8, user())) return store_le<u64>(p, value);
  probe_lin(lin, 8, Access::kWrite, user());
  write_lin(lin, 4, static_cast<u32>(value), user());
  write_lin(lin + 4, 4, static_cast<u32>(value >> 32), user());
}

u32 Cpu::read_lin(u32 lin, u8 size, bool as_user) {
  if (const u8* p = m_mmu.lookup_read(lin, size, as_user)) return static_cast<u32>(load_le_sized(p, size));
  return read_slow(lin, size, as_user);
}

void Cpu::write_lin(u32 lin, u8 size, u32 value, bool as_user) {
  if (u8* p = m_mmu.lookup_write(lin, size, as_user)) return store_le_sized(p, value, size);
  write_slow(lin, size, value, as_user);
}

void Cpu::probe_lin(u32 lin, u32 size, Access access, bool as_user) {
  const u32 last = lin + size - 1;
  for (u32 page = lin & 0xFFFFF000u;; page += 0x1000) {
    const u32 at = page < lin ? lin : page;
    const bool hit = access == Access::kWrite ? m_mmu.lookup_write(at, 1, as_user) != nullptr
                                              : m_mmu.lookup_read(at, 1, as_user) != nullptr;
    if (!hit) {
      const Mmu::Fill f = m_mmu.fill(at, access, as_user);
      if (!f.ok) {
        cr2 = at;
        raise(kPF, f.error_code);
      }
    }
    if ((page >> 12) == (last >> 12)) break;
  }
}

u32 Cpu::read_slow(u32 lin, u8 size, bool as_user) {
  if ((lin & 0xFFF) + size > 0x1000) {
    probe_lin(lin, size, Access::kRead, as_user);
    u32 value = 0;
    for (u8 i = 0; i < size; ++i) value |= read_lin(lin + i, 1, as_user) << (8 * i);
    return value;
  }
  const Mmu::Fill f = m_mmu.fill(lin, Access::kRead, as_user);
  if (!f.ok) {
    cr2 = lin;
    raise(kPF, f.error_code);
  }
  if (f.host) return static_cast<u32>(load_le_sized(f.host, size));
  sync_clock();
  const u32 value = static_cast<u32>(m_mmu.phys().read(f.phys, size));
  after_device_access();
  return value;
}

void Cpu::write_slow(u32 lin, u8 size, u32 value, bool as_user) {
  if ((lin & 0xFFF) + size > 0x1000) {
    // Both pages must be writable before any byte is stored.
    probe_lin(lin, size, Access::kWrite, as_user);
    for (u8 i = 0; i < size; ++i) write_lin(lin + i, 1, (value >> (8 * i)) & 0xFF, as_user);
    return;
  }
  const Mmu::Fill f = m_mmu.fill(lin, Access::kWrite, as_user);
  if (!f.ok) {
    cr2 = lin;
    raise(kPF, f.error_code);
  }
  if (f.host) return store_le_sized(f.host, value, size);
  // A device may look at the clock; a page holding translated code is plain RAM (and the JIT's
  // verifier, which rolls the CPU back, must not move the clock for it).
  if (!m_mmu.phys().is_code_page(f.phys)) sync_clock();
  m_mmu.phys().write(f.phys, value, size);
  after_device_access();
}

u8 Cpu::read_lin_exec(u32 lin) {
  if (const u8* p = m_mmu.lookup_exec(lin, 1, user())) return *p;
  const Mmu::Fill f = m_mmu.fill(lin, Access::kExec, user());
  if (!f.ok) {
    cr2 = lin;
    raise(kPF, f.error_code);
  }
  return f.host ? *f.host : static_cast<u8>(m_mmu.phys().read(f.phys, 1));
}

u32 Cpu::read_op(const DecodedInsn& d, int i) {
  const Operand& o = d.ops[i];
  switch (o.kind) {
    case OperandKind::kReg: return reg(o.reg, o.size);
    case OperandKind::kMem: return read(d.seg, effective_address(d), o.size);
    case OperandKind::kImm: return d.imm;
    case OperandKind::kSreg: return seg[o.reg].selector;
    default: raise(kUD);
  }
}

void Cpu::write_op(const DecodedInsn& d, int i, u32 value) {
  const Operand& o = d.ops[i];
  switch (o.kind) {
    case OperandKind::kReg: return set_reg(o.reg, o.size, value);
    case OperandKind::kMem: return write(d.seg, effective_address(d), o.size, value);
    default: raise(kUD);
  }
}

}  // namespace tern
