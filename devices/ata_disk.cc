#include "devices/ata_disk.h"

#include <algorithm>
#include <array>

#include "base/bits.h"
#include "base/log.h"
#include "base/state.h"
#include "devices/ata_identify.h"

namespace tern {

namespace {

constexpr u32 kSectorSize = 512;

// Command opcodes (ATA/ATAPI-6 §8).
enum : u8 {
  kNop = 0x00,
  kRecalibrate = 0x10,  // 10h-1Fh
  kSeek = 0x70,
  kExecuteDeviceDiagnostic = 0x90,
  kInitializeDeviceParameters = 0x91,
  kStandbyImmediateOld = 0x94,
  kIdleImmediateOld = 0x95,
  kStandbyOld = 0x96,
  kIdleOld = 0x97,
  kCheckPowerModeOld = 0x98,
  kSleepOld = 0x99,
  kSetMultipleMode = 0xC6,
  kStandbyImmediate = 0xE0,
  kIdleImmediate = 0xE1,
  kStandby = 0xE2,
  kIdle = 0xE3,
  kCheckPowerMode = 0xE5,
  kSleep = 0xE6,
  kFlushCache = 0xE7,
  kFlushCacheExt = 0xEA,
  kIdentifyDevice = 0xEC,
  kSetFeatures = 0xEF,
};

}  // namespace

const AtaDisk::RwCommand* AtaDisk::find_rw_command(u8 code) {
  // The read/write/verify family: one row per opcode (§8: READ SECTORS 20h ... WRITE DMA EXT 35h).
  static constexpr std::array<RwCommand, 18> kRwCommands = {{
      {0x20, Transfer::kPio, false, false},         {0x21, Transfer::kPio, false, false},
      {0x24, Transfer::kPio, false, true},          {0xC4, Transfer::kPioMultiple, false, false},
      {0x29, Transfer::kPioMultiple, false, true},  {0xC8, Transfer::kDma, false, false},
      {0xC9, Transfer::kDma, false, false},         {0x25, Transfer::kDma, false, true},
      {0x30, Transfer::kPio, true, false},          {0x31, Transfer::kPio, true, false},
      {0x34, Transfer::kPio, true, true},           {0xC5, Transfer::kPioMultiple, true, false},
      {0x39, Transfer::kPioMultiple, true, true},   {0xCA, Transfer::kDma, true, false},
      {0xCB, Transfer::kDma, true, false},          {0x35, Transfer::kDma, true, true},
      {0x40, Transfer::kVerify, false, false},      {0x42, Transfer::kVerify, false, true},
  }};
  for (const RwCommand& c : kRwCommands) {
    if (c.code == code) return &c;
  }
  if (code == 0x41) return &kRwCommands[16];  // READ VERIFY SECTORS without retries
  return nullptr;
}

AtaDisk::AtaDisk(std::unique_ptr<DiskImage> image, std::string serial)
    : m_image(std::move(image)), m_serial(std::move(serial)), m_sectors(m_image->sector_count(kSectorSize)) {
  // The usual translation: 16 heads of 63 sectors, capped at 16383 cylinders (ATA-6 §6.2.1);
  // tiny images get as many heads and sectors as they fill.
  const u64 spt = std::min<u64>(63, m_sectors);
  const u64 heads = std::clamp<u64>(m_sectors / std::max<u64>(spt, 1), 1, 16);
  m_default.sectors = static_cast<u8>(std::max<u64>(spt, 1));
  m_default.heads = static_cast<u8>(heads);
  m_default.cylinders = static_cast<u16>(std::clamp<u64>(m_sectors / (heads * m_default.sectors), 1, 16383));
  m_current = m_default;
  hardware_reset();
}

void AtaDisk::load_signature() {
  // §9.12: the ATA signature, diagnostic code 01h (no error).
  m_tf.sector_count = 1;
  m_tf.lba_low = 1;
  m_tf.lba_mid = 0;
  m_tf.lba_high = 0;
  m_tf.device = 0;
  m_tf.error = 0x01;
  m_tf.status = ata_status::kDrdy | ata_status::kDsc;
}

void AtaDisk::reset_device(bool hardware) {
  m_pio_op = PioOp::kNone;
  m_standby = false;
  if (hardware) {
    m_current = m_default;
    m_multiple = 0;
    m_transfer_mode = 0x22;
    m_write_cache = true;
    m_look_ahead = true;
  }
}

void AtaDisk::execute(u8 command) {
  if (const RwCommand* rw = find_rw_command(command)) {
    m_standby = false;
    start_rw(*rw);
    return;
  }
  if ((command & 0xF0) == kRecalibrate) {
    finish_ok();
    return;
  }
  switch (command) {
    case kIdentifyDevice: identify(); return;
    case kSetFeatures: set_features(); return;
    case kInitializeDeviceParameters: initialize_device_parameters(); return;
    case kSetMultipleMode: set_multiple_mode(); return;
    case kSeek: finish_ok(); return;
    case kExecuteDeviceDiagnostic:
      load_signature();
      raise_intrq();
      return;
    case kFlushCache:
    case kFlushCacheExt:
      if (m_image->flush()) finish_ok();
      else fail_command(ata_error::kAbrt, ata_status::kDrdy | ata_status::kDf | ata_status::kDsc);
      return;
    case kIdleImmediate: case kIdle: case kIdleImmediateOld: case kIdleOld:
      m_standby = false;
      finish_ok();
      return;
    case kStandbyImmediate: case kStandby: case kSleep:
    case kStandbyImmediateOld: case kStandbyOld: case kSleepOld:
      m_standby = true;
      finish_ok();
      return;
    case kCheckPowerMode: case kCheckPowerModeOld:
      m_tf.sector_count = m_standby ? 0x00 : 0xFF;
      finish_ok();
      return;
    case kNop:  // NOP always aborts (§8.19)
    default:
      log_debug(LogCat::kIde, "ATA disk: command {:02x} aborted", command);
      abort();
      return;
  }
}

// The starting sector of a read/write command, from LBA or CHS registers; false (IDNF) when a
// CHS address lies outside the current translation.
bool AtaDisk::command_lba(u64& lba) const {
  if (m_lba48) {
    lba = m_tf.lba48();
    return true;
  }
  if (m_tf.device & ata_device::kLba) {
    lba = m_tf.lba28();
    return true;
  }
  const u32 cylinder = u32{m_tf.lba_mid} | (u32{m_tf.lba_high} << 8);
  const u32 head = m_tf.device & 0x0F;
  const u32 sector = m_tf.lba_low;
  if (m_current.sectors == 0 || sector == 0 || sector > m_current.sectors || head >= m_current.heads) return false;
  lba = (u64{cylinder} * m_current.heads + head) * m_current.sectors + sector - 1;
  return true;
}

// Leaves the address of the last sector transferred in the registers, in the command's form.
void AtaDisk::set_position(u64 lba) {
  if (m_lba48) {
    m_tf.set_lba48(lba);
  } else if (!m_chs) {
    m_tf.set_lba28(lba);
  } else if (m_current.sectors != 0) {
    const u64 track = lba / m_current.sectors;
    const u64 cylinder = track / m_current.heads;
    m_tf.lba_low = static_cast<u8>(lba % m_current.sectors + 1);
    m_tf.lba_mid = static_cast<u8>(cylinder);
    m_tf.lba_high = static_cast<u8>(cylinder >> 8);
    m_tf.device = static_cast<u8>((m_tf.device & 0xF0) | (track % m_current.heads));
  }
}

void AtaDisk::start_rw(const RwCommand& cmd) {
  m_lba48 = cmd.lba48;
  m_chs = !cmd.lba48 && !(m_tf.device & ata_device::kLba);
  m_multiple_cmd = cmd.transfer == Transfer::kPioMultiple;
  if (m_multiple_cmd && m_multiple == 0) {
    abort();  // READ/WRITE MULTIPLE before SET MULTIPLE MODE (§8.25)
    return;
  }
  // A count of 0 means 256 sectors (65536 with 48-bit commands).
  u64 count = cmd.lba48 ? (u64{m_tf.hob_sector_count} << 8 | m_tf.sector_count) : m_tf.sector_count;
  if (count == 0) count = cmd.lba48 ? 65536 : 256;
  u64 lba = 0;
  if (!command_lba(lba) || !m_image->in_range(lba, count, kSectorSize)) {
    log_debug(LogCat::kIde, "ATA disk: sectors {}+{} outside the disk ({} sectors)", lba, count, m_sectors);
    fail_command(ata_error::kIdnf, ata_status::kDrdy | ata_status::kDsc);
    return;
  }
  m_lba = lba;
  m_remaining = count;
  switch (cmd.transfer) {
    case Transfer::kVerify:
      set_position(lba + count - 1);
      finish_ok();
      return;
    case Transfer::kDma:
      m_dma_lba = lba;
      m_dma_sectors = count;
      m_dma_write = cmd.write;
      begin_dma(count * kSectorSize, cmd.write);
      return;
    case Transfer::kPio:
    case Transfer::kPioMultiple:
      break;
  }
  if (cmd.write) {
    m_pio_op = PioOp::kWrite;
    m_block = next_block_sectors();
    // The first DRQ block of a PIO write comes without an interrupt (§9.8).
    begin_pio_out(m_block * kSectorSize, false);
  } else {
    m_pio_op = PioOp::kRead;
    read_next_block();
  }
}

u32 AtaDisk::next_block_sectors() const {
  const u64 per_block = m_multiple_cmd ? m_multiple : 1;
  return static_cast<u32>(std::min<u64>(per_block, m_remaining));
}

void AtaDisk::read_next_block() {
  m_block = next_block_sectors();
  if (!m_image->read_sectors(m_lba, m_block, kSectorSize, buffer())) {
    set_position(m_lba);
    m_pio_op = PioOp::kNone;
    fail_command(ata_error::kUnc, ata_status::kDrdy | ata_status::kDsc);
    return;
  }
  set_position(m_lba + m_block - 1);
  begin_pio_in(m_block * kSectorSize);
}

void AtaDisk::write_block_done() {
  if (!m_image->write_sectors(m_lba, m_block, kSectorSize, buffer())) {
    set_position(m_lba);
    m_pio_op = PioOp::kNone;
    abort();
    return;
  }
  set_position(m_lba + m_block - 1);
  m_lba += m_block;
  m_remaining -= m_block;
  if (m_remaining == 0) {
    m_pio_op = PioOp::kNone;
    finish_ok();
    return;
  }
  m_block = next_block_sectors();
  begin_pio_out(m_block * kSectorSize, true);
}

void AtaDisk::pio_block_done() {
  switch (m_pio_op) {
    case PioOp::kIdentify:
      m_pio_op = PioOp::kNone;
      m_tf.status = ata_status::kDrdy | ata_status::kDsc;
      return;
    case PioOp::kRead:
      m_lba += m_block;
      m_remaining -= m_block;
      if (m_remaining == 0) {
        // The last block of a PIO read ends the command without a further interrupt.
        m_pio_op = PioOp::kNone;
        m_tf.status = ata_status::kDrdy | ata_status::kDsc;
        return;
      }
      read_next_block();
      return;
    case PioOp::kWrite: write_block_done(); return;
    case PioOp::kNone: return;
  }
}

bool AtaDisk::dma_fetch(u64 pos, u8* dst, size_t count) {
  return m_image->read(m_dma_lba * kSectorSize + pos, dst, count);
}

bool AtaDisk::dma_store(u64 pos, const u8* src, size_t count) {
  return m_image->write(m_dma_lba * kSectorSize + pos, src, count);
}

void AtaDisk::dma_finished(bool ok) {
  if (!ok) {
    fail_command(m_dma_write ? ata_error::kAbrt : ata_error::kUnc, ata_status::kDrdy | ata_status::kDsc);
    return;
  }
  set_position(m_dma_lba + m_dma_sectors - 1);
  finish_ok();
}

void AtaDisk::identify() {
  IdentifyData id;
  id.set_word(0, 0x0040);  // fixed device, not removable
  id.set_word(1, m_default.cylinders);
  id.set_word(3, m_default.heads);
  id.set_word(6, m_default.sectors);
  id.set_string(10, 20, m_serial);
  id.set_word(20, 3);      // obsolete buffer type: dual-ported read cache (old DOS drivers read it)
  id.set_word(21, 512);    // obsolete buffer size in sectors
  id.set_word(22, 4);      // obsolete ECC bytes on READ/WRITE LONG
  id.set_string(23, 8, kIdeFirmwareRevision);
  id.set_string(27, 40, "TERN HARDDISK");
  id.set_word(47, 0x8000 | kMaxMultiple);
  id.set_word(49, (1 << 11) | (1 << 9) | (1 << 8));  // IORDY, LBA, DMA
  id.set_word(50, 0x4000);
  id.set_word(51, 0x0200);  // obsolete PIO timing mode 2
  id.set_word(53, 0x0007);  // words 54-58, 64-70 and 88 valid
  id.set_word(54, m_current.cylinders);
  id.set_word(55, m_current.heads);
  id.set_word(56, m_current.sectors);
  id.set_dword(57, static_cast<u32>(u32{m_current.cylinders} * m_current.heads * m_current.sectors));
  id.set_word(59, m_multiple ? 0x0100 | m_multiple : 0);
  id.set_dword(60, static_cast<u32>(std::min<u64>(m_sectors, 0x0FFFFFFF)));
  id.set_transfer_modes(m_transfer_mode);
  id.set_word(80, 0x007E);  // ATA/ATAPI-1 through -6
  id.set_word(82, (1 << 14) | (1 << 6) | (1 << 5) | (1 << 3));  // NOP, look-ahead, write cache, PM
  id.set_word(83, 0x4000 | (1 << 13) | (1 << 12) | (1 << 10));  // FLUSH CACHE (EXT), 48-bit
  id.set_word(84, 0x4000);
  id.set_word(85, (1 << 14) | (m_look_ahead ? 1 << 6 : 0) | (m_write_cache ? 1 << 5 : 0) | (1 << 3));
  id.set_word(86, (1 << 13) | (1 << 12) | (1 << 10));
  id.set_word(87, 0x4000);
  id.set_reset_result(m_device1, m_other_present);
  id.set_qword(100, m_sectors);
  id.finish(buffer());
  m_pio_op = PioOp::kIdentify;
  begin_pio_in(kSectorSize);
}

void AtaDisk::set_features() {
  switch (m_tf.feature) {
    case 0x03:  // set transfer mode (§8.37.10)
      if (!identify_transfer_mode_valid(m_tf.sector_count)) {
        abort();
        return;
      }
      m_transfer_mode = m_tf.sector_count;
      break;
    case 0x02: m_write_cache = true; break;
    case 0x82: m_write_cache = false; break;
    case 0xAA: m_look_ahead = true; break;
    case 0x55: m_look_ahead = false; break;
    case 0x66:  // keep / revert to power-on defaults: nothing differs across resets here
    case 0xCC: break;
    default:
      abort();
      return;
  }
  finish_ok();
}

void AtaDisk::initialize_device_parameters() {
  // §8.16: sectors per track from Sector Count, heads from the Device register's low bits.
  m_current.sectors = m_tf.sector_count;
  m_current.heads = static_cast<u8>((m_tf.device & 0x0F) + 1);
  m_current.cylinders = m_current.sectors == 0
                            ? 0
                            : static_cast<u16>(std::min<u64>(65535, m_sectors / (u64{m_current.heads} * m_current.sectors)));
  finish_ok();
}

void AtaDisk::set_multiple_mode() {
  const u8 count = m_tf.sector_count;
  if (count == 0) {
    m_multiple = 0;
  } else if (count <= kMaxMultiple && (count & (count - 1)) == 0) {
    m_multiple = count;
  } else {
    abort();
    return;
  }
  finish_ok();
}

void AtaDisk::Geometry::serialize(StateIo& io) { io(cylinders, heads, sectors); }

void AtaDisk::serialize(StateIo& io) {
  IdeDevice::serialize(io);
  io(m_current, m_multiple, m_transfer_mode, m_write_cache, m_look_ahead, m_standby, m_pio_op, m_lba, m_remaining,
     m_block, m_dma_lba, m_dma_sectors, m_chs, m_lba48, m_multiple_cmd, m_dma_write);
  m_image->serialize(io);
}

}  // namespace tern
