// The Intel 82077AA floppy disk controller in PC/AT mode, with up to two 3.5"/5.25" drives:
// DOR (3F2h), MSR/DSR (3F4h), the data FIFO (3F5h), DIR/CCR (3F7h); IRQ 6 and ISA DMA
// channel 2, both gated by DOR bit 3.
//
// Intel 82077AA datasheet (order 290166): the command/execution/result phases; READ DATA,
// WRITE DATA, READ ID, FORMAT TRACK, SEEK, RECALIBRATE, SENSE INTERRUPT STATUS, SENSE DRIVE
// STATUS, SPECIFY, CONFIGURE, VERSION, DUMPREG, LOCK, PERPENDICULAR MODE; drive polling after
// reset; implied seeks (CONFIGURE EIS); terminal count from the DMA controller ending a
// transfer; the disk change line in DIR bit 7.
//
// Media is a raw image with one of the formats of floppy_geometry.h. The media is recorded at
// its format's data rate: a transfer at another rate (CCR/DSR) finds no address mark, which is
// how BIOSes sense the media type. Seeks and transfers complete at once.
#pragma once

#include <array>
#include <memory>

#include "base/irq.h"
#include "devices/disk_image.h"
#include "devices/floppy_geometry.h"
#include "devices/isa_dma.h"
#include "mmu/io_space.h"

namespace tern {

class StateIo;

class Fdc82077 {
 public:
  static constexpr unsigned kDrives = 2;
  static constexpr u32 kSectorSize = 512;

  // Claims 3F0h-3F5h and 3F7h (3F6h belongs to the primary IDE channel).
  Fdc82077(IoSpace& io, IrqLine irq, IsaDmaChannel& dma);
  Fdc82077(const Fdc82077&) = delete;
  Fdc82077& operator=(const Fdc82077&) = delete;

  // Connects drive `n`, with media (a floppy image) or empty.
  void attach_drive(unsigned n, std::unique_ptr<DiskImage> media);
  bool drive_present(unsigned n) const { return m_drives[n].present; }
  // The media format in drive `n`, or null: what the CMOS drive type is derived from.
  const FloppyGeometry* media_geometry(unsigned n) const { return m_drives[n].geometry; }

  // Register access by offset from 3F0h.
  u8 read_port(u32 offset);
  void write_port(u32 offset, u8 value);

  // Power-on (RESET pin): DOR 00h holds the controller in reset.
  void reset();
  void serialize(StateIo& io);

 private:
  enum class Phase : u8 { kCommand, kExecution, kResult };
  enum class Op : u8 { kNone, kRead, kWrite, kFormat };

  struct Drive {
    bool present = false;
    std::unique_ptr<DiskImage> media;
    const FloppyGeometry* geometry = nullptr;
    u8 cylinder = 0;        // present cylinder number (PCN)
    u8 next_sector = 1;     // the sector passing under the head, for READ ID
    bool disk_changed = false;
    bool seek_pending = false;  // an interrupt status SENSE INTERRUPT STATUS will report
    u8 seek_st0 = 0;
  };

  // The data command in progress (READ DATA, WRITE DATA, FORMAT TRACK).
  struct Transfer {
    Op op = Op::kNone;
    u8 drive = 0;
    u8 head = 0;            // physical head (HDS)
    u8 c = 0, h = 0, r = 0, n = 0, eot = 0;
    bool multi_track = false;
    bool dma = false;
    u16 pos = 0;            // bytes moved in the current sector (or format ID field)
    u8 format_left = 0;     // FORMAT: sectors still to format
    u8 fill = 0;            // FORMAT: filler byte
    void serialize(StateIo& io);
  };

  struct CommandInfo {
    u8 mask;
    u8 value;
    u8 length;  // command bytes, including the first
    void (Fdc82077::*run)();
  };

  // Phases and registers (fdc.cc).
  static const CommandInfo* find_command(u8 first_byte);
  u8 main_status() const;
  void write_fifo(u8 value);
  u8 read_fifo();
  void write_dor(u8 value);
  void soft_reset();
  void result(std::initializer_list<u8> bytes, bool interrupt);
  void set_irq(bool pending);
  void update_irq();
  void update_dreq();
  u8 drive_of(u8 byte) const { return byte & 0x03; }
  u8 head_bit(u8 head) const { return static_cast<u8>(head << 2); }

  // Commands without a data phase (fdc.cc).
  void cmd_specify();
  void cmd_sense_drive_status();
  void cmd_recalibrate();
  void cmd_sense_interrupt_status();
  void cmd_seek();
  void cmd_version();
  void cmd_configure();
  void cmd_dumpreg();
  void cmd_lock();
  void cmd_perpendicular();
  void cmd_invalid();
  void seek_to(unsigned drive, u8 head, u8 cylinder, bool recalibrate);

  // Data commands (fdc_transfer.cc).
  void cmd_read_data();
  void cmd_write_data();
  void cmd_read_id();
  void cmd_format_track();
  bool media_readable(const Drive& d, u8 head, u8& st1) const;
  bool start_data_command(Op op);
  bool load_sector();
  bool store_sector();
  void sector_done(bool terminal_count);
  void next_address(u8& c, u8& h, u8& r) const;
  void format_id_done();
  void finish_transfer(u8 ic, u8 st1, u8 st2);
  void enter_execution();
  void dma_service();
  u8 pio_read_byte();
  void pio_write_byte(u8 value);

  IrqLine m_irq;
  IsaDmaChannel& m_dma;
  std::array<Drive, kDrives> m_drives;

  // Registers and controller state.
  u8 m_dor = 0;
  u8 m_tdr = 0;
  u8 m_rate = 2;            // CCR/DSR data rate select
  u8 m_specify[2] = {0, 0}; // SRT/HUT, HLT/ND
  u8 m_config = 0x20;       // CONFIGURE: EIS(6) EFIFO(5) POLL(4) FIFOTHR(3-0); FIFO off after reset
  u8 m_pretrk = 0;
  u8 m_perpendicular = 0;
  bool m_lock = false;
  bool m_irq_pending = false;
  bool m_irq_level = false;
  u8 m_reset_polls = 0;     // drives whose post-reset "ready changed" status is still unread
  Phase m_phase = Phase::kCommand;
  std::array<u8, 9> m_command{};
  u8 m_command_len = 0;
  u8 m_command_pos = 0;
  std::array<u8, 10> m_result{};
  u8 m_result_len = 0;
  u8 m_result_pos = 0;
  u8 m_last_eot = 0;
  Transfer m_xfer;
  std::array<u8, kSectorSize> m_sector{};
};

}  // namespace tern
