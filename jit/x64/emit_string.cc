// Inline forms of MOVS STOS LODS without a REP prefix (cpu/ops/string.cc); the direction flag is
// part of the mode key, so the step is a constant. REP forms run their handler, which works in
// restartable chunks, and end the block.
#include "cpu/cpu.h"
#include "jit/mode_key.h"
#include "jit/x64/emit_ops.h"

namespace tern::x64 {

namespace a = asmjit::x86;

namespace {

// eax = the linear address of sreg:(E)SI or sreg:(E)DI.
void string_address(Emitter& e, u8 index_reg, u8 sreg, u8 size, Access access) {
  e.as.mov(reg::kAddr.r32(), guest_reg(index_reg).r32());
  if (e.d().asize == 2) e.as.movzx(reg::kAddr.r32(), reg::kAddr.r16());
  e.linear_of(sreg, size, access);
}

// (E)SI or (E)DI += the step (SI or DI alone with a 16-bit address size).
void advance(Emitter& e, u8 index_reg, u8 size) {
  const i32 step = (e.key() & mode::kDirection) ? -size : size;
  const a::Gp r = guest_reg(index_reg);
  e.guest_reg_written(index_reg);
  if (e.d().asize == 4) {
    e.as.lea(r.r32(), a::ptr(r, step));
  } else {
    e.as.lea(reg::kTmp1.r32(), a::ptr(r, step));
    e.as.mov(r.r16(), reg::kTmp1.r16());
  }
}

bool usable(const Emitter& e) { return e.d().rep == kRepNone && e.inline_memory(); }

bool emit_movs(Emitter& e) {
  if (!usable(e)) return false;
  const u8 size = e.d().ops[0].size;
  string_address(e, kEsi, e.d().seg, size, Access::kRead);
  e.translate(size, Access::kRead);
  e.load(reg::kVal1, size);
  string_address(e, kEdi, kEs, size, Access::kWrite);
  e.translate(size, Access::kWrite);
  e.store(reg::kVal1, size);
  advance(e, kEsi, size);
  advance(e, kEdi, size);
  return true;
}

bool emit_stos(Emitter& e) {
  if (!usable(e)) return false;
  const u8 size = e.d().ops[0].size;
  string_address(e, kEdi, kEs, size, Access::kWrite);
  e.translate(size, Access::kWrite);
  e.as.mov(a::ptr(reg::kAddr, 0, size), view(guest_reg(kEax), size));
  advance(e, kEdi, size);
  return true;
}

bool emit_lods(Emitter& e) {
  if (!usable(e)) return false;
  const u8 size = e.d().ops[0].size;
  string_address(e, kEsi, e.d().seg, size, Access::kRead);
  e.translate(size, Access::kRead);
  e.guest_reg_written(kEax);
  e.as.mov(view(guest_reg(kEax), size), a::ptr(reg::kAddr, 0, size));
  advance(e, kEsi, size);
  return true;
}

}  // namespace

void register_string(EmitTable& t) {
  t.set(Op::kMovs, emit_movs);
  t.set(Op::kStos, emit_stos);
  t.set(Op::kLods, emit_lods);
}

}  // namespace tern::x64
