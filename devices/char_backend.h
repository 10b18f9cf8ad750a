// Where a character device's bytes go (and come from): the terminal, a file, or nowhere. Named
// by the `--serial` and `--debugcon` specifications `stdio`, `file:PATH` and `none`. Only `stdio`
// has input: standard input, read without blocking (a terminal is switched to raw input while
// tern reads it, so that the guest sees each key and does its own echo).
#pragma once

#include <memory>
#include <string>

#include "base/types.h"

namespace tern {

class CharBackend {
 public:
  virtual ~CharBackend() = default;
  virtual void write(u8 byte) = 0;
  // A byte of input if one is waiting (never blocks).
  virtual bool read(u8& byte) {
    (void)byte;
    return false;
  }
  // Whether read() may still deliver input: devices poll only backends that can.
  virtual bool readable() const { return false; }
  virtual void flush() {}
};

// Opens a backend from its specification; throws Error naming `option` when it is malformed or
// the file cannot be created.
std::unique_ptr<CharBackend> open_char_backend(const std::string& spec, const std::string& option);

}  // namespace tern
