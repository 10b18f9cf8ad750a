#include "devices/atapi_cdrom.h"

#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "base/state.h"
#include "devices/ata_identify.h"

namespace tern {

namespace {

// ATA commands a packet device accepts (ATA/ATAPI-6 §8).
enum : u8 {
  kDeviceReset = 0x08,
  kReadSectors = 0x20,
  kExecuteDeviceDiagnostic = 0x90,
  kCheckPowerModeOld = 0x98,
  kPacket = 0xA0,
  kIdentifyPacketDevice = 0xA1,
  kStandbyImmediate = 0xE0,
  kIdleImmediate = 0xE1,
  kCheckPowerMode = 0xE5,
  kSleep = 0xE6,
  kIdentifyDevice = 0xEC,
  kSetFeatures = 0xEF,
};

// Interrupt Reason register (the Sector Count register of a packet device, §9.10): CoD, IO.
constexpr u8 kReasonCoD = 0x01;
constexpr u8 kReasonIo = 0x02;

constexpr u8 kRequestSense = 0x03;

// A DVD image is one larger than the largest CD (80 minutes: 360000 sectors).
constexpr u64 kMaxCdSectors = 360000;

}  // namespace

AtapiCdrom::AtapiCdrom(std::unique_ptr<DiskImage> media, std::string serial)
    : m_media(std::move(media)), m_serial(std::move(serial)) {
  hardware_reset();
  if (m_media) m_media_event = 2;  // new media
}

bool AtapiCdrom::is_dvd() const { return media_sectors() > kMaxCdSectors; }

void AtapiCdrom::insert_media(std::unique_ptr<DiskImage> media) {
  m_media = std::move(media);
  m_tray_open = false;
  media_changed();
}

void AtapiCdrom::media_changed() {
  m_unit_attention = 0x28;  // NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED
  m_media_event = 2;
}

void AtapiCdrom::load_signature() {
  // §9.12: the packet device signature 14h/EBh in LBA Mid/High; DRDY stays clear after reset.
  m_tf.sector_count = 1;
  m_tf.lba_low = 1;
  m_tf.lba_mid = 0x14;
  m_tf.lba_high = 0xEB;
  m_tf.device = 0;
  m_tf.error = 0x01;
  m_tf.status = 0x00;
}

void AtapiCdrom::reset_device(bool hardware) {
  m_pio_op = PioOp::kNone;
  m_sense_key = SenseKey::kNoSense;
  m_asc = m_ascq = 0;
  if (hardware) {
    m_locked = false;
    m_transfer_mode = 0x22;
    m_unit_attention = has_media() ? 0x29 : 0;  // POWER ON, RESET OR BUS DEVICE RESET OCCURRED
  }
}

void AtapiCdrom::execute(u8 command) {
  switch (command) {
    case kPacket: start_packet(); return;
    case kIdentifyPacketDevice: identify(); return;
    case kDeviceReset:
      // §8.7: completes without an interrupt.
      reset_device(false);
      load_signature();
      return;
    case kExecuteDeviceDiagnostic:
      load_signature();
      raise_intrq();
      return;
    case kSetFeatures: set_features(); return;
    case kStandbyImmediate:
    case kIdleImmediate:
    case kSleep: complete(ata_status::kDrdy); return;
    case kCheckPowerMode:
    case kCheckPowerModeOld:
      m_tf.sector_count = 0xFF;
      complete(ata_status::kDrdy);
      return;
    case kIdentifyDevice:
    case kReadSectors:
      // §8.15: a packet device aborts these and shows its signature, which is how hosts tell
      // it from an ATA disk.
      abort_with_signature();
      return;
    default:
      log_debug(LogCat::kIde, "ATAPI: ATA command {:02x} aborted", command);
      fail_command(ata_error::kAbrt, ata_status::kDrdy);
      return;
  }
}

void AtapiCdrom::abort_with_signature() {
  load_signature();
  fail_command(ata_error::kAbrt, ata_status::kDrdy);
}

void AtapiCdrom::set_features() {
  switch (m_tf.feature) {
    case 0x03:
      if (!identify_transfer_mode_valid(m_tf.sector_count)) {
        fail_command(ata_error::kAbrt, ata_status::kDrdy);
        return;
      }
      m_transfer_mode = m_tf.sector_count;
      break;
    case 0x02: case 0x82: case 0xAA: case 0x55: case 0x66: case 0xCC: break;
    default:
      fail_command(ata_error::kAbrt, ata_status::kDrdy);
      return;
  }
  complete(ata_status::kDrdy);
}

void AtapiCdrom::identify() {
  IdentifyData id;
  // Word 0: ATAPI (10b), device type 05h (CD-ROM), removable, DRQ within 50 us, 12-byte packets.
  id.set_word(0, 0x8000 | (0x05 << 8) | 0x80 | 0x40);
  id.set_string(10, 20, m_serial);
  id.set_string(23, 8, kIdeFirmwareRevision);
  id.set_string(27, 40, "TERN DVD-ROM");
  id.set_word(49, (1 << 11) | (1 << 9) | (1 << 8));  // IORDY, LBA, DMA
  id.set_word(50, 0x4000);
  id.set_word(53, 0x0006);  // words 64-70 and 88 valid
  id.set_transfer_modes(m_transfer_mode);
  id.set_word(80, 0x007E);  // ATA/ATAPI-1 through -6
  id.set_word(82, (1 << 14) | (1 << 9) | (1 << 4));  // NOP, DEVICE RESET, PACKET
  id.set_word(83, 0x4000);
  id.set_word(84, 0x4000);
  id.set_word(85, (1 << 14) | (1 << 9) | (1 << 4));
  id.set_word(87, 0x4000);
  id.set_reset_result(m_device1, m_other_present);
  id.finish(buffer());
  m_pio_op = PioOp::kIdentify;
  begin_pio_in(512);
}

void AtapiCdrom::start_packet() {
  // Features bit 0: the data phase goes by DMA. LBA Mid/High: the host's byte count limit.
  m_dma = m_tf.feature & 0x01;
  m_byte_limit = static_cast<u16>(m_tf.lba_mid | (m_tf.lba_high << 8));
  m_tf.sector_count = static_cast<u8>((m_tf.sector_count & 0xF8) | kReasonCoD);
  m_pio_op = PioOp::kPacket;
  // The packet is asked for without an interrupt (word 0: DRQ within 50 us).
  begin_pio_out(static_cast<u32>(m_cdb.size()), false);
}

void AtapiCdrom::pio_block_done() {
  switch (m_pio_op) {
    case PioOp::kIdentify:
      m_pio_op = PioOp::kNone;
      m_tf.status = ata_status::kDrdy;
      return;
    case PioOp::kPacket:
      std::memcpy(m_cdb.data(), buffer(), m_cdb.size());
      m_pio_op = PioOp::kNone;
      run_packet();
      return;
    case PioOp::kDataIn:
      m_xfer_pos += m_block;
      if (m_xfer_pos < m_xfer_length) send_pio_block();
      else good();
      return;
    case PioOp::kNone: return;
  }
}

void AtapiCdrom::run_packet() {
  const u8 opcode = m_cdb[0];
  // Sense data describes the last command; REQUEST SENSE is the one that reads it.
  if (opcode != kRequestSense) {
    m_sense_key = SenseKey::kNoSense;
    m_asc = m_ascq = 0;
  }
  const PacketCommand* cmd = find_packet_command(opcode);
  if (!cmd) {
    log_debug(LogCat::kIde, "ATAPI: packet command {:02x} not supported", opcode);
    check_condition(SenseKey::kIllegalRequest, 0x20, 0x00);  // INVALID COMMAND OPERATION CODE
    return;
  }
  if (cmd->unit_attention && m_unit_attention) {
    const u8 asc = m_unit_attention;
    m_unit_attention = 0;
    check_condition(SenseKey::kUnitAttention, asc, 0x00);
    return;
  }
  if (cmd->needs_media && !has_media()) {
    not_ready();
    return;
  }
  (this->*cmd->run)();
}

void AtapiCdrom::reply(size_t length, size_t allocation_length) {
  m_reply_from_media = false;
  start_data_in(std::min(length, allocation_length));
}

void AtapiCdrom::reply_sectors(u64 lba, u64 count) {
  m_reply_from_media = true;
  m_read_lba = lba;
  start_data_in(count * kSectorSize);
}

void AtapiCdrom::start_data_in(u64 length) {
  m_xfer_length = length;
  m_xfer_pos = 0;
  if (length == 0) {
    good();
  } else if (m_dma) {
    begin_dma(length, false);
  } else {
    m_pio_op = PioOp::kDataIn;
    send_pio_block();
  }
}

// One DRQ block of a PIO data-in phase: at most the byte count limit, and even unless it is
// the last (§9.10: a limit of 0 or FFFFh is taken as FFFEh).
void AtapiCdrom::send_pio_block() {
  u32 limit = m_byte_limit;
  if (limit == 0 || limit == 0xFFFF) limit = 0xFFFE;
  const u64 remaining = m_xfer_length - m_xfer_pos;
  u32 block = static_cast<u32>(std::min<u64>(remaining, limit));
  if (block < remaining) block &= ~u32{1};
  if (!fetch(m_xfer_pos, buffer(), block)) {
    check_condition(SenseKey::kMediumError, 0x11, 0x00);  // UNRECOVERED READ ERROR
    return;
  }
  m_block = block;
  m_tf.lba_mid = static_cast<u8>(block);
  m_tf.lba_high = static_cast<u8>(block >> 8);
  m_tf.sector_count = static_cast<u8>((m_tf.sector_count & 0xF8) | kReasonIo);
  m_pio_op = PioOp::kDataIn;
  begin_pio_in(block);
}

bool AtapiCdrom::fetch(u64 pos, u8* dst, size_t count) {
  if (m_reply_from_media) return has_media() && m_media->read(m_read_lba * kSectorSize + pos, dst, count);
  if (pos > m_reply.size() || count > m_reply.size() - pos) return false;
  std::memcpy(dst, m_reply.data() + pos, count);
  return true;
}

bool AtapiCdrom::dma_fetch(u64 pos, u8* dst, size_t count) { return fetch(pos, dst, count); }

// No packet command here has a data-out phase.
bool AtapiCdrom::dma_store(u64, const u8*, size_t) { return false; }

void AtapiCdrom::dma_finished(bool ok) {
  if (ok) good();
  else check_condition(SenseKey::kMediumError, 0x11, 0x00);
}

void AtapiCdrom::good() {
  m_pio_op = PioOp::kNone;
  m_tf.sector_count = static_cast<u8>((m_tf.sector_count & 0xF8) | kReasonIo | kReasonCoD);
  complete(ata_status::kDrdy);
}

void AtapiCdrom::check_condition(SenseKey key, u8 asc, u8 ascq) {
  m_sense_key = key;
  m_asc = asc;
  m_ascq = ascq;
  m_pio_op = PioOp::kNone;
  m_tf.sector_count = static_cast<u8>((m_tf.sector_count & 0xF8) | kReasonIo | kReasonCoD);
  // The Error register carries the sense key in bits 7-4 (§9.10).
  fail_command(static_cast<u8>(static_cast<u8>(key) << 4), ata_status::kDrdy);
}

void AtapiCdrom::not_ready() {
  // MEDIUM NOT PRESENT - TRAY CLOSED / TRAY OPEN
  check_condition(SenseKey::kNotReady, 0x3A, m_tray_open ? 0x02 : 0x01);
}

void AtapiCdrom::serialize(StateIo& io) {
  IdeDevice::serialize(io);
  io(m_tray_open, m_locked, m_media_event, m_unit_attention, m_sense_key, m_asc, m_ascq, m_transfer_mode, m_pio_op,
     m_cdb, m_reply, m_reply_from_media, m_read_lba, m_xfer_length, m_xfer_pos, m_block, m_byte_limit, m_dma);
  bool media = m_media != nullptr;
  const bool expected = media;
  io(media);
  if (media != expected) throw_state_error("ATAPI: the saved machine had a different disc");
  if (m_media) m_media->serialize(io);
}

}  // namespace tern
