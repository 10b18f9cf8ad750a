// The save-state stream: a file of named sections, each with a length and a CRC-32, compressed
// with zstd behind a versioned header. Parts of the machine describe their state once, in a
// `serialize(StateIo&)` that lists every field; the same function saves and loads.
//
// File layout (all integers little-endian):
//   "TERNSTAT"  u32 version  u64 payload_size  u32 crc32(compressed)  zstd(payload)
//   payload = { u16 name_len, name, u64 data_len, u32 crc32(data), data }*
// A reader checks the whole file (header, checksums, section framing) before anything reads a
// section, so a damaged file is refused before any state is touched.
#pragma once

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/bits.h"
#include "base/types.h"

namespace tern {

inline constexpr u32 kStateFormatVersion = 2;

[[noreturn]] void throw_state_error(std::string_view why);

u32 crc32(const void* data, size_t size, u32 crc = 0);

// A direction-neutral view of one section: operator() writes the field when saving and reads it
// back when loading.
class StateIo {
 public:
  // Saving into `out`.
  explicit StateIo(std::vector<u8>& out) : m_out(&out) {}
  // Loading from `data`; `name` is used in error messages.
  StateIo(std::string_view name, const std::vector<u8>& data) : m_name(name), m_in(&data) {}

  bool loading() const { return m_in != nullptr; }

  template <class... T>
  void operator()(T&... values) {
    (field(values), ...);
  }

  void bytes(void* p, size_t n) {
    if (n == 0) return;  // memcpy may not see the null data() of an empty vector
    if (!loading()) {
      const size_t at = m_out->size();
      m_out->resize(at + n);
      std::memcpy(m_out->data() + at, p, n);
      return;
    }
    if (n > m_in->size() - m_pos) too_short();
    std::memcpy(p, m_in->data() + m_pos, n);
    m_pos += n;
  }
  void string(std::string& s);
  // A large memory (RAM, video memory): a bitmap with one bit per 4 KiB page (set: not all
  // zeros), then the pages whose bit is set. Loading checks the section holds every page the
  // bitmap announces before writing any byte, and writes all-zero pages only where `p` is not
  // zero already (untouched host memory stays unallocated).
  static constexpr size_t kSparsePage = 4096;
  void sparse_pages(u8* p, size_t n);
  // Reads the bitmap of a sparse_pages() field without loading the pages; returns how many bytes
  // of page data follow it.
  size_t skip_sparse_bitmap(size_t n);

  // Throws unless a loading view has consumed all its bytes (catches layout mismatches).
  void expect_end() const;
  // Bytes a loading view has not read yet (0 when saving).
  size_t remaining() const { return loading() ? m_in->size() - m_pos : 0; }

 private:
  [[noreturn]] void too_short() const;

  template <class T>
  void field(T& v) {
    if constexpr (std::is_enum_v<T>) {
      auto raw = static_cast<std::underlying_type_t<T>>(v);
      field(raw);
      v = static_cast<T>(raw);
    } else if constexpr (std::is_same_v<T, bool>) {
      u8 b = v ? 1 : 0;
      field(b);
      if (b > 1) throw_state_error(std::string(m_name) + ": bad boolean");
      v = b != 0;
    } else if constexpr (std::is_integral_v<T>) {
      u8 raw[sizeof(T)];
      if (loading()) {
        bytes(raw, sizeof(T));
        v = load_le<T>(raw);
      } else {
        store_le<T>(raw, v);
        bytes(raw, sizeof(T));
      }
    } else if constexpr (std::is_array_v<T>) {
      for (auto& e : v) field(e);
    } else {
      // std::array and structs with their own serialize(StateIo&).
      if constexpr (requires { v.size(); v[0]; }) {
        for (auto& e : v) field(e);
      } else {
        v.serialize(*this);
      }
    }
  }

  std::string_view m_name;
  std::vector<u8>* m_out = nullptr;
  const std::vector<u8>* m_in = nullptr;
  size_t m_pos = 0;
};

class StateWriter {
 public:
  // Starts a new section; fields written through the returned view go into it.
  StateIo section(const std::string& name);
  // The whole compressed file image.
  std::vector<u8> finish() const;
  // Writes the file atomically (temporary file, then rename): never a half-written state file.
  void write_file(const std::string& path) const { write_file(path, finish()); }
  static void write_file(const std::string& path, const std::vector<u8>& file);

 private:
  std::vector<std::pair<std::string, std::vector<u8>>> m_sections;
};

class StateReader {
 public:
  // Parses and fully validates a file image; throws Error (via throw_state_error) on any damage.
  explicit StateReader(const std::vector<u8>& file);
  static StateReader from_file(const std::string& path);

  bool has(const std::string& name) const { return m_sections.count(name) != 0; }
  // A loading view of a section; throws when the section is missing.
  StateIo section(const std::string& name) const;
  std::vector<std::string> section_names() const;
  // The raw bytes of a section (throws when missing): for tools and tests that rewrite files.
  const std::vector<u8>& section_data(const std::string& name) const;

 private:
  std::map<std::string, std::vector<u8>> m_sections;
};

}  // namespace tern
