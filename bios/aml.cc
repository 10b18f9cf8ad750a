#include "bios/aml.h"

namespace tern::aml {

namespace {

constexpr u8 kZeroOp = 0x00;
constexpr u8 kOneOp = 0x01;
constexpr u8 kBytePrefix = 0x0A;
constexpr u8 kWordPrefix = 0x0B;
constexpr u8 kDWordPrefix = 0x0C;
constexpr u8 kQWordPrefix = 0x0E;
constexpr u8 kNameOp = 0x08;
constexpr u8 kStringPrefix = 0x0D;
constexpr u8 kBufferOp = 0x11;
constexpr u8 kScopeOp = 0x10;
constexpr u8 kPackageOp = 0x12;
constexpr u8 kExtOpPrefix = 0x5B;
constexpr u8 kDeviceOp = 0x82;
constexpr u8 kOnesOp = 0xFF;
constexpr u8 kRootChar = '\\';
constexpr u8 kDualNamePrefix = 0x2E;
constexpr u8 kMultiNamePrefix = 0x2F;

void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

// A term that is `op`, a PkgLength and `contents`.
Bytes with_pkg_length(std::initializer_list<u8> op, const Bytes& contents) {
  Bytes out(op);
  append(out, pkg_length(contents.size()));
  append(out, contents);
  return out;
}

}  // namespace

Bytes name_string(const std::string& path) {
  Bytes out;
  size_t pos = 0;
  if (!path.empty() && path[0] == '\\') {
    out.push_back(kRootChar);
    pos = 1;
  }
  std::vector<std::string> segments;
  while (pos < path.size()) {
    const size_t dot = path.find('.', pos);
    std::string seg = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    seg.resize(4, '_');
    segments.push_back(seg);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  if (segments.size() == 2) out.push_back(kDualNamePrefix);
  if (segments.size() > 2) {
    out.push_back(kMultiNamePrefix);
    out.push_back(static_cast<u8>(segments.size()));
  }
  for (const std::string& seg : segments) out.insert(out.end(), seg.begin(), seg.end());
  return out;
}

Bytes pkg_length(size_t length) {
  // The encoded length counts its own bytes. One byte holds up to 63; longer lengths use
  // 1-3 extra bytes, the lead byte keeping the low nibble (§20.2.4).
  for (size_t extra = 0; extra <= 3; ++extra) {
    const size_t total = length + 1 + extra;
    if (extra == 0 && total < 0x40) return {static_cast<u8>(total)};
    if (extra > 0 && total < (size_t{1} << (4 + 8 * extra))) {
      Bytes out{static_cast<u8>(extra << 6 | (total & 0x0F))};
      for (size_t i = 0; i < extra; ++i) out.push_back(static_cast<u8>(total >> (4 + 8 * i)));
      return out;
    }
  }
  return {};
}

Bytes integer(u64 value) {
  if (value == 0) return {kZeroOp};
  if (value == 1) return {kOneOp};
  if (value == ~u64{0}) return {kOnesOp};
  Bytes out;
  unsigned size;
  if (value <= 0xFF) {
    out.push_back(kBytePrefix);
    size = 1;
  } else if (value <= 0xFFFF) {
    out.push_back(kWordPrefix);
    size = 2;
  } else if (value <= 0xFFFFFFFF) {
    out.push_back(kDWordPrefix);
    size = 4;
  } else {
    out.push_back(kQWordPrefix);
    size = 8;
  }
  for (unsigned i = 0; i < size; ++i) out.push_back(static_cast<u8>(value >> (8 * i)));
  return out;
}

Bytes eisa_id(const std::string& id) {
  // Three letters of 5 bits each (A = 1) and four hex digits, stored big-endian.
  const auto letter = [&](size_t i) { return static_cast<u32>((id[i] - '@') & 0x1F); };
  const u32 hex = static_cast<u32>(std::stoul(id.substr(3, 4), nullptr, 16));
  const u16 vendor = static_cast<u16>(letter(0) << 10 | letter(1) << 5 | letter(2));
  return {kDWordPrefix, static_cast<u8>(vendor >> 8), static_cast<u8>(vendor), static_cast<u8>(hex >> 8),
          static_cast<u8>(hex)};
}

Bytes name(const std::string& name, const Bytes& value) {
  Bytes out{kNameOp};
  append(out, name_string(name));
  append(out, value);
  return out;
}

Bytes package(const std::vector<Bytes>& elements) {
  Bytes contents{static_cast<u8>(elements.size())};
  for (const Bytes& e : elements) append(contents, e);
  return with_pkg_length({kPackageOp}, contents);
}

Bytes scope(const std::string& name, const Bytes& body) {
  Bytes contents = name_string(name);
  append(contents, body);
  return with_pkg_length({kScopeOp}, contents);
}

Bytes device(const std::string& name, const Bytes& body) {
  Bytes contents = name_string(name);
  append(contents, body);
  return with_pkg_length({kExtOpPrefix, kDeviceOp}, contents);
}

Bytes string(const std::string& text) {
  Bytes out(text.size() + 2, 0);
  out[0] = kStringPrefix;
  for (size_t i = 0; i < text.size(); ++i) out[i + 1] = static_cast<u8>(text[i]);
  return out;
}

Bytes buffer(const Bytes& bytes) {
  Bytes contents = integer(bytes.size());
  append(contents, bytes);
  return with_pkg_length({kBufferOp}, contents);
}

Bytes io_port(u16 base, u8 length) {
  return {0x47, 0x01, static_cast<u8>(base), static_cast<u8>(base >> 8), static_cast<u8>(base),
          static_cast<u8>(base >> 8), 0x01, length};
}

Bytes irq_no_flags(unsigned irq) { return {0x22, static_cast<u8>(1u << irq), static_cast<u8>((1u << irq) >> 8)}; }

Bytes dma_channel(unsigned channel) { return {0x2A, static_cast<u8>(1u << channel), 0x00}; }

namespace {

// A Word (0x88) or DWord (0x87) Address Space Descriptor: type 0 memory, 1 I/O, 2 bus numbers.
Bytes address_space(u8 tag, unsigned size, u8 type, u8 type_flags, u64 min, u64 max) {
  Bytes out{tag, static_cast<u8>(3 + 5 * size), 0, type, 0x0C, type_flags};
  const auto put = [&](u64 v) {
    for (unsigned i = 0; i < size; ++i) out.push_back(static_cast<u8>(v >> (8 * i)));
  };
  put(0);              // granularity
  put(min);
  put(max);
  put(0);              // translation offset
  put(max - min + 1);  // length
  return out;
}

}  // namespace

Bytes word_bus_number(u16 min, u16 max) { return address_space(0x88, 2, 2, 0x00, min, max); }

Bytes word_io(u16 min, u16 max) { return address_space(0x88, 2, 1, 0x03, min, max); }  // ISA and non-ISA ranges

Bytes dword_memory(u32 min, u32 max, bool cacheable) {
  return address_space(0x87, 4, 0, cacheable ? 0x03 : 0x01, min, max);  // read-write
}

Bytes resource_template(const std::vector<Bytes>& descriptors) {
  Bytes body = concat(descriptors);
  // End tag; a checksum of 0 means "treat as valid" (§6.4.2.9).
  body.push_back(0x79);
  body.push_back(0x00);
  return buffer(body);
}

Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

}  // namespace tern::aml
