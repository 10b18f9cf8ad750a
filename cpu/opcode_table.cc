// Integer opcode rows of the P6 (Pentium II) one-byte and 0F maps (Intel SDM Vol. 2 Appendix A).
// Bytes with no row decode as #UD. Prefix bytes (26 2E 36 3E 64 65 66 67 F0 F2 F3) and the 0F
// escape are handled by the decoder; D8-DF are the x87 rows (fpu/opcode_table_x87.cc).
#include "cpu/opcode_table.h"

#include <array>

namespace tern {

namespace {

using S = Spec;

constexpr OpcodeRow row(u16 opcode, Op op, S a = S::kNone, S b = S::kNone, S c = S::kNone, u8 flags = kRowNone) {
  return OpcodeRow{opcode, -1, -1, op, a, b, c, flags};
}
// A row of an opcode group: ModRM.reg selects the operation.
constexpr OpcodeRow grp(u16 opcode, i8 reg, Op op, S a = S::kNone, S b = S::kNone, S c = S::kNone,
                        u8 flags = kRowNone) {
  return OpcodeRow{opcode, reg, -1, op, a, b, c, flags};
}

// The classic ALU block: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iz at base..base+5.
#define ALU_BLOCK(base, op, lock)                 \
  row(base + 0, op, S::Eb, S::Gb, S::kNone, lock), \
  row(base + 1, op, S::Ev, S::Gv, S::kNone, lock), \
  row(base + 2, op, S::Gb, S::Eb),                 \
  row(base + 3, op, S::Gv, S::Ev),                 \
  row(base + 4, op, S::AL, S::Ib),                 \
  row(base + 5, op, S::eAX, S::Iz)

// Group 1 (80-83): ModRM.reg is the ALU operation, in ALU_BLOCK order.
#define GROUP1(opcode, a, b)                                         \
  grp(opcode, 0, Op::kAdd, a, b, S::kNone, kLockable),               \
  grp(opcode, 1, Op::kOr, a, b, S::kNone, kLockable),                \
  grp(opcode, 2, Op::kAdc, a, b, S::kNone, kLockable),               \
  grp(opcode, 3, Op::kSbb, a, b, S::kNone, kLockable),               \
  grp(opcode, 4, Op::kAnd, a, b, S::kNone, kLockable),               \
  grp(opcode, 5, Op::kSub, a, b, S::kNone, kLockable),               \
  grp(opcode, 6, Op::kXor, a, b, S::kNone, kLockable),               \
  grp(opcode, 7, Op::kCmp, a, b)

// Group 2 (C0 C1 D0-D3): shifts and rotates; /6 is an alias of SHL on Intel processors.
#define GROUP2(opcode, a, b)              \
  grp(opcode, 0, Op::kRol, a, b),         \
  grp(opcode, 1, Op::kRor, a, b),         \
  grp(opcode, 2, Op::kRcl, a, b),         \
  grp(opcode, 3, Op::kRcr, a, b),         \
  grp(opcode, 4, Op::kShl, a, b),         \
  grp(opcode, 5, Op::kShr, a, b),         \
  grp(opcode, 6, Op::kShl, a, b),         \
  grp(opcode, 7, Op::kSar, a, b)

// Group 3 (F6 F7): /1 is an alias of TEST on Intel processors.
#define GROUP3(opcode, e, imm)                                  \
  grp(opcode, 0, Op::kTest, e, imm),                            \
  grp(opcode, 1, Op::kTest, e, imm),                            \
  grp(opcode, 2, Op::kNot, e, S::kNone, S::kNone, kLockable),   \
  grp(opcode, 3, Op::kNeg, e, S::kNone, S::kNone, kLockable),   \
  grp(opcode, 4, Op::kMul, e),                                  \
  grp(opcode, 5, Op::kImul, e),                                 \
  grp(opcode, 6, Op::kDiv, e),                                  \
  grp(opcode, 7, Op::kIdiv, e)

// Sixteen rows for the condition-code opcodes (Jcc, SETcc, CMOVcc); the decoder takes the
// condition from the low nibble of the opcode.
#define CC16(base, op, a, b)                                                                   \
  row(base + 0x0, op, a, b), row(base + 0x1, op, a, b), row(base + 0x2, op, a, b),             \
  row(base + 0x3, op, a, b), row(base + 0x4, op, a, b), row(base + 0x5, op, a, b),             \
  row(base + 0x6, op, a, b), row(base + 0x7, op, a, b), row(base + 0x8, op, a, b),             \
  row(base + 0x9, op, a, b), row(base + 0xA, op, a, b), row(base + 0xB, op, a, b),             \
  row(base + 0xC, op, a, b), row(base + 0xD, op, a, b), row(base + 0xE, op, a, b),             \
  row(base + 0xF, op, a, b)

// Eight rows for a register in opcode bits 2:0.
#define REG8(base, op, a, b)                                                                   \
  row(base + 0, op, a, b), row(base + 1, op, a, b), row(base + 2, op, a, b),                   \
  row(base + 3, op, a, b), row(base + 4, op, a, b), row(base + 5, op, a, b),                   \
  row(base + 6, op, a, b), row(base + 7, op, a, b)

constexpr OpcodeRow kRows[] = {
    // 00-3F: ALU blocks, segment push/pop, BCD adjust.
    ALU_BLOCK(0x00, Op::kAdd, kLockable),
    row(0x06, Op::kPushSreg, S::ES), row(0x07, Op::kPopSreg, S::ES),
    ALU_BLOCK(0x08, Op::kOr, kLockable),
    row(0x0E, Op::kPushSreg, S::CS),
    ALU_BLOCK(0x10, Op::kAdc, kLockable),
    row(0x16, Op::kPushSreg, S::SS), row(0x17, Op::kPopSreg, S::SS),
    ALU_BLOCK(0x18, Op::kSbb, kLockable),
    row(0x1E, Op::kPushSreg, S::DS), row(0x1F, Op::kPopSreg, S::DS),
    ALU_BLOCK(0x20, Op::kAnd, kLockable),
    row(0x27, Op::kDaa),
    ALU_BLOCK(0x28, Op::kSub, kLockable),
    row(0x2F, Op::kDas),
    ALU_BLOCK(0x30, Op::kXor, kLockable),
    row(0x37, Op::kAaa),
    ALU_BLOCK(0x38, Op::kCmp, kRowNone),
    row(0x3F, Op::kAas),

    // 40-6F
    REG8(0x40, Op::kInc, S::Zv, S::kNone),
    REG8(0x48, Op::kDec, S::Zv, S::kNone),
    REG8(0x50, Op::kPush, S::Zv, S::kNone),
    REG8(0x58, Op::kPop, S::Zv, S::kNone),
    row(0x60, Op::kPusha), row(0x61, Op::kPopa),
    row(0x62, Op::kBound, S::Gv, S::Ma),
    row(0x63, Op::kArpl, S::Ew, S::Gw),
    row(0x68, Op::kPush, S::Iz),
    row(0x69, Op::kImul2, S::Gv, S::Ev, S::Iz),
    row(0x6A, Op::kPush, S::Ibs),
    row(0x6B, Op::kImul2, S::Gv, S::Ev, S::Ibs),
    row(0x6C, Op::kIns, S::Xb), row(0x6D, Op::kIns, S::Xv),
    row(0x6E, Op::kOuts, S::Xb), row(0x6F, Op::kOuts, S::Xv),

    // 70-7F: Jcc rel8
    CC16(0x70, Op::kJcc, S::Jb, S::kNone),

    // 80-8F
    GROUP1(0x80, S::Eb, S::Ib),
    GROUP1(0x81, S::Ev, S::Iz),
    GROUP1(0x82, S::Eb, S::Ib),
    GROUP1(0x83, S::Ev, S::Ibs),
    row(0x84, Op::kTest, S::Eb, S::Gb), row(0x85, Op::kTest, S::Ev, S::Gv),
    row(0x86, Op::kXchg, S::Eb, S::Gb, S::kNone, kLockable),
    row(0x87, Op::kXchg, S::Ev, S::Gv, S::kNone, kLockable),
    row(0x88, Op::kMov, S::Eb, S::Gb), row(0x89, Op::kMov, S::Ev, S::Gv),
    row(0x8A, Op::kMov, S::Gb, S::Eb), row(0x8B, Op::kMov, S::Gv, S::Ev),
    row(0x8C, Op::kMovFromSreg, S::RvMw, S::Sw),
    row(0x8D, Op::kLea, S::Gv, S::M),
    row(0x8E, Op::kMovToSreg, S::Sw, S::Ew),
    grp(0x8F, 0, Op::kPop, S::Ev),

    // 90-9F
    row(0x90, Op::kNop),
    row(0x91, Op::kXchg, S::Zv, S::eAX), row(0x92, Op::kXchg, S::Zv, S::eAX),
    row(0x93, Op::kXchg, S::Zv, S::eAX), row(0x94, Op::kXchg, S::Zv, S::eAX),
    row(0x95, Op::kXchg, S::Zv, S::eAX), row(0x96, Op::kXchg, S::Zv, S::eAX),
    row(0x97, Op::kXchg, S::Zv, S::eAX),
    row(0x98, Op::kCbw), row(0x99, Op::kCwd),
    row(0x9A, Op::kCallFar, S::Ap),
    row(0x9B, Op::kFwait),
    row(0x9C, Op::kPushf), row(0x9D, Op::kPopf),
    row(0x9E, Op::kSahf), row(0x9F, Op::kLahf),

    // A0-AF
    row(0xA0, Op::kMov, S::AL, S::Ob), row(0xA1, Op::kMov, S::eAX, S::Ov),
    row(0xA2, Op::kMov, S::Ob, S::AL), row(0xA3, Op::kMov, S::Ov, S::eAX),
    row(0xA4, Op::kMovs, S::Xb), row(0xA5, Op::kMovs, S::Xv),
    row(0xA6, Op::kCmps, S::Xb), row(0xA7, Op::kCmps, S::Xv),
    row(0xA8, Op::kTest, S::AL, S::Ib), row(0xA9, Op::kTest, S::eAX, S::Iz),
    row(0xAA, Op::kStos, S::Xb), row(0xAB, Op::kStos, S::Xv),
    row(0xAC, Op::kLods, S::Xb), row(0xAD, Op::kLods, S::Xv),
    row(0xAE, Op::kScas, S::Xb), row(0xAF, Op::kScas, S::Xv),

    // B0-BF
    REG8(0xB0, Op::kMov, S::Zb, S::Ib),
    REG8(0xB8, Op::kMov, S::Zv, S::Iz),

    // C0-CF
    GROUP2(0xC0, S::Eb, S::Ib),
    GROUP2(0xC1, S::Ev, S::Ib),
    row(0xC2, Op::kRetNear, S::Iw), row(0xC3, Op::kRetNear),
    row(0xC4, Op::kLoadFarPointer, S::Gv, S::Mp), row(0xC5, Op::kLoadFarPointer, S::Gv, S::Mp),
    grp(0xC6, 0, Op::kMov, S::Eb, S::Ib),
    grp(0xC7, 0, Op::kMov, S::Ev, S::Iz),
    row(0xC8, Op::kEnter, S::Iw, S::Ib), row(0xC9, Op::kLeave),
    row(0xCA, Op::kRetFar, S::Iw), row(0xCB, Op::kRetFar),
    row(0xCC, Op::kInt3), row(0xCD, Op::kIntN, S::Ib), row(0xCE, Op::kInto), row(0xCF, Op::kIret),

    // D0-DF (D8-DF: x87 rows)
    GROUP2(0xD0, S::Eb, S::One),
    GROUP2(0xD1, S::Ev, S::One),
    GROUP2(0xD2, S::Eb, S::CL),
    GROUP2(0xD3, S::Ev, S::CL),
    row(0xD4, Op::kAam, S::Ib), row(0xD5, Op::kAad, S::Ib),
    row(0xD6, Op::kSalc),
    row(0xD7, Op::kXlat),

    // E0-EF
    row(0xE0, Op::kLoopne, S::Jb), row(0xE1, Op::kLoope, S::Jb), row(0xE2, Op::kLoop, S::Jb),
    row(0xE3, Op::kJcxz, S::Jb),
    row(0xE4, Op::kIn, S::AL, S::Ib), row(0xE5, Op::kIn, S::eAX, S::Ib),
    row(0xE6, Op::kOut, S::Ib, S::AL), row(0xE7, Op::kOut, S::Ib, S::eAX),
    row(0xE8, Op::kCallNear, S::Jz), row(0xE9, Op::kJmpNear, S::Jz),
    row(0xEA, Op::kJmpFar, S::Ap), row(0xEB, Op::kJmpNear, S::Jb),
    row(0xEC, Op::kIn, S::AL, S::DX), row(0xED, Op::kIn, S::eAX, S::DX),
    row(0xEE, Op::kOut, S::DX, S::AL), row(0xEF, Op::kOut, S::DX, S::eAX),

    // F0-FF
    row(0xF1, Op::kInt1),
    row(0xF4, Op::kHlt), row(0xF5, Op::kCmc),
    GROUP3(0xF6, S::Eb, S::Ib),
    GROUP3(0xF7, S::Ev, S::Iz),
    row(0xF8, Op::kClc), row(0xF9, Op::kStc), row(0xFA, Op::kCli), row(0xFB, Op::kSti),
    row(0xFC, Op::kCld), row(0xFD, Op::kStd),
    grp(0xFE, 0, Op::kInc, S::Eb, S::kNone, S::kNone, kLockable),
    grp(0xFE, 1, Op::kDec, S::Eb, S::kNone, S::kNone, kLockable),
    grp(0xFF, 0, Op::kInc, S::Ev, S::kNone, S::kNone, kLockable),
    grp(0xFF, 1, Op::kDec, S::Ev, S::kNone, S::kNone, kLockable),
    grp(0xFF, 2, Op::kCallNear, S::Ev),
    grp(0xFF, 3, Op::kCallFar, S::Mp),
    grp(0xFF, 4, Op::kJmpNear, S::Ev),
    grp(0xFF, 5, Op::kJmpFar, S::Mp),
    grp(0xFF, 6, Op::kPush, S::Ev),

    // 0F 00: group 6
    grp(0x0F00, 0, Op::kSldt, S::RvMw),
    grp(0x0F00, 1, Op::kStr, S::RvMw),
    grp(0x0F00, 2, Op::kLldt, S::Ew),
    grp(0x0F00, 3, Op::kLtr, S::Ew),
    grp(0x0F00, 4, Op::kVerr, S::Ew),
    grp(0x0F00, 5, Op::kVerw, S::Ew),
    // 0F 01: group 7 (register forms are later processors' instructions: #UD here)
    grp(0x0F01, 0, Op::kSgdt, S::Ms),
    grp(0x0F01, 1, Op::kSidt, S::Ms),
    grp(0x0F01, 2, Op::kLgdt, S::Ms),
    grp(0x0F01, 3, Op::kLidt, S::Ms),
    grp(0x0F01, 4, Op::kSmsw, S::RvMw),
    grp(0x0F01, 6, Op::kLmsw, S::Ew),
    grp(0x0F01, 7, Op::kInvlpg, S::M),
    row(0x0F02, Op::kLar, S::Gv, S::RvMw),
    row(0x0F03, Op::kLsl, S::Gv, S::RvMw),
    row(0x0F06, Op::kClts),
    row(0x0F08, Op::kInvd), row(0x0F09, Op::kWbinvd),
    row(0x0F0B, Op::kUd),
    // 0F 18-1F: the hint-NOP space of the P6 family (Intel SDM Vol. 2 "NOP"); they read nothing.
    // 0F 18 /0-3 became PREFETCHh on the Pentium III, still without architectural effect.
    row(0x0F18, Op::kNop, S::Ev),
    row(0x0F19, Op::kNop, S::Ev, S::Gv), row(0x0F1A, Op::kNop, S::Ev, S::Gv),
    row(0x0F1B, Op::kNop, S::Ev, S::Gv), row(0x0F1C, Op::kNop, S::Ev, S::Gv),
    row(0x0F1D, Op::kNop, S::Ev, S::Gv), row(0x0F1E, Op::kNop, S::Ev, S::Gv),
    row(0x0F1F, Op::kNop, S::Ev, S::Gv),
    row(0x0F20, Op::kMovFromCr, S::Rd, S::Cd), row(0x0F21, Op::kMovFromDr, S::Rd, S::Dd),
    row(0x0F22, Op::kMovToCr, S::Cd, S::Rd), row(0x0F23, Op::kMovToDr, S::Dd, S::Rd),
    row(0x0F30, Op::kWrmsr), row(0x0F31, Op::kRdtsc), row(0x0F32, Op::kRdmsr), row(0x0F33, Op::kRdpmc),
    row(0x0F34, Op::kSysenter), row(0x0F35, Op::kSysexit),
    CC16(0x0F40, Op::kCmovcc, S::Gv, S::Ev),
    CC16(0x0F80, Op::kJcc, S::Jz, S::kNone),
    CC16(0x0F90, Op::kSetcc, S::Eb, S::kNone),
    row(0x0FA0, Op::kPushSreg, S::FS), row(0x0FA1, Op::kPopSreg, S::FS),
    row(0x0FA2, Op::kCpuid),
    row(0x0FA3, Op::kBt, S::Ev, S::Gv),
    row(0x0FA4, Op::kShld, S::Ev, S::Gv, S::Ib), row(0x0FA5, Op::kShld, S::Ev, S::Gv, S::CL),
    row(0x0FA8, Op::kPushSreg, S::GS), row(0x0FA9, Op::kPopSreg, S::GS),
    row(0x0FAA, Op::kRsm),
    row(0x0FAB, Op::kBts, S::Ev, S::Gv, S::kNone, kLockable),
    row(0x0FAC, Op::kShrd, S::Ev, S::Gv, S::Ib), row(0x0FAD, Op::kShrd, S::Ev, S::Gv, S::CL),
    row(0x0FAF, Op::kImul2, S::Gv, S::Ev),
    row(0x0FB0, Op::kCmpxchg, S::Eb, S::Gb, S::kNone, kLockable),
    row(0x0FB1, Op::kCmpxchg, S::Ev, S::Gv, S::kNone, kLockable),
    row(0x0FB2, Op::kLoadFarPointer, S::Gv, S::Mp),
    row(0x0FB3, Op::kBtr, S::Ev, S::Gv, S::kNone, kLockable),
    row(0x0FB4, Op::kLoadFarPointer, S::Gv, S::Mp), row(0x0FB5, Op::kLoadFarPointer, S::Gv, S::Mp),
    row(0x0FB6, Op::kMovzx, S::Gv, S::Eb), row(0x0FB7, Op::kMovzx, S::Gv, S::Ew),
    grp(0x0FBA, 4, Op::kBt, S::Ev, S::Ib),
    grp(0x0FBA, 5, Op::kBts, S::Ev, S::Ib, S::kNone, kLockable),
    grp(0x0FBA, 6, Op::kBtr, S::Ev, S::Ib, S::kNone, kLockable),
    grp(0x0FBA, 7, Op::kBtc, S::Ev, S::Ib, S::kNone, kLockable),
    row(0x0FBB, Op::kBtc, S::Ev, S::Gv, S::kNone, kLockable),
    row(0x0FBC, Op::kBsf, S::Gv, S::Ev), row(0x0FBD, Op::kBsr, S::Gv, S::Ev),
    row(0x0FBE, Op::kMovsx, S::Gv, S::Eb), row(0x0FBF, Op::kMovsx, S::Gv, S::Ew),
    row(0x0FC0, Op::kXadd, S::Eb, S::Gb, S::kNone, kLockable),
    row(0x0FC1, Op::kXadd, S::Ev, S::Gv, S::kNone, kLockable),
    grp(0x0FC7, 1, Op::kCmpxchg8b, S::Mq, S::kNone, S::kNone, kLockable),
    REG8(0x0FC8, Op::kBswap, S::Zv, S::kNone),
};

#undef ALU_BLOCK
#undef GROUP1
#undef GROUP2
#undef GROUP3
#undef CC16
#undef REG8

}  // namespace

std::span<const OpcodeRow> integer_opcode_rows() { return kRows; }

}  // namespace tern
