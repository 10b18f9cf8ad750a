// The --snapshot overlay: guest writes land in an in-memory sparse map of 4 KiB chunks; reads
// take written chunks from the map and everything else from the base image, which is never
// written. The chunks are part of a save state, so a restored snapshot run sees its own writes.
#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "base/error.h"
#include "base/state.h"
#include "devices/disk_image.h"

namespace tern {

namespace {

constexpr u64 kChunkSize = 4096;

class SnapshotOverlay final : public DiskImage {
 public:
  explicit SnapshotOverlay(std::unique_ptr<DiskImage> base) : DiskImage(base->size(), false), m_base(std::move(base)) {}

  // Writes are already as durable as an overlay gets.
  bool flush() override { return true; }

  void serialize(StateIo& io) override {
    DiskImage::serialize(io);
    u64 count = m_chunks.size();
    io(count);
    if (io.loading()) {
      m_chunks.clear();
      for (u64 i = 0; i < count; ++i) {
        u64 index = 0;
        io(index);
        if (index * kChunkSize >= size()) throw_state_error("snapshot overlay chunk beyond the image");
        Chunk& chunk = m_chunks[index];
        io.bytes(chunk.data(), kChunkSize);
      }
      return;
    }
    for (auto& [index, chunk] : m_chunks) {
      u64 i = index;
      io(i);
      io.bytes(chunk.data(), kChunkSize);
    }
  }

 protected:
  bool do_read(u64 offset, void* dst, size_t count) override {
    u8* p = static_cast<u8*>(dst);
    while (count > 0) {
      const u64 index = offset / kChunkSize;
      const u64 within = offset % kChunkSize;
      const size_t n = static_cast<size_t>(std::min<u64>(count, kChunkSize - within));
      const auto it = m_chunks.find(index);
      if (it != m_chunks.end()) {
        std::memcpy(p, it->second.data() + within, n);
      } else if (!m_base->read(offset, p, n)) {
        return false;
      }
      p += n;
      offset += n;
      count -= n;
    }
    return true;
  }

  bool do_write(u64 offset, const void* src, size_t count) override {
    const u8* p = static_cast<const u8*>(src);
    while (count > 0) {
      const u64 index = offset / kChunkSize;
      const u64 within = offset % kChunkSize;
      const size_t n = static_cast<size_t>(std::min<u64>(count, kChunkSize - within));
      Chunk* chunk = chunk_for_write(index);
      if (!chunk) return false;
      std::memcpy(chunk->data() + within, p, n);
      p += n;
      offset += n;
      count -= n;
    }
    return true;
  }

 private:
  using Chunk = std::array<u8, kChunkSize>;

  // The chunk at `index`, created from the base image's bytes on its first write (the image's
  // last chunk may be short: its tail past the end stays zero and is never read).
  Chunk* chunk_for_write(u64 index) {
    const auto it = m_chunks.find(index);
    if (it != m_chunks.end()) return &it->second;
    Chunk fresh{};
    const u64 start = index * kChunkSize;
    const size_t n = static_cast<size_t>(std::min<u64>(kChunkSize, size() - start));
    if (!m_base->read(start, fresh.data(), n)) return nullptr;
    return &m_chunks.emplace(index, fresh).first->second;
  }

  std::unique_ptr<DiskImage> m_base;
  std::map<u64, Chunk> m_chunks;  // ordered: save states list chunks in address order
};

}  // namespace

std::unique_ptr<DiskImage> make_snapshot_overlay(std::unique_ptr<DiskImage> base) {
  return std::make_unique<SnapshotOverlay>(std::move(base));
}

}  // namespace tern
