// The 82077AA's data commands: READ DATA, WRITE DATA, READ ID and FORMAT TRACK, with the
// execution phase by DMA (channel 2, ended by terminal count) or by the FIFO in non-DMA mode,
// and the ST0-ST2 status of the result phase (82077AA datasheet §6.1, tables 6-3 and 6-4).
#include <algorithm>

#include "base/log.h"
#include "devices/fdc.h"

namespace tern {

namespace {

// ST0 interrupt codes.
constexpr u8 kSt0Normal = 0x00;
constexpr u8 kSt0Abnormal = 0x40;
// ST1 bits.
constexpr u8 kSt1EndOfCylinder = 0x80;
constexpr u8 kSt1DataError = 0x20;
constexpr u8 kSt1NoData = 0x04;
constexpr u8 kSt1NotWritable = 0x02;
constexpr u8 kSt1MissingAddressMark = 0x01;
// ST2 bits.
constexpr u8 kSt2DataErrorInData = 0x20;
constexpr u8 kSt2WrongCylinder = 0x10;
constexpr u8 kSt2BadCylinder = 0x02;

constexpr u8 kCommandMfm = 0x40;
constexpr u8 kCommandMultiTrack = 0x80;
constexpr u8 kConfigImpliedSeek = 0x40;
constexpr u8 kSizeCode512 = 2;

}  // namespace

// Whether the head finds the diskette's address marks: a diskette in, recorded at the data
// rate selected, and the head on a track the media has.
bool Fdc82077::media_readable(const Drive& d, u8 head, u8& st1) const {
  const FloppyGeometry* g = d.geometry;
  if (!d.present || !d.media || !g || static_cast<u8>(g->rate) != m_rate || head >= g->heads ||
      d.cylinder >= g->cylinders) {
    st1 = kSt1MissingAddressMark;
    return false;
  }
  return true;
}

bool Fdc82077::start_data_command(Op op) {
  m_xfer = Transfer{};
  m_xfer.op = op;
  m_xfer.drive = drive_of(m_command[1]);
  m_xfer.head = (m_command[1] >> 2) & 1;
  m_xfer.c = m_command[2];
  m_xfer.h = m_command[3];
  m_xfer.r = m_command[4];
  m_xfer.n = m_command[5];
  m_xfer.eot = m_command[6];
  m_xfer.multi_track = m_command[0] & kCommandMultiTrack;
  m_xfer.dma = !(m_specify[1] & 0x01);  // SPECIFY ND
  m_last_eot = m_xfer.eot;
  if (m_xfer.drive >= kDrives) {
    finish_transfer(kSt0Abnormal, kSt1MissingAddressMark, 0);
    return false;
  }
  Drive& d = m_drives[m_xfer.drive];
  if ((m_config & kConfigImpliedSeek) && d.present) {
    d.cylinder = m_xfer.c;
    if (d.media) d.disk_changed = false;
  }
  u8 st1 = 0;
  if (!(m_command[0] & kCommandMfm) || !media_readable(d, m_xfer.head, st1)) {
    finish_transfer(kSt0Abnormal, kSt1MissingAddressMark, 0);
    return false;
  }
  // The ID fields on the track carry its cylinder and head and size code 2: a command that asks
  // for another finds no sector.
  if (m_xfer.c != d.cylinder) {
    finish_transfer(kSt0Abnormal, kSt1NoData, static_cast<u8>(kSt2WrongCylinder | (m_xfer.c == 0xFF ? kSt2BadCylinder : 0)));
    return false;
  }
  if (m_xfer.h != m_xfer.head || m_xfer.n != kSizeCode512) {
    finish_transfer(kSt0Abnormal, kSt1NoData, 0);
    return false;
  }
  if (op == Op::kWrite && d.media->read_only()) {
    finish_transfer(kSt0Abnormal, kSt1NotWritable, 0);
    return false;
  }
  return true;
}

void Fdc82077::cmd_read_data() {
  if (start_data_command(Op::kRead) && load_sector()) enter_execution();
}

void Fdc82077::cmd_write_data() {
  if (start_data_command(Op::kWrite)) enter_execution();
}

// Reads sector R of the current track into the sector buffer; ends the command when the track
// has no such sector.
bool Fdc82077::load_sector() {
  Drive& d = m_drives[m_xfer.drive];
  u8 st1 = 0;
  if (!media_readable(d, m_xfer.head, st1) || m_xfer.r == 0 || m_xfer.r > d.geometry->sectors_per_track) {
    finish_transfer(kSt0Abnormal, st1 ? st1 : kSt1NoData, 0);
    return false;
  }
  const FloppyGeometry& g = *d.geometry;
  const u64 lba = (u64{d.cylinder} * g.heads + m_xfer.head) * g.sectors_per_track + m_xfer.r - 1;
  if (!d.media->read_sectors(lba, 1, kSectorSize, m_sector.data())) {
    finish_transfer(kSt0Abnormal, kSt1DataError, kSt2DataErrorInData);
    return false;
  }
  d.next_sector = static_cast<u8>(m_xfer.r % g.sectors_per_track + 1);
  m_xfer.pos = 0;
  return true;
}

bool Fdc82077::store_sector() {
  Drive& d = m_drives[m_xfer.drive];
  u8 st1 = 0;
  if (!media_readable(d, m_xfer.head, st1) || m_xfer.r == 0 || m_xfer.r > d.geometry->sectors_per_track) {
    finish_transfer(kSt0Abnormal, st1 ? st1 : kSt1NoData, 0);
    return false;
  }
  const FloppyGeometry& g = *d.geometry;
  const u64 lba = (u64{d.cylinder} * g.heads + m_xfer.head) * g.sectors_per_track + m_xfer.r - 1;
  if (!d.media->write_sectors(lba, 1, kSectorSize, m_sector.data())) {
    finish_transfer(kSt0Abnormal, kSt1NotWritable, 0);
    return false;
  }
  d.next_sector = static_cast<u8>(m_xfer.r % g.sectors_per_track + 1);
  m_xfer.pos = 0;
  return true;
}

// The sector address the result phase reports after the last sector transferred (table 6-4).
void Fdc82077::next_address(u8& c, u8& h, u8& r) const {
  if (r != m_xfer.eot) {
    ++r;
  } else if (m_xfer.multi_track && m_xfer.head == 0) {
    h ^= 1;
    r = 1;
  } else {
    ++c;
    r = 1;
    if (m_xfer.multi_track) h ^= 1;
  }
}

// A whole sector has moved: terminal count ends the command normally; the last sector of the
// track (both sides with MT) without terminal count ends it with "end of cylinder".
void Fdc82077::sector_done(bool terminal_count) {
  if (terminal_count || (m_xfer.r == m_xfer.eot && !(m_xfer.multi_track && m_xfer.head == 0))) {
    u8 c = m_xfer.c, h = m_xfer.h, r = m_xfer.r;
    next_address(c, h, r);
    m_xfer.c = c;
    m_xfer.h = h;
    m_xfer.r = r;
    finish_transfer(terminal_count ? kSt0Normal : kSt0Abnormal, terminal_count ? 0 : kSt1EndOfCylinder, 0);
    return;
  }
  if (m_xfer.r == m_xfer.eot) {  // multi-track: on to side 1
    m_xfer.head = 1;
    m_xfer.h ^= 1;
    m_xfer.r = 1;
  } else {
    ++m_xfer.r;
  }
  if (m_xfer.op == Op::kRead) load_sector();
  else m_xfer.pos = 0;
}

void Fdc82077::finish_transfer(u8 ic, u8 st1, u8 st2) {
  const u8 st0 = static_cast<u8>(ic | head_bit(m_xfer.head) | m_xfer.drive);
  m_xfer.op = Op::kNone;
  result({st0, st1, st2, m_xfer.c, m_xfer.h, m_xfer.r, m_xfer.n}, true);
  update_dreq();
}

void Fdc82077::enter_execution() {
  m_phase = Phase::kExecution;
  if (m_xfer.dma) update_dreq();
  else set_irq(true);  // non-DMA: the interrupt asks the host to move the data
}

// The DMA controller grants the channel: move data until the command ends or DMA stops.
void Fdc82077::dma_service() {
  while (m_phase == Phase::kExecution && m_xfer.dma) {
    u8* at = m_sector.data() + m_xfer.pos;
    const size_t want = (m_xfer.op == Op::kFormat ? 4 : kSectorSize) - m_xfer.pos;
    const size_t moved = m_xfer.op == Op::kRead ? m_dma.write_memory(at, want) : m_dma.read_memory(at, want);
    const bool tc = m_dma.terminal_count();
    m_xfer.pos = static_cast<u16>(m_xfer.pos + moved);
    if (moved < want && !tc) return;  // the channel stopped: DREQ stays up
    switch (m_xfer.op) {
      case Op::kRead: sector_done(tc); break;
      case Op::kWrite:
        // Terminal count inside a sector: the controller completes it with zeros.
        std::fill(m_sector.begin() + m_xfer.pos, m_sector.end(), 0);
        if (store_sector()) sector_done(tc);
        break;
      case Op::kFormat:
        if (moved < want) std::fill(m_sector.begin() + m_xfer.pos, m_sector.begin() + 4, 0);
        format_id_done();
        if (tc && m_phase == Phase::kExecution) finish_transfer(kSt0Normal, 0, 0);
        break;
      case Op::kNone: return;
    }
  }
}

u8 Fdc82077::pio_read_byte() {
  if (m_xfer.op != Op::kRead) return 0xFF;
  const u8 value = m_sector[m_xfer.pos++];
  if (m_xfer.pos == kSectorSize) sector_done(false);
  return value;
}

void Fdc82077::pio_write_byte(u8 value) {
  if (m_xfer.op == Op::kWrite) {
    m_sector[m_xfer.pos++] = value;
    if (m_xfer.pos == kSectorSize && store_sector()) sector_done(false);
  } else if (m_xfer.op == Op::kFormat) {
    m_sector[m_xfer.pos++] = value;
    if (m_xfer.pos == 4) format_id_done();
  }
}

void Fdc82077::cmd_read_id() {
  const u8 drive = drive_of(m_command[1]);
  const u8 head = (m_command[1] >> 2) & 1;
  m_xfer = Transfer{};
  m_xfer.drive = drive;
  m_xfer.head = head;
  u8 st1 = 0;
  if (drive >= kDrives || !(m_command[0] & kCommandMfm) || !media_readable(m_drives[drive], head, st1)) {
    m_xfer.drive = drive & 0x03;
    finish_transfer(kSt0Abnormal, kSt1MissingAddressMark, 0);
    return;
  }
  Drive& d = m_drives[drive];
  m_xfer.c = d.cylinder;
  m_xfer.h = head;
  m_xfer.r = d.next_sector;
  m_xfer.n = kSizeCode512;
  d.next_sector = static_cast<u8>(d.next_sector % d.geometry->sectors_per_track + 1);
  finish_transfer(kSt0Normal, 0, 0);
}

void Fdc82077::cmd_format_track() {
  const u8 drive = drive_of(m_command[1]);
  m_xfer = Transfer{};
  m_xfer.op = Op::kFormat;
  m_xfer.drive = drive;
  m_xfer.head = (m_command[1] >> 2) & 1;
  m_xfer.n = m_command[2];
  m_xfer.format_left = m_command[3];
  m_xfer.fill = m_command[5];
  m_xfer.dma = !(m_specify[1] & 0x01);
  u8 st1 = 0;
  if (drive >= kDrives || !(m_command[0] & kCommandMfm) || !media_readable(m_drives[drive], m_xfer.head, st1)) {
    finish_transfer(kSt0Abnormal, kSt1MissingAddressMark, 0);
    return;
  }
  if (m_drives[drive].media->read_only()) {
    finish_transfer(kSt0Abnormal, kSt1NotWritable, 0);
    return;
  }
  if (m_xfer.format_left == 0) {
    finish_transfer(kSt0Normal, 0, 0);
    return;
  }
  enter_execution();
}

// One sector's ID field (C, H, R, N) has arrived: the sector is written with the filler byte.
// A raw image holds only its own geometry, so IDs it cannot represent change nothing.
void Fdc82077::format_id_done() {
  Drive& d = m_drives[m_xfer.drive];
  m_xfer.c = m_sector[0];
  m_xfer.h = m_sector[1];
  m_xfer.r = m_sector[2];
  m_xfer.n = m_sector[3];
  m_xfer.pos = 0;
  const FloppyGeometry& g = *d.geometry;
  if (m_xfer.n == kSizeCode512 && m_xfer.r >= 1 && m_xfer.r <= g.sectors_per_track) {
    std::array<u8, kSectorSize> filler;
    filler.fill(m_xfer.fill);
    const u64 lba = (u64{d.cylinder} * g.heads + m_xfer.head) * g.sectors_per_track + m_xfer.r - 1;
    if (!d.media->write_sectors(lba, 1, kSectorSize, filler.data())) {
      finish_transfer(kSt0Abnormal, kSt1NotWritable, 0);
      return;
    }
  } else {
    log_debug(LogCat::kFdc, "FDC: FORMAT TRACK ID C={} H={} R={} N={} does not fit the image", m_xfer.c, m_xfer.h,
              m_xfer.r, m_xfer.n);
  }
  if (--m_xfer.format_left == 0) finish_transfer(kSt0Normal, 0, 0);
}

}  // namespace tern
