#include "jit/discover.h"

#include <algorithm>
#include <array>

#include "cpu/cpu.h"
#include "cpu/decoder.h"
#include "jit/mode_key.h"

namespace tern {

namespace {

// A shift or rotate by an immediate count in 1 .. width-1.
bool shift_by_immediate(const DecodedInsn& d) {
  const u32 count = d.imm & 0x1F;
  return d.ops[1].kind == OperandKind::kImm && count != 0 && count < 8u * d.ops[0].size;
}

// Flags an instruction always overwrites (must-write), for liveness: what it leaves unchanged
// (INC's CF, MUL's SF ZF AF PF, a shift's AF) and whatever depends on a count that may be 0 (CL)
// passes through.
u32 flags_killed(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kAdd: case Op::kOr: case Op::kAdc: case Op::kSbb: case Op::kAnd: case Op::kSub:
    case Op::kXor: case Op::kCmp: case Op::kTest: case Op::kNeg:
      return fl::kArith;
    case Op::kInc: case Op::kDec:
      return fl::kArith & ~fl::CF;
    case Op::kMul: case Op::kImul: case Op::kImul2:
      return fl::CF | fl::OF;
    case Op::kShl: case Op::kShr: case Op::kSar:
      if (!shift_by_immediate(d)) return 0;
      return fl::CF | fl::ZF | fl::SF | fl::PF | ((d.imm & 0x1F) == 1 ? fl::OF : 0);
    default:
      return 0;
  }
}

// Flags the instruction reads. A flag it leaves unchanged is not read (ops.def lists it because the
// interpreter's handler copies it): the unchanged flags stay where they are in generated code
// (x64: FlagState kOverride). A backend that runs such an instruction through its handler must
// call it impure (PureInsnPredicate), as it does for every other handler call.
u32 flags_used(const DecodedInsn& d) {
  switch (d.op) {
    case Op::kJcc: case Op::kSetcc: case Op::kCmovcc: return condition_flags(d.cc);
    case Op::kShl: case Op::kShr: case Op::kSar: case Op::kRol: case Op::kRor:
      return shift_by_immediate(d) ? 0 : op_info(d.op).flags_read;
    default: return op_info(d.op).flags_read;
  }
}

// The target of a relative JMP or Jcc.
u32 relative_target(const GuestInsn& g) {
  const u32 t = g.next_eip + g.d.imm;
  return g.d.osize == 2 ? t & 0xFFFF : t;
}

bool is_relative_branch(const DecodedInsn& d) {
  return (d.op == Op::kJcc || d.op == Op::kJmpNear) && d.ops[0].kind == OperandKind::kImm;
}

// A loop's closing JMP back into the block does not end it when an earlier conditional branch of
// the block skips to the instruction right after it (a loop exit): the block goes on there, so
// that the exit stays inside it (the JIT's forward edges). Only those branches reach that code.
bool continues_past_jump(const BlockSource& block, const GuestInsn& jmp, const u32* forward, unsigned forward_count) {
  if (!is_relative_branch(jmp.d)) return false;
  const u32 target = relative_target(jmp);
  bool backward = false;
  for (unsigned i = 0; i < block.count; ++i) backward |= block.insns[i].eip == target;
  if (!backward) return false;
  for (unsigned i = 0; i < forward_count; ++i)
    if (forward[i] == jmp.next_eip) return true;
  return false;
}

}  // namespace

bool is_string_op(Op op) {
  return op == Op::kMovs || op == Op::kCmps || op == Op::kStos || op == Op::kLods || op == Op::kScas ||
         op == Op::kIns || op == Op::kOuts;
}

bool ends_block(const DecodedInsn& d) {
  if (d.op == Op::kJcc) return false;
  return (op_info(d.op).attrs & kEndsBlock) || (is_string_op(d.op) && d.rep != kRepNone);
}

u32 condition_flags(u8 cc) {
  switch (cc >> 1) {
    case 0: return fl::OF;
    case 1: return fl::CF;
    case 2: return fl::ZF;
    case 3: return fl::CF | fl::ZF;
    case 4: return fl::SF;
    case 5: return fl::PF;
    case 6: return fl::SF | fl::OF;
    default: return fl::ZF | fl::SF | fl::OF;
  }
}

bool discover_block(const Cpu& cpu, u32 key, u32 eip, u32 lin, u64 phys, const u8* host, BlockSource& out) {
  out.eip = eip;
  out.lin = lin;
  out.phys = phys;
  out.host = host;
  out.key = key;
  out.count = 0;
  out.bytes = 0;
  const bool code32 = key & mode::kCode32;
  const u64 cs_hi = cpu.seg[kCs].hi;
  constexpr u32 kPageEnd = 0x1000;
  const u32 start = lin & 0xFFF;
  u32 offset = start;  // of the next instruction in the page
  u32 at = eip;
  // Targets of the block's forward conditional branches so far.
  std::array<u32, kMaxBlockInsns> forward{};
  unsigned forward_count = 0;
  while (out.count < kMaxBlockInsns) {
    if (at > cs_hi) break;
    const u32 avail = static_cast<u32>(std::min<u64>({15, cs_hi - at + 1, u64{kPageEnd} - offset}));
    GuestInsn& g = out.insns[out.count];
    if (decode(host + (offset - start), avail, code32, g.d) != DecodeStatus::kOk) break;
    g.eip = at;
    const u32 next = at + g.d.len;
    g.next_eip = code32 ? next : next & 0xFFFF;
    ++out.count;
    out.bytes += g.d.len;
    offset += g.d.len;
    // 16-bit IP wrapping to 0 continues elsewhere: end the block there too.
    if (g.next_eip < at || offset >= kPageEnd) break;
    if (g.d.op == Op::kJcc && is_relative_branch(g.d) && relative_target(g) > at) forward[forward_count++] = relative_target(g);
    if (ends_block(g.d) && !(g.d.op == Op::kJmpNear && continues_past_jump(out, g, forward.data(), forward_count))) break;
    at = g.next_eip;
  }
  return out.count > 0;
}

void compute_flag_liveness(BlockSource& block, PureInsnPredicate pure) {
  u32 live = fl::kArith;  // whatever follows the block may read any flag
  for (unsigned i = block.count; i-- > 0;) {
    GuestInsn& g = block.insns[i];
    g.flags_live_out = live;
    if (!pure(g.d)) {
      live = fl::kArith;  // a fault or a call out sees every flag as it was before
      continue;
    }
    live = (live & ~flags_killed(g.d)) | flags_used(g.d);
  }
  block.flags_live_in = live;
}

}  // namespace tern
