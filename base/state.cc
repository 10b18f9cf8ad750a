#include "base/state.h"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "base/error.h"

namespace tern {

namespace {

constexpr char kMagic[8] = {'T', 'E', 'R', 'N', 'S', 'T', 'A', 'T'};
constexpr size_t kHeaderSize = 8 + 4 + 8 + 4;
// Refuse absurd sizes in a damaged header before allocating.
constexpr u64 kMaxPayload = u64{64} << 30;

// CRC-32 (IEEE 802.3, reflected) tables for slicing by 8: table[k][b] is the CRC of byte b
// followed by k zero bytes, so eight input bytes are folded with eight lookups instead of eight
// dependent steps (state files are tens of megabytes).
using CrcTables = std::array<std::array<u32, 256>, 8>;

CrcTables make_crc_tables() {
  CrcTables t{};
  for (u32 i = 0; i < 256; ++i) {
    u32 c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (u32 i = 0; i < 256; ++i)
    for (size_t k = 1; k < 8; ++k) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  return t;
}

template <class T>
void append_le(std::vector<u8>& out, T v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  store_le<T>(out.data() + at, v);
}

}  // namespace

void throw_state_error(std::string_view why) { throw Error(fmt::format("state file: {}", why)); }

u32 crc32(const void* data, size_t size, u32 crc) {
  static const CrcTables t = make_crc_tables();
  const u8* p = static_cast<const u8*>(data);
  crc = ~crc;
  for (; size >= 8; size -= 8, p += 8) {
    const u32 lo = load_le<u32>(p) ^ crc;
    const u32 hi = load_le<u32>(p + 4);
    crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][hi & 0xFF] ^
          t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
  }
  for (; size > 0; --size, ++p) crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void StateIo::too_short() const { throw_state_error(fmt::format("section '{}' is too short", m_name)); }

void StateIo::string(std::string& s) {
  u32 size = static_cast<u32>(s.size());
  field(size);
  if (loading()) {
    if (size > m_in->size() - m_pos) too_short();
    s.assign(reinterpret_cast<const char*>(m_in->data() + m_pos), size);
    m_pos += size;
  } else {
    bytes(s.data(), size);
  }
}

namespace {

bool all_zero(const u8* p, size_t n) {
  u64 any = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    u64 word;
    std::memcpy(&word, p + i, 8);
    any |= word;
  }
  for (; i < n; ++i) any |= p[i];
  return any == 0;
}

size_t page_count(size_t n) { return (n + StateIo::kSparsePage - 1) / StateIo::kSparsePage; }

size_t page_bytes(size_t n, size_t page) { return std::min(StateIo::kSparsePage, n - page * StateIo::kSparsePage); }

bool bit(const std::vector<u8>& bitmap, size_t page) { return bitmap[page / 8] & (1u << (page % 8)); }

}  // namespace

size_t StateIo::skip_sparse_bitmap(size_t n) {
  const size_t pages = page_count(n);
  std::vector<u8> bitmap((pages + 7) / 8);
  bytes(bitmap.data(), bitmap.size());
  if (pages % 8 && (bitmap.back() >> (pages % 8)) != 0)
    throw_state_error(fmt::format("section '{}': bad page bitmap", m_name));
  size_t data = 0;
  for (size_t page = 0; page < pages; ++page)
    if (bit(bitmap, page)) data += page_bytes(n, page);
  return data;
}

void StateIo::sparse_pages(u8* p, size_t n) {
  const size_t pages = page_count(n);
  std::vector<u8> bitmap((pages + 7) / 8, 0);
  if (!loading()) {
    for (size_t page = 0; page < pages; ++page)
      if (!all_zero(p + page * kSparsePage, page_bytes(n, page))) bitmap[page / 8] |= static_cast<u8>(1u << (page % 8));
    bytes(bitmap.data(), bitmap.size());
    for (size_t page = 0; page < pages; ++page)
      if (bit(bitmap, page)) bytes(p + page * kSparsePage, page_bytes(n, page));
    return;
  }
  const size_t start = m_pos;
  if (skip_sparse_bitmap(n) > remaining()) too_short();
  std::memcpy(bitmap.data(), m_in->data() + start, bitmap.size());
  for (size_t page = 0; page < pages; ++page) {
    u8* at = p + page * kSparsePage;
    const size_t size = page_bytes(n, page);
    if (bit(bitmap, page))
      bytes(at, size);
    else if (!all_zero(at, size))
      std::memset(at, 0, size);
  }
}

void StateIo::expect_end() const {
  if (loading() && m_pos != m_in->size())
    throw_state_error(fmt::format("section '{}' has {} unexpected bytes", m_name, m_in->size() - m_pos));
}

StateIo StateWriter::section(const std::string& name) {
  m_sections.emplace_back(name, std::vector<u8>{});
  return StateIo(m_sections.back().second);
}

std::vector<u8> StateWriter::finish() const {
  std::vector<u8> payload;
  for (const auto& [name, data] : m_sections) {
    append_le<u16>(payload, static_cast<u16>(name.size()));
    payload.insert(payload.end(), name.begin(), name.end());
    append_le<u64>(payload, data.size());
    append_le<u32>(payload, crc32(data.data(), data.size()));
    payload.insert(payload.end(), data.begin(), data.end());
  }
  std::vector<u8> compressed(ZSTD_compressBound(payload.size()));
  const size_t n = ZSTD_compress(compressed.data(), compressed.size(), payload.data(), payload.size(), 3);
  if (ZSTD_isError(n)) throw Error(fmt::format("state file: compression failed: {}", ZSTD_getErrorName(n)),
                                   ExitCode::kInternal);
  compressed.resize(n);

  std::vector<u8> file(kMagic, kMagic + 8);
  append_le<u32>(file, kStateFormatVersion);
  append_le<u64>(file, payload.size());
  append_le<u32>(file, crc32(compressed.data(), compressed.size()));
  file.insert(file.end(), compressed.begin(), compressed.end());
  return file;
}

void StateWriter::write_file(const std::string& path, const std::vector<u8>& file) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(fmt::format("cannot write state file '{}': {}", path, std::strerror(errno)));
  const bool ok = std::fwrite(file.data(), 1, file.size(), f) == file.size();
  if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("cannot write state file '{}': {}", path, std::strerror(errno)));
  }
}

StateReader::StateReader(const std::vector<u8>& file) {
  if (file.size() < kHeaderSize || std::memcmp(file.data(), kMagic, 8) != 0)
    throw_state_error("not a tern state file");
  const u32 version = load_le<u32>(file.data() + 8);
  if (version != kStateFormatVersion)
    throw_state_error(fmt::format("format version {} is not supported (this tern reads {})", version,
                                  kStateFormatVersion));
  const u64 payload_size = load_le<u64>(file.data() + 12);
  const u32 crc = load_le<u32>(file.data() + 20);
  const u8* compressed = file.data() + kHeaderSize;
  const size_t compressed_size = file.size() - kHeaderSize;
  if (crc32(compressed, compressed_size) != crc) throw_state_error("checksum mismatch (file is damaged)");
  if (payload_size > kMaxPayload) throw_state_error("damaged header");
  const unsigned long long frame = ZSTD_getFrameContentSize(compressed, compressed_size);
  if (frame != payload_size) throw_state_error("damaged compressed data");

  std::vector<u8> payload(payload_size);
  const size_t n = ZSTD_decompress(payload.data(), payload.size(), compressed, compressed_size);
  if (ZSTD_isError(n) || n != payload_size) throw_state_error("damaged compressed data");

  size_t pos = 0;
  auto need = [&](size_t count) {
    if (count > payload.size() - pos) throw_state_error("truncated section table");
  };
  while (pos < payload.size()) {
    need(2);
    const u16 name_len = load_le<u16>(payload.data() + pos);
    pos += 2;
    need(name_len);
    std::string name(reinterpret_cast<const char*>(payload.data() + pos), name_len);
    pos += name_len;
    need(12);
    const u64 len = load_le<u64>(payload.data() + pos);
    const u32 section_crc = load_le<u32>(payload.data() + pos + 8);
    pos += 12;
    need(len);
    std::vector<u8> data(payload.begin() + static_cast<std::ptrdiff_t>(pos),
                         payload.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
    if (crc32(data.data(), data.size()) != section_crc)
      throw_state_error(fmt::format("section '{}' checksum mismatch", name));
    if (!m_sections.emplace(std::move(name), std::move(data)).second)
      throw_state_error("duplicate section");
  }
}

StateReader StateReader::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open state file '{}'", path));
  std::vector<u8> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return StateReader(file);
}

StateIo StateReader::section(const std::string& name) const {
  const auto it = m_sections.find(name);
  if (it == m_sections.end()) throw_state_error(fmt::format("section '{}' is missing", name));
  return StateIo(it->first, it->second);
}

const std::vector<u8>& StateReader::section_data(const std::string& name) const {
  const auto it = m_sections.find(name);
  if (it == m_sections.end()) throw_state_error(fmt::format("section '{}' is missing", name));
  return it->second;
}

std::vector<std::string> StateReader::section_names() const {
  std::vector<std::string> names;
  for (const auto& entry : m_sections) names.push_back(entry.first);
  return names;
}

}  // namespace tern
