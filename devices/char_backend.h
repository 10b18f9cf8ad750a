// Where a character device's bytes go (and come from): the terminal, a file, or nowhere. Named
// by the `--serial` and `--debugcon` specifications `stdio`, `file:PATH` and `none`. Only `stdio`
// has input: standard input, read without blocking (a terminal is switched to raw input while
// tern reads it, so that the guest sees each key and does its own echo).
#pragma once

#include <functional>
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

// A backend that also shows every written byte to a listener (the headless runner watches COM1
// for `--until-serial` this way) and passes everything else through.
class TappedBackend : public CharBackend {
 public:
  explicit TappedBackend(std::unique_ptr<CharBackend> inner) : m_inner(std::move(inner)) {}
  void set_listener(std::function<void(u8)> listener) { m_listener = std::move(listener); }
  void write(u8 byte) override {
    m_inner->write(byte);
    if (m_listener) m_listener(byte);
  }
  bool read(u8& byte) override { return m_inner->read(byte); }
  bool readable() const override { return m_inner->readable(); }
  void flush() override { m_inner->flush(); }

 private:
  std::unique_ptr<CharBackend> m_inner;
  std::function<void(u8)> m_listener;
};

// Opens a backend from its specification; throws Error naming `option` when it is malformed or
// the file cannot be created.
std::unique_ptr<CharBackend> open_char_backend(const std::string& spec, const std::string& option);

}  // namespace tern
