#include "devices/ide_device.h"

#include <algorithm>

#include "base/bits.h"
#include "base/state.h"

namespace tern {

u64 AtaTaskFile::lba28() const {
  return (u64{device & 0x0Fu} << 24) | (u64{lba_high} << 16) | (u64{lba_mid} << 8) | lba_low;
}

u64 AtaTaskFile::lba48() const {
  return (u64{hob_lba_high} << 40) | (u64{hob_lba_mid} << 32) | (u64{hob_lba_low} << 24) | (u64{lba_high} << 16) |
         (u64{lba_mid} << 8) | lba_low;
}

void AtaTaskFile::set_lba28(u64 lba) {
  lba_low = static_cast<u8>(lba);
  lba_mid = static_cast<u8>(lba >> 8);
  lba_high = static_cast<u8>(lba >> 16);
  device = static_cast<u8>((device & 0xF0) | ((lba >> 24) & 0x0F));
}

void AtaTaskFile::set_lba48(u64 lba) {
  lba_low = static_cast<u8>(lba);
  lba_mid = static_cast<u8>(lba >> 8);
  lba_high = static_cast<u8>(lba >> 16);
  hob_lba_low = static_cast<u8>(lba >> 24);
  hob_lba_mid = static_cast<u8>(lba >> 32);
  hob_lba_high = static_cast<u8>(lba >> 40);
}

void AtaTaskFile::serialize(StateIo& io) {
  io(feature, hob_feature, sector_count, hob_sector_count, lba_low, hob_lba_low, lba_mid, hob_lba_mid, lba_high,
     hob_lba_high, device, status, error);
}

IdeDevice::IdeDevice() : m_buffer(kBufferSize) {}

void IdeDevice::set_position(bool device1, bool other_present) {
  m_device1 = device1;
  m_other_present = other_present;
}

void IdeDevice::write_register(AtaReg reg, u8 value) {
  // §6.20: each write to a 48-bit register pushes the previous byte into its HOB half.
  auto push = [value](u8& cur, u8& hob) {
    hob = cur;
    cur = value;
  };
  switch (reg) {
    case AtaReg::kFeature: push(m_tf.feature, m_tf.hob_feature); break;
    case AtaReg::kSectorCount: push(m_tf.sector_count, m_tf.hob_sector_count); break;
    case AtaReg::kLbaLow: push(m_tf.lba_low, m_tf.hob_lba_low); break;
    case AtaReg::kLbaMid: push(m_tf.lba_mid, m_tf.hob_lba_mid); break;
    case AtaReg::kLbaHigh: push(m_tf.lba_high, m_tf.hob_lba_high); break;
    case AtaReg::kDevice: m_tf.device = value; break;
    case AtaReg::kData:
    case AtaReg::kCommand: break;
  }
}

u8 IdeDevice::read_register(AtaReg reg, bool hob) const {
  switch (reg) {
    case AtaReg::kFeature: return m_tf.error;
    case AtaReg::kSectorCount: return hob ? m_tf.hob_sector_count : m_tf.sector_count;
    case AtaReg::kLbaLow: return hob ? m_tf.hob_lba_low : m_tf.lba_low;
    case AtaReg::kLbaMid: return hob ? m_tf.hob_lba_mid : m_tf.lba_mid;
    case AtaReg::kLbaHigh: return hob ? m_tf.hob_lba_high : m_tf.lba_high;
    case AtaReg::kDevice: return m_tf.device;
    case AtaReg::kCommand: return m_in_reset ? ata_status::kBsy : m_tf.status;
    case AtaReg::kData: break;
  }
  return 0xFF;
}

void IdeDevice::write_command(u8 command) {
  if (m_in_reset) return;
  // A new command abandons any data phase in progress; writing Command clears INTRQ (§5.2.9).
  m_phase = Phase::kIdle;
  m_intrq = false;
  m_tf.status = static_cast<u8>(m_tf.status & ~(ata_status::kDrq | ata_status::kErr));
  execute(command);
}

u32 IdeDevice::read_data(unsigned size) {
  if (m_phase != Phase::kPioIn) return static_cast<u32>(low_mask(size * 8));
  const u32 n = std::min<u32>(size, m_buffer_len - m_buffer_pos);
  u32 value = 0;
  for (u32 i = 0; i < n; ++i) value |= u32{m_buffer[m_buffer_pos + i]} << (8 * i);
  m_buffer_pos += n;
  if (m_buffer_pos == m_buffer_len) {
    end_data_phase();
    pio_block_done();
  }
  return value;
}

void IdeDevice::write_data(u32 value, unsigned size) {
  if (m_phase != Phase::kPioOut) return;
  const u32 n = std::min<u32>(size, m_buffer_len - m_buffer_pos);
  for (u32 i = 0; i < n; ++i) m_buffer[m_buffer_pos + i] = static_cast<u8>(value >> (8 * i));
  m_buffer_pos += n;
  if (m_buffer_pos == m_buffer_len) {
    end_data_phase();
    pio_block_done();
  }
}

void IdeDevice::end_data_phase() {
  m_phase = Phase::kIdle;
  m_tf.status = static_cast<u8>(m_tf.status & ~ata_status::kDrq);
}

void IdeDevice::begin_pio_in(u32 length) {
  m_phase = Phase::kPioIn;
  m_buffer_pos = 0;
  m_buffer_len = length;
  m_tf.status = static_cast<u8>((m_tf.status & ~(ata_status::kBsy | ata_status::kErr)) | ata_status::kDrq);
  m_intrq = true;
}

void IdeDevice::begin_pio_out(u32 length, bool interrupt) {
  m_phase = Phase::kPioOut;
  m_buffer_pos = 0;
  m_buffer_len = length;
  m_tf.status = static_cast<u8>((m_tf.status & ~(ata_status::kBsy | ata_status::kErr)) | ata_status::kDrq);
  if (interrupt) m_intrq = true;
}

void IdeDevice::begin_dma(u64 length, bool to_device) {
  m_phase = Phase::kDma;
  m_dma_pos = 0;
  m_dma_length = length;
  m_dma_to_device = to_device;
  // The device requests the transfer (DMARQ) and shows DRQ until it is done.
  m_tf.status = static_cast<u8>((m_tf.status & ~(ata_status::kBsy | ata_status::kErr)) | ata_status::kDrq);
}

void IdeDevice::run_dma(IdeDmaPort& port) {
  while (m_phase == Phase::kDma && m_dma_pos < m_dma_length) {
    const size_t want = static_cast<size_t>(std::min<u64>(kBufferSize, m_dma_length - m_dma_pos));
    size_t moved = 0;
    bool ok = true;
    if (m_dma_to_device) {
      moved = port.from_memory(m_buffer.data(), want);
      ok = dma_store(m_dma_pos, m_buffer.data(), moved);
    } else {
      ok = dma_fetch(m_dma_pos, m_buffer.data(), want);
      if (ok) moved = port.to_memory(m_buffer.data(), want);
    }
    if (!ok) {
      end_data_phase();
      dma_finished(false);
      return;
    }
    m_dma_pos += moved;
    if (moved < want) return;  // the bus master ran out of PRDs: the request stays pending
  }
  if (m_phase != Phase::kDma) return;
  end_data_phase();
  dma_finished(true);
}

void IdeDevice::complete(u8 status) {
  m_phase = Phase::kIdle;
  m_tf.status = static_cast<u8>(status & ~(ata_status::kBsy | ata_status::kDrq | ata_status::kErr));
  m_intrq = true;
}

void IdeDevice::fail_command(u8 error, u8 status) {
  m_phase = Phase::kIdle;
  m_tf.error = error;
  m_tf.status = static_cast<u8>((status & ~(ata_status::kBsy | ata_status::kDrq)) | ata_status::kErr);
  m_intrq = true;
}

void IdeDevice::set_srst(bool asserted) {
  if (asserted) {
    m_in_reset = true;
    m_phase = Phase::kIdle;
    m_intrq = false;
    return;
  }
  if (!m_in_reset) return;
  m_in_reset = false;
  reset_device(false);
  load_signature();
}

void IdeDevice::hardware_reset() {
  m_tf = AtaTaskFile{};
  m_phase = Phase::kIdle;
  m_intrq = false;
  m_in_reset = false;
  reset_device(true);
  load_signature();
}

void IdeDevice::serialize(StateIo& io) {
  io(m_tf, m_phase, m_buffer_pos, m_buffer_len, m_dma_pos, m_dma_length, m_dma_to_device, m_intrq, m_in_reset);
  if (io.loading() && (m_buffer_len > kBufferSize || m_buffer_pos > m_buffer_len))
    throw_state_error("IDE device: bad data buffer position");
  io.bytes(m_buffer.data(), m_buffer_len);
}

}  // namespace tern
