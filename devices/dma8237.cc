#include "devices/dma8237.h"

#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "base/state.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

// Page register (offset from 80h) of each channel; channel 4 has none (the cascade).
constexpr std::array<u8, 8> kPageRegister = {0x07, 0x03, 0x01, 0x02, 0x0F, 0x0B, 0x09, 0x0A};

// Register indexes 8-15 of each controller.
enum : unsigned {
  kStatusCommand = 8,
  kRequest = 9,
  kSingleMask = 10,
  kMode = 11,
  kClearFlipFlop = 12,
  kMasterClear = 13,
  kClearMask = 14,
  kAllMask = 15,
};

constexpr u8 kCommandDisable = 0x04;  // command register bit 2: controller disabled

}  // namespace

Dma8237::Dma8237(IoSpace& io, PhysMemory& mem) : m_mem(mem) {
  for (unsigned i = 0; i < kChannels; ++i) {
    m_channels[i].owner = this;
    m_channels[i].number = i;
  }
  reset();
  io.map(0x00, 16, controller_ops(0));
  io.map(0xC0, 32, controller_ops(1));
  IoOps pages;
  pages.widths = 1;
  pages.read = [this](u32 offset, unsigned) -> u64 { return read_page(offset); };
  pages.write = [this](u32 offset, u64 value, unsigned) { write_page(offset, static_cast<u8>(value)); };
  io.map(0x80, 16, pages);
}

IoOps Dma8237::controller_ops(unsigned controller) {
  // DMA2's registers sit on even ports (its A0 is wired to the bus's A1).
  const unsigned shift = controller;
  IoOps ops;
  ops.widths = 1;
  ops.read = [this, controller, shift](u32 offset, unsigned) -> u64 {
    if (offset & ((1u << shift) - 1)) return 0xFF;
    return read_register(controller, offset >> shift);
  };
  ops.write = [this, controller, shift](u32 offset, u64 value, unsigned) {
    if (offset & ((1u << shift) - 1)) return;
    write_register(controller, offset >> shift, static_cast<u8>(value));
  };
  return ops;
}

u8 Dma8237::read_register(unsigned controller, unsigned index) {
  Controller& c = m_controllers[controller];
  if (index < 8) {
    Channel& ch = m_channels[controller * 4 + index / 2];
    const u16 value = (index & 1) ? ch.current_count : ch.current_address;
    const bool high = c.flip_flop;
    c.flip_flop = !c.flip_flop;
    return static_cast<u8>(high ? value >> 8 : value);
  }
  switch (index) {
    case kStatusCommand: {
      u8 dreqs = 0;
      for (unsigned i = 0; i < 4; ++i) dreqs |= static_cast<u8>((m_channels[controller * 4 + i].dreq ? 1 : 0) << (4 + i));
      const u8 value = static_cast<u8>((c.status & 0x0F) | dreqs | (c.request << 4));
      c.status &= 0xF0;  // reading clears the terminal-count bits
      return value;
    }
    case kAllMask: return static_cast<u8>(0xF0 | c.mask);  // PIIX3: the mask bits read back
    default: return 0x00;  // the temporary register (memory-to-memory only) reads 0 on the PC
  }
}

void Dma8237::write_register(unsigned controller, unsigned index, u8 value) {
  Controller& c = m_controllers[controller];
  if (index < 8) {
    Channel& ch = m_channels[controller * 4 + index / 2];
    u16& base = (index & 1) ? ch.base_count : ch.base_address;
    base = c.flip_flop ? static_cast<u16>((base & 0x00FF) | value << 8) : static_cast<u16>((base & 0xFF00) | value);
    // Writing the base register writes the current register too.
    ((index & 1) ? ch.current_count : ch.current_address) = base;
    c.flip_flop = !c.flip_flop;
    return;
  }
  switch (index) {
    case kStatusCommand: c.command = value; break;
    case kRequest:
      c.request = static_cast<u8>((value & 0x04) ? c.request | (1 << (value & 3)) : c.request & ~(1 << (value & 3)));
      break;
    case kSingleMask:
      c.mask = static_cast<u8>((value & 0x04) ? c.mask | (1 << (value & 3)) : c.mask & ~(1 << (value & 3)));
      break;
    case kMode: m_channels[controller * 4 + (value & 3)].mode = value; break;
    case kClearFlipFlop: c.flip_flop = false; break;
    case kMasterClear: master_clear(controller); break;
    case kClearMask: c.mask = 0; break;
    case kAllMask: c.mask = value & 0x0F; break;
    default: break;
  }
  service();
}

void Dma8237::master_clear(unsigned controller) {
  m_controllers[controller] = Controller{};
}

bool Dma8237::may_run(const Channel& ch) const {
  const unsigned controller = ch.number / 4;
  const Controller& c = m_controllers[controller];
  if ((c.command & kCommandDisable) || (c.mask & (1 << (ch.number & 3)))) return false;
  if ((ch.mode & 0xC0) == kModeCascade) return false;
  // DMA1 reaches the bus through DMA2's channel 4 (the cascade).
  if (controller == 0) {
    const Controller& c2 = m_controllers[1];
    if ((c2.command & kCommandDisable) || (c2.mask & 1)) return false;
  }
  return true;
}

// Calls the handler of every channel whose DREQ is high and that may run now.
void Dma8237::service() {
  if (m_servicing) return;
  m_servicing = true;
  for (Channel& ch : m_channels) {
    if (ch.dreq && ch.m_handler && may_run(ch)) ch.m_handler();
  }
  m_servicing = false;
}

void Dma8237::Channel::set_dreq(bool level) {
  const bool rising = level && !dreq;
  dreq = level;
  if (rising) owner->service();
}

size_t Dma8237::Channel::write_memory(const u8* src, size_t count) {
  return owner->transfer(*this, const_cast<u8*>(src), count, true);
}

size_t Dma8237::Channel::read_memory(u8* dst, size_t count) { return owner->transfer(*this, dst, count, false); }

u64 Dma8237::physical_address(const Channel& ch) const {
  const u8 page = m_pages[kPageRegister[ch.number]];
  // Word channels shift the address left by one; the page register's bit 0 is unused.
  if (ch.number >= 4) return (u64{page & 0xFEu} << 16) | (u64{ch.current_address} << 1);
  return (u64{page} << 16) | ch.current_address;
}

size_t Dma8237::transfer(Channel& ch, u8* buffer, size_t count, bool to_memory) {
  const unsigned unit = ch.number >= 4 ? 2 : 1;
  const u8 type = ch.mode & kModeTypeMask;
  const bool decrement = ch.mode & kModeDecrement;
  size_t moved = 0;
  ch.m_tc = false;
  while (moved + unit <= count && may_run(ch)) {
    // A run of units up to the terminal count, the end of the 64K (128K) page, and the buffer;
    // address decrement moves one unit at a time.
    u64 units = std::min<u64>((count - moved) / unit, u64{ch.current_count} + 1);
    if (decrement) units = 1;
    else units = std::min<u64>(units, 0x10000 - u64{ch.current_address});
    const size_t bytes = static_cast<size_t>(units * unit);
    const u64 addr = physical_address(ch);
    if (to_memory && type == kModeWrite) {
      m_mem.dma_write(addr, buffer + moved, bytes);
    } else if (!to_memory && type == kModeRead) {
      if (!m_mem.dma_read(addr, buffer + moved, bytes)) std::memset(buffer + moved, 0xFF, bytes);
    } else if (!to_memory) {
      std::memset(buffer + moved, 0xFF, bytes);  // verify or mismatched direction: nothing read
    }
    moved += bytes;
    ch.current_address = static_cast<u16>(decrement ? ch.current_address - units : ch.current_address + units);
    const bool terminal = units == u64{ch.current_count} + 1;
    ch.current_count = static_cast<u16>(ch.current_count - units);
    if (terminal) {
      ch.m_tc = true;
      m_controllers[ch.number / 4].status |= static_cast<u8>(1 << (ch.number & 3));
      if (ch.mode & kModeAutoInit) {
        ch.current_address = ch.base_address;
        ch.current_count = ch.base_count;
      } else {
        m_controllers[ch.number / 4].mask |= static_cast<u8>(1 << (ch.number & 3));
      }
      break;
    }
  }
  return moved;
}

void Dma8237::reset() {
  master_clear(0);
  master_clear(1);
  for (Channel& ch : m_channels) {
    ch.base_address = ch.base_count = ch.current_address = ch.current_count = 0;
    ch.mode = 0;
    ch.m_tc = false;
  }
  m_pages.fill(0);
}

void Dma8237::Channel::serialize(StateIo& io) {
  io(base_address, base_count, current_address, current_count, mode, dreq, m_tc);
}

void Dma8237::Controller::serialize(StateIo& io) { io(command, status, request, mask, flip_flop); }

void Dma8237::serialize(StateIo& io) { io(m_channels, m_controllers, m_pages); }

}  // namespace tern
