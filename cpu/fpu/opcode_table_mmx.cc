// MMX opcode rows of the 0F map, as on the Pentium II (Intel SDM Vol. 2 Appendix A, MMX
// instructions without the SSE/SSE2 additions). A 66/F2/F3 prefix makes them #UD (decoder.cc).
#include "cpu/opcode_table.h"

namespace tern {

namespace {

using S = Spec;

constexpr OpcodeRow row(u16 opcode, Op op, S a = S::kNone, S b = S::kNone) { return OpcodeRow{opcode, -1, -1, op, a, b}; }
// 0F 71-73: shifts by an immediate, ModRM.reg selects the shift, ModRM.rm the register.
constexpr OpcodeRow shift_imm(u16 opcode, i8 reg, Op op) {
  return OpcodeRow{opcode, reg, -1, op, S::Nq, S::Ib, S::kNone, kModReg};
}

constexpr OpcodeRow kRows[] = {
    row(0x0F60, Op::kPunpcklbw, S::Pq, S::Qd), row(0x0F61, Op::kPunpcklwd, S::Pq, S::Qd),
    row(0x0F62, Op::kPunpckldq, S::Pq, S::Qd), row(0x0F63, Op::kPacksswb, S::Pq, S::Qq),
    row(0x0F64, Op::kPcmpgtb, S::Pq, S::Qq), row(0x0F65, Op::kPcmpgtw, S::Pq, S::Qq),
    row(0x0F66, Op::kPcmpgtd, S::Pq, S::Qq), row(0x0F67, Op::kPackuswb, S::Pq, S::Qq),
    row(0x0F68, Op::kPunpckhbw, S::Pq, S::Qq), row(0x0F69, Op::kPunpckhwd, S::Pq, S::Qq),
    row(0x0F6A, Op::kPunpckhdq, S::Pq, S::Qq), row(0x0F6B, Op::kPackssdw, S::Pq, S::Qq),
    row(0x0F6E, Op::kMovd, S::Pq, S::Ed), row(0x0F6F, Op::kMovq, S::Pq, S::Qq),
    shift_imm(0x0F71, 2, Op::kPsrlw), shift_imm(0x0F71, 4, Op::kPsraw), shift_imm(0x0F71, 6, Op::kPsllw),
    shift_imm(0x0F72, 2, Op::kPsrld), shift_imm(0x0F72, 4, Op::kPsrad), shift_imm(0x0F72, 6, Op::kPslld),
    shift_imm(0x0F73, 2, Op::kPsrlq), shift_imm(0x0F73, 6, Op::kPsllq),
    row(0x0F74, Op::kPcmpeqb, S::Pq, S::Qq), row(0x0F75, Op::kPcmpeqw, S::Pq, S::Qq),
    row(0x0F76, Op::kPcmpeqd, S::Pq, S::Qq), row(0x0F77, Op::kEmms),
    row(0x0F7E, Op::kMovd, S::Ed, S::Pq), row(0x0F7F, Op::kMovq, S::Qq, S::Pq),
    row(0x0FD1, Op::kPsrlw, S::Pq, S::Qq), row(0x0FD2, Op::kPsrld, S::Pq, S::Qq),
    row(0x0FD3, Op::kPsrlq, S::Pq, S::Qq), row(0x0FD5, Op::kPmullw, S::Pq, S::Qq),
    row(0x0FD8, Op::kPsubusb, S::Pq, S::Qq), row(0x0FD9, Op::kPsubusw, S::Pq, S::Qq),
    row(0x0FDB, Op::kPand, S::Pq, S::Qq), row(0x0FDC, Op::kPaddusb, S::Pq, S::Qq),
    row(0x0FDD, Op::kPaddusw, S::Pq, S::Qq), row(0x0FDF, Op::kPandn, S::Pq, S::Qq),
    row(0x0FE1, Op::kPsraw, S::Pq, S::Qq), row(0x0FE2, Op::kPsrad, S::Pq, S::Qq),
    row(0x0FE5, Op::kPmulhw, S::Pq, S::Qq), row(0x0FE8, Op::kPsubsb, S::Pq, S::Qq),
    row(0x0FE9, Op::kPsubsw, S::Pq, S::Qq), row(0x0FEB, Op::kPor, S::Pq, S::Qq),
    row(0x0FEC, Op::kPaddsb, S::Pq, S::Qq), row(0x0FED, Op::kPaddsw, S::Pq, S::Qq),
    row(0x0FEF, Op::kPxor, S::Pq, S::Qq),
    row(0x0FF1, Op::kPsllw, S::Pq, S::Qq), row(0x0FF2, Op::kPslld, S::Pq, S::Qq),
    row(0x0FF3, Op::kPsllq, S::Pq, S::Qq), row(0x0FF5, Op::kPmaddwd, S::Pq, S::Qq),
    row(0x0FF8, Op::kPsubb, S::Pq, S::Qq), row(0x0FF9, Op::kPsubw, S::Pq, S::Qq),
    row(0x0FFA, Op::kPsubd, S::Pq, S::Qq), row(0x0FFC, Op::kPaddb, S::Pq, S::Qq),
    row(0x0FFD, Op::kPaddw, S::Pq, S::Qq), row(0x0FFE, Op::kPaddd, S::Pq, S::Qq),
};

}  // namespace

std::span<const OpcodeRow> mmx_opcode_rows() { return kRows; }

}  // namespace tern
