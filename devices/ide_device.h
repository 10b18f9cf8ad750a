// One device on an IDE (ATA) channel: the register block the host sees, the PIO data phases
// and the device side of bus-master DMA, shared by the ATA disk and the ATAPI CD-ROM, which
// add their command sets on top.
//
// Terms (ATA/ATAPI-6, T13/1410D): each device keeps its own copy of the command block registers;
// the channel writes every register write to both devices (the Command register only reaches
// the selected one) and reads come from the selected device. "HOB" is the second, older byte
// each 48-bit register holds (§6.20): every write pushes the current byte into it. A command
// ends with the device asserting INTRQ; reading Status acknowledges it.
//
// Data phases: a PIO data-in phase puts a DRQ block in the buffer and sets DRQ; the host reads
// it through the Data register, and when the block is drained the device's pio_block_done()
// decides what follows. Data-out is the mirror image. A DMA phase has the device request a
// transfer of a number of bytes; the bus master moves them through run_dma().
#pragma once

#include <vector>

#include "base/types.h"

namespace tern {

class StateIo;

// Status register bits (§7.15.6).
namespace ata_status {
inline constexpr u8 kBsy = 0x80;
inline constexpr u8 kDrdy = 0x40;
inline constexpr u8 kDf = 0x20;
inline constexpr u8 kDsc = 0x10;
inline constexpr u8 kDrq = 0x08;
inline constexpr u8 kErr = 0x01;
}  // namespace ata_status

// Error register bits (§7.9).
namespace ata_error {
inline constexpr u8 kUnc = 0x40;
inline constexpr u8 kIdnf = 0x10;
inline constexpr u8 kAbrt = 0x04;
}  // namespace ata_error

// Device register bits.
namespace ata_device {
inline constexpr u8 kLba = 0x40;
inline constexpr u8 kDev = 0x10;
}  // namespace ata_device

// What sits at a position of the channel (recorded in save states).
enum class IdeDeviceKind : u8 { kAta = 1, kAtapi = 2, kAbsent = 3 };

// Command block register offsets; reads of kFeature and kCommand return Error and Status.
enum class AtaReg : u8 { kData, kFeature, kSectorCount, kLbaLow, kLbaMid, kLbaHigh, kDevice, kCommand };

struct AtaTaskFile {
  u8 feature = 0, hob_feature = 0;
  u8 sector_count = 0, hob_sector_count = 0;
  u8 lba_low = 0, hob_lba_low = 0;
  u8 lba_mid = 0, hob_lba_mid = 0;
  u8 lba_high = 0, hob_lba_high = 0;
  u8 device = 0;
  u8 status = 0;
  u8 error = 0;

  // The 28-bit LBA (device register bits 3-0 on top) and the 48-bit LBA (HOB bytes on top).
  u64 lba28() const;
  u64 lba48() const;
  void set_lba28(u64 lba);
  void set_lba48(u64 lba);
  void serialize(StateIo& io);
};

// The device's view of the bus master: copies bytes along the PRD table.
class IdeDmaPort {
 public:
  virtual ~IdeDmaPort() = default;
  // Moves up to `count` bytes; returns how many moved. Fewer means the PRD table ended or
  // pointed outside RAM: the bus master has stopped and the device waits with its request.
  virtual size_t to_memory(const u8* src, size_t count) = 0;
  virtual size_t from_memory(u8* dst, size_t count) = 0;
};

class IdeDevice {
 public:
  virtual ~IdeDevice() = default;
  IdeDevice(const IdeDevice&) = delete;
  IdeDevice& operator=(const IdeDevice&) = delete;

  // Register writes the channel passes to every device, and reads from the selected one.
  void write_register(AtaReg reg, u8 value);
  u8 read_register(AtaReg reg, bool hob) const;
  // A command written while this device is selected.
  void write_command(u8 command);
  u32 read_data(unsigned size);
  void write_data(u32 value, unsigned size);

  // INTRQ as this device drives it; reading Status (not Alternate Status) acknowledges it.
  bool intrq() const { return m_intrq; }
  void acknowledge_interrupt() { m_intrq = false; }

  // Software reset through the Device Control register's SRST bit: asserting it aborts any
  // command and sets BSY; releasing it completes the reset (signature, diagnostics passed).
  void set_srst(bool asserted);
  // Hardware reset (power-on, RESET-).
  void hardware_reset();

  // Bus-master DMA: whether a DMA data phase is waiting for the bus master, and the transfer.
  bool dma_requested() const { return m_phase == Phase::kDma; }
  void run_dma(IdeDmaPort& port);

  // Where the device sits: device 1 (slave) or 0, and whether the other device is present
  // (reported in IDENTIFY word 93, the result of the reset handshake).
  void set_position(bool device1, bool other_present);
  bool is_device1() const { return m_device1; }

  virtual IdeDeviceKind kind() const = 0;

  virtual void serialize(StateIo& io);

 protected:
  enum class Phase : u8 { kIdle, kPioIn, kPioOut, kDma };

  IdeDevice();

  // The command set. Called with the task file holding the command's inputs.
  virtual void execute(u8 command) = 0;
  // A PIO DRQ block has been completely read (data-in) or written (data-out; in m_buffer).
  virtual void pio_block_done() = 0;
  // DMA data: bytes [pos, pos + count) of the current transfer.
  virtual bool dma_fetch(u64 pos, u8* dst, size_t count) = 0;
  virtual bool dma_store(u64 pos, const u8* src, size_t count) = 0;
  // The whole DMA transfer has moved (ok) or the device failed to produce or store data.
  virtual void dma_finished(bool ok) = 0;
  // Loads the reset signature into the task file and sets the post-reset status.
  virtual void load_signature() = 0;
  // Device-specific state to restore on reset (feature settings persist through SRST).
  virtual void reset_device(bool hardware) { (void)hardware; }

  // Data phases and command endings for the command set.
  void begin_pio_in(u32 length);
  void begin_pio_out(u32 length, bool interrupt);
  void begin_dma(u64 length, bool to_device);
  // Ends the command successfully with `status` (no BSY/DRQ) and INTRQ.
  void complete(u8 status);
  // Ends the command with ERR, `error` in the Error register, and INTRQ.
  void fail_command(u8 error, u8 status);

  u8* buffer() { return m_buffer.data(); }
  u32 buffer_length() const { return m_buffer_len; }
  Phase phase() const { return m_phase; }
  void raise_intrq() { m_intrq = true; }

  // The largest PIO block and DMA chunk the device handles at once.
  static constexpr u32 kBufferSize = 0x10000;

  AtaTaskFile m_tf;
  bool m_device1 = false;
  bool m_other_present = false;

 private:
  void end_data_phase();

  Phase m_phase = Phase::kIdle;
  std::vector<u8> m_buffer;
  u32 m_buffer_pos = 0;
  u32 m_buffer_len = 0;
  u64 m_dma_pos = 0;
  u64 m_dma_length = 0;
  bool m_dma_to_device = false;
  bool m_intrq = false;
  bool m_in_reset = false;
};

}  // namespace tern
