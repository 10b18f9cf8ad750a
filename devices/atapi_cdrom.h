// An ATAPI CD/DVD-ROM drive (ATA/ATAPI-6 §9.10 PACKET protocol; SCSI MMC-3 and SPC-3 for the
// packet commands): IDENTIFY PACKET DEVICE, the 12-byte command packet, data-in phases by PIO
// (split by the host's byte count limit) or bus-master DMA, sense data, unit attention after
// a medium change, and a tray the guest can lock, open and close.
//
// The packet commands are those SeaBIOS, GRUB, isolinux and Linux's sr driver issue; every
// other command, an out-of-range address or a malformed field ends in CHECK CONDITION with the
// sense key and additional sense code MMC names, which the guest reads with REQUEST SENSE.
// This file holds the ATA side and the data phases; atapi_packets.cc holds the packet commands.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "devices/disk_image.h"
#include "devices/ide_device.h"

namespace tern {

class AtapiCdrom final : public IdeDevice {
 public:
  static constexpr u32 kSectorSize = 2048;

  // Sense keys (SPC-3 §4.5.6).
  enum class SenseKey : u8 { kNoSense = 0, kNotReady = 2, kMediumError = 3, kIllegalRequest = 5, kUnitAttention = 6 };

  // `media` may be null: an empty drive.
  AtapiCdrom(std::unique_ptr<DiskImage> media, std::string serial);

  bool has_media() const { return m_media && !m_tray_open; }
  bool tray_open() const { return m_tray_open; }
  bool locked() const { return m_locked; }
  // Puts a disc in and closes the tray (the guest sees a new-media event and unit attention).
  void insert_media(std::unique_ptr<DiskImage> media);

  IdeDeviceKind kind() const override { return IdeDeviceKind::kAtapi; }
  void serialize(StateIo& io) override;

 protected:
  void execute(u8 command) override;
  void pio_block_done() override;
  bool dma_fetch(u64 pos, u8* dst, size_t count) override;
  bool dma_store(u64 pos, const u8* src, size_t count) override;
  void dma_finished(bool ok) override;
  void load_signature() override;
  void reset_device(bool hardware) override;

 private:
  enum class PioOp : u8 { kNone, kIdentify, kPacket, kDataIn };
  struct PacketCommand {
    u8 opcode;
    void (AtapiCdrom::*run)();
    bool needs_media;      // NOT READY without a disc
    bool unit_attention;   // reports a pending unit attention instead of running
  };

  // ATA side (atapi_cdrom.cc).
  void identify();
  void start_packet();
  void set_features();
  void abort_with_signature();

  // Packet dispatch and endings (atapi_cdrom.cc).
  void run_packet();
  void reply(size_t length, size_t allocation_length);
  void reply_sectors(u64 lba, u64 count);
  void start_data_in(u64 length);
  void send_pio_block();
  void good();
  void check_condition(SenseKey key, u8 asc, u8 ascq);
  void not_ready();
  void invalid_field() { check_condition(SenseKey::kIllegalRequest, 0x24, 0x00); }
  bool fetch(u64 pos, u8* dst, size_t count);
  u64 media_sectors() const { return m_media ? m_media->sector_count(kSectorSize) : 0; }
  bool is_dvd() const;
  void media_changed();

  // Packet commands (atapi_packets.cc).
  static const PacketCommand* find_packet_command(u8 opcode);
  void cmd_test_unit_ready();
  void cmd_request_sense();
  void cmd_inquiry();
  void cmd_mode_sense();
  void cmd_start_stop_unit();
  void cmd_prevent_allow();
  void cmd_read_capacity();
  void cmd_read();
  void cmd_read_cd();
  void cmd_seek();
  void cmd_read_toc();
  void cmd_get_configuration();
  void cmd_get_event_status();
  void cmd_read_disc_information();
  void cmd_mechanism_status();
  void cmd_set_cd_speed();
  size_t mode_pages(u8 page, bool changeable, u8* out) const;
  size_t toc_formatted(bool msf, u8 track, u8* out) const;
  size_t toc_raw(u8* out) const;
  size_t configuration_features(u8 rt, u16 start, u8* out) const;

  std::unique_ptr<DiskImage> m_media;
  std::string m_serial;

  // Drive state the guest changes.
  bool m_tray_open = false;
  bool m_locked = false;
  u8 m_media_event = 0;      // GET EVENT STATUS media event code still to report
  u8 m_unit_attention = 0;   // additional sense code of a pending unit attention, or 0
  SenseKey m_sense_key = SenseKey::kNoSense;
  u8 m_asc = 0;
  u8 m_ascq = 0;
  u8 m_transfer_mode = 0x22;

  // The packet command in progress.
  PioOp m_pio_op = PioOp::kNone;
  std::array<u8, 12> m_cdb{};
  std::array<u8, 256> m_reply{};
  bool m_reply_from_media = false;
  u64 m_read_lba = 0;
  u64 m_xfer_length = 0;
  u64 m_xfer_pos = 0;
  u32 m_block = 0;
  u16 m_byte_limit = 0;
  bool m_dma = false;
};

}  // namespace tern
