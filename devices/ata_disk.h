// An ATA hard disk (ATA/ATAPI-6, T13/1410D) on an IDE channel: IDENTIFY DEVICE, 28- and 48-bit
// LBA and CHS addressing, PIO single-sector and multiple-sector transfers, bus-master DMA, READ
// VERIFY, SET FEATURES, INITIALIZE DEVICE PARAMETERS, FLUSH CACHE and the power commands.
//
// A guest request outside the image, or one the disk cannot honour, ends the command with ERR
// and the ATA error bit the standard names (IDNF, ABRT, UNC); nothing a guest writes reaches
// the host beyond the image's bounds.
#pragma once

#include <memory>
#include <string>

#include "devices/disk_image.h"
#include "devices/ide_device.h"

namespace tern {

class AtaDisk final : public IdeDevice {
 public:
  // `serial` distinguishes drives in IDENTIFY (e.g. "TERN-HD0").
  AtaDisk(std::unique_ptr<DiskImage> image, std::string serial);

  DiskImage& image() { return *m_image; }
  u64 sectors() const { return m_sectors; }

  // The default CHS translation (IDENTIFY words 1, 3, 6).
  struct Geometry {
    u16 cylinders = 0;
    u8 heads = 0;
    u8 sectors = 0;
    void serialize(StateIo& io);
  };
  Geometry default_geometry() const { return m_default; }

  IdeDeviceKind kind() const override { return IdeDeviceKind::kAta; }
  void serialize(StateIo& io) override;

  // Multiple-sector transfers: the largest DRQ block READ/WRITE MULTIPLE may use (word 47).
  static constexpr u8 kMaxMultiple = 16;

 protected:
  void execute(u8 command) override;
  void pio_block_done() override;
  bool dma_fetch(u64 pos, u8* dst, size_t count) override;
  bool dma_store(u64 pos, const u8* src, size_t count) override;
  void dma_finished(bool ok) override;
  void load_signature() override;
  void reset_device(bool hardware) override;

 private:
  enum class Transfer : u8 { kPio, kPioMultiple, kDma, kVerify };
  struct RwCommand {
    u8 code;
    Transfer transfer;
    bool write;
    bool lba48;
  };
  // What the current PIO data phase is for.
  enum class PioOp : u8 { kNone, kIdentify, kRead, kWrite };

  static const RwCommand* find_rw_command(u8 code);
  void start_rw(const RwCommand& cmd);
  bool command_lba(u64& lba) const;
  void set_position(u64 lba);
  u32 next_block_sectors() const;
  void read_next_block();
  void write_block_done();
  void identify();
  void set_features();
  void initialize_device_parameters();
  void set_multiple_mode();
  void finish_ok() { complete(ata_status::kDrdy | ata_status::kDsc); }
  void abort() { fail_command(ata_error::kAbrt, ata_status::kDrdy | ata_status::kDsc); }

  std::unique_ptr<DiskImage> m_image;
  std::string m_serial;
  u64 m_sectors;
  Geometry m_default;

  // Settings the host changes (they survive a software reset, ATA-6 §6.2.1).
  Geometry m_current;
  u8 m_multiple = 0;               // sectors per DRQ block of READ/WRITE MULTIPLE; 0 = disabled
  u8 m_transfer_mode = 0x22;       // SET FEATURES 03h value: MWDMA mode 2
  bool m_write_cache = true;
  bool m_look_ahead = true;
  bool m_standby = false;

  // The command in progress.
  PioOp m_pio_op = PioOp::kNone;
  u64 m_lba = 0;                  // next sector to transfer
  u64 m_remaining = 0;            // sectors left
  u32 m_block = 0;                // sectors in the current DRQ block
  u64 m_dma_lba = 0;              // first sector of the DMA transfer
  u64 m_dma_sectors = 0;
  bool m_chs = false;             // the command addressed the disk by CHS
  bool m_lba48 = false;
  bool m_multiple_cmd = false;
  bool m_dma_write = false;
};

}  // namespace tern
