// The PC's pair of Intel 8237A DMA controllers as the PIIX3 integrates them: DMA1 (channels
// 0-3, byte transfers) at ports 00h-0Fh, DMA2 (channels 4-7, word transfers; channel 4 is the
// cascade from DMA1) at C0h-DFh, and the page registers at 80h-8Fh that supply address bits
// 23-16.
//
// Intel 8237A datasheet (order 231466): the base/current address and word count registers
// reached through the byte pointer flip-flop, mode (verify/write/read, auto-initialize,
// address decrement, demand/single/block/cascade), masks, request and status registers, master
// clear. A transfer stops at terminal count (the count register passing 0), which sets the
// channel's TC status bit and, without auto-initialize, masks the channel.
//
// Devices reach their channel through IsaDmaChannel; data moves in the device's handler,
// called while its DREQ is high and the channel may run. Memory goes through the physical map:
// an address outside RAM reads all ones and drops writes.
#pragma once

#include <array>

#include "devices/isa_dma.h"
#include "mmu/io_space.h"

namespace tern {

class PhysMemory;
class StateIo;

class Dma8237 {
 public:
  static constexpr unsigned kChannels = 8;

  // Claims 00h-0Fh, 80h-8Fh and C0h-DFh.
  Dma8237(IoSpace& io, PhysMemory& mem);
  Dma8237(const Dma8237&) = delete;
  Dma8237& operator=(const Dma8237&) = delete;

  IsaDmaChannel& channel(unsigned number) { return m_channels[number]; }

  // Register access by controller (0: DMA1, 1: DMA2) and register index 0-15 (for DMA2 the
  // port offset from C0h divided by two).
  u8 read_register(unsigned controller, unsigned index);
  void write_register(unsigned controller, unsigned index, u8 value);
  u8 read_page(unsigned index) const { return m_pages[index]; }
  void write_page(unsigned index, u8 value) { m_pages[index] = value; }

  // Power-on state: as after a master clear of both controllers.
  void reset();
  void serialize(StateIo& io);

 private:
  // Mode register fields.
  static constexpr u8 kModeTypeMask = 0x0C;
  static constexpr u8 kModeVerify = 0x00;
  static constexpr u8 kModeWrite = 0x04;  // device to memory
  static constexpr u8 kModeRead = 0x08;   // memory to device
  static constexpr u8 kModeAutoInit = 0x10;
  static constexpr u8 kModeDecrement = 0x20;
  static constexpr u8 kModeCascade = 0xC0;

  class Channel final : public IsaDmaChannel {
   public:
    void set_dreq(bool level) override;
    void set_handler(std::function<void()> handler) override { m_handler = std::move(handler); }
    size_t write_memory(const u8* src, size_t count) override;
    size_t read_memory(u8* dst, size_t count) override;
    bool terminal_count() const override { return m_tc; }

    Dma8237* owner = nullptr;
    unsigned number = 0;
    u16 base_address = 0, base_count = 0;
    u16 current_address = 0, current_count = 0;
    u8 mode = 0;
    bool dreq = false;

    void serialize(StateIo& io);

   private:
    friend class Dma8237;
    std::function<void()> m_handler;
    bool m_tc = false;
  };

  struct Controller {
    u8 command = 0;
    u8 status = 0;   // bits 0-3: terminal count reached (cleared on read)
    u8 request = 0;  // software requests
    u8 mask = 0x0F;
    bool flip_flop = false;
    void serialize(StateIo& io);
  };

  bool may_run(const Channel& ch) const;
  void service();
  size_t transfer(Channel& ch, u8* buffer, size_t count, bool to_memory);
  u64 physical_address(const Channel& ch) const;
  void master_clear(unsigned controller);
  IoOps controller_ops(unsigned controller);

  PhysMemory& m_mem;
  std::array<Channel, kChannels> m_channels;
  std::array<Controller, 2> m_controllers;
  std::array<u8, 16> m_pages{};
  bool m_servicing = false;
};

}  // namespace tern
