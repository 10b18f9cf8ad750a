// Guest memory access in generated code: effective addresses, segment checks (skipped when the
// mode key says the segment is flat), and the inlined TLB lookup. Every check that fails jumps to
// the instruction's slow path, which runs the whole instruction through its handler.
#include "cpu/cpu.h"
#include "jit/mode_key.h"
#include "jit/x64/emitter.h"

namespace tern::x64 {

namespace a = asmjit::x86;

static_assert(sizeof(TlbEntry) == 32, "tlb_entry_offset() scales the page number by 32");

bool Emitter::inline_memory() const { return !(src.key & mode::kCheckedMemory); }

void Emitter::linear_of_operand(u8 size, Access access) {
  effective_address();
  linear_of(d().seg, size, access);
}

void Emitter::effective_address() {
  const DecodedInsn& insn = d();
  const a::Gp ea = reg::kAddr.r32();
  const bool base = insn.ea_base != kNoReg, index = insn.ea_index != kNoReg;
  const i32 disp = static_cast<i32>(insn.disp);
  if (base && index)
    as.lea(ea, a::ptr(guest_reg(insn.ea_base), guest_reg(insn.ea_index), insn.ea_scale, disp));
  else if (base)
    as.lea(ea, a::ptr(guest_reg(insn.ea_base), disp));
  else if (index)  // [disp32 + index * scale]: the sign-extended displacement, cut to 32 bits
    as.lea(ea, a::ptr_abs(static_cast<u64>(static_cast<i64>(disp)), guest_reg(insn.ea_index), insn.ea_scale));
  else
    as.mov(ea, insn.disp);
  if (insn.asize == 2) as.movzx(ea, reg::kAddr.r16());
}

void Emitter::linear_of(u8 sreg, u8 size, Access access) {
  if (src.key & flat_bit(sreg)) return;
  const asmjit::Label slow = slow_path();
  // Real and virtual-8086 mode segments are always readable and writable.
  if ((src.key & mode::kProtected) && !(src.key & mode::kV86)) {
    as.cmp(cpu_mem(access == Access::kWrite ? layout.seg_writable[sreg] : layout.seg_readable[sreg], 1), 0);
    as.je(slow);
  }
  if (!(src.key & mode::kNoExpandDown)) {
    as.cmp(reg::kAddr, cpu_mem(layout.seg_lo[sreg], 8));
    as.jb(slow);
  }
  as.lea(reg::kTmp1, a::ptr(reg::kAddr, size - 1));
  as.cmp(reg::kTmp1, cpu_mem(layout.seg_hi[sreg], 8));
  as.ja(slow);
  as.add(reg::kAddr.r32(), cpu_mem(layout.seg_base[sreg], 4));
  host_flags_clobbered();
}

void Emitter::stack_linear(i32 delta, u8 size, Access access) {
  as.lea(reg::kAddr.r32(), a::ptr(guest_reg(kEsp), delta));
  if (!(src.key & mode::kStack32)) as.movzx(reg::kAddr.r32(), reg::kAddr.r16());
  linear_of(kSs, size, access);
}

void Emitter::adjust_esp(i32 delta) {
  guest_reg_written(kEsp);
  const a::Gp esp = guest_reg(kEsp);
  if (src.key & mode::kStack32) {
    as.lea(esp.r32(), a::ptr(esp, delta));
  } else {
    as.lea(reg::kTmp1.r32(), a::ptr(esp, delta));
    as.mov(esp.r16(), reg::kTmp1.r16());
  }
}

void Emitter::check_branch_target(u32 eip) {
  if (src.key & mode::kFlatCs) return;
  as.mov(reg::kTmp1.r32(), eip);
  as.cmp(cpu_mem(layout.seg_hi[kCs], 8), reg::kTmp1);
  as.jb(slow_path());
  host_flags_clobbered();
}

void Emitter::check_branch_target_r10() {
  if (src.key & mode::kFlatCs) return;
  as.cmp(cpu_mem(layout.seg_hi[kCs], 8), reg::kVal2);
  as.jb(slow_path());
  host_flags_clobbered();
}

void Emitter::tlb_entry_offset(const a::Gp& offset, const a::Gp& lin) {
  as.mov(offset.r32(), lin.r32());
  as.shr(offset.r32(), 12 - 5);
  as.and_(offset.r32(), (Mmu::kTlbSize - 1) << 5);
}

void Emitter::translate(u8 size, Access access) {
  const bool user = key_cpl(src.key) == 3;
  const i32 entry = layout.tlb[user];
  const i32 tag = access == Access::kWrite ? layout.tlb_write_tag : layout.tlb_read_tag;
  const a::Gp index = reg::kTmp1, page = reg::kTmp2;
  tlb_entry_offset(index, reg::kAddr);
  // The tag is the page of the first byte: comparing it with the page of the last byte also sends
  // page-crossing accesses to the slow path.
  if (size == 1)
    as.mov(page.r32(), reg::kAddr.r32());
  else
    as.lea(page.r32(), a::ptr(reg::kAddr, size - 1));
  as.and_(page.r32(), 0xFFFFF000u);
  const a::Mem tag_mem = a::dword_ptr(reg::kCpu, index, 0, entry + tag);
  const a::Mem addend = a::qword_ptr(reg::kCpu, index, 0, entry + layout.tlb_addend);
  if (!m_ram_addend) {
    as.cmp(page.r32(), tag_mem);
    as.jne(slow_path());
    as.add(reg::kAddr, addend);
  } else {
    // The identity tag promises RAM's addend: the host address then no longer waits for the
    // entry's addend to load, and a dependent load gets about 6 cycles shorter. Other pages (ROM,
    // a page A20 masking wraps) take the plain lookup.
    const i32 identity_tag = access == Access::kWrite ? layout.tlb_identity_write_tag : layout.tlb_identity_read_tag;
    const asmjit::Label other = as.newLabel(), done = as.newLabel(), slow = slow_path();
    as.cmp(page.r32(), a::dword_ptr(reg::kCpu, index, 0, entry + identity_tag));
    as.jne(other);
    as.mov(page, m_ram_addend);
    as.add(reg::kAddr, page);
    as.bind(done);
    cold([this, other, done, slow, tag_mem, addend] {
      as.bind(other);
      as.cmp(reg::kTmp2.r32(), tag_mem);
      as.jne(slow);
      as.add(reg::kAddr, addend);
      as.jmp(done);
    });
  }
  host_flags_clobbered();
}

void Emitter::load(const a::Gp& dst, u8 size, i32 disp) {
  const a::Mem m = a::ptr(reg::kAddr, disp, size);
  if (size == 4)
    as.mov(dst.r32(), m);
  else
    as.movzx(dst.r32(), m);
}

void Emitter::store(const a::Gp& value, u8 size, i32 disp) { as.mov(a::ptr(reg::kAddr, disp, size), view(value, size)); }

}  // namespace tern::x64
