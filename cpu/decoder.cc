#include "cpu/decoder.h"

#include <vector>

#include "base/bits.h"

#include "cpu/opcode_table.h"
#include "cpu/ops/forms.h"
#include "cpu/state.h"

namespace tern {

namespace {

bool spec_needs_modrm(Spec s) {
  switch (s) {
    case Spec::Eb: case Spec::Ew: case Spec::Ed: case Spec::Ev:
    case Spec::M: case Spec::Mb: case Spec::Mw: case Spec::Md: case Spec::Mq: case Spec::Mt:
    case Spec::Mv: case Spec::Mp: case Spec::Ma: case Spec::Ms: case Spec::Menv: case Spec::Mstate:
    case Spec::Mfx: case Spec::Rd: case Spec::RvMw: case Spec::Gb: case Spec::Gw: case Spec::Gd: case Spec::Gv:
    case Spec::Sw: case Spec::Cd: case Spec::Dd: case Spec::Pq: case Spec::Qq: case Spec::Qd:
    case Spec::Nq: case Spec::STi:
      return true;
    default:
      return false;
  }
}

bool spec_memory_only(Spec s) {
  switch (s) {
    case Spec::M: case Spec::Mb: case Spec::Mw: case Spec::Md: case Spec::Mq: case Spec::Mt:
    case Spec::Mv: case Spec::Mp: case Spec::Ma: case Spec::Ms: case Spec::Menv: case Spec::Mstate:
    case Spec::Mfx:
      return true;
    default:
      return false;
  }
}

bool spec_register_only(Spec s) { return s == Spec::Nq || s == Spec::STi; }

// All rows of one opcode byte in one map, indexed for the common lookups.
struct Slot {
  bool modrm = false;
  const OpcodeRow* first[2][8] = {};  // [mod == 3][ModRM.reg]: the first applicable row
  std::vector<const OpcodeRow*> all;  // for rows that also select on ModRM.rm
};

struct Index {
  Slot slots[2][256];

  Index() {
    for (auto rows : {integer_opcode_rows(), x87_opcode_rows(), mmx_opcode_rows()})
      for (const OpcodeRow& r : rows) add(r);
  }

  void add(const OpcodeRow& r) {
    Slot& slot = slots[r.opcode >> 8 ? 1 : 0][r.opcode & 0xFF];
    const Spec specs[3] = {r.a, r.b, r.c};
    bool mem_ok = !(r.flags & kModReg), reg_ok = !(r.flags & kModMem);
    for (Spec s : specs) {
      if (spec_needs_modrm(s)) slot.modrm = true;
      if (spec_memory_only(s)) reg_ok = false;
      if (spec_register_only(s)) mem_ok = false;
    }
    if (r.reg >= 0 || r.rm >= 0) slot.modrm = true;
    slot.all.push_back(&r);
    for (int reg = 0; reg < 8; ++reg) {
      if (r.reg >= 0 && r.reg != reg) continue;
      if (mem_ok && !slot.first[0][reg]) slot.first[0][reg] = &r;
      if (reg_ok && !slot.first[1][reg]) slot.first[1][reg] = &r;
    }
  }
};

const Index& opcode_index() {
  static const Index index;
  return index;
}

class Reader {
 public:
  Reader(const u8* bytes, unsigned avail) : m_bytes(bytes), m_avail(avail) {}
  // False when the next n bytes are not available; status() then says why.
  bool have(unsigned n) {
    if (m_pos + n > 15) {
      m_status = DecodeStatus::kTooLong;
      return false;
    }
    if (m_pos + n > m_avail) {
      m_status = DecodeStatus::kNeedMore;
      return false;
    }
    return true;
  }
  u32 take(unsigned n) {
    u32 v = 0;
    for (unsigned i = 0; i < n; ++i) v |= u32{m_bytes[m_pos + i]} << (8 * i);
    m_pos += n;
    return v;
  }
  unsigned pos() const { return m_pos; }
  DecodeStatus status() const { return m_status; }

 private:
  const u8* m_bytes;
  unsigned m_avail;
  unsigned m_pos = 0;
  DecodeStatus m_status = DecodeStatus::kOk;
};

// Parses the ModRM memory form (mod != 3): base, index, scale, displacement, default segment.
bool decode_memory(Reader& in, DecodedInsn& d) {
  const u8 mod = d.modrm >> 6, rm = d.modrm & 7;
  bool stack_default = false;
  unsigned disp_size = 0;
  if (d.asize == 2) {
    // [BX+SI] [BX+DI] [BP+SI] [BP+DI] [SI] [DI] [BP] [BX] (Intel SDM Vol. 2 Table 2-1).
    static constexpr u8 kBase[8] = {kEbx, kEbx, kEbp, kEbp, kEsi, kEdi, kEbp, kEbx};
    static constexpr u8 kIndex[8] = {kEsi, kEdi, kEsi, kEdi, kNoReg, kNoReg, kNoReg, kNoReg};
    d.ea_base = kBase[rm];
    d.ea_index = kIndex[rm];
    if (mod == 0 && rm == 6) {
      d.ea_base = kNoReg;
      disp_size = 2;
    } else {
      disp_size = mod == 1 ? 1 : mod == 2 ? 2 : 0;
    }
    stack_default = d.ea_base == kEbp;
  } else {
    if (rm == 4) {
      if (!in.have(1)) return false;
      const u8 sib = static_cast<u8>(in.take(1));
      const u8 base = sib & 7, index = (sib >> 3) & 7;
      d.ea_scale = sib >> 6;
      d.ea_index = index == 4 ? kNoReg : index;
      d.ea_base = (base == 5 && mod == 0) ? kNoReg : base;
      if (base == 5 && mod == 0) disp_size = 4;
    } else if (rm == 5 && mod == 0) {
      d.ea_base = kNoReg;
      disp_size = 4;
    } else {
      d.ea_base = rm;
    }
    if (mod == 1) disp_size = 1;
    if (mod == 2) disp_size = 4;
    stack_default = d.ea_base == kEsp || d.ea_base == kEbp;
  }
  if (disp_size) {
    if (!in.have(disp_size)) return false;
    d.disp = static_cast<u32>(sign_extend(in.take(disp_size), 8 * disp_size));
  }
  if (stack_default) d.seg = kSs;
  return true;
}

u8 memory_size(Spec s, u8 osize) {
  switch (s) {
    case Spec::Mb: return 1;
    case Spec::Mw: return 2;
    case Spec::Md: return 4;
    case Spec::Mq: return 8;
    case Spec::Mt: return 10;
    case Spec::Mv: return osize;
    case Spec::Mp: return static_cast<u8>(osize + 2);
    case Spec::Ma: return static_cast<u8>(2 * osize);
    case Spec::Ms: return 6;
    case Spec::Menv: return osize == 4 ? 28 : 14;
    case Spec::Mstate: return osize == 4 ? 108 : 94;
    default: return 0;  // M (LEA, INVLPG) and Mfx (512 bytes) carry no size
  }
}

// Fills one operand from its specification; reads immediates. False when bytes run out.
bool decode_operand(Reader& in, Spec s, u8 opcode, DecodedInsn& d, Operand& o, bool& have_imm) {
  const bool is_reg = (d.modrm >> 6) == 3;
  const u8 reg = d.modrm_reg(), rm = d.modrm_rm();
  auto imm = [&](unsigned bytes, u8 size, bool sign) {
    if (!in.have(bytes)) return false;
    u32 v = in.take(bytes);
    if (sign) v = static_cast<u32>(sign_extend(v, 8 * bytes));
    (have_imm ? d.imm2 : d.imm) = v;
    have_imm = true;
    o = {OperandKind::kImm, size, 0};
    return true;
  };
  auto e_form = [&](u8 size) {
    o = is_reg ? Operand{OperandKind::kReg, size, rm} : Operand{OperandKind::kMem, size, 0};
  };
  switch (s) {
    case Spec::kNone: break;
    case Spec::Eb: e_form(1); break;
    case Spec::Ew: e_form(2); break;
    case Spec::Ed: e_form(4); break;
    case Spec::Ev: e_form(d.osize); break;
    case Spec::M: case Spec::Mb: case Spec::Mw: case Spec::Md: case Spec::Mq: case Spec::Mt:
    case Spec::Mv: case Spec::Mp: case Spec::Ma: case Spec::Ms: case Spec::Menv: case Spec::Mstate:
    case Spec::Mfx:
      o = {OperandKind::kMem, memory_size(s, d.osize), 0};
      break;
    case Spec::Rd: o = {OperandKind::kReg, 4, rm}; break;
    case Spec::RvMw: o = is_reg ? Operand{OperandKind::kReg, d.osize, rm} : Operand{OperandKind::kMem, 2, 0}; break;
    case Spec::Gb: o = {OperandKind::kReg, 1, reg}; break;
    case Spec::Gw: o = {OperandKind::kReg, 2, reg}; break;
    case Spec::Gd: o = {OperandKind::kReg, 4, reg}; break;
    case Spec::Gv: o = {OperandKind::kReg, d.osize, reg}; break;
    case Spec::Sw: o = {OperandKind::kSreg, 2, reg}; break;
    case Spec::Cd: o = {OperandKind::kCreg, 4, reg}; break;
    case Spec::Dd: o = {OperandKind::kDreg, 4, reg}; break;
    case Spec::Ib: return imm(1, 1, false);
    case Spec::Iw: return imm(2, 2, false);
    case Spec::Iz: return imm(d.osize, d.osize, false);
    case Spec::Ibs: return imm(1, d.osize, true);
    case Spec::Jb: return imm(1, d.osize, true);
    case Spec::Jz: return imm(d.osize, d.osize, true);
    case Spec::Ap:
      if (!in.have(d.osize + 2u)) return false;
      d.imm = in.take(d.osize);
      d.imm2 = in.take(2);
      o = {OperandKind::kImm, static_cast<u8>(d.osize + 2), 0};
      break;
    case Spec::Ob: case Spec::Ov:
      if (!in.have(d.asize)) return false;
      d.disp = in.take(d.asize);
      o = {OperandKind::kMem, s == Spec::Ob ? u8{1} : d.osize, 0};
      break;
    case Spec::One:
      d.imm = 1;
      o = {OperandKind::kImm, 1, 0};
      break;
    case Spec::AL: o = {OperandKind::kReg, 1, kEax}; break;
    case Spec::eAX: o = {OperandKind::kReg, d.osize, kEax}; break;
    case Spec::CL: o = {OperandKind::kReg, 1, kEcx}; break;
    case Spec::DX: o = {OperandKind::kReg, 2, kEdx}; break;
    case Spec::ES: o = {OperandKind::kSreg, 2, kEs}; break;
    case Spec::CS: o = {OperandKind::kSreg, 2, kCs}; break;
    case Spec::SS: o = {OperandKind::kSreg, 2, kSs}; break;
    case Spec::DS: o = {OperandKind::kSreg, 2, kDs}; break;
    case Spec::FS: o = {OperandKind::kSreg, 2, kFs}; break;
    case Spec::GS: o = {OperandKind::kSreg, 2, kGs}; break;
    case Spec::Zb: o = {OperandKind::kReg, 1, static_cast<u8>(opcode & 7)}; break;
    case Spec::Zv: o = {OperandKind::kReg, d.osize, static_cast<u8>(opcode & 7)}; break;
    case Spec::Zd: o = {OperandKind::kReg, 4, static_cast<u8>(opcode & 7)}; break;
    case Spec::Pq: o = {OperandKind::kMmx, 8, reg}; break;
    case Spec::Qq: o = is_reg ? Operand{OperandKind::kMmx, 8, rm} : Operand{OperandKind::kMem, 8, 0}; break;
    case Spec::Qd: o = is_reg ? Operand{OperandKind::kMmx, 8, rm} : Operand{OperandKind::kMem, 4, 0}; break;
    case Spec::Nq: o = {OperandKind::kMmx, 8, rm}; break;
    case Spec::ST0: o = {OperandKind::kSt, 10, 0}; break;
    case Spec::STi: o = {OperandKind::kSt, 10, rm}; break;
    case Spec::Xb: o = {OperandKind::kNone, 1, 0}; break;
    case Spec::Xv: o = {OperandKind::kNone, d.osize, 0}; break;
  }
  return true;
}

const OpcodeRow* select_row(const Slot& slot, const DecodedInsn& d, bool have_modrm) {
  if (!have_modrm) return slot.first[0][0] ? slot.first[0][0] : slot.first[1][0];
  const bool is_reg = (d.modrm >> 6) == 3;
  const OpcodeRow* r = slot.first[is_reg][d.modrm_reg()];
  if (!r || r->rm < 0 || !is_reg) return r;
  // Rows that name a particular ModRM.rm (x87 register forms like D9 E8 FLD1).
  for (const OpcodeRow* c : slot.all)
    if (c->reg == d.modrm_reg() && (c->rm < 0 || c->rm == d.modrm_rm()) && !(c->flags & kModMem)) return c;
  return nullptr;
}

bool is_mmx_spec(Spec s) { return s == Spec::Pq || s == Spec::Qq || s == Spec::Qd || s == Spec::Nq; }

// Operand combinations a row admits but the P6 rejects with #UD.
bool defined_form(const OpcodeRow& row, const DecodedInsn& d, bool sse_prefix) {
  // LOCK is only defined for lockable operations with a memory destination.
  if (d.lock && !((row.flags & kLockable) && d.ops[0].kind == OperandKind::kMem)) return false;
  for (const Operand& o : d.ops) {
    if (o.kind == OperandKind::kSreg && o.reg >= kSegCount) return false;
    // CR1 and CR5-CR7 do not exist (Intel SDM Vol. 2 "MOV—Move to/from Control Registers").
    if (o.kind == OperandKind::kCreg && (o.reg == 1 || o.reg >= 5)) return false;
  }
  // MOV CS, r/m is #UD (Intel SDM Vol. 2 "MOV": loading CS with MOV is invalid).
  if (row.op == Op::kMovToSreg && d.ops[0].reg == kCs) return false;
  // 66, F2 or F3 in front of an MMX instruction select the SSE2/SSE3 forms of later processors;
  // on the P6 they are reserved (Intel SDM Vol. 3 §12.3 on prefixes with MMX instructions).
  if (sse_prefix && (is_mmx_spec(row.a) || is_mmx_spec(row.b))) return false;
  return true;
}

bool row_uses_memory_form(const OpcodeRow& r) {
  // MOV to/from CRn/DRn ignore mod and take no displacement.
  return r.a != Spec::Rd && r.b != Spec::Rd;
}

}  // namespace

DecodeStatus decode(const u8* bytes, unsigned avail, bool code32, DecodedInsn& d) {
  d = DecodedInsn{};
  Reader in(bytes, avail);
  bool opsize_prefix = false, addrsize_prefix = false;
  int seg_override = -1;
  u8 b;
  for (;;) {
    if (!in.have(1)) return in.status();
    b = static_cast<u8>(in.take(1));
    switch (b) {
      case 0x26: seg_override = kEs; continue;
      case 0x2E: seg_override = kCs; continue;
      case 0x36: seg_override = kSs; continue;
      case 0x3E: seg_override = kDs; continue;
      case 0x64: seg_override = kFs; continue;
      case 0x65: seg_override = kGs; continue;
      case 0x66: opsize_prefix = true; continue;
      case 0x67: addrsize_prefix = true; continue;
      case 0xF0: d.lock = true; continue;
      case 0xF2: d.rep = kRepNE; continue;
      case 0xF3: d.rep = kRepE; continue;
      default: break;
    }
    break;
  }
  d.osize = (code32 != opsize_prefix) ? 4 : 2;
  d.asize = (code32 != addrsize_prefix) ? 4 : 2;
  d.seg = kDs;

  int map = 0;
  if (b == 0x0F) {
    if (!in.have(1)) return in.status();
    b = static_cast<u8>(in.take(1));
    map = 1;
  }
  d.opcode = b;
  d.cc = b & 0xF;

  const Slot& slot = opcode_index().slots[map][b];
  if (slot.modrm) {
    if (!in.have(1)) return in.status();
    d.modrm = static_cast<u8>(in.take(1));
  }
  const OpcodeRow* row = select_row(slot, d, slot.modrm);
  if (!row) {
    d.op = Op::kUd;
  } else {
    d.op = row->op;
    if (slot.modrm && (d.modrm >> 6) != 3 && row_uses_memory_form(*row) && !decode_memory(in, d))
      return in.status();
    bool have_imm = false;
    const Spec specs[3] = {row->a, row->b, row->c};
    for (int i = 0; i < 3; ++i)
      if (!decode_operand(in, specs[i], b, d, d.ops[i], have_imm)) return in.status();
    if (!defined_form(*row, d, opsize_prefix || d.rep != kRepNone)) d.op = Op::kUd;
  }
  if (seg_override >= 0) d.seg = static_cast<u8>(seg_override);
  d.len = static_cast<u8>(in.pos());
  d.handler = form_handler(d);
  d.attrs = op_info(d.op).attrs;
  if ((d.attrs & kString) && d.rep != kRepNone) d.attrs |= kRestarts;
  return DecodeStatus::kOk;
}

const char* mnemonic(Op op) { return op_info(op).mnemonic; }

}  // namespace tern
