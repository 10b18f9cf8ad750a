// The IA-32 decoder against an oracle: Zydis (libzydis, legacy 16- and 32-bit machine modes)
// decodes the same byte sequences, and length, operation validity and every operand (kind, size,
// register, immediate, base/index/scale/displacement, segment) must agree. The sequences cover
// every one-byte and 0F opcode with every ModRM byte, a sweep of SIB bytes, the prefixes that
// change decoding (66 67 segment F0 F2 F3 and their combinations), truncated input and the
// 15-byte limit. Where a Pentium II differs from what Zydis knows (later instruction sets), the
// lists below say so, one commented line per encoding family.
#include <Zydis/Zydis.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <map>
#include <string>

#include "cpu/decoder.h"
#include "cpu/state.h"

namespace {

using namespace tern;

// ---------------------------------------------------------------------------------------------
// The P6 boundary.

// Zydis ISA sets whose instructions a Pentium II implements.
bool p6_isa_set(ZydisISASet s) {
  switch (s) {
    case ZYDIS_ISA_SET_I86: case ZYDIS_ISA_SET_I186: case ZYDIS_ISA_SET_I286REAL:
    case ZYDIS_ISA_SET_I286PROTECTED: case ZYDIS_ISA_SET_I386: case ZYDIS_ISA_SET_I486REAL:
    case ZYDIS_ISA_SET_I486: case ZYDIS_ISA_SET_PENTIUMREAL: case ZYDIS_ISA_SET_PPRO:
    case ZYDIS_ISA_SET_CMOV: case ZYDIS_ISA_SET_FCMOV: case ZYDIS_ISA_SET_X87:
    case ZYDIS_ISA_SET_PENTIUMMMX: case ZYDIS_ISA_SET_FAT_NOP: case ZYDIS_ISA_SET_RDPMC:
    case ZYDIS_ISA_SET_LAHF: case ZYDIS_ISA_SET_FXSAVE:
      return true;
    default:
      return false;
  }
}

// x87, MMX and FXSAVE/FXRSTOR rows belong to cpu/fpu/: while a P6 encoding of those families has
// no row yet, the sweep counts it and reports it instead of failing.
bool fpu_family(const ZydisDecodedInstruction& z) {
  return z.meta.isa_ext == ZYDIS_ISA_EXT_X87 || z.meta.isa_ext == ZYDIS_ISA_EXT_MMX ||
         z.meta.isa_set == ZYDIS_ISA_SET_FXSAVE;
}

// Which of the mandatory-prefix forms an entry means: none of 66/F2/F3, 66 without F2/F3, or the
// last of F2/F3 (the "last prefix wins" rule both Zydis and the P6 follow).
constexpr u8 kAnyReg = 0xFF;
constexpr u8 R(int reg) { return static_cast<u8>(1u << reg); }

enum class Pfx : u8 { kAny, kNone, k66, kF3, kF2, kAnyOf66F2F3 };

struct Form {
  u16 opcode;  // one-byte map 0x00..0xFF, 0F map 0x0F00 | byte
  u16 last;    // last opcode of a range (same map), or 0 for one opcode
  u8 regs;     // ModRM.reg values the form covers, one bit each
  i8 mod;      // -1 any, 0 memory forms (mod 0..2), 3 register form
  Pfx pfx;
  const char* what;
};

// Encodings Zydis decodes that a Pentium II does not have. tern must decode each to Op::kUd.
// Every Zydis decode outside the P6 ISA sets must match a line here (the list is complete).
constexpr Form kNotOnP6[] = {
    {0x62, 0, kAnyReg, 3, Pfx::kAny, "62 mod 3: EVEX prefix (AVX-512); BOUND with a register operand on the P6"},
    {0x8F, 0, static_cast<u8>(~R(0)), -1, Pfx::kAny, "8F /1-7: XOP prefix (AMD); no POP form on the P6"},
    {0xC4, 0xC5, kAnyReg, 3, Pfx::kAny, "C4/C5 mod 3: VEX prefixes (AVX); LES/LDS with a register operand on the P6"},
    {0xC6, 0xC7, R(7), 3, Pfx::kAny, "C6/C7 /7 reg: XABORT XBEGIN (RTM)"},
    {0xDB, 0, R(1), 0, Pfx::kAny, "DB /1 mem FISTTP m32 (SSE3)"},
    {0xDD, 0, R(1), 0, Pfx::kAny, "DD /1 mem FISTTP m64 (SSE3)"},
    {0xDF, 0, R(1), 0, Pfx::kAny, "DF /1 mem FISTTP m16 (SSE3)"},
    {0x0F01, 0, R(0), 3, Pfx::kAny, "0F 01 /0 reg: VMCALL VMLAUNCH VMRESUME VMXOFF ENCLV (VMX, SGX)"},
    {0x0F01, 0, R(1), 3, Pfx::kAny, "0F 01 /1 reg: MONITOR MWAIT CLAC STAC ENCLS (SSE3, SMAP, SGX)"},
    {0x0F01, 0, R(2), 3, Pfx::kAny, "0F 01 /2 reg: XGETBV XSETBV VMFUNC XEND XTEST ENCLU (XSAVE, RTM)"},
    {0x0F01, 0, R(3), 3, Pfx::kAny, "0F 01 /3 reg: VMRUN VMMCALL ... INVLPGA (AMD SVM)"},
    {0x0F01, 0, R(5), -1, Pfx::kAny, "0F 01 /5: RSTORSSP SETSSBSY SAVEPREVSSP RDPKRU WRPKRU (CET, PKU)"},
    {0x0F01, 0, R(7), 3, Pfx::kAny, "0F 01 /7 reg: SWAPGS RDTSCP MONITORX CLZERO RDPRU (x86-64, AMD)"},
    {0x0F05, 0, kAnyReg, -1, Pfx::kAny, "0F 05 SYSCALL (AMD K6 and later)"},
    {0x0F07, 0, kAnyReg, -1, Pfx::kAny, "0F 07 SYSRET (AMD K6 and later)"},
    {0x0F0D, 0, kAnyReg, -1, Pfx::kAny, "0F 0D PREFETCH/PREFETCHW (3DNow!, later Intel)"},
    {0x0F0E, 0, kAnyReg, -1, Pfx::kAny, "0F 0E FEMMS (3DNow!)"},
    {0x0F0F, 0, kAnyReg, -1, Pfx::kAny, "0F 0F 3DNow! arithmetic"},
    {0x0F10, 0x0F17, kAnyReg, -1, Pfx::kAny, "0F 10-17 MOVUPS MOVSS MOVLPS UNPCKLPS MOVHPS ... (SSE, SSE2, SSE3)"},
    {0x0F28, 0x0F2F, kAnyReg, -1, Pfx::kAny, "0F 28-2F MOVAPS CVTPI2PS MOVNTPS CVTTPS2PI UCOMISS COMISS ... (SSE, SSE2)"},
    {0x0F37, 0, kAnyReg, -1, Pfx::kAny, "0F 37 GETSEC (SMX)"},
    {0x0F38, 0, kAnyReg, -1, Pfx::kAny, "0F 38 three-byte map (SSSE3, SSE4, MOVBE, ...)"},
    {0x0F3A, 0, kAnyReg, -1, Pfx::kAny, "0F 3A three-byte map (SSSE3, SSE4, ...)"},
    {0x0F50, 0x0F5F, kAnyReg, -1, Pfx::kAny, "0F 50-5F MOVMSKPS SQRTPS ... MAXPS (SSE, SSE2)"},
    {0x0F60, 0x0F7F, kAnyReg, -1, Pfx::kAnyOf66F2F3,
     "0F 60-7F with 66/F2/F3: the XMM forms of MMX instructions and MOVDQA/MOVDQU/PSHUFD/... "
     "(SSE2, SSE3); reserved on the P6 (Intel SDM Vol. 3 §12.3: prefixes on MMX instructions)"},
    {0x0F70, 0, kAnyReg, -1, Pfx::kNone, "0F 70 PSHUFW (SSE integer on MMX registers)"},
    {0x0F78, 0x0F79, kAnyReg, -1, Pfx::kAny, "0F 78/79 VMREAD VMWRITE (VMX), EXTRQ INSERTQ (SSE4A)"},
    {0x0F7C, 0x0F7D, kAnyReg, -1, Pfx::kAny, "0F 7C/7D HADDPD HSUBPD ... (SSE3)"},
    {0x0FAE, 0, R(2), 0, Pfx::kAny, "0F AE /2 mem LDMXCSR (SSE)"},
    {0x0FAE, 0, R(3), 0, Pfx::kAny, "0F AE /3 mem STMXCSR (SSE)"},
    {0x0FAE, 0, R(4), -1, Pfx::kAny, "0F AE /4 XSAVE, PTWRITE (XSAVE, PT)"},
    {0x0FAE, 0, R(5), -1, Pfx::kAny, "0F AE /5 XRSTOR, LFENCE, INCSSP (XSAVE, SSE2, CET)"},
    {0x0FAE, 0, R(6), -1, Pfx::kAny, "0F AE /6 XSAVEOPT, MFENCE, CLWB, UMONITOR, TPAUSE (later)"},
    {0x0FAE, 0, R(7), -1, Pfx::kAny, "0F AE /7 CLFLUSH, CLFLUSHOPT, SFENCE (SSE, SSE2, later)"},
    {0x0FAE, 0, R(0), 3, Pfx::kAny, "0F AE /0 reg RDFSBASE (x86-64)"},
    {0x0FAE, 0, R(1), 3, Pfx::kAny, "0F AE /1 reg RDGSBASE (x86-64)"},
    {0x0FAE, 0, R(2), 3, Pfx::kAny, "0F AE /2 reg WRFSBASE (x86-64)"},
    {0x0FAE, 0, R(3), 3, Pfx::kAny, "0F AE /3 reg WRGSBASE (x86-64)"},
    {0x0FA6, 0x0FA7, kAnyReg, 3, Pfx::kAny, "0F A6/A7 reg: VIA PadLock (XSTORE, XCRYPT, ...)"},
    {0x0FB8, 0, kAnyReg, -1, Pfx::kAny, "0F B8 POPCNT (SSE4.2 era)"},
    {0x0FC2, 0x0FC6, kAnyReg, -1, Pfx::kAny, "0F C2-C6 CMPPS MOVNTI PINSRW PEXTRW SHUFPS (SSE, SSE2)"},
    {0x0FC7, 0, R(3), 0, Pfx::kAny, "0F C7 /3 XRSTORS (XSAVES)"},
    {0x0FC7, 0, R(4), 0, Pfx::kAny, "0F C7 /4 XSAVEC (XSAVEC)"},
    {0x0FC7, 0, R(5), 0, Pfx::kAny, "0F C7 /5 XSAVES (XSAVES)"},
    {0x0FC7, 0, R(6), -1, Pfx::kAny, "0F C7 /6 VMPTRLD VMCLEAR VMXON RDRAND (VMX, RDRAND)"},
    {0x0FC7, 0, R(7), -1, Pfx::kAny, "0F C7 /7 VMPTRST RDSEED RDPID (VMX, RDSEED)"},
    {0x0FD0, 0x0FFF, kAnyReg, -1, Pfx::kAnyOf66F2F3, "0F D0-FF with 66/F2/F3: XMM forms and ADDSUBPD, LDDQU ... (SSE2, SSE3)"},
    {0x0FD0, 0, kAnyReg, -1, Pfx::kNone, "0F D0 ADDSUBPS (SSE3)"},
    {0x0FD6, 0, kAnyReg, -1, Pfx::kNone, "0F D6 (MOVQ2DQ family; SSE2)"},
    {0x0FD7, 0, kAnyReg, -1, Pfx::kNone, "0F D7 PMOVMSKB (SSE integer on MMX registers)"},
    {0x0FDA, 0, kAnyReg, -1, Pfx::kNone, "0F DA PMINUB (SSE integer on MMX registers)"},
    {0x0FDE, 0, kAnyReg, -1, Pfx::kNone, "0F DE PMAXUB (SSE integer on MMX registers)"},
    {0x0FE0, 0, kAnyReg, -1, Pfx::kNone, "0F E0 PAVGB (SSE integer on MMX registers)"},
    {0x0FE3, 0, kAnyReg, -1, Pfx::kNone, "0F E3 PAVGW (SSE integer on MMX registers)"},
    {0x0FE4, 0, kAnyReg, -1, Pfx::kNone, "0F E4 PMULHUW (SSE integer on MMX registers)"},
    {0x0FE7, 0, kAnyReg, -1, Pfx::kNone, "0F E7 MOVNTQ (SSE)"},
    {0x0FEA, 0, kAnyReg, -1, Pfx::kNone, "0F EA PMINSW (SSE integer on MMX registers)"},
    {0x0FEE, 0, kAnyReg, -1, Pfx::kNone, "0F EE PMAXSW (SSE integer on MMX registers)"},
    {0x0FF4, 0, kAnyReg, -1, Pfx::kNone, "0F F4 PMULUDQ (SSE2)"},
    {0x0FF6, 0, kAnyReg, -1, Pfx::kNone, "0F F6 PSADBW (SSE integer on MMX registers)"},
    {0x0FF7, 0, kAnyReg, -1, Pfx::kNone, "0F F7 MASKMOVQ (SSE)"},
    {0x0FFB, 0, kAnyReg, -1, Pfx::kNone, "0F FB PSUBQ (SSE2)"},
    {0x0FD4, 0, kAnyReg, -1, Pfx::kNone, "0F D4 PADDQ (SSE2)"},
};

// Encodings whose meaning on a Pentium II differs from Zydis's name for them, with the operation
// tern must decode. Length and operand kinds are still compared with Zydis.
struct P6Reading {
  Form form;
  Op op;
};
constexpr P6Reading kP6Readings[] = {
    // F3 90 is PAUSE from the Pentium 4 on; before it, REP NOP, which executes as NOP.
    {{0x90, 0, kAnyReg, -1, Pfx::kF3, "F3 90 PAUSE: REP NOP on the P6"}, Op::kNop},
    // 0F 18 /0-/3 are PREFETCHh from the Pentium III on; on the P6 family the whole 0F 18-1F
    // block is the hint-NOP space (Intel SDM Vol. 2 "NOP": family 6 has the multi-byte NOP).
    {{0x0F18, 0, kAnyReg, 0, Pfx::kAny, "0F 18 /0-3 mem PREFETCHh: hint NOP on the P6"}, Op::kNop},
};

// Encodings Zydis rejects that a Pentium II executes, with the operation tern must decode.
constexpr P6Reading kZydisRejects[] = {
    // Zydis knows 0F 1A/1B with a memory operand only as the MPX instructions BNDLDX/BNDSTX (its
    // MPX mode is off here); on the P6 they are hint NOPs like the rest of 0F 19-1F.
    {{0x0F1A, 0x0F1B, kAnyReg, 0, Pfx::kAny, "0F 1A/1B mem: hint NOPs on the P6"}, Op::kNop},
};

struct Prefixes {
  bool p66 = false, p67 = false, lock = false;
  u8 rep = 0;  // last of F2/F3, or 0
};

Prefixes parse_prefixes(const u8* b, unsigned n) {
  Prefixes p;
  for (unsigned i = 0; i < n; ++i) {
    switch (b[i]) {
      case 0x66: p.p66 = true; break;
      case 0x67: p.p67 = true; break;
      case 0xF2: case 0xF3: p.rep = b[i]; break;
      case 0xF0: p.lock = true; break;
      case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: break;
      default: return p;
    }
  }
  return p;
}

bool pfx_matches(Pfx want, const Prefixes& p) {
  switch (want) {
    case Pfx::kAny: return true;
    case Pfx::kNone: return !p.p66 && !p.rep;
    case Pfx::k66: return p.p66 && !p.rep;
    case Pfx::kF3: return p.rep == 0xF3;
    case Pfx::kF2: return p.rep == 0xF2;
    case Pfx::kAnyOf66F2F3: return p.p66 || p.rep;
  }
  return false;
}

// The opcode (map | byte) and ModRM that follow the prefixes, as a Form matches them.
struct Shape {
  u16 opcode;
  int modrm;  // -1 when the bytes end
  Prefixes pfx;
};

Shape shape_of(const u8* b, unsigned n) {
  unsigned i = 0;
  while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xF2 || b[i] == 0xF3 || b[i] == 0xF0 ||
                   b[i] == 0x26 || b[i] == 0x2E || b[i] == 0x36 || b[i] == 0x3E || b[i] == 0x64 || b[i] == 0x65))
    ++i;
  Shape s{0, -1, parse_prefixes(b, i)};
  if (i < n && b[i] == 0x0F && i + 1 < n) {
    s.opcode = static_cast<u16>(0x0F00 | b[i + 1]);
    i += 2;
  } else if (i < n) {
    s.opcode = b[i++];
  }
  if (i < n) s.modrm = b[i];
  return s;
}

bool form_matches(const Form& f, const Shape& s) {
  const u16 last = f.last ? f.last : f.opcode;
  if (s.opcode < f.opcode || s.opcode > last) return false;
  if (!pfx_matches(f.pfx, s.pfx)) return false;
  if (s.modrm < 0) return f.regs == kAnyReg && f.mod < 0;
  if (!(f.regs & R((s.modrm >> 3) & 7))) return false;
  if (f.mod == 3 && (s.modrm >> 6) != 3) return false;
  if (f.mod == 0 && (s.modrm >> 6) == 3) return false;
  return true;
}

const Form* not_on_p6(const Shape& s) {
  for (const Form& f : kNotOnP6)
    if (form_matches(f, s)) return &f;
  return nullptr;
}

template <size_t N>
const P6Reading* find_reading(const P6Reading (&list)[N], const Shape& s) {
  for (const P6Reading& r : list)
    if (form_matches(r.form, s)) return &r;
  return nullptr;
}

// Opcodes whose rows live in cpu/fpu/ (x87 escapes, MMX, FXSAVE/FXRSTOR): disagreements there are
// reported to the FPU tables' owners as warnings.
bool fpu_opcode(u16 opcode) {
  const u8 b = opcode & 0xFF;
  if (opcode < 0x100) return b >= 0xD8 && b <= 0xDF;
  return b == 0xAE || b == 0x77 || (b >= 0x60 && b <= 0x7F) || b >= 0xD0;
}

// ---------------------------------------------------------------------------------------------
// Comparing one decoded instruction.

class Oracle {
 public:
  Oracle() {
    for (int m = 0; m < 2; ++m) {
      ZydisDecoder& d = m_dec[m];
      REQUIRE(ZYAN_SUCCESS(ZydisDecoderInit(&d, m ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LEGACY_16,
                                            m ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_16)));
      // Zydis enables some later-processor readings of P6 encodings by default: turn them off
      // so that 0F 1A/1B and 0F 1C/1E stay hint NOPs, F3 0F BC/BD stay BSF/BSR, F3 0F 09 WBINVD.
      for (ZydisDecoderMode mode : {ZYDIS_DECODER_MODE_MPX, ZYDIS_DECODER_MODE_CET, ZYDIS_DECODER_MODE_LZCNT,
                                    ZYDIS_DECODER_MODE_TZCNT, ZYDIS_DECODER_MODE_WBNOINVD,
                                    ZYDIS_DECODER_MODE_CLDEMOTE})
        REQUIRE(ZYAN_SUCCESS(ZydisDecoderEnableMode(&d, mode, ZYAN_FALSE)));
    }
  }

  // Decodes `bytes` (n of them readable) both ways; records any disagreement.
  void check(const u8* bytes, unsigned n, bool code32);

  std::map<std::string, int> failures;  // first failure text per kind -> count
  std::map<std::string, int> pending;   // P6 x87/MMX/FXSAVE forms with no tern row yet
  std::map<std::string, std::string> fpu_rows;  // disagreements in cpu/fpu/ rows: first example
  int compared = 0;
  int not_on_p6_seen = 0;

 private:
  void fail(const std::string& key, const std::string& detail);
  std::string compare_operands(const DecodedInsn& t, const ZydisDecodedInstruction& z,
                               const ZydisDecodedOperand* zo);

  ZydisDecoder m_dec[2];
  std::map<std::string, std::string> m_examples;
  bool m_fpu_opcode = false;

 public:
  std::string report() const {
    std::string s;
    for (const auto& [key, count] : failures) s += fmt::format("  {} x{}: {}\n", key, count, m_examples.at(key));
    return s;
  }
};

std::string hex(const u8* b, unsigned n) {
  std::string s;
  for (unsigned i = 0; i < n; ++i) s += fmt::format("{:02x}", b[i]);
  return s;
}

void Oracle::fail(const std::string& key, const std::string& detail) {
  if (m_fpu_opcode) {
    fpu_rows.emplace(key, detail);
    return;
  }
  if (failures[key]++ == 0) m_examples[key] = detail;
}

// Zydis register -> (class, number) in tern's numbering.
struct RegId {
  ZydisRegisterClass cls;
  int id;
};
RegId reg_id(ZydisRegister r) { return {ZydisRegisterGetClass(r), ZydisRegisterGetId(r)}; }

int tern_base_or_none(ZydisRegister r) { return r == ZYDIS_REGISTER_NONE ? kNoReg : reg_id(r).id; }

std::string compare_one(const DecodedInsn& t, const Operand& o, const ZydisDecodedOperand& z, int& imm_index) {
  switch (z.type) {
    case ZYDIS_OPERAND_TYPE_REGISTER: {
      const RegId r = reg_id(z.reg.value);
      OperandKind want;
      u8 size = 0;
      switch (r.cls) {
        case ZYDIS_REGCLASS_GPR8: want = OperandKind::kReg; size = 1; break;
        case ZYDIS_REGCLASS_GPR16: want = OperandKind::kReg; size = 2; break;
        case ZYDIS_REGCLASS_GPR32: want = OperandKind::kReg; size = 4; break;
        case ZYDIS_REGCLASS_SEGMENT: want = OperandKind::kSreg; break;
        case ZYDIS_REGCLASS_CONTROL: want = OperandKind::kCreg; break;
        case ZYDIS_REGCLASS_DEBUG: want = OperandKind::kDreg; break;
        case ZYDIS_REGCLASS_MMX: want = OperandKind::kMmx; break;
        case ZYDIS_REGCLASS_X87: want = OperandKind::kSt; break;
        default: return fmt::format("register class {}", static_cast<int>(r.cls));
      }
      if (o.kind != want) return fmt::format("kind {} want register class {}", static_cast<int>(o.kind), static_cast<int>(r.cls));
      if (size && o.size != size) return fmt::format("register size {} want {}", o.size, size);
      if (o.reg != r.id) return fmt::format("register {} want {}", o.reg, r.id);
      return {};
    }
    case ZYDIS_OPERAND_TYPE_MEMORY: {
      if (o.kind != OperandKind::kMem) return fmt::format("kind {} want memory", static_cast<int>(o.kind));
      // Hint NOPs access no memory: their operand size means nothing.
      if (t.op != Op::kNop && o.size && z.size && o.size * 8 != z.size) return fmt::format("memory size {} want {}", o.size * 8, z.size);
      // LEA computes an offset: no segment is involved (Zydis reports DS whatever the prefix).
      if (z.mem.type != ZYDIS_MEMOP_TYPE_AGEN && t.seg != reg_id(z.mem.segment).id) return fmt::format("segment {} want {}", t.seg, reg_id(z.mem.segment).id);
      if (t.ea_base != tern_base_or_none(z.mem.base)) return fmt::format("base {} want {}", t.ea_base, tern_base_or_none(z.mem.base));
      if (t.ea_index != tern_base_or_none(z.mem.index)) return fmt::format("index {} want {}", t.ea_index, tern_base_or_none(z.mem.index));
      if (t.ea_index != kNoReg && (1u << t.ea_scale) != z.mem.scale) return fmt::format("scale {} want {}", 1u << t.ea_scale, z.mem.scale);
      const u32 amask = t.asize == 2 ? 0xFFFF : 0xFFFFFFFF;
      const u32 zdisp = z.mem.disp.has_displacement ? static_cast<u32>(z.mem.disp.value) : 0;
      if ((t.disp & amask) != (zdisp & amask)) return fmt::format("disp {:x} want {:x}", t.disp, zdisp);
      return {};
    }
    case ZYDIS_OPERAND_TYPE_POINTER:
      if (o.kind != OperandKind::kImm || o.size != t.osize + 2) return "far pointer operand";
      if (t.imm != z.ptr.offset || t.imm2 != z.ptr.segment) return fmt::format("pointer {:x}:{:x}", t.imm2, t.imm);
      return {};
    case ZYDIS_OPERAND_TYPE_IMMEDIATE: {
      if (o.kind != OperandKind::kImm) return fmt::format("kind {} want immediate", static_cast<int>(o.kind));
      const u32 v = imm_index++ == 0 ? t.imm : t.imm2;
      const u32 mask = o.size >= 4 ? 0xFFFFFFFFu : (1u << (8 * o.size)) - 1;
      if ((v & mask) != (static_cast<u32>(z.imm.value.u) & mask)) return fmt::format("immediate {:x} want {:x}", v, z.imm.value.u);
      return {};
    }
    default:
      return "operand type";
  }
}

std::string Oracle::compare_operands(const DecodedInsn& t, const ZydisDecodedInstruction& z,
                                     const ZydisDecodedOperand* zo) {
  int tern_count = 0;
  for (const Operand& o : t.ops) tern_count += o.kind != OperandKind::kNone;
  // Hint NOPs: only the r/m operand matters (it decides the length); Zydis gives some of them the
  // ModRM.reg register as a second operand and some not.
  // Their register forms show Zydis's choice of register: only memory forms are compared.
  if (t.op == Op::kNop && tern_count > 0 && zo[0].type != ZYDIS_OPERAND_TYPE_MEMORY) return {};
  const int count = t.op == Op::kNop && tern_count > 0 ? 1 : z.operand_count_visible;
  if (t.op != Op::kNop && tern_count != z.operand_count_visible)
    return fmt::format("operand count {} want {}", tern_count, z.operand_count_visible);
  int imm_index = 0;
  for (int i = 0; i < count; ++i) {
    const std::string e = compare_one(t, t.ops[i], zo[i], imm_index);
    if (!e.empty()) return fmt::format("operand {}: {}", i, e);
  }
  // String instructions have no visible operands; their element size is ops[0].size.
  if (z.operand_count_visible == 0 && t.ops[0].size && t.ops[0].size * 8 != z.operand_width)
    return fmt::format("element size {} want {}", t.ops[0].size * 8, z.operand_width);
  return {};
}

void Oracle::check(const u8* bytes, unsigned n, bool code32) {
  DecodedInsn t;
  const DecodeStatus ts = decode(bytes, n, code32, t);
  ZydisDecodedInstruction z;
  ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
  const ZyanStatus zs = ZydisDecoderDecodeFull(&m_dec[code32], bytes, n, &z, zo);
  const Shape shape = shape_of(bytes, n);
  m_fpu_opcode = fpu_opcode(shape.opcode);
  const std::string where = fmt::format("{}-bit {}", code32 ? 32 : 16, hex(bytes, n));
  ++compared;

  if (zs == ZYDIS_STATUS_INSTRUCTION_TOO_LONG) {
    if (ts != DecodeStatus::kTooLong) fail("too long", where);
    return;
  }
  if (zs == ZYDIS_STATUS_NO_MORE_DATA) {
    // Zydis needs more bytes; tern must say so too unless it stopped at an undefined opcode.
    if (ts != DecodeStatus::kNeedMore && !(ts == DecodeStatus::kOk && t.op == Op::kUd)) fail("truncated", where);
    return;
  }
  if (ts == DecodeStatus::kTooLong) {
    fail("tern too long", where);
    return;
  }
  if (const Form* f = not_on_p6(shape)) {
    ++not_on_p6_seen;
    if (ts != DecodeStatus::kNeedMore && t.op != Op::kUd) fail(fmt::format("not on P6 but decoded: {}", f->what), where);
    return;
  }
  if (!ZYAN_SUCCESS(zs)) {
    if (const P6Reading* r = find_reading(kZydisRejects, shape)) {
      if (ts != DecodeStatus::kNeedMore && t.op != (shape.pfx.lock ? Op::kUd : r->op)) fail(fmt::format("P6 reading: {}", r->form.what), where);
      return;
    }
    if (ts == DecodeStatus::kOk && t.op != Op::kUd)
      fail(fmt::format("tern decodes what Zydis rejects: {}", mnemonic(t.op)), where);
    return;
  }
  const P6Reading* reading = find_reading(kP6Readings, shape);
  if (!reading && !p6_isa_set(z.meta.isa_set)) {
    fail(fmt::format("Zydis ISA set {} ({}) missing from kNotOnP6", ZydisISASetGetString(z.meta.isa_set),
                     ZydisMnemonicGetString(z.mnemonic)),
         where);
    return;
  }
  if (z.mnemonic == ZYDIS_MNEMONIC_UD0 || z.mnemonic == ZYDIS_MNEMONIC_UD1 || z.mnemonic == ZYDIS_MNEMONIC_UD2) {
    if (ts == DecodeStatus::kOk && t.op != Op::kUd) fail("UDn decoded as an operation", where);
    return;
  }
  if (ts == DecodeStatus::kNeedMore) {
    fail("tern needs more bytes than Zydis", where);
    return;
  }
  if (t.op == Op::kUd) {
    if (fpu_family(z))
      ++pending[ZydisMnemonicGetString(z.mnemonic)];
    else
      fail(fmt::format("tern #UD for {}", ZydisMnemonicGetString(z.mnemonic)), where);
    return;
  }
  if (reading && t.op != (shape.pfx.lock ? Op::kUd : reading->op)) fail(fmt::format("P6 reading: {}", reading->form.what), where);
  if (t.len != z.length) {
    fail(fmt::format("length of {}", ZydisMnemonicGetString(z.mnemonic)), fmt::format("{}: {} want {}", where, t.len, z.length));
    return;
  }
  if (t.asize * 8 != z.address_width) fail("address size", where);
  const std::string e = compare_operands(t, z, zo);
  if (!e.empty()) fail(fmt::format("operands of {}", ZydisMnemonicGetString(z.mnemonic)), fmt::format("{}: {}", where, e));
}

// ---------------------------------------------------------------------------------------------
// The byte sequences.

constexpr u8 kPrefixBytes[] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};

bool is_prefix(u8 b) {
  for (u8 p : kPrefixBytes)
    if (b == p) return true;
  return false;
}

// Appends a tail of distinct bytes with high bits set, so displacements and immediates of every
// width are told apart and sign extension is visible.
unsigned with_tail(u8* buf, unsigned n, unsigned seed) {
  static constexpr u8 kTail[] = {0x81, 0x92, 0xA3, 0xB4, 0xC5, 0xD6, 0xE7, 0xF8, 0x19, 0x2A, 0x3B, 0x4C, 0x5D};
  for (unsigned i = 0; n < 15 && i < sizeof kTail; ++i) buf[n++] = static_cast<u8>(kTail[i] ^ (seed & 0x7F));
  return n;
}

// Calls f(bytes, length) for every opcode of both maps after `prefix`, with ModRM `modrm` and SIB
// `sib` (the SIB byte only matters when the ModRM form has one).
template <class F>
void each_opcode(const std::vector<u8>& prefix, u8 modrm, u8 sib, F f) {
  for (int map = 0; map < 2; ++map) {
    for (int op = 0; op < 256; ++op) {
      if (map == 0 && (is_prefix(static_cast<u8>(op)) || op == 0x0F)) continue;
      u8 buf[32];
      unsigned n = 0;
      for (u8 p : prefix) buf[n++] = p;
      if (map) buf[n++] = 0x0F;
      buf[n++] = static_cast<u8>(op);
      buf[n++] = modrm;
      buf[n++] = sib;
      n = with_tail(buf, n, op + modrm);
      f(buf, std::min(n, 15u));
    }
  }
}

std::string summary(const Oracle& o) {
  std::string s = fmt::format("{} sequences compared, {} not-on-P6 encodings seen\n", o.compared, o.not_on_p6_seen);
  return s + o.report();
}

void warn_pending(const Oracle& o) {
  if (!o.pending.empty()) {
    std::string s = "P6 x87/MMX/FXSAVE forms without a tern row yet (cpu/fpu/ tables):";
    for (const auto& [name, count] : o.pending) s += fmt::format(" {}({})", name, count);
    WARN(s);
  }
  if (!o.fpu_rows.empty()) {
    std::string s = "cpu/fpu/ rows that disagree with Zydis:";
    for (const auto& [key, example] : o.fpu_rows) s += fmt::format("\n  {}: {}", key, example);
    WARN(s);
  }
}

}  // namespace

TEST_CASE("every opcode with every ModRM byte decodes as Zydis decodes it (16/32-bit, 66, 67)", "[decoder][zydis]") {
  Oracle oracle;
  const std::vector<std::vector<u8>> prefixes = {{}, {0x66}, {0x67}, {0x66, 0x67}};
  for (bool code32 : {false, true})
    for (const auto& prefix : prefixes)
      for (int modrm = 0; modrm < 256; ++modrm)
        each_opcode(prefix, static_cast<u8>(modrm), static_cast<u8>(modrm * 37 + 11),
                    [&](const u8* b, unsigned n) { oracle.check(b, n, code32); });
  INFO(summary(oracle));
  warn_pending(oracle);
  CHECK(oracle.failures.empty());
}

TEST_CASE("every SIB byte with every ModRM memory form decodes as Zydis decodes it", "[decoder][zydis]") {
  Oracle oracle;
  // One opcode per operand shape that carries a memory operand: Ev,Gv; Gv,Ev,Iz; Ev,Ib group;
  // Gv,Eb (0F map); Ev,Gv,Ib (0F map); Mp.
  const std::vector<std::vector<u8>> opcodes = {{0x8B}, {0x69}, {0x83}, {0x0F, 0xB6}, {0x0F, 0xA4}, {0xC4}, {0xC7}};
  for (bool code32 : {false, true})
    for (const auto& prefix : std::vector<std::vector<u8>>{{}, {0x67}, {0x66, 0x64}})
      for (const auto& opcode : opcodes)
        for (int mod = 0; mod < 3; ++mod)
          for (int rm : {4, 5})
            for (int sib = 0; sib < 256; ++sib) {
              u8 buf[32];
              unsigned n = 0;
              for (u8 p : prefix) buf[n++] = p;
              for (u8 o : opcode) buf[n++] = o;
              buf[n++] = static_cast<u8>((mod << 6) | ((sib & 7) << 3) | rm);
              buf[n++] = static_cast<u8>(sib);
              n = with_tail(buf, n, static_cast<unsigned>(sib));
              oracle.check(buf, std::min(n, 15u), code32);
            }
  INFO(summary(oracle));
  warn_pending(oracle);
  CHECK(oracle.failures.empty());
}

TEST_CASE("segment, LOCK and REP prefixes and their combinations decode as Zydis decodes them", "[decoder][zydis]") {
  Oracle oracle;
  const std::vector<std::vector<u8>> prefixes = {
      {0x26}, {0x2E}, {0x36}, {0x3E}, {0x64}, {0x65}, {0xF0}, {0xF2}, {0xF3},
      {0x66, 0xF3}, {0xF3, 0x66}, {0x66, 0xF2}, {0xF2, 0x66}, {0xF2, 0xF3}, {0xF3, 0xF2},
      {0xF0, 0x66}, {0x66, 0xF0, 0x67}, {0x26, 0x66, 0x67}, {0x3E, 0x64}, {0x64, 0x36, 0x2E},
      {0xF0, 0xF3}, {0xF3, 0x67, 0x26}, {0x66, 0x66}, {0x67, 0x67, 0x65}};
  // Every ModRM.reg with a register form and with three memory forms (no SIB, SIB, disp32).
  std::vector<u8> modrms;
  for (int reg = 0; reg < 8; ++reg)
    for (int form : {0x00, 0x04, 0x85, 0xC1}) modrms.push_back(static_cast<u8>(form | (reg << 3)));
  for (bool code32 : {false, true})
    for (const auto& prefix : prefixes)
      for (u8 modrm : modrms)
        each_opcode(prefix, modrm, 0x5C, [&](const u8* b, unsigned n) { oracle.check(b, n, code32); });
  INFO(summary(oracle));
  warn_pending(oracle);
  CHECK(oracle.failures.empty());
}

TEST_CASE("truncated instructions ask for more bytes and 15 bytes is the limit", "[decoder][zydis]") {
  Oracle oracle;
  for (bool code32 : {false, true})
    for (int modrm : {0x00, 0x04, 0x05, 0x44, 0x84, 0xC0})
      each_opcode({0x66}, static_cast<u8>(modrm), 0x25, [&](const u8* b, unsigned n) {
        for (unsigned cut = 1; cut < n; ++cut) oracle.check(b, cut, code32);
      });
  // Prefix runs around the 15-byte limit, ending in a 2-, 3- or 7-byte instruction.
  for (bool code32 : {false, true})
    for (unsigned run = 10; run <= 15; ++run)
      for (const auto& insn : std::vector<std::vector<u8>>{{0x01, 0xC0}, {0x83, 0xC0, 0x01}, {0xC7, 0x05, 1, 2, 3, 4, 5}}) {
        u8 buf[32];
        unsigned n = 0;
        for (unsigned i = 0; i < run; ++i) buf[n++] = (i & 1) ? 0x3E : 0x26;
        for (u8 b : insn) buf[n++] = b;
        oracle.check(buf, n, code32);
      }
  INFO(summary(oracle));
  warn_pending(oracle);
  CHECK(oracle.failures.empty());
}

// ---------------------------------------------------------------------------------------------
// Golden lines for decisions the oracle cannot make: P6 readings, aliases, #UD forms.

namespace {

struct Golden {
  const char* bytes;
  bool code32;
  Op op;
  u8 len;
};

// "bytes -> operation, length" for P6-specific decisions.
constexpr Golden kGolden[] = {
    {"f390", true, Op::kNop, 2},            // PAUSE is REP NOP on the P6
    {"0f1800", true, Op::kNop, 3},          // PREFETCHNTA is a hint NOP on the P6
    {"0f1f4000", true, Op::kNop, 4},        // multi-byte NOP
    {"d6", true, Op::kSalc, 1},             // SALC (undocumented, present on every Intel IA-32)
    {"f1", true, Op::kInt1, 1},             // ICEBP
    {"82c001", true, Op::kAdd, 3},          // 82 aliases 80 outside 64-bit mode
    {"f6c801", true, Op::kTest, 3},         // F6 /1 aliases TEST
    {"c0f001", true, Op::kShl, 3},          // C0 /6 aliases SHL (SAL)
    {"0f0b", true, Op::kUd, 2},             // UD2
    {"0f20c8", true, Op::kUd, 3},           // MOV from CR1: #UD
    {"0f22e8", true, Op::kUd, 3},           // MOV to CR5: #UD
    {"8ec8", true, Op::kUd, 2},             // MOV CS, r/m: #UD
    {"8ef0", true, Op::kUd, 2},             // MOV to segment register 6: #UD
    {"8d c0", true, Op::kUd, 2},            // LEA with a register source: #UD
    {"f00100", true, Op::kAdd, 3},          // LOCK ADD [mem]
    {"f001c0", true, Op::kUd, 3},           // LOCK with a register destination: #UD
    {"f090", true, Op::kUd, 2},             // LOCK NOP: #UD
    {"660f6fc0", true, Op::kUd, 4},         // MOVDQA (SSE2): reserved on the P6
    {"0f1000", true, Op::kUd, 3},           // MOVUPS (SSE)
};

std::vector<u8> parse_hex(const char* s) {
  std::vector<u8> v;
  while (*s) {
    if (*s == ' ') {
      ++s;
      continue;
    }
    v.push_back(static_cast<u8>(std::stoi(std::string(s, 2), nullptr, 16)));
    s += 2;
  }
  return v;
}

}  // namespace

TEST_CASE("P6-specific decodings match the golden table", "[decoder]") {
  for (const Golden& g : kGolden) {
    std::vector<u8> b = parse_hex(g.bytes);
    const size_t n = b.size();
    b.resize(16, 0);
    DecodedInsn d;
    INFO(g.bytes);
    REQUIRE(decode(b.data(), static_cast<unsigned>(n), g.code32, d) == DecodeStatus::kOk);
    CHECK(mnemonic(d.op) == std::string(mnemonic(g.op)));
    if (g.op != Op::kUd) CHECK(d.len == g.len);
  }
}
