#include "devices/char_backend.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/error.h"

namespace tern {

namespace {

class NullBackend : public CharBackend {
 public:
  void write(u8) override {}
};

class FileBackend : public CharBackend {
 public:
  FileBackend(std::FILE* f, bool owned) : m_file(f), m_owned(owned) {}
  ~FileBackend() override {
    if (m_owned)
      std::fclose(m_file);
    else
      std::fflush(m_file);
  }
  void write(u8 byte) override { std::fputc(byte, m_file); }
  void flush() override { std::fflush(m_file); }

 private:
  std::FILE* m_file;
  bool m_owned;
};

}  // namespace

std::unique_ptr<CharBackend> open_char_backend(const std::string& spec, const std::string& option) {
  if (spec == "none") return std::make_unique<NullBackend>();
  if (spec == "stdio") return std::make_unique<FileBackend>(stdout, false);
  if (spec.rfind("file:", 0) == 0 && spec.size() > 5) {
    const std::string path = spec.substr(5);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) fail("{}: cannot create '{}': {}", option, path, std::strerror(errno));
    return std::make_unique<FileBackend>(f, true);
  }
  fail("{}: expected stdio, file:PATH or none, got '{}'", option, spec);
}

}  // namespace tern
