// What an ISA device sees of its DMA channel (the floppy controller on channel 2, later the
// SB16): a DREQ line, a callback in which it moves data while the channel grants it, and the
// terminal-count signal that ends a transfer. The 8237 pair implements it; a device never
// knows which controller serves it.
#pragma once

#include <functional>

#include "base/types.h"

namespace tern {

class IsaDmaChannel {
 public:
  virtual ~IsaDmaChannel() = default;

  // The device's DREQ. While DREQ is high and the channel is unmasked, the controller calls the
  // handler (at once, or when the guest unmasks the channel) and the device moves data in it.
  virtual void set_dreq(bool level) = 0;
  virtual void set_handler(std::function<void()> handler) = 0;

  // Within the handler: moves up to `count` bytes between the device and guest memory as the
  // channel is programmed. Returns the bytes moved; fewer than asked when the terminal count is
  // reached (terminal_count() is then true) or the channel stops.
  virtual size_t write_memory(const u8* src, size_t count) = 0;  // device to memory
  virtual size_t read_memory(u8* dst, size_t count) = 0;         // memory to device
  virtual bool terminal_count() const = 0;
};

}  // namespace tern
