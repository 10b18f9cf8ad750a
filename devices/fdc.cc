#include "devices/fdc.h"

#include <algorithm>

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

// Register offsets from 3F0h.
enum : u32 { kDor = 2, kTdr = 3, kMsrDsr = 4, kFifo = 5, kDirCcr = 7 };

// DOR bits.
constexpr u8 kDorNotReset = 0x04;
constexpr u8 kDorDmaGate = 0x08;

// MSR bits.
constexpr u8 kMsrRqm = 0x80;
constexpr u8 kMsrDio = 0x40;
constexpr u8 kMsrNonDma = 0x20;
constexpr u8 kMsrBusy = 0x10;

// ST0 interrupt codes and bits.
constexpr u8 kSt0Abnormal = 0x40;
constexpr u8 kSt0Invalid = 0x80;
constexpr u8 kSt0ReadyChanged = 0xC0;
constexpr u8 kSt0SeekEnd = 0x20;
constexpr u8 kSt0EquipmentCheck = 0x10;

constexpr u8 kConfigPollDisable = 0x10;

}  // namespace

Fdc82077::Fdc82077(IoSpace& io, IrqLine irq, IsaDmaChannel& dma) : m_irq(irq), m_dma(dma) {
  m_dma.set_handler([this] { dma_service(); });
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32 offset, unsigned) -> u64 { return read_port(offset); };
  ops.write = [this](u32 offset, u64 value, unsigned) { write_port(offset, static_cast<u8>(value)); };
  io.map(0x3F0, 6, ops);
  IoOps dir;
  dir.widths = 1;
  dir.read = [this](u32, unsigned) -> u64 { return read_port(kDirCcr); };
  dir.write = [this](u32, u64 value, unsigned) { write_port(kDirCcr, static_cast<u8>(value)); };
  io.map(0x3F7, 1, dir);
  reset();
}

void Fdc82077::attach_drive(unsigned n, std::unique_ptr<DiskImage> media) {
  Drive& d = m_drives[n];
  d.present = true;
  d.geometry = media ? floppy_geometry_for_size(media->size()) : nullptr;
  d.media = std::move(media);
  d.disk_changed = true;  // the change line is active until a step with a diskette in
}

// The table of commands: the first byte under `mask` equals `value` (MT, MFM and SK bits
// masked out where the command has them), and the number of command bytes.
const Fdc82077::CommandInfo* Fdc82077::find_command(u8 first_byte) {
  static constexpr std::array<CommandInfo, 15> kCommands = {{
      {0x1F, 0x06, 9, &Fdc82077::cmd_read_data},        // MT MFM SK 0 0110
      {0x3F, 0x05, 9, &Fdc82077::cmd_write_data},       // MT MFM 0 0 0101
      {0xBF, 0x0A, 2, &Fdc82077::cmd_read_id},          // 0 MFM 0 0 1010
      {0xBF, 0x0D, 6, &Fdc82077::cmd_format_track},     // 0 MFM 0 0 1101
      {0xFF, 0x03, 3, &Fdc82077::cmd_specify},
      {0xFF, 0x04, 2, &Fdc82077::cmd_sense_drive_status},
      {0xFF, 0x07, 2, &Fdc82077::cmd_recalibrate},
      {0xFF, 0x08, 1, &Fdc82077::cmd_sense_interrupt_status},
      {0xFF, 0x0F, 3, &Fdc82077::cmd_seek},
      {0xFF, 0x10, 1, &Fdc82077::cmd_version},
      {0xFF, 0x13, 4, &Fdc82077::cmd_configure},
      {0xFF, 0x0E, 1, &Fdc82077::cmd_dumpreg},
      {0x7F, 0x14, 1, &Fdc82077::cmd_lock},             // LOCK bit 7
      {0xFF, 0x12, 2, &Fdc82077::cmd_perpendicular},
      {0x00, 0x00, 1, &Fdc82077::cmd_invalid},          // anything else
  }};
  for (const CommandInfo& c : kCommands) {
    if ((first_byte & c.mask) == c.value) return &c;
  }
  return &kCommands.back();
}

u8 Fdc82077::main_status() const {
  if (!(m_dor & kDorNotReset)) return 0x00;
  switch (m_phase) {
    case Phase::kCommand: return static_cast<u8>(kMsrRqm | (m_command_pos ? kMsrBusy : 0));
    case Phase::kResult: return kMsrRqm | kMsrDio | kMsrBusy;
    case Phase::kExecution:
      if (m_xfer.dma) return kMsrBusy;  // waiting for DMA cycles
      return static_cast<u8>(kMsrRqm | kMsrNonDma | kMsrBusy | (m_xfer.op == Op::kRead ? kMsrDio : 0));
  }
  return 0;
}

u8 Fdc82077::read_port(u32 offset) {
  switch (offset) {
    case kDor: return m_dor;
    case kTdr: return m_tdr & 0x03;
    case kMsrDsr: return main_status();
    case kFifo: return read_fifo();
    case kDirCcr: {
      // AT mode: only bit 7, the disk change line of the drive DOR selects.
      const Drive& d = m_drives[m_dor & 0x01];
      return (d.present && d.disk_changed) ? 0x80 : 0x00;
    }
    default: return 0xFF;
  }
}

void Fdc82077::write_port(u32 offset, u8 value) {
  switch (offset) {
    case kDor: write_dor(value); break;
    case kTdr: m_tdr = value & 0x03; break;
    case kMsrDsr:
      m_rate = value & 0x03;
      if (value & 0x80) soft_reset();  // DSR software reset, self-clearing
      break;
    case kFifo: write_fifo(value); break;
    case kDirCcr: m_rate = value & 0x03; break;
    default: break;
  }
}

void Fdc82077::write_dor(u8 value) {
  const bool was_running = m_dor & kDorNotReset;
  m_dor = value;
  if (!(value & kDorNotReset)) {
    // Held in reset: the interface stops; leaving reset completes it.
    m_phase = Phase::kCommand;
    m_command_pos = 0;
    m_xfer.op = Op::kNone;
    set_irq(false);
  } else if (!was_running) {
    soft_reset();
  }
  update_irq();
  update_dreq();
}

// A software reset (DOR or DSR): the controller's command state clears, CONFIGURE returns to
// its defaults unless LOCKed, and with polling enabled each drive reports a ready change (§5.2).
void Fdc82077::soft_reset() {
  m_phase = Phase::kCommand;
  m_command_pos = 0;
  m_result_len = m_result_pos = 0;
  m_xfer.op = Op::kNone;
  update_dreq();
  for (Drive& d : m_drives) d.seek_pending = false;
  if (!m_lock) {
    m_config = 0x20;
    m_pretrk = 0;
  }
  m_perpendicular &= 0x80;
  m_reset_polls = (m_config & kConfigPollDisable) ? 0 : 4;
  set_irq(m_reset_polls != 0);
}

void Fdc82077::reset() {
  m_dor = 0;
  m_tdr = 0;
  m_rate = 2;
  m_specify[0] = m_specify[1] = 0;
  m_lock = false;
  m_config = 0x20;
  m_pretrk = 0;
  m_perpendicular = 0;
  m_reset_polls = 0;
  m_phase = Phase::kCommand;
  m_command_pos = 0;
  m_result_len = m_result_pos = 0;
  m_xfer = Transfer{};
  update_dreq();
  for (Drive& d : m_drives) {
    d.cylinder = 0;
    d.next_sector = 1;
    d.seek_pending = false;
  }
  set_irq(false);
}

void Fdc82077::write_fifo(u8 value) {
  if (!(m_dor & kDorNotReset)) return;
  if (m_phase == Phase::kExecution) {
    if (!m_xfer.dma) pio_write_byte(value);
    return;
  }
  if (m_phase == Phase::kResult) return;  // the host must read the result first
  if (m_command_pos == 0) {
    m_command_len = find_command(value)->length;
    // A new command clears an interrupt left by the previous one, except the status a SENSE
    // INTERRUPT STATUS is about to read.
    if ((value & 0xFF) != 0x08) set_irq(false);
  }
  m_command[m_command_pos++] = value;
  if (m_command_pos < m_command_len) return;
  m_command_pos = 0;
  (this->*find_command(m_command[0])->run)();
}

u8 Fdc82077::read_fifo() {
  if (m_phase == Phase::kExecution) return m_xfer.dma ? 0xFF : pio_read_byte();
  if (m_phase != Phase::kResult) return 0xFF;
  // Reading the result clears the interrupt of the command that produced it.
  set_irq(false);
  const u8 value = m_result[m_result_pos++];
  if (m_result_pos == m_result_len) m_phase = Phase::kCommand;
  return value;
}

void Fdc82077::result(std::initializer_list<u8> bytes, bool interrupt) {
  std::copy(bytes.begin(), bytes.end(), m_result.begin());
  m_result_len = static_cast<u8>(bytes.size());
  m_result_pos = 0;
  m_phase = Phase::kResult;
  if (interrupt) set_irq(true);
}

void Fdc82077::set_irq(bool pending) {
  m_irq_pending = pending;
  update_irq();
}

// In AT mode DOR bit 3 gates the interrupt (and DMA request) outputs.
void Fdc82077::update_irq() {
  const bool level = m_irq_pending && (m_dor & kDorDmaGate) && (m_dor & kDorNotReset);
  if (level != m_irq_level) {
    m_irq_level = level;
    m_irq.set(level);
  }
}

// DRQ is asserted during a DMA execution phase, gated by DOR bit 3 like the interrupt.
void Fdc82077::update_dreq() {
  m_dma.set_dreq(m_phase == Phase::kExecution && m_xfer.dma && (m_dor & kDorDmaGate) && (m_dor & kDorNotReset));
}

void Fdc82077::cmd_specify() {
  m_specify[0] = m_command[1];
  m_specify[1] = m_command[2];
  m_phase = Phase::kCommand;
}

void Fdc82077::cmd_sense_drive_status() {
  const u8 drive = drive_of(m_command[1]);
  const u8 head = (m_command[1] >> 2) & 1;
  u8 st3 = static_cast<u8>(0x20 | 0x08 | head_bit(head) | drive);  // RDY and bit 3 read as one
  if (drive < kDrives && m_drives[drive].present) {
    const Drive& d = m_drives[drive];
    if (d.cylinder == 0) st3 |= 0x10;                       // track 0
    if (!d.media || d.media->read_only()) st3 |= 0x40;      // write protected
  }
  result({st3}, false);
}

void Fdc82077::seek_to(unsigned drive, u8 head, u8 cylinder, bool recalibrate) {
  u8 st0 = static_cast<u8>(kSt0SeekEnd | head_bit(head) | drive);
  if (drive >= kDrives || !m_drives[drive].present) {
    // No drive answers: a recalibrate never sees track 0 (equipment check).
    if (recalibrate) st0 |= kSt0Abnormal | kSt0EquipmentCheck;
  } else {
    Drive& d = m_drives[drive];
    d.cylinder = cylinder;
    // Stepping with a diskette in resets the change line (a drive signal, 82077AA §2.1.5).
    if (d.media) d.disk_changed = false;
  }
  if (drive < kDrives) {
    m_drives[drive].seek_pending = true;
    m_drives[drive].seek_st0 = st0;
  }
  m_phase = Phase::kCommand;
  set_irq(true);
}

void Fdc82077::cmd_recalibrate() { seek_to(drive_of(m_command[1]), 0, 0, true); }

void Fdc82077::cmd_seek() { seek_to(drive_of(m_command[1]), (m_command[1] >> 2) & 1, m_command[2], false); }

void Fdc82077::cmd_sense_interrupt_status() {
  if (m_reset_polls) {
    const u8 drive = static_cast<u8>(4 - m_reset_polls);
    --m_reset_polls;
    const u8 pcn = drive < kDrives ? m_drives[drive].cylinder : 0;
    result({static_cast<u8>(kSt0ReadyChanged | drive), pcn}, false);
    if (m_reset_polls == 0) set_irq(false);
    return;
  }
  for (unsigned i = 0; i < kDrives; ++i) {
    Drive& d = m_drives[i];
    if (!d.seek_pending) continue;
    d.seek_pending = false;
    result({d.seek_st0, d.cylinder}, false);
    set_irq(false);
    return;
  }
  cmd_invalid();  // no interrupt to report
}

void Fdc82077::cmd_version() { result({0x90}, false); }

void Fdc82077::cmd_configure() {
  m_config = m_command[2] & 0x7F;
  m_pretrk = m_command[3];
  m_phase = Phase::kCommand;
}

void Fdc82077::cmd_dumpreg() {
  result({m_drives[0].cylinder, m_drives[1].cylinder, 0, 0, m_specify[0], m_specify[1], m_last_eot,
          static_cast<u8>((m_lock ? 0x80 : 0) | (m_perpendicular & 0x7F)), m_config, m_pretrk},
         false);
}

void Fdc82077::cmd_lock() {
  m_lock = m_command[0] & 0x80;
  result({static_cast<u8>(m_lock ? 0x10 : 0x00)}, false);
}

void Fdc82077::cmd_perpendicular() {
  // Bit 7 (OW) says whether bits 5-2 (drive selects) are written; GAP and WGATE always are.
  const u8 value = m_command[1];
  if (value & 0x80) m_perpendicular = value & 0x3F;
  else m_perpendicular = static_cast<u8>((m_perpendicular & 0x3C) | (value & 0x03));
  m_phase = Phase::kCommand;
}

void Fdc82077::cmd_invalid() {
  log_debug(LogCat::kFdc, "FDC: invalid command {:02x}", m_command[0]);
  result({kSt0Invalid}, false);
}

void Fdc82077::Transfer::serialize(StateIo& io) {
  io(op, drive, head, c, h, r, n, eot, multi_track, dma, pos, format_left, fill);
}

void Fdc82077::serialize(StateIo& io) {
  for (Drive& d : m_drives) {
    bool present = d.present;
    bool media = d.media != nullptr;
    io(present, media);
    if (present != d.present || media != (d.media != nullptr)) throw_state_error("FDC: the saved machine had other drives");
    io(d.cylinder, d.next_sector, d.disk_changed, d.seek_pending, d.seek_st0);
    if (d.media) d.media->serialize(io);
  }
  io(m_dor, m_tdr, m_rate, m_specify, m_config, m_pretrk, m_perpendicular, m_lock, m_irq_pending, m_irq_level,
     m_reset_polls, m_phase, m_command, m_command_len, m_command_pos, m_result, m_result_len, m_result_pos, m_last_eot,
     m_xfer, m_sector);
  if (io.loading() && (m_command_pos >= m_command.size() || m_result_len > m_result.size() ||
                       m_result_pos > m_result_len || m_xfer.pos > kSectorSize || m_reset_polls > 4))
    throw_state_error("FDC: bad command or result position");
}

}  // namespace tern
